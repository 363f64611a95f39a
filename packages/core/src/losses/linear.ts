/**
 * The shared frame of both reference losses: scores S = X·W, a per-row loss on each row of S,
 * the batch mean, and the L2 penalty.
 *
 *   L(W)   = (1/N) Σ_i L_i(s_i, y_i) + reg·Σ W²      (no ½ on the penalty)
 *   ∂L/∂W = (1/N) Xᵀ·dS + 2·reg·W                      where dS_ij = ∂L_i/∂s_ij
 *
 * Straight loops in float64, written to be read and trusted rather than to be fast: this is
 * the oracle every backend is checked against.
 */
import { ShapeError } from '../errors.js';
import {
  validateDimension, validateLabels, validateMatrix, validateRegDelta, validateWeights,
} from './validate.js';

/** X (N×D row-major) in either float precision; read as float64, which is exact. */
export type Matrix = Float32Array | Float64Array;

/**
 * Loss of one row from its C scores at scores[offset .. offset+C). When dScores is given,
 * writes ∂L_i/∂s_i into dScores[offset .. offset+C).
 */
export type RowLoss = (scores: Float64Array, offset: number, label: number, classes: number,
  dScores: Float64Array | undefined) => number;

export interface LossValue {
  /** dataLoss + regLoss. */
  readonly loss: number;
  /** Mean of the row losses. */
  readonly dataLoss: number;
  /** reg·ΣW². */
  readonly regLoss: number;
}

export interface LossAndGradient extends LossValue {
  /** ∂L/∂W, D×C row-major. */
  readonly gradient: Float64Array;
}

/** Checks every argument of a reference loss; throws ShapeError/DataError/OptionError. */
export function validateLossArguments(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, reg: number, delta?: number): void {
  validateDimension(n, 'n (rows)');
  validateDimension(d, 'd (features)');
  validateDimension(c, 'c (classes)');
  validateMatrix(x, n, d, 'x');
  validateLabels(y, n, c);
  validateWeights(w, d, c);
  validateRegDelta(reg, delta);
}

/** S = X·W in float64, N×C row-major. */
export function linearScores(x: Matrix, w: Float64Array, n: number, d: number, c: number): Float64Array {
  validateDimension(n, 'n (rows)');
  validateDimension(d, 'd (features)');
  validateDimension(c, 'c (classes)');
  validateMatrix(x, n, d, 'x');
  validateWeights(w, d, c);
  return scoresOfValidated(x, w, n, d, c);
}

/** linearScores for arguments already checked (validateLossArguments): X is not scanned twice. */
export function scoresOfValidated(x: Matrix, w: Float64Array, n: number, d: number, c: number): Float64Array {
  const s = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const xik = x[i * d + k]!;
      if (xik === 0) continue;
      for (let j = 0; j < c; j++) s[i * c + j]! += xik * w[k * c + j]!;
    }
  }
  return s;
}

/** reg·ΣW². */
export function l2Penalty(w: Float64Array, reg: number): number {
  if (reg === 0) return 0;
  let sum = 0;
  for (let k = 0; k < w.length; k++) sum += w[k]! * w[k]!;
  return reg * sum;
}

/**
 * One evaluation from parts of a selection, each evaluated with reg 0 (chunks of a pass, blocks
 * of a streamed set): data losses and gradients weighted by their rows and summed in float64,
 * then the penalty reg·ΣW² and its gradient 2·reg·W added once.
 */
export class EvaluationSum {
  private lossSum = 0;
  private rows = 0;
  private readonly gradient: Float64Array | undefined;

  constructor(private readonly w: Float64Array, private readonly reg: number, wantGradient: boolean) {
    this.gradient = wantGradient ? new Float64Array(w.length) : undefined;
  }

  /** A part's evaluation (reg 0) over `rows` rows. */
  add(e: { dataLoss: number; gradient?: ArrayLike<number> }, rows: number): void {
    this.lossSum += e.dataLoss * rows;
    this.rows += rows;
    const g = this.gradient;
    if (g) for (let i = 0; i < g.length; i++) g[i]! += e.gradient![i]! * rows;
  }

  result(): { loss: number; dataLoss: number; regLoss: number; gradient?: Float64Array } {
    const dataLoss = this.lossSum / this.rows, regLoss = l2Penalty(this.w, this.reg);
    const value = { loss: dataLoss + regLoss, dataLoss, regLoss };
    const g = this.gradient;
    if (!g) return value;
    for (let i = 0; i < g.length; i++) g[i] = g[i]! / this.rows + 2 * this.reg * this.w[i]!;
    return { ...value, gradient: g };
  }
}

/**
 * Mean row loss over all N rows plus reg·ΣW², and the gradient when asked. Arguments must
 * already be validated.
 */
export function linearClassifierLoss(rowLoss: RowLoss, x: Matrix, y: Int32Array, w: Float64Array,
  n: number, d: number, c: number, reg: number, wantGradient: boolean): LossValue & { gradient?: Float64Array } {
  const scores = scoresOfValidated(x, w, n, d, c);
  const dScores = wantGradient ? new Float64Array(n * c) : undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rowLoss(scores, i * c, y[i]!, c, dScores);
  const dataLoss = sum / n;
  const regLoss = l2Penalty(w, reg);
  const value = { loss: dataLoss + regLoss, dataLoss, regLoss };
  if (!dScores) return value;
  // dW = (1/N)·Xᵀ·dS + 2·reg·W
  const gradient = new Float64Array(d * c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const xik = x[i * d + k]!;
      if (xik === 0) continue;
      for (let j = 0; j < c; j++) gradient[k * c + j]! += xik * dScores[i * c + j]!;
    }
  }
  for (let k = 0; k < gradient.length; k++) gradient[k] = gradient[k]! / n + 2 * reg * w[k]!;
  return { ...value, gradient };
}

/** Rows of X (N×D) and y picked by index (repeats allowed), as a new float64 X and Int32 y. */
export function gatherRows(x: Matrix, y: Int32Array, d: number, indices: ArrayLike<number>):
  { x: Float64Array; y: Int32Array; n: number } {
  const n = indices.length;
  const gx = new Float64Array(n * d);
  const gy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r * d < x.length && r < y.length)) {
      throw new ShapeError(`rows: index ${r} at position ${i} is outside the data`);
    }
    gx.set(x.subarray(r * d, r * d + d), i * d);
    gy[i] = y[r]!;
  }
  return { x: gx, y: gy, n };
}
