/**
 * What a user chooses for a run, as one flat, serializable object (a CLI's options, a web
 * form's fields, a URL's query), its defaults, and the one mapping from it to train()'s
 * options and to the record a model file keeps. The apps map their arguments or fields to
 * TrainSettings and present results; they build neither TrainOptions nor the record.
 */
import { LOSS_NAMES, makeObjective, type ComputeBackend, type LossName, type Objective, type Resident } from '../backend.js';
import { OptionError } from '../errors.js';
import { OPTIMIZER_NAMES, SCHEDULE_NAMES, type OptimizerName, type ScheduleName } from '../optimizers/index.js';
import { SAMPLER_NAMES, type SamplerName } from '../samplers.js';
import { DEFAULT_LEARNING_RATE, effectiveBatching } from '../strategies/gradient-descent.js';
import type { RunControl } from '../strategies/run-control.js';
import {
  isSearchStrategy, STRATEGY_NAMES, type ProgressEvent, type StrategyName, type TrainOptions, type TrainResult,
} from '../strategies/types.js';

export interface TrainSettings {
  readonly loss: LossName;
  /** L2 strength: penalty reg·ΣW². */
  readonly reg: number;
  /** The hinges' margin Δ (svm, crammer-singer; ignored by softmax). */
  readonly delta: number;
  readonly strategy: StrategyName;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** μ of momentum and Nesterov. */
  readonly momentum: number;
  readonly schedule: ScheduleName;
  /** 'step' schedule: epochs between drops, and the factor at each. */
  readonly stepEvery: number;
  readonly stepFactor: number;
  /** 'exponential' and 'inverse' schedules: rate k. */
  readonly decay: number;
  /** Rows per step; undefined: the strategy's default (all rows, 256 for minibatch, 1 for sgd). */
  readonly batchSize?: number;
  /** Minibatch selection; undefined: shuffled each epoch for minibatches, sequential for full batch. */
  readonly sampler?: SamplerName;
  /** Run length: iterations, or epochs (gradient strategies). Neither: 10 epochs, or 1000 iterations for searches. */
  readonly iterations?: number;
  readonly epochs?: number;
  /** Every random choice flows from it: the same seed gives the same run. */
  readonly seed: number;
  /** Initial W = initScale·N(0,1). */
  readonly initScale: number;
  /** Random search: each candidate W = searchScale·N(0,1). */
  readonly searchScale: number;
  /** Random local search: proposal W + searchStep·N(0,1). */
  readonly searchStep: number;
  /** Iterations between accuracy measurements (0: only at the end); undefined: once per epoch. */
  readonly evaluateEvery?: number;
  /**
   * Gradient strategies: every step on the host, W in float64, even where the backend offers a
   * resident trainer (W kept on the backend in its precision: faster for large W). See
   * TrainOptions.hostSteps. Default false.
   */
  readonly hostSteps?: boolean;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = Object.freeze({
  loss: 'softmax', reg: 1e-4, delta: 1, strategy: 'minibatch', optimizer: 'momentum', learningRate: DEFAULT_LEARNING_RATE,
  momentum: 0.9, schedule: 'constant', stepEvery: 10, stepFactor: 0.5, decay: 0.1, seed: 1, initScale: 1e-3,
  searchScale: 1e-3, searchStep: 1e-4,
});

/** Gradient strategies run 10 epochs unless told otherwise. */
export const DEFAULT_EPOCHS = 10;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new OptionError(`unknown ${name} '${value}'; choose one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * Settings with defaults filled in and every choice checked against its names (numbers are
 * checked where they are used: train(), the optimizers, the schedules). A gradient strategy
 * given neither iterations nor epochs runs DEFAULT_EPOCHS epochs.
 */
export function trainSettings(given: Partial<TrainSettings> = {}): TrainSettings {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<TrainSettings>;
  const s = { ...DEFAULT_TRAIN_SETTINGS, ...defined };
  oneOf('strategy', s.strategy, STRATEGY_NAMES);
  oneOf('optimizer', s.optimizer, OPTIMIZER_NAMES);
  oneOf('schedule', s.schedule, SCHEDULE_NAMES);
  oneOf('loss', s.loss, LOSS_NAMES);
  if (s.sampler !== undefined) oneOf('sampler', s.sampler, SAMPLER_NAMES);
  const length = s.iterations === undefined && s.epochs === undefined && !isSearchStrategy(s.strategy) ? { epochs: DEFAULT_EPOCHS } : {};
  return { ...s, ...length };
}

/** The objective the settings train. */
export function objectiveOf(s: Pick<TrainSettings, 'loss' | 'reg' | 'delta'>): Objective {
  return makeObjective(s);
}

/** Where a run happens and how it is watched: everything train() needs besides the settings. */
export interface RunContext {
  readonly backend: ComputeBackend;
  readonly train: Resident;
  readonly validation?: Resident;
  /** Start from these weights (resume); D×C. */
  readonly initialWeights?: Float64Array;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  readonly control?: RunControl;
  readonly beforeIteration?: () => Promise<void> | void;
}

/** train()'s options for these settings: the one place settings become a run. */
export function trainOptions(settings: TrainSettings, context: RunContext): TrainOptions {
  const s = settings;
  const c = context;
  return {
    backend: c.backend, train: c.train, ...(c.validation ? { validation: c.validation } : {}),
    objective: objectiveOf(s), strategy: s.strategy, seed: s.seed,
    ...(s.iterations !== undefined ? { iterations: s.iterations } : {}),
    ...(s.epochs !== undefined ? { epochs: s.epochs } : {}),
    ...(s.batchSize !== undefined ? { batchSize: s.batchSize } : {}),
    ...(s.sampler !== undefined ? { sampler: s.sampler } : {}),
    ...(s.evaluateEvery !== undefined ? { evaluateEvery: s.evaluateEvery } : {}),
    ...(s.hostSteps ? { hostSteps: true } : {}),
    ...(c.initialWeights ? { initialWeights: Float64Array.from(c.initialWeights) } : {}),
    optimizer: s.optimizer, optimizerOptions: { momentum: s.momentum },
    learningRate: s.learningRate, schedule: s.schedule,
    scheduleOptions: { every: s.stepEvery, factor: s.stepFactor, k: s.decay },
    initScale: s.initScale, searchScale: s.searchScale, searchStep: s.searchStep,
    ...(c.onProgress ? { onProgress: c.onProgress } : {}),
    ...(c.signal ? { signal: c.signal } : {}),
    ...(c.control ? { control: c.control } : {}),
    ...(c.beforeIteration ? { beforeIteration: c.beforeIteration } : {}),
  };
}

/** Where the data came from and how it was split, as reports and model files name it. */
export interface DataSettings {
  /** The data set as the user named it ('embedded', a folder, the files opened). */
  readonly data: string;
  /** Validation rows held out: a count or a fraction. */
  readonly validation: number;
  /** Training rows used (after the split); undefined: all. */
  readonly limit?: number;
  /** The model resumed from, if any. */
  readonly resume?: string;
}

/**
 * The settings of a run as reports print them (`--json`'s `settings`, the model file's
 * `training.settings`): the data, the backend that ran, the objective, the strategy with the
 * batch size and sampler actually used, the run length, the seed.
 */
export function reportedSettings(s: TrainSettings, data: DataSettings, backend: string, trainRows: number): Record<string, unknown> {
  return {
    data: data.data, backend, loss: s.loss, reg: s.reg, delta: s.delta, strategy: s.strategy, optimizer: s.optimizer,
    learningRate: s.learningRate, schedule: s.schedule, ...effectiveBatching(s, trainRows),
    iterations: s.iterations ?? null, epochs: s.epochs ?? null, seed: s.seed, hostSteps: s.hostSteps ?? false, validation: data.validation,
    limit: data.limit ?? null, resume: data.resume ?? null,
  };
}

/** Sizes of the splits a run used. */
export interface DataSummary {
  readonly name: string;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly features: number;
  readonly classes: number;
  /** How the backend holds X (Session.place's `x`): the pixel bytes, or float32 rows. */
  readonly xAs: 'bytes' | 'float32';
  /** Rows per block when the data was streamed from disk (read and placed a block at a time); absent in memory. */
  readonly blockRows?: number;
}

/** What a model file keeps about the run that made it (`training`), written the same by every app. */
export interface TrainingRecord {
  readonly settings: Record<string, unknown>;
  readonly status: TrainResult['status'];
  readonly message?: string;
  readonly iterations: number;
  readonly epochs: number;
  readonly finalLoss: number;
  readonly accuracy: { readonly train: number | null; readonly validation: number | null; readonly test: number };
  readonly data: DataSummary;
  /** Which program trained it ('descent cli', 'descent web', …). */
  readonly app?: string;
}

export function trainingRecord(o: { settings: Record<string, unknown>; result: TrainResult; testAccuracy: number;
  data: DataSummary; app?: string }): TrainingRecord {
  const last = o.result.evaluations.at(-1);
  return {
    settings: o.settings, status: o.result.status, ...(o.result.message !== undefined ? { message: o.result.message } : {}),
    iterations: o.result.iterations, epochs: o.result.epochs, finalLoss: o.result.finalLoss,
    accuracy: { train: last?.trainAccuracy ?? null, validation: last?.validationAccuracy ?? null, test: o.testAccuracy },
    data: o.data, ...(o.app !== undefined ? { app: o.app } : {}),
  };
}
