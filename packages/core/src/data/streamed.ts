/**
 * A data set too large to hold: its bytes stay where they are (a file), its labels (4 bytes a
 * row) are held. Its rows are image bytes, or feature values (float32 or float64, little-endian:
 * `values`), decoded and preprocessed a block at a time. prepareStreamed is prepareSplits for it — the same validation rows from the
 * same seed, the same mean image to the bit (fitted in one pass over the training rows, piece by
 * piece) — and a session places its splits as streamed residents (session/streaming-backend.ts):
 * read and placed one block of rows at a time.
 */
import type { PixelMatrix } from '../backend.js';
import { DataError, ShapeError } from '../errors.js';
import { Random } from '../random.js';
import { pickRows, forEachPiece, type ByteRows } from './byte-rows.js';
import { checkLabels, type ImageShape } from './dataset.js';
import { checkModelSize, type PrepareOptions } from './prepare.js';
import {
  addFeatureSums, addPixelSums, addSquaredDeviations, featureRow, checkPreprocessing, identityFeatures, isFeaturePreprocessing, preprocessingFromSums, standardization,
  type FeaturePreprocessing, type PixelPreprocessing, type Preprocessing,
} from './preprocess.js';
import { splitIndices } from './split.js';

/** The element type of streamed feature rows (little-endian). */
export type StreamedDtype = 'float32' | 'float64';

/** Bytes per value of a dtype. */
export const dtypeBytes = (dtype: StreamedDtype): number => (dtype === 'float32' ? 4 : 8);

/** One split as found: its rows of bytes, its labels (in [0, classNames.length)), and the image shape or the features' type. */
export interface StreamedSet {
  readonly name: string;
  /** Image bytes (features = bytes per row), or feature values (bytes per row = features · the dtype's size). */
  readonly rows: ByteRows;
  readonly labels: Int32Array;
  /** Images: their shape. */
  readonly image?: ImageShape | undefined;
  /** Features: their type and count per row. */
  readonly values?: { readonly dtype: StreamedDtype; readonly features: number } | undefined;
  readonly classNames: readonly string[];
}

/**
 * A PixelMatrix whose bytes stay in `rows`: what a session places as a streamed resident. For
 * features, `values` says how to read the rows (features = values per row; scale and mean unused)
 * and the preprocessing to apply.
 */
export type StreamedPixels = Omit<PixelMatrix, 'pixels'> & {
  readonly rows: ByteRows;
  readonly values?: { readonly dtype: StreamedDtype; readonly prep: FeaturePreprocessing } | undefined;
};

/** Bytes per row of a streamed split. */
export function rowBytes(data: Pick<StreamedPixels, 'features' | 'values'>): number {
  return data.values ? data.features * dtypeBytes(data.values.dtype) : data.features;
}

/**
 * Streamed feature rows' bytes as the float32 values a data set in memory holds (float64 rounded
 * once, as the .npy reader rounds it): a view of float32 bytes when aligned, else a copy.
 */
export function featureValues(bytes: Uint8Array, dtype: StreamedDtype): Float32Array {
  const size = dtypeBytes(dtype);
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  const n = aligned.byteLength / size;
  return dtype === 'float32' ? new Float32Array(aligned.buffer, aligned.byteOffset, n) : Float32Array.from(new Float64Array(aligned.buffer, aligned.byteOffset, n));
}

/**
 * Checks streamed feature rows before any work, as an in-memory set is checked: every value finite
 * within float32's range and, with a preprocessing, every preprocessed value finite too (a test
 * value far outside a narrow training column overflows when standardized). The first bad one is
 * named by the split, the row and the feature. One pass over the rows.
 */
export async function checkFeatureRows(rows: ByteRows, values: { readonly dtype: StreamedDtype; readonly features: number }, name: string,
  prep?: FeaturePreprocessing): Promise<void> {
  const { dtype, features: f } = values;
  const x = new Float32Array(f + 1);
  await forEachPiece(rows, Math.max(1, Math.floor(PIECE_BYTES / rows.features)), (bytes, start, count) => {
    const v = featureValues(bytes, dtype);
    for (let i = 0; i < count; i++) {
      const o = i * f;
      for (let j = 0; j < f; j++) {
        if (!Number.isFinite(v[o + j]!)) {
          // The value as written: a float64 may be finite yet past float32's range.
          const written = dtype === 'float64' ? new DataView(bytes.buffer, bytes.byteOffset + (o + j) * 8, 8).getFloat64(0, true) : v[o + j]!;
          throw new DataError(`${name}: value ${written} at row ${start + i}, feature ${j} is ${Number.isFinite(written) ? "beyond float32's range" : 'not finite'}`);
        }
      }
      if (prep?.standardized) {
        featureRow(v, o, prep, x, 0);
        for (let j = 0; j < f; j++) {
          if (!Number.isFinite(x[j]!)) {
            throw new DataError(`${name}: value ${v[o + j]} at row ${start + i}, feature ${j} is ${x[j]} once standardized ` +
              `(the training split's mean ${prep.mean[j]}, deviation ${prep.std[j]})`);
          }
        }
      }
    }
  });
}

/** Rows of streamed feature values as design-matrix rows (preprocessed, the bias appended). */
export function decodeFeatureRows(bytes: Uint8Array, data: Pick<StreamedPixels, 'features' | 'd'> & { readonly values: NonNullable<StreamedPixels['values']> },
  count: number): Float32Array {
  const v = featureValues(bytes, data.values.dtype), f = data.features, d = data.d;
  const x = new Float32Array(count * d);
  for (let i = 0; i < count; i++) featureRow(v, i * f, data.values.prep, x, i * d);
  return x;
}

/** The streamed counterpart of PreparedData. */
export interface StreamedData {
  readonly streamed: true;
  readonly name: string;
  readonly classNames: readonly string[];
  /** Images: their shape; absent for features. */
  readonly image?: ImageShape | undefined;
  readonly preprocessing: Preprocessing;
  readonly train: StreamedPixels;
  /** n = 0 when no validation rows were held out. */
  readonly validation: StreamedPixels;
  readonly test: StreamedPixels;
}

/** Rows read per piece while fitting the mean image: 16 MiB of bytes. */
const PIECE_BYTES = 16 * 2 ** 20;

/**
 * Splits, fits and checks like prepareSplits (validation rows from the seed's 'split' stream;
 * the first `limit` training rows after it; the mean of those rows), reading the training bytes
 * once, piece by piece, to fit the mean image. Labels and sizes are checked up front.
 */
export async function prepareStreamed(data: { readonly name: string; readonly train: StreamedSet; readonly test: StreamedSet },
  options: PrepareOptions): Promise<StreamedData> {
  const { train, test } = data;
  for (const s of [train, test]) checkSet(s);
  const features = valuesPerRow(train);
  checkModelSize(features + 1, train.classNames.length, train.name);
  if (!train.values !== !test.values) {
    throw new DataError(`${train.name} holds ${train.values ? 'features' : 'images'} but ${test.name} holds ${test.values ? 'features' : 'images'}`);
  }
  if (valuesPerRow(test) !== features) {
    throw new ShapeError(`${test.name} has ${valuesPerRow(test)} values per row but ${train.name} has ${features}`);
  }
  if (test.classNames.length !== train.classNames.length) {
    throw new DataError(`${test.name} names ${test.classNames.length} classes but ${train.name} names ${train.classNames.length}`);
  }
  let trainRows = train.rows, trainY: Int32Array = train.labels;
  let validationRows: ByteRows = pickRows(train.rows, new Int32Array(0)), validationY: Int32Array = new Int32Array(0);
  if (options.validation > 0) {
    const split = splitIndices(train.rows.n, { validation: options.validation, rng: new Random(options.seed).fork('split') }, train.name);
    trainRows = pickRows(train.rows, split.trainIndices);
    trainY = pick(train.labels, split.trainIndices);
    validationRows = pickRows(train.rows, split.validationIndices);
    validationY = pick(train.labels, split.validationIndices);
  }
  if (options.limit !== undefined && options.limit < trainRows.n) {
    trainRows = pickRows(trainRows, Int32Array.from({ length: options.limit }, (_, i) => i));
    trainY = trainY.subarray(0, options.limit);
  }
  if (trainRows.n === 0) throw new DataError(`${train.name}: no training rows left (limit ${options.limit})`);
  const given = options.preprocessing;
  if (given) {
    checkPreprocessing(given);
    if (isFeaturePreprocessing(given) !== (train.values !== undefined)) {
      throw new DataError(`${train.name} holds ${train.values ? 'features' : 'images'}, but the preprocessing is for ${train.values ? 'images' : 'features'} (a model of other data?)`);
    }
    if (given.features !== features) {
      throw new ShapeError(`${train.name} has ${features} values per row but the preprocessing was fitted on ${given.features}`);
    }
  }
  let preprocessing: Preprocessing;
  if (train.values) {
    // The statistics first (two passes over the training rows when standardizing), then every
    // value and every standardized value checked, one pass over each file, before any work.
    const fitted = given ?? await fitStreamedFeatures(train, trainRows, options);
    for (const s of [train, test]) await checkFeatureRows(s.rows, s.values!, s.name, fitted as FeaturePreprocessing);
    preprocessing = fitted;
  } else if (given) {
    preprocessing = given;
  } else {
    const sums = new Float64Array(features);
    if (options.subtractMean ?? true) {
      await forEachPiece(trainRows, Math.max(1, Math.floor(PIECE_BYTES / features)), (bytes, _, count) => addPixelSums(sums, bytes, count));
    }
    preprocessing = preprocessingFromSums(sums, trainRows.n, {
      ...(options.scale !== undefined ? { scale: options.scale } : {}),
      ...(options.subtractMean !== undefined ? { subtractMean: options.subtractMean } : {}),
    });
  }
  const prep = preprocessing;
  if (!isFeaturePreprocessing(prep)) checkFinite(prep, train.name);
  const split = (rows: ByteRows, y: Int32Array, set: StreamedSet): StreamedPixels => ({ rows, y, n: rows.n, features,
    d: features + 1, classes: train.classNames.length, scale: isFeaturePreprocessing(prep) ? 1 : prep.scale, mean: prep.mean,
    ...(set.values && isFeaturePreprocessing(prep) ? { values: { dtype: set.values.dtype, prep } } : {}) });
  return { streamed: true, name: data.name, classNames: train.classNames, ...(train.image ? { image: train.image } : {}), preprocessing: prep,
    train: split(trainRows, trainY, train), validation: split(validationRows, validationY, train), test: split(test.rows, test.labels, test) };
}

/** Values per row: an image's pixels, or the features. */
function valuesPerRow(s: StreamedSet): number {
  return s.values ? s.values.features : s.rows.features;
}

/** Features' column means and deviations over the training rows (two passes, float64), or identity. */
async function fitStreamedFeatures(train: StreamedSet, trainRows: ByteRows, options: PrepareOptions): Promise<FeaturePreprocessing> {
  const { dtype, features: f } = train.values!;
  if (!options.standardize) return identityFeatures(f);
  const pieceRows = Math.max(1, Math.floor(PIECE_BYTES / trainRows.features));
  const sums = new Float64Array(f), squares = new Float64Array(f);
  await forEachPiece(trainRows, pieceRows, (bytes, _, count) => addFeatureSums(sums, featureValues(bytes, dtype), count));
  // A value that is not finite makes its column's sum so: find it, and say where.
  if (!sums.every(Number.isFinite)) await checkFeatureRows(train.rows, train.values!, train.name); // rows of the file, as named
  const mean = sums.map((s) => s / trainRows.n);
  await forEachPiece(trainRows, pieceRows, (bytes, _, count) => addSquaredDeviations(squares, mean, featureValues(bytes, dtype), count));
  return standardization(mean, squares, trainRows.n, train.name);
}


/** True for streamed data (a session places it block by block). */
export function isStreamed(data: object): data is StreamedData {
  return (data as { streamed?: unknown }).streamed === true;
}

function checkSet(s: StreamedSet): void {
  if (s.values) {
    const bytes = s.values.features * dtypeBytes(s.values.dtype);
    if (!(Number.isInteger(s.values.features) && s.values.features >= 1) || bytes !== s.rows.features) {
      throw new ShapeError(`${s.name}: ${s.values.features} ${s.values.dtype} features need ${bytes} bytes per row, the rows have ${s.rows.features}`);
    }
  } else if (!s.image) {
    throw new ShapeError(`${s.name}: neither an image shape nor feature values`);
  } else {
    const f = s.image.height * s.image.width * s.image.channels;
    if (f !== s.rows.features) throw new ShapeError(`${s.name}: ${s.image.height}×${s.image.width}×${s.image.channels} images need ${f} values per row, the rows have ${s.rows.features}`);
  }
  if (s.labels.length !== s.rows.n) throw new ShapeError(`${s.name}: ${s.labels.length} labels for ${s.rows.n} images`);
  if (s.rows.n === 0) throw new DataError(`${s.name} holds no images`);
  checkLabels(s.labels, s.classNames.length, s.name);
}

/**
 * Every value x = fround(byte·scale − mean) finite, decided from the preprocessing alone (a
 * streamed split is not scanned): the bytes 0 and 255 bracket every value of a column.
 */
function checkFinite(prep: PixelPreprocessing, name: string): void {
  const top = 255 * prep.scale;
  for (let j = 0; j < prep.features; j++) {
    const m = prep.mean[j]!;
    if (!(Number.isFinite(Math.fround(top - m)) && Number.isFinite(Math.fround(-m)))) {
      throw new DataError(`${name}: scale ${prep.scale} and mean ${m} at column ${j} put pixel values beyond float32's range`);
    }
  }
}

function pick(labels: Int32Array, indices: Int32Array): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = labels[indices[k]!]!;
  return out;
}
