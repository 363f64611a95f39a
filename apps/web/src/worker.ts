/**
 * The training worker: holds the data, the backends and the current model, and runs core's
 * train() and the lecture's diagnostics off the page's thread. See protocol.ts for messages.
 */
/// <reference lib="webworker" />
import {
  DataError, decodeModel, encodeModel, imageAt, isFeatureDataset, objectiveOf, OptionError, parseBackendSpec, predictRow,
  reportedSettings, Session, trainingRecord,
  type Dataset, type ImageShape, type Model, type Preprocessing, type RacePlane, type TrainingRun,
} from '@descent/core';
import { BROWSER_BACKENDS, createBrowserRegistry } from './backends.js';
import { EMBEDDED_FILES, embeddedData, prepare, sampleRows, userData, type Prepared, type RawData } from './worker/data.js';
import {
  count, RACE_CAPS, STUDY_CAPS, TOOL_CAPS,
  type DataInfo, type DiagnosticOptions, type Evaluation, type Methods, type MethodName, type ProbeRowMessage, type Reply, type Request,
  type RunRequest, type RunSummary, type Snapshot, type WorkerEvent,
} from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// build.mjs copies each backend package's wasm files under wasm/ (see @descent/backends/node).
const assetBase = new URL('./wasm/', scope.location.href).href;
const registry = createBrowserRegistry(assetBase);

/** Rows of the validation split (the CLI's default: a tenth of the training rows). */
const DEFAULT_VALIDATION = 0.1;
/**
 * A data set with more than 1.5× this many training rows starts with "Training rows" at this
 * limit (dataInfo's defaultLimit: the page fills the field in; the run uses what the field says).
 */
const LARGE_LIMIT = 10000;
const SAMPLE_COUNT = 16;

interface CurrentModel extends Model {
  readonly origin: string;
}

let raw: RawData | undefined;
let prepared: { value: Prepared; fitted: boolean } | undefined;
let model: CurrentModel | undefined;
/** One core Session per backend id, created once and reused by every run and panel. */
const sessions = new Map<string, Promise<Session>>();
/** Set while a run is paused: `release` lets it go on. */
interface Hold {
  readonly released: Promise<void>;
  readonly release: () => void;
}

/**
 * The run in progress, on its session (whose placed data it owns until it ends); `finished`
 * settles once it has fully finished (its model set, its reply sent).
 *
 * Pausing holds the run in its beforeIteration hook (not RunControl.pause(), which would leave
 * the worker unsure whether a step is still under way): once it rests there, the snapshot the
 * page shows and every tool panel see exactly the weights it resumes from, and the panels,
 * which work on its session and placed data, finish before it takes its next step.
 */
interface ActiveRun {
  run: TrainingRun;
  readonly session: Session;
  /** The weights it starts from: what a panel sees when it is paused before its first step. */
  readonly start: Float64Array;
  readonly finished: Promise<void>;
  /** Iterations done so far. */
  done: number;
  hold: Hold | undefined;
  /** Steps it may take while held (the Step button). */
  steps: number;
  /** Called after its next step (see step). */
  readonly stepWaiters: (() => void)[];
  /** True while it waits in its hook (between two steps, paused or waiting for panels). */
  resting: boolean;
  /** Called when it next comes to rest (see restOf). */
  readonly restWaiters: (() => void)[];
  /** Tool panels working on its session while it is paused. */
  readonly panels: Set<Promise<unknown>>;
  snapshot: () => Promise<void>;
}
let run: ActiveRun | undefined;

/**
 * Everything that reads or replaces the prepared data and what is placed on the sessions
 * (loading data, opening a model, starting a run, a tool panel) runs one at a time, so none
 * of them releases data another is still using.
 */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

function post(e: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(e, transfer);
}

// ---- the optimizer race's plane, kept between races ----

/** Points per axis of the race's contour grid. */
const RACE_GRID = 41;
let racePlane: { key: string; session: Session; w: Float64Array; plane: RacePlane; alphas: Float64Array; betas: Float64Array; losses: Float64Array } | undefined;

/** Rules in a race, and the most work one race may be (rules × steps × rows × classes: about 3 s of the worker). */
const RACE_RULES = 6, RACE_WORK = 5e7;

/** The tuning under way, to abort (Stop): a run cannot start meanwhile. */
let tuning: AbortController | undefined;

/** A race's own numbers checked in the worker too (the page checks them first). */
function checkRace(o: { learningRate: number; momentum: number; steps: number }): void {
  if (!(Number.isInteger(o.steps) && o.steps >= 1 && o.steps <= RACE_CAPS.steps)) throw new OptionError(`race steps must be a whole number from 1 to ${RACE_CAPS.steps}, got ${o.steps}`);
  if (!(o.learningRate > 0 && o.learningRate <= RACE_CAPS.learningRate)) throw new OptionError(`race step size must be in (0, ${RACE_CAPS.learningRate}], got ${o.learningRate}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new OptionError(`race momentum must be in [0, 1), got ${o.momentum}`);
}

/** A tuning's sizes within the page's caps, and its total epochs too (trials × rounds × epochs). */
function checkTune(o: { trials: number; rounds: number; epochs: number; batchSize: number }): void {
  for (const [k, cap] of [['trials', STUDY_CAPS.trials], ['rounds', STUDY_CAPS.rounds], ['epochs', STUDY_CAPS.epochs], ['batchSize', STUDY_CAPS.batchSize]] as const) {
    const v = o[k];
    if (!(Number.isInteger(v) && v >= 1 && v <= cap)) throw new OptionError(`tune ${k} must be a whole number from 1 to ${cap}, got ${v}`);
  }
  const total = o.trials * o.rounds * o.epochs;
  if (total > STUDY_CAPS.totalEpochs) {
    throw new OptionError(`a tuning of ${o.rounds} × ${o.trials} trials × ${o.epochs} epochs is ${total} epochs, more than the page runs at once (${STUDY_CAPS.totalEpochs}): the CLI's descent tune takes more`);
  }
}

function axisOf(from: number, to: number, points: number): Float64Array {
  return Float64Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));
}

function sameWeights(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ---- data ----

/** The splits' sizes without building float32 rows: the pixel matrices of images, the design matrices of features. */
function sizes(p: Prepared) {
  return p.pixels ?? p;
}

/** Row i of a split as the model takes it: pixel bytes, or feature values. */
function rowAt(ds: Dataset, i: number): Uint8Array | Float32Array {
  return isFeatureDataset(ds) ? ds.values.subarray(i * ds.features, (i + 1) * ds.features) : imageAt(ds, i);
}

function dataInfo(): DataInfo {
  const r = raw!;
  const p = prepared!.value, px = sizes(p);
  // Training rows after the validation split, before the limit.
  const available = r.train.n - px.validation.n;
  const suggested = defaultLimit(r);
  return {
    name: r.name, source: r.source, classNames: r.train.classNames, ...(r.train.image ? { image: r.train.image } : {}),
    train: px.train.n, available, validation: px.validation.n, test: px.test.n, features: r.train.features,
    ...(p.limit !== undefined ? { limit: p.limit } : {}), ...(suggested !== undefined ? { defaultLimit: suggested } : {}),
    notes: [...r.notes, ...(px.train.n < available
      ? [`training on the first ${count(px.train.n, 'training row')} of ${available}`
        + `${p.limit === suggested ? ', the default for a data set this large' : ''} (“Training rows” under More settings: empty it to use all)`]
      : [])],
    // Features are no picture: no samples to draw.
    samples: isFeatureDataset(r.test) ? [] : sampleRows(r.test, SAMPLE_COUNT).map((index) => ({ index, label: r.test.labels[index]!, pixels: imageAt(r.test, index).slice() })),
  };
}

function defaultLimit(r: RawData): number | undefined {
  return r.train.n > LARGE_LIMIT * 1.5 ? LARGE_LIMIT : undefined;
}

async function setRaw(next: RawData): Promise<DataInfo> {
  const p = prepare(next, { seed: 1, validation: DEFAULT_VALIDATION, limit: defaultLimit(next) });
  raw = next;
  await setPrepared({ value: p, fitted: true });
  // A new data set starts afresh: open a saved model again to evaluate it on these images.
  model = undefined;
  return dataInfo();
}

async function setPrepared(next: { value: Prepared; fitted: boolean }): Promise<void> {
  prepared = next;
  racePlane = undefined; // its scores were of the data placed before
  for (const s of sessions.values()) await (await s).release();
}

/** The prepared data for these settings: reused when nothing changed, else re-split and re-fitted. */
async function preparedFor(o: { seed: number; validation: number; limit: number | undefined; preprocessing?: Preprocessing }): Promise<Prepared> {
  if (!raw) throw new DataError('no data set is loaded');
  const cur = prepared?.value;
  const same = cur && cur.seed === o.seed && cur.validationSpec === o.validation && cur.limit === o.limit
    && (o.preprocessing ? cur.preprocessing === o.preprocessing : prepared!.fitted);
  if (same) return cur;
  const value = prepare(raw, { seed: o.seed, validation: o.validation, limit: o.limit, ...(o.preprocessing ? { preprocessing: o.preprocessing } : {}) });
  await setPrepared({ value, fitted: !o.preprocessing });
  // The page's data summary follows the rows actually in use.
  post({ event: 'data', info: dataInfo() });
  return value;
}

/** Prepared data for the current model (its preprocessing), or fitted afresh when there is none. */
function preparedForModel(seed: number): Promise<Prepared> {
  const cur = prepared?.value;
  return preparedFor({ seed: cur?.seed ?? seed, validation: cur?.validationSpec ?? DEFAULT_VALIDATION,
    limit: cur ? cur.limit : raw ? defaultLimit(raw) : undefined,
    ...(model ? { preprocessing: model.preprocessing } : {}) });
}

function sessionById(id: string): Promise<Session> {
  let s = sessions.get(id);
  if (!s) {
    s = registry.create(id).then((b) => new Session(b));
    sessions.set(id, s);
    s.catch(() => sessions.delete(id));
  }
  return s;
}

/**
 * The session for a menu choice: one id, or 'auto' (or a list), resolved from the probes like
 * the CLI's --backend.
 */
async function sessionFor(spec: string): Promise<Session> {
  const ids = parseBackendSpec(spec);
  if (ids.length === 1 && ids[0] !== 'auto') return sessionById(ids[0]!);
  const choice = await registry.pick(spec);
  if (choice) {
    try {
      return await sessionById(choice.chosen);
    } catch { /* it probed available but did not start: resolve() tries the next */ }
  }
  const { backend } = await registry.resolve(spec);
  // resolve() may land on a backend that already has a session: keep that one (its data is
  // placed), and let the fresh instance go rather than leak it.
  const cached = sessions.get(backend.id);
  if (cached) {
    await backend.dispose();
    return cached;
  }
  const session = new Session(backend);
  sessions.set(backend.id, Promise.resolve(session));
  return session;
}

/** The session with this prepared data placed on it (what was placed before is released). */
async function placed(spec: string, p: Prepared): Promise<Session> {
  const session = await sessionFor(spec);
  await session.place(p);
  return session;
}

// ---- the model and its snapshot ----

async function snapshotOf(m: Model, origin: string, session: Session, w: Float64Array = m.weights): Promise<Snapshot> {
  const confusion = await session.confusion(w);
  const current: Model = { ...m, weights: w };
  const predictions = sampleRows(raw!.test, SAMPLE_COUNT).map((index) => {
    const p = predictRow(current, rowAt(raw!.test, index));
    return { index, label: raw!.test.labels[index]!, predicted: p.label, probability: p.probabilities[p.label]! };
  });
  return { weights: Float64Array.from(w), classNames: m.classNames, ...(m.image ? { image: m.image } : {}),
    confusion: { counts: confusion.counts, accuracy: confusion.accuracy, total: confusion.total }, predictions, origin };
}

function postSnapshot(s: Snapshot): void {
  post({ event: 'snapshot', snapshot: s }, [s.weights.buffer]);
}

// ---- training ----

/** Starts a run (one at a time, after whatever uses the data now); resolves when it has finished. */
async function runTraining(r: RunRequest): Promise<RunSummary> {
  const started = await exclusive(() => startRun(r));
  return started.outcome;
}

async function startRun(r: RunRequest) {
  if (run) throw new OptionError('a run is already in progress: stop it first');
  if (tuning) throw new OptionError('tuning is in progress: stop it first (Stop)');
  if (!raw) throw new DataError('no data set is loaded');
  const data = raw;
  const resumeFrom = r.resume ? model : undefined;
  if (r.resume && !resumeFrom) throw new OptionError('“continue from the current model” needs a model: train one or open one first');
  const p = await preparedFor({ seed: r.settings.seed, validation: r.validation, limit: r.limit,
    ...(resumeFrom ? { preprocessing: resumeFrom.preprocessing } : {}) });
  const session = await placed(r.backend, p);
  const backendId = session.backend.id;
  const objective = objectiveOf(r.settings);

  let lastSnapshot = performance.now();
  const takeSnapshot = async (w: Float64Array | undefined) => {
    lastSnapshot = performance.now();
    if (w) postSnapshot(await snapshotOf(session.model(w, objective), `training on ${backendId}`, session));
  };

  // Losses go to the page in batches (SGD can run thousands of iterations a second).
  let buffer: number[] = [];
  let evaluations: Evaluation[] = [];
  let first = 1;
  let lastFlush = performance.now();
  let epoch = 0;
  let learningRate: number | undefined;
  const flush = () => {
    if (buffer.length === 0 && evaluations.length === 0) return;
    const losses = Float64Array.from(buffer);
    post({ event: 'losses', first, losses, evaluations, epoch, ...(learningRate !== undefined ? { learningRate } : {}) }, [losses.buffer]);
    first += buffer.length;
    buffer = [];
    evaluations = [];
    lastFlush = performance.now();
  };

  let finished!: () => void;
  // Made before the run starts: train() calls beforeIteration before session.train() returns.
  const active: ActiveRun = {
    run: undefined as unknown as TrainingRun, session, done: 0, hold: r.paused ? newHold() : undefined, steps: 0, stepWaiters: [],
    resting: false, restWaiters: [], panels: new Set(),
    start: resumeFrom ? Float64Array.from(resumeFrom.weights) : session.randomWeights(r.settings.seed, r.settings.initScale),
    finished: new Promise<void>((resolve) => { finished = resolve; }),
    snapshot: async () => { flush(); await takeSnapshot(active.run.control.weights()); },
  };
  const training = session.train(r.settings, {
    ...(resumeFrom ? { initialWeights: resumeFrom.weights } : {}),
    beforeIteration: async () => {
      // Slow motion.
      if (r.paceMs > 0) await new Promise((resolve) => setTimeout(resolve, r.paceMs));
      // Paused: rest here until resumed (or stopped), then let the panels that use the run's data finish.
      active.resting = true;
      try {
        for (;;) {
          for (const f of active.restWaiters.splice(0)) f();
          if (active.hold && active.steps === 0) { await active.hold.released; continue; }
          if (active.panels.size > 0) { await Promise.allSettled([...active.panels]); continue; }
          break;
        }
      } finally {
        active.resting = false;
      }
      if (active.hold && active.steps > 0) active.steps--; // a step taken while paused (the Step button)
      // The live class templates: the run's weights every ~350 ms.
      if (performance.now() - lastSnapshot > 350) await takeSnapshot(active.run.control.weights());
    },
    onProgress: (e) => {
      active.done = e.iteration;
      for (const f of active.stepWaiters.splice(0)) f();
      buffer.push(e.loss);
      epoch = e.epoch;
      learningRate = e.learningRate;
      if (e.trainAccuracy !== undefined) {
        evaluations.push({ iteration: e.iteration, trainAccuracy: e.trainAccuracy,
          ...(e.validationAccuracy !== undefined ? { validationAccuracy: e.validationAccuracy } : {}) });
      }
      if (performance.now() - lastFlush > 120 || evaluations.length > 0 || active.hold) flush();
    },
  });
  active.run = training;
  run = active;
  post({ event: 'run-start', iterations: training.iterations, backend: backendId, strategy: r.settings.strategy });
  post({ event: 'state', state: active.hold ? 'paused' : 'running' });

  const outcome = (async (): Promise<RunSummary> => {
    try {
      const { result, testAccuracy } = await training.done;
      flush();
      const summary: RunSummary & { losses: Float64Array; evaluations: readonly Evaluation[] } = {
        status: result.status, ...(result.message !== undefined ? { message: result.message } : {}),
        iterations: result.iterations, epochs: result.epochs, finalLoss: result.finalLoss, seconds: result.seconds,
        testAccuracy, backend: backendId, losses: result.losses, evaluations: result.evaluations,
      };
      const settings = reportedSettings(training.settings, { data: data.name, validation: r.validation,
        ...(r.limit !== undefined ? { limit: r.limit } : {}), ...(resumeFrom ? { resume: resumeFrom.origin } : {}) }, backendId, sizes(p).train.n);
      model = {
        ...session.model(result.weights, objective), origin: `trained on ${backendId}`,
        training: { ...trainingRecord({ settings, result, testAccuracy, data: session.summary, app: 'descent web' }) },
      };
      postSnapshot(await snapshotOf(model, model.origin, session));
      return summary;
    } finally {
      run = undefined;
      finished();
    }
  })();
  // An object, so that awaiting startRun does not await the run itself.
  return { outcome };
}

/**
 * Resolves once the run rests in its hook (its step done, nothing of it using the backend), at
 * once when it does already, or when it ends.
 */
function restOf(active: ActiveRun): Promise<void> {
  if (active.resting) return Promise.resolve();
  return Promise.race([new Promise<void>((resolve) => { active.restWaiters.push(resolve); }), active.finished]);
}

function newHold(): Hold {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  return { released, release };
}

/** Resumes a held run (after stop() too, so that it can end). */
function release(active: ActiveRun): void {
  const hold = active.hold;
  active.hold = undefined;
  hold?.release();
}

// ---- diagnostics: at the paused run's weights, the current model's, or a random W as the CLI's withStart ----

interface DiagnosticSetup {
  readonly session: Session;
  readonly p: Prepared;
  readonly w: Float64Array;
  readonly at: string;
  readonly n: number;
  readonly objective: ReturnType<typeof objectiveOf>;
  readonly label: string;
}

function setupOn(session: Session, w: Float64Array, at: string, o: DiagnosticOptions): DiagnosticSetup {
  const p = session.data.prepared as Prepared;
  const n = Math.min(o.examples ?? sizes(p).train.n, sizes(p).train.n);
  return { session, p, w, at, n, objective: objectiveOf(o), label: `${count(n, 'training row')}, ${session.backend.id}` };
}

/**
 * Runs a tool panel. While a run is paused, on the run's session, its placed data and its
 * weights as they stand (what the page shows; the run resumes untouched, after the panel);
 * otherwise, one at a time with whatever else uses the data, on the current model's
 * preprocessing and weights, or a random W.
 */
function diagnostic<T>(o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  return run ? onRun(run, o, work) : exclusive(() => (run ? onRun(run, o, work) : onModel(o, work)));
}

async function onRun<T>(active: ActiveRun, o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  if (!active.hold) throw new OptionError('a run is training: pause or stop it first');
  const job = (async () => {
    await restOf(active);
    if (run !== active) throw new OptionError('the run ended before the tool could start: use the tool again');
    const w = active.run.control.weights() ?? Float64Array.from(active.start);
    return work(setupOn(active.session, w, `at the paused run's weights (after ${count(active.done, 'iteration')})`, o));
  })();
  return track(active, job);
}

/** The run waits for this work on its session to finish before its next step. */
function track<T>(active: ActiveRun, job: Promise<T>): Promise<T> {
  active.panels.add(job);
  const forget = () => active.panels.delete(job);
  job.then(forget, forget);
  return job;
}

async function onModel<T>(o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  if (!raw) throw new DataError('no data set is loaded');
  const session = await placed(o.backend, await preparedForModel(o.seed));
  const atModel = model !== undefined && !o.fresh;
  const w = atModel ? Float64Array.from(model!.weights) : session.randomWeights(o.seed, o.initScale);
  const at = atModel ? `at the current model (${model!.origin})` : `at a random W (scale ${o.initScale}, seed ${o.seed})`;
  return work(setupOn(session, w, at, o));
}

/** The CLI's caps on the landscapes' sizes (protocol.ts TOOL_CAPS), for any caller. */
function checkLandscape(o: { points: number; range: number }, dims: 1 | 2): void {
  const cap = dims === 1 ? TOOL_CAPS.points1D : TOOL_CAPS.points2D;
  if (!(o.points <= cap)) throw new OptionError(`points${dims === 2 ? ' per axis' : ''} must be at most ${cap}; got ${o.points}`);
  if (!(Math.abs(o.range) <= TOOL_CAPS.range)) throw new OptionError(`the range must be at most ±${TOOL_CAPS.range}; got ${o.range}`);
}

const handlers: { [M in MethodName]: (...args: Methods[M]['args']) => Promise<Methods[M]['value']> } = {
  async probe() {
    const rows: ProbeRowMessage[] = [];
    for (const id of BROWSER_BACKENDS) {
      const row = await registry.probe(id);
      const msg = { id: row.id, description: row.description, result: row.result };
      rows.push(msg);
      post({ event: 'probe', row: msg });
    }
    return { rows, auto: (await registry.pick('auto')) ?? null };
  },

  async loadEmbedded(base) {
    const urls = Object.entries(EMBEDDED_FILES).map(([k, f]) => [k, new URL(f, base).href] as const);
    const files = await Promise.all(urls.map(async ([k, url]) => {
      const res = await fetch(url);
      if (!res.ok) throw new DataError(`could not fetch the embedded data set: ${url} answered ${res.status} ${res.statusText}`);
      return [k, new Uint8Array(await res.arrayBuffer())] as const;
    }));
    return exclusive(async () => {
      if (run) throw new OptionError('a run is in progress: stop it before opening another data set');
      return setRaw(embeddedData(Object.fromEntries(files) as Record<keyof typeof EMBEDDED_FILES, Uint8Array>));
    });
  },

  loadFiles(files) {
    return exclusive(async () => {
      if (run) throw new OptionError('a run is in progress: stop it before opening another data set');
      return setRaw(userData(files, 1));
    });
  },

  train: runTraining,

  async pause() {
    const active = run;
    if (!active || active.hold) return;
    active.hold = newHold();
    post({ event: 'state', state: 'paused' });
    // Once its step is done, the page gets the weights it rests at.
    await restOf(active);
    if (run === active && active.hold) await track(active, active.snapshot());
  },

  async step() {
    const active = run;
    if (!active) throw new OptionError('no run to step: start one (Step starts one paused)');
    if (!active.hold) throw new OptionError('the run is training: pause it to take one step at a time');
    // One more step while held: wake the hook, wait for the step, then for the rest after it.
    const stepped = new Promise<void>((resolve) => { active.stepWaiters.push(resolve); });
    active.steps++;
    const hold = active.hold;
    active.hold = newHold();
    hold.release();
    await Promise.race([stepped, active.finished]);
    await restOf(active);
    if (run === active && active.hold) await track(active, active.snapshot());
  },

  async resume() {
    if (!run) return;
    release(run);
    post({ event: 'state', state: 'running' });
  },

  async stop() {
    tuning?.abort(); // Stop ends a tuning too
    if (!run) return;
    const active = run;
    active.run.control.stop();
    release(active);
    await active.finished;
  },

  async reset() {
    if (run) await handlers.stop();
    model = undefined;
  },

  async saveModel() {
    if (!model) throw new OptionError('there is no model to save yet: train one (or open one) first');
    return encodeModel(model);
  },

  openModel(text, name) {
    return exclusive(() => openModel(text, name));
  },

  sweep(o) {
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.sweep(s.w, s.objective, { examples: s.n });
      return { initialLoss: r.initialLoss, gradientNorm: r.gradientNorm, rows: r.rows, best: r.best,
        at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  landscape1d(o) {
    checkLandscape(o, 1);
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.landscape1D(s.w, s.objective, { examples: s.n, range: [-o.range, o.range], points: o.points, seed: o.seed });
      return { alphas: r.alphas, losses: r.losses, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  landscape2d(o) {
    checkLandscape(o, 2);
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.landscape2D(s.w, s.objective, { examples: s.n, range: [-o.range, o.range], points: o.points, seed: o.seed });
      return { alphas: r.alphas, betas: r.betas, losses: r.losses, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  tune(o) {
    checkTune(o);
    if (run) throw new OptionError('a run is training: stop it before tuning (tuning trains runs of its own)');
    return exclusive(async () => {
      if (run) throw new OptionError('a run is training: stop it before tuning (tuning trains runs of its own)');
      if (!raw) throw new DataError('no data set is loaded');
      const session = await placed(o.backend, await preparedForModel(o.seed));
      const t0 = performance.now();
      const abort = new AbortController();
      tuning = abort;
      let r: Awaited<ReturnType<Session['tune']>>;
      try {
        r = await session.tune({ trials: o.trials, rounds: o.rounds, keep: Math.min(3, o.trials), lrRange: o.lrRange, regRange: o.regRange,
          epochs: o.epochs, batchSize: o.batchSize, optimizer: 'momentum', base: { loss: o.loss, delta: o.delta, seed: o.seed, initScale: o.initScale },
          signal: abort.signal });
      } finally {
        tuning = undefined;
      }
      const s = session.summary;
      return { trials: r.trials, best: r.best, warnings: r.warnings, seconds: (performance.now() - t0) / 1000,
        settings: `${o.loss} on ${session.backend.id}, ${count(s.train, 'training row')} scored on ${count(s.validation, 'validation row')}, `
          + `${o.rounds} × ${count(o.trials, 'trial')} of ${count(o.epochs, 'epoch')} (momentum, batch ${o.batchSize})` };
    });
  },

  batches(o) {
    if (!(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= STUDY_CAPS.batchTrials)) {
      throw new OptionError(`batches a size must be a whole number from 1 to ${STUDY_CAPS.batchTrials}, got ${o.trials}`);
    }
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.batches(s.w, s.objective, { trials: o.trials, seed: o.seed });
      return { n: r.n, fullGradientMilliseconds: r.fullGradientMilliseconds, rows: r.rows, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  race(o) {
    checkRace(o);
    return diagnostic(o, async (s) => {
      const work = RACE_RULES * o.steps * s.n * s.session.summary.classes;
      if (work > RACE_WORK) {
        throw new OptionError(`a race of ${count(o.steps, 'step')} on ${count(s.n, 'training row')} of ${s.session.summary.classes} classes is more than the page `
          + `races at once (${RACE_RULES} rules × steps × rows × classes ≤ ${RACE_WORK.toExponential(0)}): fewer rows or steps`);
      }
      const t0 = performance.now();
      // The plane (three score passes on the backend) is kept while nothing it depends on changes:
      // a new step size or momentum restarts the race on the host at once.
      // Toward the weights the tool works at, where there are some: a model, or a paused run.
      const toward = o.toward && (model !== undefined || run !== undefined);
      const key = JSON.stringify([s.session.backend.id, o.seed, o.initScale, s.n, s.objective, s.at, toward]);
      if (!racePlane || racePlane.key !== key || racePlane.session !== s.session || !sameWeights(racePlane.w, s.w)) {
        const plane = await s.session.racePlane(s.objective, { seed: o.seed, examples: s.n, initScale: o.initScale, ...(toward ? { toward: s.w } : {}) });
        const alphas = axisOf(toward ? -0.25 : -1, toward ? 1.25 : 1, RACE_GRID), betas = axisOf(toward ? -0.75 : -1, toward ? 0.75 : 1, RACE_GRID);
        racePlane = { key, session: s.session, w: Float64Array.from(s.w), plane, alphas, betas, losses: plane.grid(alphas, betas) };
      }
      const { plane, alphas, betas, losses } = racePlane;
      const paths = plane.run({ learningRate: o.learningRate, momentum: o.momentum, steps: o.steps });
      return { alphas, betas, losses, paths, toward: plane.toward, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  gradcheck(o) {
    return diagnostic({ ...o, examples: o.examples ?? 500 }, async (s) => {
      const t0 = performance.now();
      const report = await s.session.gradcheck(s.w, s.objective, { examples: s.n, h: o.h, method: o.method, via: o.via, seed: o.seed,
        ...(o.samples !== undefined ? { samples: o.samples } : {}) });
      const seconds = (performance.now() - t0) / 1000;
      // What each way costs here: one loss (a numerical probe is one or two), one analytic gradient;
      // the best of three after a warm-up (the first call on fresh data may compile or upload).
      const rows = { start: 0, count: s.n }, data = s.session.data.train;
      const best = async (gradient: boolean) => {
        let ms = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await s.session.compute.evaluate(s.w, data, rows, s.objective, gradient);
          ms = Math.min(ms, performance.now() - t);
        }
        return ms;
      };
      await s.session.compute.evaluate(s.w, data, rows, s.objective, true);
      const lossMilliseconds = await best(false), gradientMilliseconds = await best(true);
      return {
        parameters: s.w.length, lossMilliseconds, gradientMilliseconds,
        rows: report.rows, maxRelativeError: report.maxRelativeError, meanRelativeError: report.meanRelativeError,
        kinked: report.kinked, verdict: report.verdict.label, explanation: report.verdict.explanation,
        settings: `${s.objective.loss} on ${s.session.backend.id} (${s.session.backend.precision}), ${o.method} differences, h = ${o.h}, `
          + `${count(s.n, 'example')}, ${count(report.rows.length, 'coordinate')}, numerical gradient via ${o.via}, ${s.at}`,
        seconds,
      };
    });
  },
};

async function openModel(text: string, name: string): Promise<{ snapshot: Snapshot; summary: string }> {
  if (run) throw new OptionError('a run is in progress: stop it before opening a model');
  const m = decodeModel(text, name);
  if (raw) {
    const t = raw.train;
    const shape = (im: ImageShape | undefined, f: number) => (im ? `${im.height}×${im.width}×${im.channels} images` : `${f} features`);
    if (m.preprocessing.features !== t.features || m.classNames.length !== t.classNames.length || (m.image === undefined) !== (t.image === undefined)) {
      throw new DataError(`${name} is a model for ${shape(m.image, m.preprocessing.features)} and ${m.classNames.length} classes, `
        + `but the data set loaded is ${shape(t.image, t.features)} with ${t.classNames.length} classes: open matching data first`);
    }
  }
  model = { ...m, origin: `opened ${name}` };
  const session = await placed('ts', await preparedForModel(1));
  const snapshot = await snapshotOf(model, model.origin, session);
  const tr = m.training as { settings?: { strategy?: string; backend?: string }; accuracy?: { test?: number } } | undefined;
  const summary = `${name}: ${m.objective.loss}, reg ${m.objective.reg}, ${m.classNames.length} classes`
    + (tr?.settings?.strategy ? `, trained by ${tr.settings.strategy}${tr.settings.backend ? ` on ${tr.settings.backend}` : ''}` : '')
    + (m.createdAt ? `, saved ${m.createdAt}` : '');
  return { snapshot, summary };
}

scope.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, method, args } = ev.data;
  let reply: Reply;
  try {
    const fn = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    reply = { id, ok: true, value: await fn(...(args as unknown[])) };
  } catch (e) {
    const err = e as Error;
    reply = { id, ok: false, error: err?.message ?? String(e), kind: err?.name ?? 'Error' };
  }
  scope.postMessage(reply);
};
