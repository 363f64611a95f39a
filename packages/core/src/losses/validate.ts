/**
 * Input checks shared by the reference losses and by backends: each failure names what was
 * wrong and where (row, column, position), so a person can find it in their data.
 */
import { LOSS_NAMES } from '../backend.js';
import type { DesignMatrix, LossName, Objective, Rows } from '../backend.js';
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
