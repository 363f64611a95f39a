import { allRows, type ComputeBackend, type Objective, type Resident, type Rows } from '../backend.js';
import { accuracy } from '../diagnostics/accuracy.js';
import { OptionError } from '../errors.js';
import { Random } from '../random.js';
import type { ProgressEvent, StrategyName, TrainOptions, TrainResult, TrainStatus } from './types.js';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Let timers, signals and UI messages run: an async loop over microtasks alone never yields. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Bookkeeping every strategy shares: the loss record, periodic accuracy, progress events,
 * stopping on abort, and the divergence guard that keeps the last good weights.
 */
export class RunState {
  readonly rng: Random;
  readonly started = now();
  private lastYield = now();
  private losses: Float64Array;
  private count = 0;
  bestLoss = Infinity;
  private firstLoss: number | undefined;
  readonly evaluations: { iteration: number; trainAccuracy: number; validationAccuracy?: number }[] = [];
  status: TrainStatus = 'completed';
  message: string | undefined;
  private readonly trainAccuracyRows: Rows;
  private readonly divergenceFactor: number;
  /** The weights last recorded (the run's current W, or the searches' best): what RunControl shows. */
  private current: Float64Array | (() => Float64Array) | undefined;

  constructor(readonly options: TrainOptions, readonly strategy: StrategyName, readonly iterations: number) {
    this.rng = options.seed instanceof Random ? options.seed : new Random(options.seed);
    this.losses = new Float64Array(Math.min(iterations, 1 << 16));
    this.divergenceFactor = options.divergenceFactor ?? 1e3;
    options.control?.attach(() => (typeof this.current === 'function' ? this.current() : this.current));
    if (!(this.divergenceFactor > 1)) throw new OptionError(`divergenceFactor must be > 1; got ${this.divergenceFactor}`);
    const n = options.train.n;
    const cap = options.trainAccuracyRows ?? 10000;
    if (cap >= n) this.trainAccuracyRows = allRows(options.train);
    else {
      const pick = this.rng.fork('train-accuracy').permutation(n).subarray(0, cap);
      this.trainAccuracyRows = pick.sort();
    }
  }

  get backend(): ComputeBackend { return this.options.backend; }
  get data(): Resident { return this.options.train; }
  get objective(): Objective { return this.options.objective; }
  get completed(): number { return this.count; }

  /**
   * Whether to run another iteration: not when all are done or the caller asked to stop.
   * Waits here while the run is paused, then runs the caller's beforeIteration hook.
   */
  async proceed(): Promise<boolean> {
    if (this.count >= this.iterations || this.shouldStop()) return false;
    // Nothing extra on the training loop unless asked: a wait only while paused, a hook only when given.
    if (this.options.control?.paused) await this.options.control.wait();
    if (this.options.beforeIteration) await this.options.beforeIteration();
    return !this.shouldStop();
  }

  /** True when the caller asked to stop; records why. */
  shouldStop(): boolean {
    if ((this.options.signal?.aborted || this.options.control?.stopped) && this.status === 'completed') {
      this.status = 'stopped';
      this.message = `stopped after ${this.count} of ${this.iterations} iterations`;
    }
    return this.status !== 'completed';
  }

  /**
   * Checks a loss (and optionally a gradient) for divergence. Returns false and records the
   * reason when the run must stop; the caller then returns its last good weights.
   */
  healthy(loss: number, gradient?: ArrayLike<number>): boolean {
    const at = `at iteration ${this.count + 1}`;
    if (!Number.isFinite(loss)) return this.diverge(`loss became ${loss} ${at}`);
    if (this.firstLoss === undefined) this.firstLoss = loss;
    const limit = this.divergenceFactor * Math.max(this.firstLoss, 1);
    if (loss > limit) {
      return this.diverge(`loss ${loss.toPrecision(4)} ${at} exceeds ${this.divergenceFactor}× the first loss (${this.firstLoss.toPrecision(4)})`);
    }
    if (gradient) {
      for (let i = 0; i < gradient.length; i++) {
        if (!Number.isFinite(gradient[i]!)) return this.diverge(`gradient element ${i} became ${gradient[i]} ${at}`);
      }
    }
    return true;
  }

  private diverge(reason: string): false {
    this.status = 'diverged';
    this.message = `diverged: ${reason}; kept the last good weights (try a smaller learning rate)`;
    return false;
  }

  /**
   * Record one completed iteration, measure accuracy when due, emit progress, yield now and
   * then. `w` may be a function giving W, read only when needed (a resident trainer's W).
   */
  async record(w: Float64Array | (() => Float64Array), loss: number, epoch: number, evaluateEvery: number,
    learningRate?: number): Promise<void> {
    if (this.count === this.losses.length) {
      const grown = new Float64Array(Math.min(this.iterations, this.losses.length * 2));
      grown.set(this.losses);
      this.losses = grown;
    }
    this.losses[this.count++] = loss;
    this.current = w;
    const base = { strategy: this.strategy, iteration: this.count, iterations: this.iterations, epoch, loss,
      bestLoss: this.bestLoss, ...(learningRate !== undefined ? { learningRate } : {}) };
    let event: ProgressEvent = base;
    if (evaluateEvery > 0 && this.count % evaluateEvery === 0 && this.count < this.iterations) {
      event = { ...base, ...(await this.evaluate(typeof w === 'function' ? w() : w)) };
    }
    this.options.onProgress?.(event);
    if (now() - this.lastYield > 50) {
      await yieldToEventLoop();
      this.lastYield = now();
    }
  }

  /** What RunControl.weights() shows from now on. */
  show(w: Float64Array): void {
    this.current = w;
  }

  /** Training accuracy (on a fixed sample of rows) and validation accuracy at w. */
  async evaluate(w: Float64Array): Promise<{ trainAccuracy: number; validationAccuracy?: number }> {
    const trainAccuracy = await accuracy(this.backend, w, this.data, this.trainAccuracyRows);
    const v = this.options.validation;
    const entry = v ? { trainAccuracy, validationAccuracy: await accuracy(this.backend, w, v) } : { trainAccuracy };
    this.evaluations.push({ iteration: this.count, ...entry });
    return entry;
  }

  async finish(weights: Float64Array, epochs: number): Promise<TrainResult> {
    const final = await this.backend.evaluate(weights, this.data, allRows(this.data), this.objective, false);
    if (this.evaluations.at(-1)?.iteration !== this.count) await this.evaluate(weights);
    return {
      strategy: this.strategy,
      weights,
      status: this.status,
      ...(this.message !== undefined ? { message: this.message } : {}),
      iterations: this.count,
      epochs,
      losses: this.losses.slice(0, this.count),
      evaluations: this.evaluations,
      finalLoss: final.loss,
      seconds: (now() - this.started) / 1000,
    };
  }
}

/** A positive integer option, with a message naming it. */
export function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) throw new OptionError(`${name} must be a positive integer; got ${value}`);
  return value;
}

/** A positive finite number option. */
export function positiveNumber(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new OptionError(`${name} must be a positive number; got ${value}`);
  return value;
}
