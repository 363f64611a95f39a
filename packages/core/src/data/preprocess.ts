/**
 * From a data set's rows to the design matrix a backend places.
 *
 * Images (CS231n's recipe): scale the pixels, subtract the mean image of the TRAINING split,
 * append the bias column of ones.
 *
 *   x[i, f] = pixel[i, f]·scale − mean[f]   for f < features
 *   x[i, features] = 1                       (the bias trick: d = features + 1)
 *
 * Features (embeddings, tables): taken as given, or standardized with the TRAINING split's
 * column means and standard deviations (population, ddof 0, as scikit-learn's StandardScaler;
 * a constant column's deviation is taken as 1):
 *
 *   x[i, f] = (value[i, f] − mean[f]) / std[f]     (mean 0 and std 1 when not standardized)
 *
 * Each value is computed in float64 and rounded once to float32.
 */
import type { DesignMatrix, PixelMatrix } from '../backend.js';
import { DataError, OptionError, ShapeError } from '../errors.js';
import { firstNotFinite, isFeatureDataset, type Dataset, type FeatureDataset, type ImageDataset } from './dataset.js';
import { validateDesignMatrix, validatePixelMatrix } from '../losses/validate.js';

/** What was learned from the training split; apply the same to validation, test and new rows. */
export type Preprocessing = PixelPreprocessing | FeaturePreprocessing;

/** Images: x = pixel·scale − mean, then the bias column. */
export interface PixelPreprocessing {
  /** Absent or 'pixels' (preprocessings made before features existed have no kind). */
  readonly kind?: 'pixels';
  /** Values per image this applies to. */
  readonly features: number;
  /** Mean image in scaled units (mean of pixel·scale over the training rows); zeros when not subtracted. */
  readonly mean: Float32Array;
  /** Multiplier applied to pixel bytes (default 1/255). */
  readonly scale: number;
  /** A trailing 1 column is appended (always). */
  readonly bias: true;
}

/** Features: x = (value − mean) / std, then the bias column. */
export interface FeaturePreprocessing {
  readonly kind: 'features';
  readonly features: number;
  /** Whether mean and std were fitted (else mean is zeros and std ones: values as given). */
  readonly standardized: boolean;
  /** The training split's column means (float64 sums, rounded to float32); zeros when not standardized. */
  readonly mean: Float32Array;
  /** The training split's column standard deviations, > 0 (a constant column's is 1); ones when not standardized. */
  readonly std: Float32Array;
  readonly bias: true;
}

export interface PreprocessingOptions {
  /** Images: subtract the training mean image (default true). */
  subtractMean?: boolean;
  /** Images: pixel multiplier, finite and > 0 (default 1/255). */
  scale?: number;
  /** Features: standardize each column with the training split's mean and deviation (default false: as given). */
  standardize?: boolean;
}

/** True for a features preprocessing. */
export function isFeaturePreprocessing(prep: Preprocessing): prep is FeaturePreprocessing {
  return prep.kind === 'features';
}

/** Learns the preprocessing from the training split only: its mean image, or its column statistics for features. */
export function fitPreprocessing(train: ImageDataset, options?: PreprocessingOptions): PixelPreprocessing;
export function fitPreprocessing(train: FeatureDataset, options?: PreprocessingOptions): FeaturePreprocessing;
export function fitPreprocessing(train: Dataset, options?: PreprocessingOptions): Preprocessing;
export function fitPreprocessing(train: Dataset, options: PreprocessingOptions = {}): Preprocessing {
  if (isFeatureDataset(train)) return fitFeaturePreprocessing(train, options);
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

/** The features preprocessing: column means and deviations of the training rows (two passes, float64), or identity. */
function fitFeaturePreprocessing(train: FeatureDataset, options: PreprocessingOptions): FeaturePreprocessing {
  const f = train.features;
  if (!options.standardize) return identityFeatures(f);
  if (train.n === 0) throw new DataError(`${train.name} has no rows to standardize with`);
  const sums = new Float64Array(f), squares = new Float64Array(f);
  addFeatureSums(sums, train.values, train.n);
  const mean = new Float64Array(f);
  for (let j = 0; j < f; j++) mean[j] = sums[j]! / train.n;
  addSquaredDeviations(squares, mean, train.values, train.n);
  return standardization(mean, squares, train.n, train.name);
}

/** Values as given: mean 0, std 1. */
export function identityFeatures(features: number): FeaturePreprocessing {
  return { kind: 'features', features, standardized: false, mean: new Float32Array(features), std: new Float32Array(features).fill(1), bias: true };
}

/** Adds `rows` rows of feature values column by column into sums. */
export function addFeatureSums(sums: Float64Array, values: Float32Array | Float64Array, rows: number): void {
  const f = sums.length;
  for (let i = 0; i < rows; i++) {
    const o = i * f;
    for (let j = 0; j < f; j++) sums[j]! += values[o + j]!;
  }
}

/** Adds (value − mean)² of `rows` rows column by column into squares (the second pass: no cancellation). */
export function addSquaredDeviations(squares: Float64Array, mean: Float64Array, values: Float32Array | Float64Array, rows: number): void {
  const f = squares.length;
  for (let i = 0; i < rows; i++) {
    const o = i * f;
    for (let j = 0; j < f; j++) {
      const e = values[o + j]! - mean[j]!;
      squares[j]! += e * e;
    }
  }
}

/**
 * The standardization from float64 column means and sums of squared deviations over n rows:
 * std = sqrt(squares / n), and 1 for a column whose variance is within the rounding error of
 * computing it in float64 (scikit-learn's test for a constant feature: var ≤ n·ε·var + (n·|mean|·ε)²,
 * ε of float64), so a constant column stays constant, as StandardScaler leaves it,
 * instead of dividing test values by a deviation that is only rounding.
 */
export function standardization(mean: Float64Array, squares: Float64Array, n: number, name: string): FeaturePreprocessing {
  const f = mean.length, eps = 2 ** -52;
  const m = new Float32Array(f), std = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    m[j] = mean[j]!;
    const variance = squares[j]! / n;
    const constant = variance <= n * eps * variance + (n * Math.abs(mean[j]!) * eps) ** 2;
    const s = Math.fround(Math.sqrt(variance));
    std[j] = !constant && s > 0 && Number.isFinite(s) ? s : 1;
    if (!Number.isFinite(m[j]!)) throw new DataError(`${name}: the mean of feature ${j} (${mean[j]}) is beyond float32's range`);
  }
  return { kind: 'features', features: f, standardized: true, mean: m, std, bias: true };
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
export function preprocessingFromSums(sums: Float64Array, n: number, options: PreprocessingOptions = {}): PixelPreprocessing {
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
  if (isFeatureDataset(ds) || isFeaturePreprocessing(prep)) return featureDesignMatrix(ds, prep);
  const m = toPixelMatrix(ds, prep);
  const dense: DesignMatrix = { x: decodePixelRows(m, 0, m.n), y: m.y, n: m.n, d: m.d, classes: m.classes };
  checkDesignMatrix(dense, { name: ds.name, bias: true });
  return dense;
}

/** toDesignMatrix for features: each row standardized (or copied) and the bias column appended. */
function featureDesignMatrix(ds: Dataset, prep: Preprocessing): DesignMatrix {
  if (!isFeatureDataset(ds)) throw new DataError(`${ds.name} holds images, but the preprocessing is for features (a features model?)`);
  if (!isFeaturePreprocessing(prep)) throw new DataError(`${ds.name} holds features, but the preprocessing is for images (an image model?)`);
  checkPreprocessing(prep);
  if (ds.features !== prep.features) {
    throw new ShapeError(`${ds.name} has ${ds.features} features per row but the preprocessing was fitted on ${prep.features}`);
  }
  const { n, features: f } = ds, d = f + 1;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) featureRow(ds.values, i * f, prep, x, i * d);
  const dense: DesignMatrix = { x, y: new Int32Array(ds.labels), n, d, classes: ds.classNames.length };
  checkDesignMatrix(dense, { name: ds.name, bias: true });
  return dense;
}

/** One row of features at values[from …] into out[offset … offset + features] and the bias 1. */
export function featureRow(values: ArrayLike<number>, from: number, prep: FeaturePreprocessing, out: Float32Array, offset: number): void {
  const f = prep.features, { mean, std } = prep;
  if (prep.standardized) for (let j = 0; j < f; j++) out[offset + j] = (values[from + j]! - mean[j]!) / std[j]!;
  else for (let j = 0; j < f; j++) out[offset + j] = values[from + j]!;
  out[offset + f] = 1;
}

/**
 * The same data as toDesignMatrix, kept as bytes: the data set's pixels (not copied), the
 * preprocessing and int32 labels. Checked as toDesignMatrix would be (every value it stands
 * for finite, every label in range), without building the float32 rows.
 */
export function toPixelMatrix(ds: Dataset, prep: Preprocessing): PixelMatrix {
  if (isFeatureDataset(ds) || isFeaturePreprocessing(prep)) {
    throw new DataError(`${ds.name}: features are held as float32 rows, not as pixel bytes`);
  }
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

/**
 * Preprocesses one row (an image's pixel bytes, or a row of feature values) into features + 1
 * float32 values, as toDesignMatrix would; a value that is not finite is named by its column.
 */
export function preprocessRow(row: Uint8Array | Float32Array | Float64Array | readonly number[], prep: Preprocessing): Float32Array {
  if (!isFeaturePreprocessing(prep)) {
    if (!(row instanceof Uint8Array)) throw new DataError('an image model takes pixel bytes (a Uint8Array), not feature values');
    return preprocessImage(row, prep);
  }
  checkPreprocessing(prep);
  if (row.length !== prep.features) throw new ShapeError(`the row has ${row.length} values but the preprocessing was fitted on ${prep.features}`);
  const bad = firstNotFinite(row);
  if (bad >= 0) throw new DataError(`value ${row[bad]} at column ${bad} is not finite`);
  const out = new Float32Array(prep.features + 1);
  featureRow(row, 0, prep, out, 0);
  const after = firstNotFinite(out);
  if (after >= 0) throw new DataError(`value ${out[after]} at column ${after} is not finite after standardization`);
  return out;
}

/** Preprocesses one image (features pixel bytes) into a row of features + 1 float32 values. */
export function preprocessImage(bytes: Uint8Array, prep: Preprocessing): Float32Array {
  if (isFeaturePreprocessing(prep)) throw new DataError('a features model takes feature values, not an image (use preprocessRow)');
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
export type PreprocessingJSON = PixelPreprocessingJSON | FeaturePreprocessingJSON;

export interface PixelPreprocessingJSON {
  kind: 'pixels';
  features: number;
  scale: number;
  bias: true;
  mean: number[];
}

export interface FeaturePreprocessingJSON {
  kind: 'features';
  features: number;
  standardized: boolean;
  bias: true;
  mean: number[];
  std: number[];
}

export function preprocessingToJSON(prep: Preprocessing): PreprocessingJSON {
  checkPreprocessing(prep);
  if (isFeaturePreprocessing(prep)) {
    return { kind: 'features', features: prep.features, standardized: prep.standardized, bias: true,
      mean: Array.from(prep.mean), std: Array.from(prep.std) };
  }
  return { kind: 'pixels', features: prep.features, scale: prep.scale, bias: true, mean: Array.from(prep.mean) };
}

/** Reads back what preprocessingToJSON wrote, checking every field; no kind is 'pixels' (what earlier files wrote). */
export function preprocessingFromJSON(json: unknown, source = 'preprocessing'): Preprocessing {
  const o = json as Partial<PixelPreprocessingJSON & Omit<FeaturePreprocessingJSON, 'kind'>> & { kind?: unknown } | null;
  if (typeof o !== 'object' || o === null) throw new DataError(`${source}: not an object`);
  const numbers = (key: 'mean' | 'std') => {
    const v = o[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new DataError(`${source}: '${key}' must be an array of numbers`);
    return Float32Array.from(v);
  };
  if (o.kind !== undefined && o.kind !== 'pixels' && o.kind !== 'features') {
    throw new DataError(`${source}: kind ${JSON.stringify(o.kind)} is not one this descent knows ("pixels", "features"): upgrade descent to read it`);
  }
  const mean = numbers('mean');
  if (typeof o.features !== 'number') throw new DataError(`${source}: 'features' must be a number`);
  let prep: Preprocessing;
  if ((o.kind as unknown) === 'features') {
    if (typeof o.standardized !== 'boolean') throw new DataError(`${source}: 'standardized' must be true or false`);
    prep = { kind: 'features', features: o.features, standardized: o.standardized, mean, std: numbers('std'), bias: true };
  } else {
    if (typeof o.scale !== 'number') throw new DataError(`${source}: 'features' and 'scale' must be numbers`);
    prep = { features: o.features, scale: o.scale, bias: true, mean };
  }
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
  if (isFeaturePreprocessing(prep)) {
    if (prep.std.length !== prep.features) throw new ShapeError(`preprocessing: std has ${prep.std.length} values for ${prep.features} features`);
    for (let j = 0; j < prep.features; j++) {
      const m = prep.mean[j]!, s = prep.std[j]!;
      if (!Number.isFinite(m)) throw new DataError(`preprocessing: mean value ${m} at column ${j} is not finite`);
      if (!(Number.isFinite(s) && s > 0)) throw new DataError(`preprocessing: std value ${s} at column ${j} is not a finite number > 0`);
      if (!prep.standardized && (m !== 0 || s !== 1)) throw new DataError(`preprocessing: not standardized, but column ${j} has mean ${m} and std ${s} (expected 0 and 1)`);
    }
    return;
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
