import { OptionError, ShapeError } from '../errors.js';
import type { Random } from '../random.js';
import { isFeatureDataset, makeDataset, makeFeatureDataset, type Dataset } from './dataset.js';

/**
 * The rows `indices` of a data set, in that order (repeats allowed), as a new Dataset of the
 * same kind with copied rows. Throws ShapeError naming the first index out of range.
 */
export function subset<T extends Dataset>(ds: T, indices: ArrayLike<number>, name?: string): T {
  const f = ds.features;
  const rows = isFeatureDataset(ds) ? ds.values : ds.images!;
  const out = isFeatureDataset(ds) ? new Float32Array(indices.length * f) : new Uint8Array(indices.length * f);
  const labels = ds.labels instanceof Uint16Array ? new Uint16Array(indices.length) : new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < ds.n)) {
      throw new ShapeError(`subset of ${ds.name}: index ${i} (position ${k}) is out of range 0..${ds.n - 1}`);
    }
    out.set(rows.subarray(i * f, (i + 1) * f), k * f);
    labels[k] = ds.labels[i]!;
  }
  return rebuild(ds, name ?? `${ds.name}[subset of ${indices.length}]`, out, labels);
}

/** A data set of ds's kind, shape and classes over other rows. */
function rebuild<T extends Dataset>(ds: T, name: string, rows: Uint8Array | Float32Array, labels: Dataset['labels']): T {
  if (isFeatureDataset(ds)) {
    // Rows of a checked set: their values need no second scan.
    return makeFeatureDataset({ name, values: rows as Float32Array, labels, features: ds.features, classNames: ds.classNames }, { valuesChecked: true }) as T;
  }
  return makeDataset({ name, images: rows as Uint8Array, labels, image: ds.image!, classNames: ds.classNames }) as T;
}

/** The first n rows (views into the same bytes, not copies). n larger than ds.n is an error. */
export function take<T extends Dataset>(ds: T, n: number, name?: string): T {
  if (!(Number.isInteger(n) && n >= 0 && n <= ds.n)) {
    throw new OptionError(`take: n must be an integer in [0, ${ds.n}] for ${ds.name}, got ${n}`);
  }
  if (n === ds.n && name === undefined) return ds;
  const rows = isFeatureDataset(ds) ? ds.values : ds.images!;
  return rebuild(ds, name ?? `${ds.name}[:${n}]`, rows.subarray(0, n * ds.features), ds.labels.subarray(0, n));
}

export interface SplitOptions {
  /** A row count (integer ≥ 1) or a fraction in (0, 1) of the rows, rounded to the nearest row. */
  validation: number;
  /** The seeded generator that picks the validation rows (one permutation of n is drawn). */
  rng: Random;
}

/**
 * Splits off a validation set, chosen at random but reproducibly: the validation rows are
 * the first k entries of `rng.permutation(n)`, the training rows the rest. Within each part,
 * rows keep their original relative order (sorted by index), so the split depends only on
 * the seed and n, and the two parts are disjoint and together hold every row exactly once.
 *
 * Training must keep at least one row; a fraction that rounds to 0 rows is an error.
 */
export function splitTrainValidation<T extends Dataset>(ds: T, options: SplitOptions):
  { train: T; validation: T; trainIndices: Int32Array; validationIndices: Int32Array } {
  const { trainIndices, validationIndices } = splitIndices(ds.n, options, ds.name);
  return {
    train: subset(ds, trainIndices, `${ds.name}/train`),
    validation: subset(ds, validationIndices, `${ds.name}/validation`),
    trainIndices, validationIndices,
  };
}

/** splitTrainValidation's choice of rows alone, for n rows of a data set called `name` (each part sorted). */
export function splitIndices(n: number, options: SplitOptions, name: string): { trainIndices: Int32Array; validationIndices: Int32Array } {
  const v = options.validation;
  let k: number;
  if (v > 0 && v < 1) k = Math.round(v * n);
  else if (Number.isInteger(v) && v >= 1) k = v;
  else {
    throw new OptionError(`validation must be a row count (integer ≥ 1) or a ` +
      `fraction in (0, 1), got ${v}`);
  }
  if (k < 1) {
    throw new OptionError(`validation fraction ${v} of ${n} rows of ${name} ` +
      'rounds to 0 rows');
  }
  if (k >= n) {
    throw new OptionError(`validation of ${k} rows leaves no training rows: ` +
      `${name} has ${n}`);
  }
  const perm = options.rng.permutation(n);
  return { validationIndices: perm.slice(0, k).sort(), trainIndices: perm.slice(k).sort() };
}
