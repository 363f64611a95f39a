/**
 * Input checks shared by the reference losses and by backends: each failure names what was
 * wrong and where (row, column, position), so a person can find it in their data.
 */
import { LOSS_NAMES } from '../backend.js';
import type { DesignMatrix, LossName, Objective, PixelMatrix, Rows } from '../backend.js';
import { DataError, OptionError, ShapeError } from '../errors.js';

/** A dimension (rows, features, classes): a positive integer. */
export function validateDimension(value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new ShapeError(`${what} must be a positive integer, got ${value}`);
  }
}

/** Every label is an integer in [0, classes); names the first one that is not. */
export function validateLabels(y: ArrayLike<number>, n: number, classes: number): void {
  if (y.length !== n) throw new ShapeError(`labels: expected ${n} (one per row), got ${y.length}`);
  for (let i = 0; i < n; i++) {
    const label = y[i]!;
    if (!Number.isInteger(label)) throw new DataError(`label ${label} at row ${i} is not an integer`);
    if (label < 0 || label >= classes) {
      throw new DataError(`label ${label} at row ${i} is outside [0, ${classes})`);
    }
  }
}

/** An N×D row-major matrix of the stated shape with only finite values; names the first NaN/Inf. */
export function validateMatrix(x: ArrayLike<number>, n: number, d: number, what = 'x'): void {
  if (x.length !== n * d) {
    throw new ShapeError(`${what}: expected ${n}×${d} = ${n * d} values, got ${x.length}`);
  }
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) {
      const row = Math.floor(k / d);
      throw new DataError(`${what} has ${v} at row ${row}, column ${k - row * d}`);
    }
  }
}

/** W is D×C: d·c values. */
export function validateWeights(w: ArrayLike<number>, d: number, c: number): void {
  if (w.length !== d * c) {
    throw new ShapeError(`weights: expected ${d}×${c} = ${d * c} values (D×C), got ${w.length}`);
  }
}

/** Shape, labels and finiteness of a design matrix. */
export function validateDesignMatrix(data: DesignMatrix): void {
  validateDimension(data.n, 'n (rows)');
  validateDimension(data.d, 'd (features)');
  validateDimension(data.classes, 'classes');
  validateMatrix(data.x, data.n, data.d, 'x');
  validateLabels(data.y, data.n, data.classes);
}

/**
 * Shape, labels and preprocessing of a pixel matrix: d = features + 1, n·features bytes, a
 * finite scale > 0, finite means, and every value it stands for finite in float32, the first
 * bad one named by row and column as validateMatrix names it in x (x is monotone in the byte,
 * so columns whose bytes 0 and 255 both give finite values need no scan).
 */
export function validatePixelMatrix(data: PixelMatrix): void {
  validateDimension(data.n, 'n (rows)');
  validateDimension(data.features, 'features');
  validateDimension(data.classes, 'classes');
  if (!(data.pixels instanceof Uint8Array)) throw new ShapeError('pixels must be a Uint8Array');
  if (!(data.mean instanceof Float32Array)) throw new ShapeError('mean must be a Float32Array');
  const f = data.features;
  if (data.d !== f + 1) throw new ShapeError(`d must be features + 1 = ${f + 1} (the bias column), got ${data.d}`);
  if (data.pixels.length !== data.n * f) {
    throw new ShapeError(`pixels: expected ${data.n}×${f} = ${data.n * f} bytes, got ${data.pixels.length}`);
  }
  if (data.mean.length !== f) throw new ShapeError(`mean: expected ${f} values (one per feature), got ${data.mean.length}`);
  if (!(Number.isFinite(data.scale) && data.scale > 0)) throw new OptionError(`scale must be a finite number > 0, got ${data.scale}`);
  const top = 255 * data.scale;
  for (let j = 0; j < f; j++) {
    const m = data.mean[j]!;
    if (!Number.isFinite(m)) throw new DataError(`mean ${m} at column ${j} is not finite`);
    if (Number.isFinite(Math.fround(top - m)) && Number.isFinite(Math.fround(-m))) continue;
    for (let i = 0; i < data.n; i++) {
      const v = Math.fround(data.pixels[i * f + j]! * data.scale - m);
      if (!Number.isFinite(v)) throw new DataError(`x has ${v} at row ${i}, column ${j}`);
    }
  }
  validateLabels(data.y, data.n, data.classes);
}

/** A non-empty row selection inside [0, n); names the first bad index and its position. */
export function validateRows(rows: Rows, n: number): void {
  if (rows instanceof Int32Array) {
    if (rows.length === 0) throw new ShapeError('rows: the selection is empty');
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r < 0 || r >= n) throw new ShapeError(`rows: index ${r} at position ${i} is outside [0, ${n})`);
    }
    return;
  }
  const { start, count } = rows;
  if (!Number.isInteger(start) || !Number.isInteger(count)) {
    throw new ShapeError(`rows: start and count must be integers, got start ${start}, count ${count}`);
  }
  if (count < 1) throw new ShapeError(`rows: count must be at least 1, got ${count}`);
  if (start < 0 || start + count > n) {
    throw new ShapeError(`rows: range [${start}, ${start + count}) is outside [0, ${n})`);
  }
}

/** Known loss name, reg ≥ 0 and finite, delta finite and ≥ 0. */
export function validateObjective(objective: Objective): void {
  if (!(LOSS_NAMES as readonly string[]).includes(objective.loss)) {
    throw new OptionError(`unknown loss '${objective.loss}'; known losses: ${LOSS_NAMES.join(', ')}`);
  }
  validateRegDelta(objective.reg, objective.delta);
}

export function validateRegDelta(reg: number, delta: number | undefined): void {
  if (!(Number.isFinite(reg) && reg >= 0)) {
    throw new OptionError(`reg must be a finite number ≥ 0, got ${reg}`);
  }
  if (delta !== undefined && !(Number.isFinite(delta) && delta >= 0)) {
    throw new OptionError(`delta must be a finite number ≥ 0, got ${delta}`);
  }
}

/** Type guard for loss names coming from users (CLI flags, menus). */
export function isLossName(name: string): name is LossName {
  return (LOSS_NAMES as readonly string[]).includes(name);
}
