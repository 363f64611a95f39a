import { DataError, ShapeError } from '../errors.js';

/** The shape of one image and the order of its bytes. */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** 'hwc' (MNIST-like, channels last) or 'chw' (CIFAR-10: all red, then green, then blue). */
  readonly layout: 'hwc' | 'chw';
}

/**
 * The most classes a data set may have: 4096 (a linear probe's ImageNet head has 1000). Labels
 * are bytes where they fit and 16-bit integers otherwise (Labels), which could address 65536;
 * the cap is lower so that a label file cannot size W (D×C, float64, with the optimizer's state
 * beside it) beyond memory: at CIFAR-10's D, 4096 classes are 100 MB of W. Class lists read
 * from files (classes.txt, batches.meta.txt, a pickled batches.meta) longer than this are
 * refused before they are built.
 */
export const MAX_CLASSES = 4096;

/** Labels of a data set: bytes, or 16-bit where a label passes 255 (see labelArray). */
export type Labels = Uint8Array | Uint16Array;

/** Labels in the narrowest array that holds them: bytes below 256, else 16-bit. Values must be integers in [0, 65536). */
export function labelArray(values: ArrayLike<number>): Labels {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return max < 256 ? Uint8Array.from(values) : Uint16Array.from(values);
}

/** What every data set has: labels, sizes and class names. */
interface DatasetCommon {
  /** Where it came from, e.g. 'fashion-mnist/train' or 'cifar-10/data_batch_1..5'. */
  readonly name: string;
  /** n labels in [0, classNames.length): bytes, or 16-bit where classes pass 256. */
  readonly labels: Labels;
  readonly n: number;
  /** Values per row: height·width·channels for images, the feature count for features. */
  readonly features: number;
  readonly classNames: readonly string[];
}

/** An image data set as read from disk: raw pixel bytes and integer labels. */
export interface ImageDataset extends DatasetCommon {
  /** Absent or 'images' (data sets built before features existed have no kind). */
  readonly kind?: 'images';
  /** n × features pixel values (0..255), one image after another. */
  readonly images: Uint8Array;
  /** One image's shape and the order of its bytes: 'hwc' (MNIST-like, channels last) or
   *  'chw' (CIFAR-10: all red, then all green, then all blue). */
  readonly image: ImageShape;
}

/**
 * Features another model computed (an embedding), or any table of numbers: n rows of `features`
 * float32 values, taken as given (no pixel scale, no mean image; standardization is an option
 * of the preprocessing). float64 files are rounded to float32 when read, as a design matrix is.
 */
export interface FeatureDataset extends DatasetCommon {
  readonly kind: 'features';
  /** n × features values, row after row; every one finite (checked when made). */
  readonly values: Float32Array;
  readonly image?: undefined;
  readonly images?: undefined;
}

/** A data set: images (pixel bytes) or features (float32 values). */
export type Dataset = ImageDataset | FeatureDataset;

/** True for a features data set (float32 values, no image shape). */
export function isFeatureDataset(ds: Dataset): ds is FeatureDataset {
  return ds.kind === 'features';
}

/** The image data set, or a DataError saying that `what` needs images. */
export function imageDataset(ds: Dataset, what: string): ImageDataset {
  if (isFeatureDataset(ds)) throw new DataError(`${ds.name} holds features, not images: ${what} needs images`);
  return ds;
}

/** The ten Fashion-MNIST classes, in label order (Zalando Research). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** The ten MNIST digit classes, in label order. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze(
  ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * Builds a Dataset from its parts after checking that they fit together: image bytes =
 * n·features, features = height·width·channels, n labels each below the class count.
 * Throws ShapeError for sizes that disagree and DataError (naming the row) for a bad label.
 */
export function makeDataset(parts: {
  kind?: 'images'; name: string; images: Uint8Array; labels: Labels; image: ImageShape;
  classNames: readonly string[];
}): ImageDataset {
  const { name, images, labels, image, classNames } = parts;
  const features = image.height * image.width * image.channels;
  const n = labels.length;
  const ds: ImageDataset = { name, images, labels, n, features, image: { ...image },
    classNames: Object.freeze([...classNames]) };
  checkDataset(ds);
  return ds;
}

/**
 * Builds a features Dataset after checking its parts: values = n·features, every value
 * finite (the first that is not is named by row and column), n labels below the class count.
 * `valuesChecked`: the values come from a set or a reader that checked them already, so they are
 * not scanned again (a split of a large embedding set would otherwise rescan it for each part).
 */
export function makeFeatureDataset(parts: {
  name: string; values: Float32Array; labels: Labels; features: number; classNames: readonly string[];
}, options: { valuesChecked?: boolean } = {}): FeatureDataset {
  const { name, values, labels, features, classNames } = parts;
  const ds: FeatureDataset = { kind: 'features', name, values, labels, n: labels.length, features,
    classNames: Object.freeze([...classNames]) };
  checkFeatureDataset(ds, options.valuesChecked !== true);
  return ds;
}

/**
 * Checks a Dataset's invariants (see makeDataset, makeFeatureDataset); returns it unchanged. Use
 * on data sets that did not come from this module's readers.
 */
export function checkDataset<T extends Dataset>(ds: T): T {
  if (isFeatureDataset(ds)) return checkFeatureDataset(ds) as T;
  checkImageDataset(ds as ImageDataset);
  return ds;
}

function checkImageDataset(ds: ImageDataset): void {
  const { name, image } = ds;
  for (const k of ['height', 'width', 'channels'] as const) {
    if (!(Number.isInteger(image[k]) && image[k] >= 1)) {
      throw new ShapeError(`${name}: image ${k} must be a positive integer, got ${image[k]}`);
    }
  }
  if (image.layout !== 'hwc' && image.layout !== 'chw') {
    throw new ShapeError(`${name}: image layout must be 'hwc' or 'chw', got '${String(image.layout)}'`);
  }
  const features = image.height * image.width * image.channels;
  if (ds.features !== features) {
    throw new ShapeError(`${name}: features is ${ds.features} but the image shape ` +
      `${image.height}×${image.width}×${image.channels} holds ${features} values`);
  }
  if (!Number.isInteger(ds.n) || ds.n < 0) {
    throw new ShapeError(`${name}: n must be a non-negative integer, got ${ds.n}`);
  }
  if (ds.labels.length !== ds.n) {
    throw new ShapeError(`${name}: ${ds.labels.length} labels for ${ds.n} images`);
  }
  if (ds.images.length !== ds.n * features) {
    throw new ShapeError(`${name}: ${ds.images.length} pixel bytes, but ${ds.n} images of ` +
      `${features} values need ${ds.n * features}`);
  }
  if (ds.classNames.length < 1) {
    throw new ShapeError(`${name}: no class names`);
  }
  checkLabels(ds.labels, ds.classNames.length, name);
}

/** `scan` false: the values were checked already (rows of a checked set, or a reader's that checked each): sizes and labels only. */
function checkFeatureDataset(ds: FeatureDataset, scan = true): FeatureDataset {
  const { name, features: f, n } = ds;
  if (!(Number.isInteger(f) && f >= 1)) throw new ShapeError(`${name}: features must be a positive integer, got ${f}`);
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`${name}: n must be a non-negative integer, got ${n}`);
  if (!(ds.values instanceof Float32Array)) throw new ShapeError(`${name}: feature values must be a Float32Array`);
  if (ds.labels.length !== n) throw new ShapeError(`${name}: ${ds.labels.length} labels for ${n} rows`);
  if (ds.values.length !== n * f) {
    throw new ShapeError(`${name}: ${ds.values.length} values, but ${n} rows of ${f} features need ${n * f}`);
  }
  if (ds.classNames.length < 1) throw new ShapeError(`${name}: no class names`);
  const bad = scan ? firstNotFinite(ds.values) : -1;
  if (bad >= 0) {
    throw new DataError(`${name}: value ${ds.values[bad]} at row ${Math.floor(bad / f)}, feature ${bad % f} is not finite`);
  }
  checkLabels(ds.labels, ds.classNames.length, name);
  return ds;
}

/** The index of the first value that is NaN or infinite, or −1. */
export function firstNotFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/** Throws DataError naming the first label ≥ classes and its index. */
export function checkLabels(labels: ArrayLike<number>, classes: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < classes && Number.isInteger(l))) {
      throw new DataError(`${source}: label ${l} at index ${i} is out of range for ` +
        `${classes} classes (0..${classes - 1})`);
    }
  }
}

/** How many images of each class: counts[c] for c in [0, classNames.length). */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]!]! += 1;
  return counts;
}

/** The bytes of image i (a view into ds.images, not a copy). */
export function imageAt(given: Dataset, i: number): Uint8Array {
  const ds = imageDataset(given, 'imageAt');
  if (!(Number.isInteger(i) && i >= 0 && i < ds.n)) {
    throw new ShapeError(`${ds.name}: image index ${i} out of range 0..${ds.n - 1}`);
  }
  return ds.images.subarray(i * ds.features, (i + 1) * ds.features);
}
