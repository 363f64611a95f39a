/**
 * The high-level entry for apps: a backend (picked by the registry: 'auto', an id, or a list),
 * a data set placed on it, and everything the lecture does with them — train with progress,
 * pause, resume and stop; accuracy and the confusion matrix; the step-size sweep, the
 * landscapes, the gradient check; tuning, the batch-size study and the searches against
 * gradient descent. The CLI and the web page's worker both run on it and keep only
 * presentation (arguments and terminal output; the DOM).
 */
import { allRows, type ComputeBackend, type DesignMatrix, type Objective, type Resident, type Rows } from '../backend.js';
import type { Dataset, ImageShape } from '../data/dataset.js';
import { prepareSplits, type PrepareOptions, type PreparedSplits } from '../data/prepare.js';
import { pixelPrefix } from '../data/preprocess.js';
import { decodeFeatureRows, isStreamed, rowBytes, type StreamedData } from '../data/streamed.js';
import { accuracy, confusionMatrix, labelsOf, predict, type ConfusionMatrix } from '../diagnostics/accuracy.js';
import { landscape1D, landscape2D, randomDirection, type Landscape1D, type Landscape2D, type LandscapeOptions } from '../diagnostics/landscape.js';
import { LinearProbe } from '../diagnostics/linear-probe.js';
import { raceOnPlane, type RaceOptions, type RacePath } from '../diagnostics/optimizer-race.js';
import { LECTURE_STEP_SIZES, stepSizeSweep, type StepSizeSweepResult } from '../diagnostics/step-size-sweep.js';
import { OptionError } from '../errors.js';
import type { Model } from '../model/model-file.js';
import { checkBackendGradient } from '../gradients/backend-check.js';
import type { GradientCheckReport } from '../gradients/check.js';
import type { FiniteDifference } from '../gradients/numerical.js';
import { Random } from '../random.js';
import type { BackendChoice, BackendRegistry } from '../registry.js';
import { initialWeights } from '../strategies/initial-weights.js';
import { RunControl } from '../strategies/run-control.js';
import { plannedIterations, train } from '../strategies/train.js';
import type { ProgressEvent, TrainResult } from '../strategies/types.js';
import { trainOptions, trainSettings, type DataSummary, type TrainSettings } from './settings.js';
import { StreamingBackend, type StreamOptions } from './streaming-backend.js';
import {
  batchStudy, compareStrategies, tune, type BatchStudyOptions, type BatchStudyResult, type BatchStudyRow,
  type SearchComparisonOptions, type SearchComparisonRun, type TuneOptions, type TuneResult, type TuneTrial,
} from './studies.js';

/** A data set ready to place: its name and the prepared splits (see prepareSplits). */
export interface PreparedData extends PreparedSplits {
  readonly name: string;
}

/** Split, fit the preprocessing on the training rows, and check the splits (prepareSplits). */
export function prepareData(dataset: { readonly name: string; readonly train: Dataset; readonly test: Dataset },
  options: PrepareOptions): PreparedData {
  // Added, not spread: spreading would build the float32 design matrices (see prepareSplits).
  return Object.assign(prepareSplits(dataset.train, dataset.test, options), { name: dataset.name });
}

/** How a backend holds X: 'bytes' (placePixels), 'float32' (place), or 'auto' (see chooseXForm). */
export const X_FORMS = ['auto', 'bytes', 'float32'] as const;
export type XForm = (typeof X_FORMS)[number];

/**
 * 'auto' holds X as bytes when its float32 form (all three splits) would exceed this. Bytes save
 * 3/4 of X's memory (CIFAR-10, 737 MB as float32, is over this: an epoch on onnx-cpu peaks at
 * 0.95 GB instead of 3.34 GB and takes 2.5 s instead of 6.3, no 614 MB copies into the runtime)
 * but cost time where X is small and memory is not the limit (`pnpm bench`, CIFAR shape, paired
 * with float32 X in two runs: onnx-cpu full pass 1.8–2.0× float32's time, taken in chunks, a
 * batch-200 step 0.95–1.09×; ts 1.1× and 1.2×), so Fashion-MNIST's 220 MB stays float32.
 */
export const BYTES_ABOVE = 512 * 2 ** 20;

/** The form a session places X in: 'float32' where the backend cannot keep bytes, else as asked ('auto': by BYTES_ABOVE). */
export function chooseXForm(prepared: Pick<PreparedSplits, 'pixels'>, backend: Pick<ComputeBackend, 'placePixels'>,
  asked: XForm = 'auto'): 'bytes' | 'float32' {
  const px = prepared.pixels;
  if (!px || !backend.placePixels || asked === 'float32') return 'float32'; // features are float32 rows only
  if (asked === 'bytes') return 'bytes';
  const floats = [px.train, px.validation, px.test].reduce((sum, m) => sum + 4 * m.n * m.d, 0);
  return floats > BYTES_ABOVE ? 'bytes' : 'float32';
}

/** The prepared data and its splits placed on the session's backend. */
export interface PlacedData {
  /** In memory (PreparedData), or streamed from where its bytes are (StreamedData, see isStreamed). */
  readonly prepared: PreparedData | StreamedData;
  readonly train: Resident;
  /** Absent when no validation rows were held out. */
  readonly validation?: Resident;
  readonly test: Resident;
  /** How the backend holds X: bytes and the preprocessing (placePixels), or float32 rows. */
  readonly form: 'bytes' | 'float32';
  /** Rows per block when the data is streamed (placed a block at a time); absent in memory. */
  readonly blockRows?: number;
}

/** Sizes of the three splits, in memory or streamed. */
function splitsOf(p: PreparedData | StreamedData): Record<'train' | 'validation' | 'test', { readonly n: number; readonly d: number; readonly classes: number; readonly y: Int32Array }> {
  return isStreamed(p) ? p : p.pixels ?? p;
}

export interface TrainOutcome {
  readonly result: TrainResult;
  /** Accuracy of the result's weights on the test split. */
  readonly testAccuracy: number;
}

/** A run in progress: control it, and await `done`. */
export interface TrainingRun {
  readonly settings: TrainSettings;
  /** Iterations the run plans (it may stop earlier). */
  readonly iterations: number;
  /** pause(), resume(), stop(), weights(): the run's weights as they stand. */
  readonly control: RunControl;
  readonly done: Promise<TrainOutcome>;
}

export interface TrainHooks {
  /** Start from these weights (resume). */
  readonly initialWeights?: Float64Array;
  /** Aborting it stops the run like `control.stop()`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Awaited before every iteration: a slow-motion delay, a live snapshot, … */
  readonly beforeIteration?: () => Promise<void> | void;
}

/** The optimizer race's plane W₀ + a·V₁ + b·V₂ (Session.racePlane). */
export interface RacePlane {
  readonly w0: Float64Array;
  readonly directions: readonly [Float64Array, Float64Array];
  /** Whether V₁ points at given weights (a = 1 reaches them). */
  readonly toward: boolean;
  /** Every update rule from the same start on the plane's exact loss. */
  run(options: RaceOptions): RacePath[];
  /** The loss over a grid of the plane (indexed i·betas.length + j), for its contours. */
  grid(alphas: Float64Array, betas: Float64Array): Float64Array;
}

/** Where a diagnostic evaluates: the first `examples` training rows (default all). */
export interface DiagnosticRows {
  readonly examples?: number;
}

export class Session {
  private placed: PlacedData | undefined;
  /** Wraps the backend while streamed data is placed (its residents are the wrapper's). */
  private streaming: StreamingBackend | undefined;

  constructor(readonly backend: ComputeBackend, readonly choice: BackendChoice = { requested: backend.id, chosen: backend.id, skipped: [] }) {}

  /** A session on the backend a spec picks: 'auto' (default), one id, or a list tried in order. */
  static async open(registry: BackendRegistry, spec = 'auto'): Promise<Session> {
    const { backend, choice } = await registry.resolve(spec);
    return new Session(backend, choice);
  }

  /** The placed data; an error when none is. */
  get data(): PlacedData {
    if (!this.placed) throw new OptionError('no data set is placed on this session: place() one first');
    return this.placed;
  }

  get hasData(): boolean {
    return this.placed !== undefined;
  }

  /** Sizes of the splits, as reports print them. */
  get summary(): DataSummary {
    const p = this.data.prepared, px = splitsOf(p);
    return { name: p.name, train: px.train.n, validation: px.validation.n, test: px.test.n, features: px.train.d, classes: px.train.classes,
      xAs: this.data.form, ...(this.data.blockRows !== undefined ? { blockRows: this.data.blockRows } : {}) };
  }

  /** The placed data set's name, class names, and image shape (images; absent for features), in memory or streamed alike. */
  get dataset(): { readonly name: string; readonly classNames: readonly string[]; readonly image?: ImageShape | undefined; readonly features: number } {
    const p = this.data.prepared, set = isStreamed(p) ? p : p.trainSet;
    return { name: p.name, classNames: set.classNames, ...(set.image ? { image: set.image } : {}), features: p.preprocessing.features };
  }

  /** What computes on the placed data: the backend, wrapped while the data is streamed. */
  get compute(): ComputeBackend {
    return this.placed?.blockRows !== undefined ? this.streaming! : this.backend;
  }

  /**
   * Place prepared data on the backend (train, validation when there is any, test), releasing
   * what was placed before: as bytes (placePixels) or float32 design matrices, by `x`
   * (chooseXForm; default 'auto').
   */
  async place(prepared: PreparedData | StreamedData, options: { x?: XForm } & StreamOptions = {}): Promise<PlacedData> {
    if (isStreamed(prepared)) return this.placeStreamed(prepared, options);
    const form = chooseXForm(prepared, this.backend, options.x);
    if (this.placed?.prepared === prepared && this.placed.form === form) return this.placed;
    await this.release();
    const b = this.backend;
    const one = (key: 'train' | 'validation' | 'test') => (form === 'bytes' ? b.placePixels!(prepared.pixels![key]) : b.place(prepared[key]));
    const done: Resident[] = [];
    try {
      const trainR = await one('train');
      done.push(trainR);
      const validation = splitsOf(prepared).validation.n > 0 ? await one('validation') : undefined;
      if (validation) done.push(validation);
      const test = await one('test');
      this.placed = { prepared, train: trainR, ...(validation ? { validation } : {}), test, form };
      return this.placed;
    } catch (e) {
      // A split the backend refused: give back the ones it took.
      for (const r of done) await b.release(r).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Streamed data (StreamedData: bytes left where they are) placed a block of rows at a time:
   * as bytes where the backend keeps them unless `x` is 'float32'; `blockRows` per block
   * (default: STREAM_BLOCK_BYTES of X in that form). Every tool works on it as on data in memory.
   */
  private async placeStreamed(prepared: StreamedData, options: { x?: XForm } & StreamOptions): Promise<PlacedData> {
    await this.release();
    // Features are placed as float32 rows (there are no bytes and scale to fold into the products).
    const form = this.backend.placePixels && options.x !== 'float32' && !prepared.train.values ? 'bytes' : 'float32';
    const streaming = new StreamingBackend(this.backend, { pixels: form === 'bytes' });
    const blockRows = streaming.blockRowsFor(prepared.train, options);
    const one = (m: StreamedData['train']) => streaming.placeStreamed(m, { blockRows });
    const trainR = await one(prepared.train);
    const validation = prepared.validation.n > 0 ? await one(prepared.validation) : undefined;
    const test = await one(prepared.test);
    this.streaming = streaming;
    this.placed = { prepared, train: trainR, ...(validation ? { validation } : {}), test, form, blockRows };
    return this.placed;
  }

  /** Free the placed data (the backend stays open). */
  async release(): Promise<void> {
    const p = this.placed, on = this.compute;
    this.placed = undefined;
    this.streaming = undefined;
    if (p) for (const r of [p.train, p.validation, p.test]) if (r) await on.release(r);
  }

  /** Release the data and dispose of the backend. */
  async close(): Promise<void> {
    await this.release();
    await this.backend.dispose();
  }

  /** A random W = scale·N(0,1) of the placed data's shape, from the seed's 'init' stream (as train() draws it). */
  randomWeights(seed: number, scale: number): Float64Array {
    const { d, classes } = splitsOf(this.data.prepared).train;
    return initialWeights(d, classes, new Random(seed), scale);
  }

  /** Check that w fits the placed data (D×C). */
  checkWeights(w: Float64Array, what = 'the weights'): Float64Array {
    const { d, classes } = splitsOf(this.data.prepared).train;
    if (w.length !== d * classes) {
      throw new OptionError(`${what} have ${w.length} values; ${this.data.prepared.name} needs ${d}×${classes} = ${d * classes}`);
    }
    return w;
  }

  /** Start training with these settings (defaults filled in); control it through the run's `control`. */
  train(given: Partial<TrainSettings>, hooks: TrainHooks = {}): TrainingRun {
    const settings = trainSettings(given);
    const data = this.data, compute = this.compute; // as placed now, even if other data is placed before the run ends
    if (hooks.initialWeights) this.checkWeights(hooks.initialWeights, 'the starting weights');
    const control = new RunControl();
    hooks.signal?.addEventListener('abort', () => control.stop(), { once: true });
    if (hooks.signal?.aborted) control.stop();
    const options = trainOptions(settings, { backend: compute, train: data.train,
      ...(data.validation ? { validation: data.validation } : {}), control,
      ...(hooks.initialWeights ? { initialWeights: hooks.initialWeights } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      ...(hooks.beforeIteration ? { beforeIteration: hooks.beforeIteration } : {}) });
    const iterations = plannedIterations(options);
    const done = (async () => {
      const result = await train(options);
      return { result, testAccuracy: await accuracy(compute, result.weights, data.test) };
    })();
    return { settings, iterations, control, done };
  }

  /** A model of these weights on the placed data: its classes, image shape and preprocessing (what model.json holds). */
  model(weights: Float64Array, objective: Objective, training?: Record<string, unknown>): Model {
    const { classNames, image } = this.dataset;
    return { classNames, ...(image ? { image } : {}), preprocessing: this.data.prepared.preprocessing,
      weights: this.checkWeights(weights), objective, ...(training ? { training } : {}) };
  }

  /** Predicted labels of w for rows of the test split (default all), and the true ones. */
  async predict(w: Float64Array, rows?: Rows): Promise<{ predicted: Int32Array; actual: Int32Array }> {
    const r = rows ?? allRows(this.data.test);
    return { predicted: await predict(this.compute, w, this.data.test, r), actual: labelsOf(this.data.test, r) };
  }

  /** Accuracy of w on one split. */
  accuracy(w: Float64Array, split: 'train' | 'validation' | 'test' = 'test'): Promise<number> {
    const r = split === 'validation' ? this.data.validation : this.data[split];
    if (!r) throw new OptionError('there is no validation split (no rows were held out)');
    return accuracy(this.compute, w, r);
  }

  /** Confusion matrix of w on the test split. */
  confusion(w: Float64Array): Promise<ConfusionMatrix> {
    return confusionMatrix(this.compute, w, this.data.test);
  }

  /** The objective's loss at w over the first `examples` training rows. */
  async loss(w: Float64Array, objective: Objective, o: DiagnosticRows = {}): Promise<number> {
    return (await this.compute.evaluate(w, this.data.train, this.rows(o), objective, false)).loss;
  }

  /** The lecture's step-size table at w: the loss after one gradient step of each size. */
  sweep(w: Float64Array, objective: Objective, o: DiagnosticRows & { sizes?: readonly number[]; exact?: boolean } = {}): Promise<StepSizeSweepResult> {
    return stepSizeSweep(this.compute, this.data.train, objective, w,
      { rows: this.rows(o), sizes: o.sizes ?? LECTURE_STEP_SIZES, exact: o.exact ?? false });
  }

  /** L(W + aW₁) over a range, along a random direction from the seed's 'landscape' stream. */
  landscape1D(w: Float64Array, objective: Objective, o: DiagnosticRows & Omit<LandscapeOptions, 'rows'> & { seed: number }): Promise<Landscape1D> {
    return landscape1D(this.compute, this.data.train, objective, w, new Random(o.seed).fork('landscape'), { ...o, rows: this.rows(o) });
  }

  /**
   * The plane of the optimizer race (diagnostics/optimizer-race.ts): W₀ a seeded random start,
   * as train draws it (scale `initScale`, default 1e-3); V₁ toward `toward` (V₁ = toward − W₀,
   * so a = 1 reaches it) when given and not W₀ itself, else a random direction of 0.01 a weight; V₂ random, of V₁'s
   * norm. The backend forms the three score matrices over the first `examples` training rows
   * once; every race and grid on the plane is then host work, O(N·C) a point.
   */
  async racePlane(objective: Objective, o: DiagnosticRows & { seed: number; toward?: Float64Array; initScale?: number }): Promise<RacePlane> {
    const rng = new Random(o.seed).fork('race');
    const w0 = this.randomWeights(o.seed, o.initScale ?? 1e-3);
    let v1: Float64Array | undefined;
    if (o.toward) {
      this.checkWeights(o.toward, 'the weights raced toward');
      v1 = Float64Array.from(o.toward, (v, i) => v - w0[i]!);
      if (v1.every((v) => v === 0)) v1 = undefined; // the weights are W₀ itself (a run paused before its first step): no direction
    }
    const toward = v1 !== undefined;
    if (!v1) {
      // W₀'s own norm is tiny (1e-3 a weight): a plane that small is flat. N(0, 0.01²) a weight shows the loss's shape.
      v1 = randomDirection(w0, rng, 'none').map((v) => 0.01 * v);
    }
    const v2 = randomDirection(v1, rng, 'weights');
    const probe = await LinearProbe.create(this.compute, this.data.train, objective, w0, [v1, v2], this.rows(o));
    return { w0, directions: [v1, v2], toward, run: (options) => raceOnPlane(probe, options),
      grid: (alphas, betas) => probe.grid(alphas, betas) };
  }

  /** L(W + aW₁ + bW₂) over a grid, along two random directions. */
  landscape2D(w: Float64Array, objective: Objective, o: DiagnosticRows & Omit<LandscapeOptions, 'rows'> & { seed: number }): Promise<Landscape2D> {
    return landscape2D(this.compute, this.data.train, objective, w, new Random(o.seed).fork('landscape'), { ...o, rows: this.rows(o) });
  }

  /**
   * The backend's analytic gradient at w against a numerical one over the first `examples`
   * training rows: `samples` coordinates drawn from the seed's 'gradcheck' stream, or all.
   */
  async gradcheck(w: Float64Array, objective: Objective, o: { examples: number; h: number; method: FiniteDifference;
    via: 'linearity' | 'backend'; samples?: number; seed: number }): Promise<GradientCheckReport> {
    const examples = Math.min(o.examples, this.data.train.n);
    // Only the checked rows on the host, decoded from the bytes: not the whole float32 split.
    const p = this.data.prepared;
    let host: DesignMatrix;
    if (isStreamed(p)) {
      const t = p.train, bytes = new Uint8Array(examples * rowBytes(t));
      await t.rows.read(0, examples, bytes);
      host = t.values ? { x: decodeFeatureRows(bytes, { ...t, values: t.values }, examples), y: t.y.subarray(0, examples), n: examples, d: t.d, classes: t.classes }
        : pixelPrefix({ ...t, pixels: bytes, n: examples, y: t.y.subarray(0, examples) }, examples);
    } else if (p.pixels) {
      host = pixelPrefix(p.pixels.train, examples);
    } else {
      const t = p.train; // features: float32 rows already
      host = { x: t.x.subarray(0, examples * t.d), y: t.y.subarray(0, examples), n: examples, d: t.d, classes: t.classes };
    }
    return checkBackendGradient({ backend: this.compute, data: this.data.train, host,
      examples, objective, w, h: o.h, method: o.method, via: o.via,
      ...(o.samples !== undefined ? { samples: o.samples, rng: new Random(o.seed).fork('gradcheck') } : {}) });
  }

  /** How well minibatch gradients approximate the full one, and what they cost. */
  batches(w: Float64Array, objective: Objective, o: BatchStudyOptions, onSize?: (row: BatchStudyRow) => void): Promise<BatchStudyResult> {
    return batchStudy(this.compute, this.data.train, objective, w, o, onSize);
  }

  /** Learning rate and reg, coarse to fine, scored on validation. */
  tune(o: TuneOptions, onTrial?: (t: TuneTrial, best: TuneTrial) => void): Promise<TuneResult> {
    return tune(this.splits(), o, onTrial);
  }

  /** Random search and random local search against gradient descent. */
  compare(o: SearchComparisonOptions, hooks: Parameters<typeof compareStrategies>[2] = {}): Promise<SearchComparisonRun[]> {
    return compareStrategies(this.splits(), o, hooks);
  }

  private splits() {
    const d = this.data;
    return { backend: this.compute, train: d.train, ...(d.validation ? { validation: d.validation } : {}), test: d.test };
  }

  private rows(o: DiagnosticRows): { start: number; count: number } {
    const n = this.data.train.n;
    if (o.examples === undefined) return allRows(this.data.train) as { start: number; count: number };
    return { start: 0, count: Math.max(1, Math.min(o.examples, n)) };
  }
}

