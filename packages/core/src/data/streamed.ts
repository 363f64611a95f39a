/**
 * A data set too large to hold: its bytes stay where they are (a file), its labels (4 bytes a
 * row) are held. prepareStreamed is prepareSplits for it — the same validation rows from the
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
import { addPixelSums, checkPreprocessing, isFeaturePreprocessing, preprocessingFromSums, type PixelPreprocessing } from './preprocess.js';
import { splitIndices } from './split.js';

/** One split as found: its rows of bytes, its labels (in [0, classNames.length)), the image shape. */
export interface StreamedSet {
  readonly name: string;
  readonly rows: ByteRows;
  readonly labels: Int32Array;
  readonly image: ImageShape;
  readonly classNames: readonly string[];
}

/** A PixelMatrix whose bytes stay in `rows`: what a session places as a streamed resident. */
export type StreamedPixels = Omit<PixelMatrix, 'pixels'> & { readonly rows: ByteRows };

/** The streamed counterpart of PreparedData. */
export interface StreamedData {
  readonly streamed: true;
  readonly name: string;
  readonly classNames: readonly string[];
  readonly image: ImageShape;
  readonly preprocessing: PixelPreprocessing;
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
  checkModelSize(train.rows.features + 1, train.classNames.length, train.name);
  if (test.rows.features !== train.rows.features) {
    throw new ShapeError(`${test.name} has ${test.rows.features} values per image but ${train.name} has ${train.rows.features}`);
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
  if (options.preprocessing && isFeaturePreprocessing(options.preprocessing)) {
    throw new DataError(`${train.name}: streamed rows are image bytes, but the preprocessing is for features (a features model?)`);
  }
  let preprocessing = options.preprocessing;
  if (preprocessing) {
    checkPreprocessing(preprocessing);
    if (preprocessing.features !== train.rows.features) {
      throw new ShapeError(`${train.name} has ${train.rows.features} values per image but the preprocessing was fitted on ${preprocessing.features}`);
    }
  } else {
    const sums = new Float64Array(train.rows.features);
    if (options.subtractMean ?? true) {
      await forEachPiece(trainRows, Math.max(1, Math.floor(PIECE_BYTES / train.rows.features)), (bytes, _, count) => addPixelSums(sums, bytes, count));
    }
    preprocessing = preprocessingFromSums(sums, trainRows.n, {
      ...(options.scale !== undefined ? { scale: options.scale } : {}),
      ...(options.subtractMean !== undefined ? { subtractMean: options.subtractMean } : {}),
    });
  }
  checkFinite(preprocessing, train.name);
  const split = (rows: ByteRows, y: Int32Array): StreamedPixels => ({ rows, y, n: rows.n, features: rows.features,
    d: rows.features + 1, classes: train.classNames.length, scale: preprocessing.scale, mean: preprocessing.mean });
  return { streamed: true, name: data.name, classNames: train.classNames, image: train.image, preprocessing,
    train: split(trainRows, trainY), validation: split(validationRows, validationY), test: split(test.rows, test.labels) };
}

/** True for streamed data (a session places it block by block). */
export function isStreamed(data: object): data is StreamedData {
  return (data as { streamed?: unknown }).streamed === true;
}

function checkSet(s: StreamedSet): void {
  const f = s.image.height * s.image.width * s.image.channels;
  if (f !== s.rows.features) throw new ShapeError(`${s.name}: ${s.image.height}×${s.image.width}×${s.image.channels} images need ${f} values per row, the rows have ${s.rows.features}`);
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
