import type { ComputeBackend, Objective, Resident } from '../backend.js';
import type { OptimizerName, OptimizerOptions } from '../optimizers/index.js';
import type { ScheduleOptions } from '../optimizers/index.js';
import type { Random } from '../random.js';
import type { SamplerName } from '../samplers.js';
import type { RunControl } from './run-control.js';

/**
 * The lecture's strategies. 'gd' is full-batch gradient descent, 'minibatch' minibatch
 * gradient descent, 'sgd' a batch of one; the three share one loop and differ in batch size.
 */
export const STRATEGY_NAMES = ['random-search', 'random-local-search', 'gd', 'minibatch', 'sgd'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategyInfo {
  /** 'search': proposes weights and keeps the best (no gradient); 'gradient': follows the gradient. */
  readonly kind: 'search' | 'gradient';
  readonly label: string;
  readonly description: string;
}

/** What each strategy is, for menus, messages and reports (apps tell them apart by `kind`). */
export const STRATEGIES: Readonly<Record<StrategyName, StrategyInfo>> = {
  'random-search': { kind: 'search', label: 'random search',
    description: 'try W = scale·N(0,1) many times and keep the best (the lecture\'s "very bad idea")' },
  'random-local-search': { kind: 'search', label: 'random local search',
    description: 'propose W + step·N(0,1) and move only if the loss goes down' },
  gd: { kind: 'gradient', label: 'gradient descent (full batch)', description: 'one step per pass, on the gradient over every row' },
  minibatch: { kind: 'gradient', label: 'minibatch', description: 'one step per batch of rows (256 by default)' },
  sgd: { kind: 'gradient', label: 'SGD (batch of one)', description: 'one step per row' },
};

/** True for random search and random local search (no gradient, no epochs to speak of). */
export function isSearchStrategy(name: StrategyName): boolean {
  return STRATEGIES[name].kind === 'search';
}

export interface TrainOptions {
  readonly backend: ComputeBackend;
  readonly train: Resident;
  /** Held-out rows for validation accuracy during training. */
  readonly validation?: Resident;
  readonly objective: Objective;
  readonly strategy: StrategyName;
  /** Every random choice (initial W, search proposals, minibatches) flows from this. */
  readonly seed: number | Random;
  /** Number of iterations (one evaluation or one update each). Default: from epochs, else 1000. */
  readonly iterations?: number;
  /** Alternative to iterations for gradient strategies: passes over the training set. */
  readonly epochs?: number;
  /** Rows per iteration; defaults: whole set (searches, gd), 256 (minibatch), 1 (sgd). */
  readonly batchSize?: number;
  readonly sampler?: SamplerName;
  readonly optimizer?: OptimizerName;
  readonly optimizerOptions?: OptimizerOptions;
  /** Step size (gradient strategies). */
  readonly learningRate?: number;
  /**
   * Gradient strategies: step on the host (W in float64, the backend evaluating) even when the
   * backend offers a resident trainer (ComputeBackend.createTrainer), which keeps W in the
   * backend's precision and is faster for large W. On a float32 backend W then accumulates in
   * float32: an update smaller than about 2⁻²⁴·|w| (a long decaying schedule) is lost there and
   * kept here. Default false.
   */
  readonly hostSteps?: boolean;
  readonly schedule?: string;
  readonly scheduleOptions?: ScheduleOptions;
  /** Initial W = initScale·N(0,1) (gradient strategies and local search); default 1e-3. */
  readonly initScale?: number;
  /** Start from these weights instead (resume). D×C. */
  readonly initialWeights?: Float64Array;
  /** Random search: each candidate W = searchScale·N(0,1). Default 1e-3. */
  readonly searchScale?: number;
  /** Random local search: proposal W + searchStep·N(0,1). Default 1e-4. */
  readonly searchStep?: number;
  /** Iterations between accuracy measurements (0: only at the end). Default: once per epoch. */
  readonly evaluateEvery?: number;
  /** Rows of the training set used for the periodic training accuracy (default: up to 10000). */
  readonly trainAccuracyRows?: number;
  /**
   * A loss above divergenceFactor × max(first loss, 1) counts as diverged, as does any
   * non-finite loss or gradient. Default 1e3.
   */
  readonly divergenceFactor?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Abort to stop cleanly between iterations; the result keeps what was learned. */
  readonly signal?: AbortSignal;
  /** Pause, resume, stop and watch the weights from outside (see RunControl). */
  readonly control?: RunControl;
  /**
   * Awaited before every iteration (after a pause is lifted): a slow-motion delay, a live
   * snapshot of control.weights(), … It may not change the run.
   */
  readonly beforeIteration?: () => Promise<void> | void;
}

export interface ProgressEvent {
  readonly strategy: StrategyName;
  /** Iterations completed so far (1-based). */
  readonly iteration: number;
  readonly iterations: number;
  /** Fractional passes over the training set. */
  readonly epoch: number;
  /** Loss at this iteration's weights on this iteration's rows (before the update). */
  readonly loss: number;
  /** Lowest loss so far (searches: the loss of the kept weights). */
  readonly bestLoss: number;
  readonly learningRate?: number;
  /** Present on evaluation iterations. */
  readonly trainAccuracy?: number;
  readonly validationAccuracy?: number;
}

export type TrainStatus = 'completed' | 'stopped' | 'diverged';

export interface TrainResult {
  readonly strategy: StrategyName;
  /** The weights learned: for a diverged run, the last weights whose loss was good. */
  readonly weights: Float64Array;
  readonly status: TrainStatus;
  /** Why the run stopped early, in words (diverged or stopped). */
  readonly message?: string;
  readonly iterations: number;
  readonly epochs: number;
  /** Loss per iteration (same meaning as ProgressEvent.loss). */
  readonly losses: Float64Array;
  readonly evaluations: readonly { iteration: number; trainAccuracy: number; validationAccuracy?: number }[];
  /** Objective over the whole training set at the returned weights. */
  readonly finalLoss: number;
  readonly seconds: number;
}
