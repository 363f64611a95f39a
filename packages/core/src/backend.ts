/**
 * The contract between core and a compute backend.
 *
 * Backends compute; core decides. A backend evaluates the objective (its loss, optionally its
 * gradient) and raw scores for a weight matrix W over rows of a data set it already holds.
 * Strategies, optimizers, samplers, diagnostics and data loading live in core, once.
 *
 * Conventions (CS231n's): X is N×D row-major with the bias trick (a trailing 1 in every row),
 * W is D×C row-major, scores S = X·W are N×C row-major.
 */
import type { OptimizerName, OptimizerOptions } from './optimizers/optimizer.js';

/** Floating-point types a backend computes in. */
export type Precision = 'float32' | 'float64';

/** A dense vector in either precision. */
export type Vec = Float32Array | Float64Array;

/** A batch of rows: a contiguous range, or explicit row indices (any order, repeats allowed). */
export type Rows = { readonly start: number; readonly count: number } | Int32Array;

/** Names of the objectives every backend implements. */
export const LOSS_NAMES = ['svm', 'softmax', 'crammer-singer'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** How each loss reads in a menu. */
export const LOSS_LABELS: Readonly<Record<LossName, string>> = {
  svm: 'SVM (hinge)', softmax: 'softmax', 'crammer-singer': 'SVM (Crammer–Singer)',
};

/** Losses with a margin Δ (the two hinges); softmax has none. */
export function hasMargin(loss: LossName): loss is 'svm' | 'crammer-singer' {
  return loss === 'svm' || loss === 'crammer-singer';
}

/**
 * L(W) = (1/B) Σ_i L_i(x_i·W, y_i) + reg·Σ W²
 * svm:            L_i = Σ_{j≠y_i} max(0, s_j − s_{y_i} + delta)      (Weston–Watkins)
 * softmax:        L_i = −log(e^{s_{y_i}} / Σ_j e^{s_j})
 * crammer-singer: L_i = max(0, delta + max_{j≠y_i} s_j − s_{y_i})
 */
export interface Objective {
  readonly loss: LossName;
  /** L2 strength: the penalty is reg·ΣW² (no ½), so its gradient is 2·reg·W. */
  readonly reg: number;
  /** The hinges' margin Δ (default 1). Ignored by softmax. */
  readonly delta?: number;
}

/** The Objective for a loss, its L2 strength and (hinges only) its margin. */
export function makeObjective(o: { loss: LossName; reg: number; delta?: number }): Objective {
  return hasMargin(o.loss) ? { loss: o.loss, reg: o.reg, delta: o.delta ?? 1 } : { loss: 'softmax', reg: o.reg };
}

/** Training data after preprocessing: what a backend places. */
export interface DesignMatrix {
  /** N×D row-major, bias column already appended. */
  readonly x: Float32Array;
  /** N labels in [0, classes). */
  readonly y: Int32Array;
  readonly n: number;
  readonly d: number;
  readonly classes: number;
}

/**
 * Training data as pixel bytes and the preprocessing that makes them a design matrix, for a
 * backend that keeps the bytes (placePixels): 4× less memory and bandwidth than float32 X.
 * It stands for the DesignMatrix with rows
 *
 *   x[i, j] = fround(pixels[i·F + j]·scale − mean[j])   for j < F,   x[i, F] = 1   (d = F + 1)
 *
 * — exactly toDesignMatrix's values — and a backend's results on it agree with its results on
 * that DesignMatrix within its precision's tolerance.
 */
export interface PixelMatrix {
  /** N×F bytes, row-major, no bias column. */
  readonly pixels: Uint8Array;
  /** F: values per image. */
  readonly features: number;
  /** Multiplier of the bytes (finite, > 0). */
  readonly scale: number;
  /** F values subtracted after scaling (the training mean image; zeros when none). */
  readonly mean: Float32Array;
  /** N labels in [0, classes). */
  readonly y: Int32Array;
  readonly n: number;
  /** F + 1 (the bias column). */
  readonly d: number;
  readonly classes: number;
}

export interface PlaceOptions {
  /**
   * The caller hands the pixel bytes over: it will neither read nor write them again, so the
   * backend may keep that array instead of copying it (a streamed block: tens of MB a copy).
   */
  readonly transfer?: boolean;
}

/** A data set placed on a backend (opaque to core beyond its shape). */
export interface Resident {
  readonly backendId: string;
  readonly n: number;
  readonly d: number;
  readonly classes: number;
  /** Labels stay readable on the host: accuracy and samplers need them without a round trip. */
  readonly y: Int32Array;
  /** Present when the rows are held one block at a time (a streamed data set, see BlockLayout). */
  readonly blocks?: BlockLayout;
}

/**
 * Rows held one block at a time (a data set streamed from disk): block b is rows
 * [b·rows, min((b + 1)·rows, n)). Samplers keep every batch inside one block and visit blocks
 * in a (shuffled) order, so a step reads no more than the block it is in.
 */
export interface BlockLayout {
  readonly rows: number;
  /** A hint from the sampler: the order it will visit blocks in this epoch, so the next can be read ahead. */
  readonly plan?: (order: readonly number[]) => void;
}

export interface Evaluation {
  /** Total objective: dataLoss + regLoss. */
  readonly loss: number;
  /** Mean data loss over the batch. */
  readonly dataLoss: number;
  /** reg·ΣW². */
  readonly regLoss: number;
  /** dL/dW, D×C row-major, when requested. */
  readonly gradient?: Vec;
}

/** What a resident trainer runs (ComputeBackend.createTrainer). */
export interface TrainerSpec {
  readonly objective: Objective;
  /** The update rule, as core's optimizers define it (optimizers/). */
  readonly optimizer: OptimizerName;
  /** The rule's options, defaults filled in (resolveOptimizerOptions). */
  readonly optimizerOptions: Readonly<Required<OptimizerOptions>>;
  /** The most rows a step will be given. */
  readonly batchSize: number;
  /** W₀, D×C; the trainer keeps its own copy. */
  readonly weights: Float64Array;
}

/**
 * Minibatch steps with W held by the backend, in its precision (float32 W on a float32
 * backend, where host steps keep W in float64 and round it for each evaluation). A step
 * returns the batch's loss at W before the step, which is non-finite whenever W holds a
 * non-finite value (reg·ΣW² is, even at reg 0), so the caller's divergence guard needs no
 * gradient on the host: a step whose loss is bad means the W it was measured at is bad.
 */
export interface ResidentTrainer {
  /** The objective (with reg) over `rows` at the current W, then W ← rule(W, ∇L, lr). One at a time: await each step before the next. */
  step(rows: Rows, lr: number): Promise<number>;
  /** A float64 copy of W: `back` 0 is W now, 1 the W the last step started from, 2 the one before (undefined before there were so many steps). */
  weights(back?: 0 | 1 | 2): Float64Array | undefined;
  /** Free what the trainer holds (the placed data stays). */
  dispose(): Promise<void>;
}

export interface ComputeBackend {
  /** Registry id, e.g. 'ts', 'ts-f64', 'tfjs-wasm', 'onnx-cpu'. */
  readonly id: string;
  /** Precision the backend computes in; tests derive tolerances from it. */
  readonly precision: Precision;
  /** Move a data set to the backend once; steps afterwards pass only W and a row selection. */
  place(data: DesignMatrix): Promise<Resident>;
  /**
   * Optional: place pixel bytes and their preprocessing instead of float32 X, keeping the bytes
   * (core's session uses it when present). Same Resident, same results as place() of the
   * DesignMatrix the PixelMatrix stands for, within tolerance. The backend keeps its own copy
   * of the bytes unless `transfer` hands them over (see PlaceOptions).
   */
  placePixels?(data: PixelMatrix, options?: PlaceOptions): Promise<Resident>;
  /** Objective at W over the given rows, with the gradient if asked. W is D×C (float64 on host). */
  evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation>;
  /** Raw scores X[rows]·W, count×C row-major. */
  scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec>;
  /**
   * Optional: a minibatch trainer that keeps W (and the update rule's state) on the backend
   * and runs loss, gradient and update as one call per step, so no D×C array crosses to the
   * host and back each step (core's gradient descent uses it when offered; see
   * ResidentTrainer). Undefined when this backend cannot run the spec (an update rule it
   * does not implement, a batch it would split): the caller then steps on the host.
   */
  createTrainer?(data: Resident, spec: TrainerSpec): Promise<ResidentTrainer | undefined>;
  /** Free what the backend holds for a placed data set. */
  release(data: Resident): Promise<void>;
  /** Free everything. */
  dispose(): Promise<void>;
}

/** Number of rows in a selection. */
export function rowCount(rows: Rows): number {
  return rows instanceof Int32Array ? rows.length : rows.count;
}

/** The i-th row index of a selection. */
export function rowAt(rows: Rows, i: number): number {
  return rows instanceof Int32Array ? rows[i]! : rows.start + i;
}

/** All rows of a resident data set. */
export function allRows(data: { n: number }): Rows {
  return { start: 0, count: data.n };
}
