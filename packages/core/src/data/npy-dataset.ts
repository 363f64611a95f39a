/**
 * A data set kept as numpy arrays (what Keras's datasets, feature extractors and most Python
 * pipelines save with np.save), and integer labels, N or N×1:
 * - uint8 arrays are images: N×H×W×C (channels last), N×H×W (grey) or N×F (flat rows, read as
 *   one row of F pixels);
 * - float32, float64 and the other integer dtypes are features: N×F, or N×… flattened to the
 *   product of the trailing sizes in C order; values are rounded to float32 (a design matrix's
 *   type) and must be finite.
 * Every size is checked from the .npy headers (readNpy) before the arrays are used; labels must
 * lie in [0, MAX_CLASSES).
 */
import { DataError } from '../errors.js';
import { firstNotFinite, labelArray, makeDataset, makeFeatureDataset, MAX_CLASSES, type Dataset, type ImageShape } from './dataset.js';
import { npyIntegers, type NpyArray } from './npy.js';

/** What the rows of an .npy array are: images (uint8) or features (any other number type). */
export type NpyRows = { readonly n: number; readonly kind: 'images'; readonly image: ImageShape; readonly features: number }
  | { readonly n: number; readonly kind: 'features'; readonly features: number };

/** The rows of an .npy array: images when uint8 (npyImageShape), else features N×F (trailing sizes flattened). */
export function npyRows(x: Pick<NpyArray, 'source' | 'header'>): NpyRows {
  if (x.header.dtype === 'uint8') {
    const { n, image } = npyImageShape(x);
    return { n, kind: 'images', image, features: image.height * image.width * image.channels };
  }
  const s = x.header.shape;
  if (s.length < 2) throw new DataError(`${x.source}: features of shape (${s.join(', ')}): expected N×F (one row of F features per example)`);
  if (s[0] === 0) throw new DataError(`${x.source}: holds no rows (shape (${s.join(', ')}))`);
  const features = s.slice(1).reduce((a, b) => a * b, 1);
  if (features === 0) throw new DataError(`${x.source}: rows of shape (${s.join(', ')}) have no features`);
  return { n: s[0]!, kind: 'features', features };
}

/** An .npy array's elements as float32 feature values (a view when it already is float32). */
export function npyFeatureValues(x: NpyArray): Float32Array {
  const d = x.data;
  let out: Float32Array;
  if (d instanceof Float32Array) out = d;
  else {
    out = new Float32Array(d.length);
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
    else out.set(d);
  }
  const bad = firstNotFinite(out);
  if (bad >= 0) {
    const f = x.header.shape.slice(1).reduce((a, b) => a * b, 1);
    const where = `row ${Math.floor(bad / f)}, feature ${bad % f}`;
    if (Number.isFinite(Number(d[bad]!))) throw new DataError(`${x.source}: value ${d[bad]} at ${where} is beyond float32's range (features are held as float32)`);
    throw new DataError(`${x.source}: value ${d[bad]} at ${where} is not finite`);
  }
  return out;
}

/** The images' shape from an .npy array's shape, or a DataError saying what is accepted. */
export function npyImageShape(images: Pick<NpyArray, 'source' | 'header'>): { n: number; image: ImageShape } {
  const s = images.header.shape;
  if (images.header.dtype !== 'uint8') {
    throw new DataError(`${images.source}: images must be uint8 (pixel bytes), the array holds ${images.header.dtype}`);
  }
  if (s.length >= 1 && s[0] === 0) throw new DataError(`${images.source}: holds no images (shape (${s.join(', ')}))`);
  if (s.length >= 2 && s.slice(1).some((k) => k === 0)) {
    throw new DataError(`${images.source}: images of shape (${s.join(', ')}) have no pixels: every image dimension must be at least 1`);
  }
  if (s.length === 4 && s[3]! >= 1 && s[3]! <= 4) return { n: s[0]!, image: { height: s[1]!, width: s[2]!, channels: s[3]!, layout: 'hwc' } };
  if (s.length === 3) return { n: s[0]!, image: { height: s[1]!, width: s[2]!, channels: 1, layout: 'hwc' } };
  if (s.length === 2) return { n: s[0]!, image: { height: 1, width: s[1]!, channels: 1, layout: 'hwc' } };
  throw new DataError(`${images.source}: images of shape (${s.join(', ')}): expected N×H×W×C with 1 to 4 channels last, N×H×W or N×F`);
}

/** Labels as int32 in [0, MAX_CLASSES): shape N or N×1, any integer dtype. */
export function npyLabels(labels: NpyArray, n: number, imagesSource: string): Int32Array {
  const s = labels.header.shape;
  if (!(s.length === 1 || (s.length === 2 && s[1] === 1))) {
    throw new DataError(`${labels.source}: labels of shape (${s.join(', ')}): expected one label per image, N or N×1`);
  }
  if (s[0] !== n) throw new DataError(`${labels.source} holds ${s[0]} labels but ${imagesSource} holds ${n} images`);
  return npyIntegers(labels, 'label', 0, MAX_CLASSES - 1);
}

/**
 * Class names when no file gives them: the label values '0' … 'k−1', k the largest label + 1 over
 * every split (at least one class), and the note that says so.
 */
export function labelValueNames(labelSets: readonly Int32Array[]): { classNames: string[]; note: string } {
  const k = Math.max(1, ...labelSets.map((labels) => labels.reduce((m, v) => Math.max(m, v + 1), 0)));
  return { classNames: Array.from({ length: k }, (_, j) => String(j)),
    note: `class names: the label values 0 … ${k - 1}; add a classes.txt (one name per line) to name them` };
}

/**
 * A Dataset of the arrays, labels already checked (npyLabels); a label beyond classNames is
 * named with its file (`labelsSource`) and where the names came from (`namesSource`).
 */
export function npyDataset(name: string, images: NpyArray, labels: Int32Array, labelsSource: string, classNames: readonly string[],
  namesSource: string): Dataset {
  const rows = npyRows(images);
  const bad = labels.findIndex((v) => v >= classNames.length);
  if (bad >= 0) {
    throw new DataError(`${labelsSource}: label ${labels[bad]} at row ${bad} is outside the ${classNames.length} classes named by ${namesSource}`);
  }
  if (rows.kind === 'features') {
    // npyFeatureValues checked every value, naming the file.
    return makeFeatureDataset({ name, values: npyFeatureValues(images), labels: labelArray(labels), features: rows.features, classNames }, { valuesChecked: true });
  }
  return makeDataset({ name, images: images.data as Uint8Array, labels: labelArray(labels), image: rows.image, classNames });
}
