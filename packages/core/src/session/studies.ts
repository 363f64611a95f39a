/**
 * The lecture's experiments that run many trainings or many gradients: hyperparameter tuning
 * (coarse to fine, scored on validation), the batch-size study (how well a minibatch gradient
 * approximates the full one, and what it costs), and the comparison of the searches with
 * gradient descent. Written once here; the CLI prints them, the web page draws them.
 */
import { allRows, type ComputeBackend, type Objective, type Resident, type Rows, type Vec } from '../backend.js';
import { accuracy } from '../diagnostics/accuracy.js';
import { OptionError } from '../errors.js';
import type { OptimizerName } from '../optimizers/index.js';
import { Random } from '../random.js';
import { train } from '../strategies/train.js';
import type { ProgressEvent, StrategyName, TrainResult } from '../strategies/types.js';
import { trainOptions, trainSettings, type TrainSettings } from './settings.js';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** A backend with the splits placed on it: what the studies run on. */
export interface PlacedSplits {
  readonly backend: ComputeBackend;
  readonly train: Resident;
  readonly validation?: Resident;
  readonly test: Resident;
}

// ---- tuning ----

export interface TuneOptions {
  readonly trials: number;
  readonly rounds: number;
  /** Best trials of a round that set the next round's ranges. */
  readonly keep: number;
  readonly lrRange: readonly [number, number];
  readonly regRange: readonly [number, number];
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
  /** The rest of each trial's settings (loss, delta, seed, …). */
  readonly base?: Partial<TrainSettings>;
  readonly signal?: AbortSignal;
}

export interface TuneTrial {
  readonly round: number;
  readonly learningRate: number;
  readonly reg: number;
  readonly validationAccuracy: number;
  readonly finalLoss: number;
  readonly status: TrainResult['status'];
}

export interface TuneResult {
  readonly trials: readonly TuneTrial[];
  readonly best: TuneTrial & { readonly testAccuracy: number; readonly onBorder: { readonly learningRate: boolean; readonly reg: boolean } };
  readonly weights: Float64Array;
  readonly warnings: readonly string[];
}

/** Uniform in log space over [lo, hi]. */
const logUniform = (rng: Random, [lo, hi]: readonly [number, number]) => Math.exp(Math.log(lo) + rng.float() * (Math.log(hi) - Math.log(lo)));

/**
 * The next round's range: the span of the best trials' values, widened by half a decade on
 * each side (so a best value near an edge can still move), in log space.
 */
export function narrowRange(values: readonly number[]): [number, number] {
  const logs = values.map(Math.log10);
  return [10 ** (Math.min(...logs) - 0.5), 10 ** (Math.max(...logs) + 0.5)];
}

/** Whether v sits in the outer tenth (in log space) of [lo, hi]: the search may want a wider range. */
export function onRangeBorder(v: number, [lo, hi]: readonly [number, number]): boolean {
  const t = (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return t < 0.1 || t > 0.9;
}

/**
 * Learning rate and reg, random in log space, `trials` per round of minibatch training, each
 * round narrowed around the `keep` best; scored on validation accuracy, the best reported with
 * its test accuracy and a warning when it sits at the border of the first round's range.
 */
export async function tune(placed: PlacedSplits, o: TuneOptions, onTrial?: (t: TuneTrial, best: TuneTrial) => void): Promise<TuneResult> {
  if (!placed.validation) throw new OptionError('tuning scores trials on the validation split: hold out validation rows');
  for (const [name, r] of [['learning-rate', o.lrRange], ['reg', o.regRange]] as const) {
    if (!(r[0] > 0 && r[1] > r[0] && Number.isFinite(r[1]))) throw new OptionError(`the ${name} range must be 0 < from < to (searched in log space); got [${r.join(', ')}]`);
  }
  const base = trainSettings({ ...o.base, strategy: 'minibatch', epochs: o.epochs, iterations: undefined, batchSize: o.batchSize,
    optimizer: o.optimizer, evaluateEvery: 0 });
  const rng = new Random(base.seed).fork('tune');
  const trials: TuneTrial[] = [];
  let best: { trial: TuneTrial; weights: Float64Array } | undefined;
  let lrRange = o.lrRange, regRange = o.regRange;
  for (let round = 1; round <= o.rounds && !o.signal?.aborted; round++) {
    const roundTrials: TuneTrial[] = [];
    for (let t = 0; t < o.trials && !o.signal?.aborted; t++) {
      const learningRate = logUniform(rng, lrRange), reg = logUniform(rng, regRange);
      const r = await train(trainOptions({ ...base, learningRate, reg }, { backend: placed.backend, train: placed.train,
        validation: placed.validation, ...(o.signal ? { signal: o.signal } : {}) }));
      const trial: TuneTrial = { round, learningRate, reg, finalLoss: r.finalLoss, status: r.status,
        validationAccuracy: r.evaluations.at(-1)?.validationAccuracy ?? NaN };
      trials.push(trial);
      roundTrials.push(trial);
      if (!best || trial.validationAccuracy > best.trial.validationAccuracy) best = { trial, weights: r.weights };
      onTrial?.(trial, best.trial);
    }
    const top = [...roundTrials].sort((a, b) => b.validationAccuracy - a.validationAccuracy).slice(0, o.keep);
    if (top.length > 0) {
      lrRange = narrowRange(top.map((t) => t.learningRate));
      regRange = narrowRange(top.map((t) => t.reg));
    }
  }
  if (!best) throw new OptionError('tuning was stopped before its first trial finished');
  const b = best;
  const warnings: string[] = [];
  const border = { learningRate: onRangeBorder(b.trial.learningRate, o.lrRange), reg: onRangeBorder(b.trial.reg, o.regRange) };
  if (border.learningRate) warnings.push(`the best learning rate ${b.trial.learningRate.toExponential(2)} lies at the border of the learning-rate range [${o.lrRange.join(', ')}]: widen the range and tune again`);
  if (border.reg) warnings.push(`the best reg ${b.trial.reg.toExponential(2)} lies at the border of the reg range [${o.regRange.join(', ')}]: widen the range and tune again`);
  return { trials, best: { ...b.trial, testAccuracy: await accuracy(placed.backend, b.weights, placed.test), onBorder: border },
    weights: b.weights, warnings };
}

// ---- the batch-size study ----

export interface BatchStudyOptions {
  /** Batch sizes (default: 1, 2, 4, … and the whole training set). */
  readonly sizes?: readonly number[];
  /** Random batches drawn per size. */
  readonly trials: number;
  readonly seed: number;
}

export interface BatchStudyRow {
  readonly batchSize: number;
  readonly cosine: { readonly mean: number; readonly std: number };
  readonly relativeError: { readonly mean: number; readonly std: number };
  /** Median milliseconds per minibatch gradient. */
  readonly milliseconds: number;
  readonly costVsFull: number;
}

export interface BatchStudyResult {
  readonly n: number;
  readonly fullGradientMilliseconds: number;
  readonly rows: readonly BatchStudyRow[];
}

/** Mean and (population) standard deviation. */
function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

function compareGradients(g: Vec, full: Vec): { cosine: number; relativeError: number } {
  let dot = 0, gg = 0, ff = 0, diff = 0;
  for (let i = 0; i < g.length; i++) {
    dot += g[i]! * full[i]!;
    gg += g[i]! * g[i]!;
    ff += full[i]! * full[i]!;
    diff += (g[i]! - full[i]!) ** 2;
  }
  return { cosine: dot / Math.sqrt(gg * ff), relativeError: Math.sqrt(diff / ff) };
}

/** Powers of two from 1 below n, then n itself. */
export function defaultBatchSizes(n: number): number[] {
  const out: number[] = [];
  for (let b = 1; b < n; b *= 2) out.push(b);
  out.push(n);
  return out;
}

/**
 * The lecture's case for minibatches, measured: for each batch size, `trials` random batches of
 * distinct rows (the first b of a partial Fisher–Yates shuffle, from the seed's 'batches'
 * stream), each batch gradient's cosine similarity and relative error to the full gradient at
 * w, and the median time of one against the full gradient's.
 */
export async function batchStudy(backend: ComputeBackend, data: Resident, objective: Objective, w: Float64Array,
  o: BatchStudyOptions, onSize?: (row: BatchStudyRow) => void): Promise<BatchStudyResult> {
  const n = data.n;
  const sizes = (o.sizes ?? defaultBatchSizes(n)).map((b) => {
    if (!(Number.isInteger(b) && b >= 1 && b <= n)) throw new OptionError(`batch size ${b} must be an integer in [1, ${n}]`);
    return b;
  });
  const rng = new Random(o.seed).fork('batches');
  const timeOne = async (rows: Rows) => {
    const t = now();
    const g = (await backend.evaluate(w, data, rows, objective, true)).gradient!;
    return { g, ms: now() - t };
  };
  const full = (await timeOne(allRows(data))).g;
  const fullMs: number[] = [];
  for (let i = 0; i < 3; i++) fullMs.push((await timeOne(allRows(data))).ms);
  const fullTime = fullMs.sort((a, b) => a - b)[1]!;
  const rows: BatchStudyRow[] = [];
  const pick = new Int32Array(n);
  for (const b of sizes) {
    const cos: number[] = [], rel: number[] = [], ms: number[] = [];
    for (let t = 0; t < o.trials; t++) {
      for (let i = 0; i < n; i++) pick[i] = i;
      for (let i = 0; i < b; i++) {
        const j = i + rng.int(n - i);
        const tmp = pick[i]!; pick[i] = pick[j]!; pick[j] = tmp;
      }
      const { g, ms: elapsed } = await timeOne(pick.subarray(0, b));
      const c = compareGradients(g, full);
      cos.push(c.cosine); rel.push(c.relativeError); ms.push(elapsed);
    }
    const median = ms.sort((a, c) => a - c)[Math.floor(ms.length / 2)]!;
    const row = { batchSize: b, cosine: meanStd(cos), relativeError: meanStd(rel), milliseconds: median, costVsFull: median / fullTime };
    rows.push(row);
    onSize?.(row);
  }
  return { n, fullGradientMilliseconds: fullTime, rows };
}

// ---- the searches against gradient descent ----

export interface SearchComparisonOptions {
  /** Candidates each search tries. */
  readonly iterations: number;
  readonly searchScale: number;
  readonly searchStep: number;
  readonly initScale: number;
  /** The gradient strategy to compare with, its epochs and learning rate (momentum 0.9). */
  readonly against: 'gd' | 'minibatch' | 'sgd';
  readonly epochs: number;
  readonly learningRate: number;
  /** The rest (loss, reg, delta, seed). */
  readonly base?: Partial<TrainSettings>;
  readonly signal?: AbortSignal;
}

export interface SearchComparisonRun {
  readonly strategy: StrategyName;
  readonly settings: Partial<TrainSettings>;
  readonly status: TrainResult['status'];
  readonly iterations: number;
  readonly finalLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly seconds: number;
}

/** The lecture's figures, for reports that put ours beside them (CIFAR-10, CS231n). */
export const LECTURE_SEARCH_ACCURACY = { 'random-search': 0.155, 'random-local-search': 0.214 } as const;

/**
 * The lecture's story in one call: random search, random local search and a gradient strategy
 * on the same data and seed, each with its final loss and accuracies.
 */
export async function compareStrategies(placed: PlacedSplits, o: SearchComparisonOptions,
  hooks: {
    /** Called as each strategy starts; may return a progress listener for its run. */
    onStart?: (strategy: StrategyName) => ((e: ProgressEvent) => void) | undefined;
    onRun?: (run: SearchComparisonRun) => void;
  } = {}): Promise<SearchComparisonRun[]> {
  const plan: [StrategyName, Partial<TrainSettings>][] = [
    ['random-search', { iterations: o.iterations, searchScale: o.searchScale }],
    ['random-local-search', { iterations: o.iterations, searchStep: o.searchStep, initScale: o.initScale }],
    [o.against, { epochs: o.epochs, learningRate: o.learningRate, initScale: o.initScale, optimizer: 'momentum' }],
  ];
  const runs: SearchComparisonRun[] = [];
  for (const [strategy, settings] of plan) {
    if (o.signal?.aborted) break;
    const s = trainSettings({ ...o.base, iterations: undefined, epochs: undefined, ...settings, strategy });
    const onProgress = hooks.onStart?.(strategy);
    const r = await train(trainOptions(s, { backend: placed.backend, train: placed.train,
      ...(onProgress ? { onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) }));
    const run: SearchComparisonRun = { strategy, settings, status: r.status, iterations: r.iterations, finalLoss: r.finalLoss,
      trainAccuracy: r.evaluations.at(-1)?.trainAccuracy ?? NaN, testAccuracy: await accuracy(placed.backend, r.weights, placed.test),
      seconds: r.seconds };
    runs.push(run);
    hooks.onRun?.(run);
  }
  return runs;
}

