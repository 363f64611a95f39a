/**
 * From pixel bytes to the design matrix a backend places (CS231n's recipe): scale the pixels,
 * subtract the mean image of the TRAINING split, append the bias column of ones.
 *
 *   x[i, f] = pixel[i, f]·scale − mean[f]   for f < features
 *   x[i, features] = 1                       (the bias trick: d = features + 1)
 *
 * Each value is computed in float64 and rounded once to float32.
 */
import type { DesignMatrix, PixelMatrix } from '../backend.js';
import { DataError, OptionError, ShapeError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { validateDesignMatrix, validatePixelMatrix } from '../losses/validate.js';

/** What was learned from the training split; apply the same to validation, test and new images. */
export interface Preprocessing {
  /** Values per image this applies to. */
  readonly features: number;
  /** Mean image in scaled units (mean of pixel·scale over the training rows); zeros when not subtracted. */
  readonly mean: Float32Array;
  /** Multiplier applied to pixel bytes (default 1/255). */
  readonly scale: number;
  /** A trailing 1 column is appended (always). */
  readonly bias: true;
}

export interface PreprocessingOptions {
  /** Subtract the training mean image (default true). */
  subtractMean?: boolean;
  /** Pixel multiplier, finite and > 0 (default 1/255). */
  scale?: number;
}

/** Learns the preprocessing from the training split only (its mean image). */
export function fitPreprocessing(train: Dataset, options: PreprocessingOptions = {}): Preprocessing {
  const scale = options.scale ?? 1 / 255;
  const subtractMean = options.subtractMean ?? true;
  checkScale(scale, 'fitPreprocessing');
  const f = train.features;
  const mean = new Float32Array(f);
  if (subtractMean) {
    if (train.n === 0) throw new DataError(`${train.name} has no rows to take a mean of`);
    if (train.images.length !== train.n * f) {
      throw new ShapeError(`${train.name} has ${train.images.length} pixel bytes, ` +
        `expected n·features = ${train.n}·${f}`);
    }
    const sums = new Float64Array(f);
    addPixelSums(sums, train.images, train.n);
    return preprocessingFromSums(sums, train.n, { scale, subtractMean });
  }
  return { features: f, mean, scale, bias: true };
}

/** Adds `rows` rows of pixel bytes column by column into sums (exact: integer sums below 2^53). */
export function addPixelSums(sums: Float64Array, bytes: Uint8Array, rows: number): void {
  const f = sums.length;
  for (let i = 0; i < rows; i++) {
    const o = i * f;
    for (let j = 0; j < f; j++) sums[j]! += bytes[o + j]!;
  }
}

/**
 * The preprocessing whose mean image is sums/n·scale: fitPreprocessing's, from column sums
 * gathered elsewhere (a streamed pass over a file), the same values to the bit.
 */
export function preprocessingFromSums(sums: Float64Array, n: number, options: PreprocessingOptions = {}): Preprocessing {
  const scale = options.scale ?? 1 / 255;
  checkScale(scale, 'preprocessing');
  const mean = new Float32Array(sums.length);
  if (options.subtractMean ?? true) {
    if (!(n >= 1)) throw new DataError('no training rows to take a mean of');
    for (let j = 0; j < sums.length; j++) mean[j] = (sums[j]! / n) * scale;
  }
  return { features: sums.length, mean, scale, bias: true };
}

/**
 * Applies the preprocessing to a data set: N×(features+1) float32 rows with the bias column,
 * int32 labels, classes = classNames.length. The result is validated (finite values).
 */
export function toDesignMatrix(ds: Dataset, prep: Preprocessing): DesignMatrix {
  const m = toPixelMatrix(ds, prep);
  const dense: DesignMatrix = { x: decodePixelRows(m, 0, m.n), y: m.y, n: m.n, d: m.d, classes: m.classes };
  checkDesignMatrix(dense, { name: ds.name, bias: true });
  return dense;
}

/**
 * The same data as toDesignMatrix, kept as bytes: the data set's pixels (not copied), the
 * preprocessing and int32 labels. Checked as toDesignMatrix would be (every value it stands
 * for finite, every label in range), without building the float32 rows.
 */
export function toPixelMatrix(ds: Dataset, prep: Preprocessing): PixelMatrix {
  checkPreprocessing(prep);
  if (ds.features !== prep.features) {
    throw new ShapeError(`${ds.name} has ${ds.features} features per image but the ` +
      `preprocessing was fitted on ${prep.features}`);
  }
  if (ds.images.length !== ds.n * ds.features || ds.labels.length !== ds.n) {
    throw new ShapeError(`${ds.name} has ${ds.images.length} pixel bytes and ` +
      `${ds.labels.length} labels for n = ${ds.n} images of ${ds.features} values`);
  }
  const m: PixelMatrix = { pixels: ds.images, features: prep.features, scale: prep.scale, mean: prep.mean,
    y: new Int32Array(ds.labels), n: ds.n, d: prep.features + 1, classes: ds.classNames.length };
  if (m.n === 0) return m; // an empty split is allowed
  try {
    validatePixelMatrix(m);
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${ds.name}: ${e.message}`);
    if (e instanceof ShapeError) throw new ShapeError(`${ds.name}: ${e.message}`);
    throw e;
  }
  return m;
}

/**
 * Rows [start, start + count) of the design matrix a PixelMatrix stands for, count×d float32
 * with the bias column: x = fround(byte·scale − mean), each byte's scaled value taken in
 * float64 from a 256-entry table (so every backend that decodes bytes gets these exact values).
 */
export function decodePixelRows(m: PixelMatrix, start: number, count: number, out = new Float32Array(count * m.d)): Float32Array {
  const table = scaledBytes(m.scale);
  for (let i = 0; i < count; i++) decodePixelRow(m, table, start + i, out, i * m.d);
  return out;
}

/** Row `row` of the design matrix a PixelMatrix stands for into out[offset .. offset + d), table = scaledBytes(m.scale). */
export function decodePixelRow(m: PixelMatrix, table: Float64Array, row: number, out: Float32Array | Float64Array, offset: number): void {
  const f = m.features, o = row * f;
  const { pixels, mean } = m;
  if (out instanceof Float32Array) {
    for (let j = 0; j < f; j++) out[offset + j] = table[pixels[o + j]!]! - mean[j]!;
  } else {
    for (let j = 0; j < f; j++) out[offset + j] = Math.fround(table[pixels[o + j]!]! - mean[j]!);
  }
  out[offset + f] = 1;
}

/** byte·scale for the 256 bytes, in float64: the one place a byte's scaled value is computed. */
export function scaledBytes(scale: number): Float64Array {
  const table = new Float64Array(256);
  for (let p = 0; p < 256; p++) table[p] = p * scale;
  return table;
}

/** The first `count` rows of a PixelMatrix as a DesignMatrix (what host-side checks read). */
export function pixelPrefix(m: PixelMatrix, count: number): DesignMatrix {
  const n = Math.max(0, Math.min(count, m.n));
  return { x: decodePixelRows(m, 0, n), y: m.y.subarray(0, n), n, d: m.d, classes: m.classes };
}

/** Preprocesses one image (features pixel bytes) into a row of features + 1 float32 values. */
export function preprocessImage(bytes: Uint8Array, prep: Preprocessing): Float32Array {
  checkPreprocessing(prep);
  if (bytes.length !== prep.features) {
    throw new ShapeError(`the image has ${bytes.length} values but the preprocessing ` +
      `was fitted on ${prep.features}`);
  }
  const f = prep.features;
  const out = new Float32Array(f + 1);
  for (let j = 0; j < f; j++) out[j] = bytes[j]! * prep.scale - prep.mean[j]!;
  out[f] = 1;
  for (let j = 0; j < f; j++) {
    if (!Number.isFinite(out[j]!)) {
      throw new DataError(`value ${out[j]} at column ${j} is not finite`);
    }
  }
  return out;
}

/** A JSON-safe form of a Preprocessing (to save next to trained weights). */
export interface PreprocessingJSON {
  features: number;
  scale: number;
  bias: true;
  mean: number[];
}

export function preprocessingToJSON(prep: Preprocessing): PreprocessingJSON {
  checkPreprocessing(prep);
  return { features: prep.features, scale: prep.scale, bias: true, mean: Array.from(prep.mean) };
}

/** Reads back what preprocessingToJSON wrote, checking every field. */
export function preprocessingFromJSON(json: unknown, source = 'preprocessing'): Preprocessing {
  const o = json as Partial<PreprocessingJSON> | null;
  if (typeof o !== 'object' || o === null) throw new DataError(`${source}: not an object`);
  if (!Array.isArray(o.mean) || o.mean.some((v) => typeof v !== 'number')) {
    throw new DataError(`${source}: 'mean' must be an array of numbers`);
  }
  if (typeof o.features !== 'number' || typeof o.scale !== 'number') {
    throw new DataError(`${source}: 'features' and 'scale' must be numbers`);
  }
  const prep: Preprocessing = { features: o.features, scale: o.scale, bias: true,
    mean: Float32Array.from(o.mean) };
  try {
    checkPreprocessing(prep);
  } catch (e) {
    throw new DataError(`${source}: ${(e as Error).message}`);
  }
  return prep;
}

function checkScale(scale: number, where: string): void {
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new OptionError(`${where}: scale must be a finite number > 0, got ${scale}`);
  }
}

export function checkPreprocessing(prep: Preprocessing): void {
  if (!(Number.isInteger(prep.features) && prep.features >= 1)) {
    throw new ShapeError(`preprocessing: features must be a positive integer, got ${prep.features}`);
  }
  if (prep.mean.length !== prep.features) {
    throw new ShapeError(`preprocessing: mean has ${prep.mean.length} values for ${prep.features} features`);
  }
  checkScale(prep.scale, 'preprocessing');
  for (let j = 0; j < prep.mean.length; j++) {
    if (!Number.isFinite(prep.mean[j]!)) {
      throw new DataError(`preprocessing: mean value ${prep.mean[j]} at column ${j} is not finite`);
    }
  }
}

/**
 * Checks a design matrix before a backend places it: integer n, d, classes ≥ 1; x holds n·d
 * values and y n labels; every label in [0, classes); every value finite (the first bad one
 * is named by row and column). With `bias`, also that the last column is all ones.
 * Returns the matrix unchanged. Throws ShapeError for sizes and DataError for values.
 */
export function checkDesignMatrix(m: DesignMatrix,
  options: { name?: string; bias?: boolean } = {}): DesignMatrix {
  const name = options.name ?? 'design matrix';
  if (!(m.x instanceof Float32Array)) throw new ShapeError(`${name}: x must be a Float32Array`);
  if (!(m.y instanceof Int32Array)) throw new ShapeError(`${name}: y must be an Int32Array`);
  if (m.n === 0 && m.x.length === 0 && m.y.length === 0) return m; // an empty split is allowed
  try {
    validateDesignMatrix(m);
  } catch (e) {
    // Same error kind, prefixed with which matrix it was.
    if (e instanceof DataError) throw new DataError(`${name}: ${e.message}`);
    if (e instanceof ShapeError) throw new ShapeError(`${name}: ${e.message}`);
    throw e;
  }
  if (options.bias) {
    const { n, d, x } = m;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + d - 1]!;
      if (v !== 1) {
        throw new DataError(`${name}: bias column (column ${d - 1}) is ${v} at row ${i}, expected 1`);
      }
    }
  }
  return m;
}
