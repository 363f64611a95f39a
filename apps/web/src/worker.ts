/**
 * The training worker: holds the data, the backends and the current model, and runs core's
 * train() and the lecture's diagnostics off the page's thread. See protocol.ts for messages.
 */
/// <reference lib="webworker" />
import {
  accuracy, checkBackendGradient, confusionMatrix, DataError, decodeModel, encodeModel, imageAt,
  initialWeights, landscape1D, landscape2D, makeObjective, OptionError, plannedIterations, predictImage,
  Random, stepSizeSweep, train,
  type ComputeBackend, type Model, type Objective, type Preprocessing, type Resident, type TrainOptions,
} from '@descent/core';
import { BROWSER_BACKENDS, createBrowserRegistry } from './backends.js';
import { PauseGate, WatchedBackend } from './worker/control.js';
import { EMBEDDED_FILES, embeddedData, prepare, sampleRows, userData, type Prepared, type RawData } from './worker/data.js';
import type {
  DataInfo, DiagnosticOptions, Evaluation, Methods, MethodName, ProbeRowMessage, Reply, Request, RunSummary, Snapshot,
  TrainSettings, WorkerEvent,
} from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const assetBase = new URL('./', scope.location.href).href;
const registry = createBrowserRegistry(assetBase);

/** Rows of the validation split (the CLI's default: a tenth of the training rows). */
const DEFAULT_VALIDATION = 0.1;
/** Above this many training rows the page trains on the first LARGE_LIMIT unless told otherwise. */
const LARGE_LIMIT = 10000;
const SAMPLE_COUNT = 16;

interface CurrentModel extends Model {
  readonly origin: string;
}

interface Placed { readonly prepared: Prepared; readonly train: Resident; readonly validation?: Resident; readonly test: Resident }

let raw: RawData | undefined;
let prepared: { value: Prepared; fitted: boolean } | undefined;
let model: CurrentModel | undefined;
const backends = new Map<string, Promise<ComputeBackend>>();
const placed = new Map<string, Placed>();
/** The run in progress; `done` settles once it has fully finished (its model set, its reply sent). */
let run: { gate: PauseGate; controller: AbortController; done: Promise<void>; snapshot: () => Promise<void> } | undefined;

function post(e: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(e, transfer);
}

// ---- data ----

function dataInfo(): DataInfo {
  const r = raw!;
  const p = prepared!.value;
  return {
    name: r.name, source: r.source, classNames: r.train.classNames, image: r.train.image,
    train: p.train.n, validation: p.validation.n, test: p.test.n, features: r.train.features,
    notes: [...r.notes, ...(p.limit !== undefined && p.limit < r.train.n ? [`training on the first ${p.limit} training rows (set “Training rows” to use more)`] : [])],
    samples: sampleRows(r.test, SAMPLE_COUNT).map((index) => ({ index, label: r.test.labels[index]!, pixels: imageAt(r.test, index).slice() })),
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
  for (const [id, pl] of placed) {
    const b = await backends.get(id)!;
    await Promise.all([pl.train, pl.validation, pl.test].map((r) => (r ? b.release(r) : undefined)));
    placed.delete(id);
  }
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
  return value;
}

/** Prepared data for the current model (its preprocessing), or fitted afresh when there is none. */
function preparedForModel(seed: number): Promise<Prepared> {
  const cur = prepared?.value;
  return preparedFor({ seed: cur?.seed ?? seed, validation: cur?.validationSpec ?? DEFAULT_VALIDATION, limit: cur?.limit ?? (raw ? defaultLimit(raw) : undefined),
    ...(model ? { preprocessing: model.preprocessing } : {}) });
}

async function backendFor(id: string): Promise<ComputeBackend> {
  let b = backends.get(id);
  if (!b) {
    b = registry.create(id);
    backends.set(id, b);
    b.catch(() => backends.delete(id));
  }
  return b;
}

async function placeOn(backend: ComputeBackend, p: Prepared): Promise<Placed> {
  const cur = placed.get(backend.id);
  if (cur && cur.prepared === p) return cur;
  if (cur) {
    await Promise.all([cur.train, cur.validation, cur.test].map((r) => (r ? backend.release(r) : undefined)));
    placed.delete(backend.id);
  }
  const trainR = await backend.place(p.train);
  const validation = p.validation.n > 0 ? await backend.place(p.validation) : undefined;
  const test = await backend.place(p.test);
  const pl: Placed = { prepared: p, train: trainR, ...(validation ? { validation } : {}), test };
  placed.set(backend.id, pl);
  return pl;
}

// ---- the model and its snapshot ----

async function snapshotOf(m: Model, origin: string, backend: ComputeBackend, pl: Placed, w: Float64Array = m.weights): Promise<Snapshot> {
  const confusion = await confusionMatrix(backend, w, pl.test);
  const current: Model = { ...m, weights: w };
  const predictions = sampleRows(raw!.test, SAMPLE_COUNT).map((index) => {
    const p = predictImage(current, imageAt(raw!.test, index));
    return { index, label: raw!.test.labels[index]!, predicted: p.label, probability: p.probabilities[p.label]! };
  });
  return { weights: Float64Array.from(w), classNames: m.classNames, image: m.image,
    confusion: { counts: confusion.counts, accuracy: confusion.accuracy, total: confusion.total }, predictions, origin };
}

function postSnapshot(s: Snapshot): void {
  post({ event: 'snapshot', snapshot: s }, [s.weights.buffer]);
}

// ---- training ----

async function runTraining(s: TrainSettings): Promise<RunSummary> {
  if (run) throw new OptionError('a run is already in progress: stop it first');
  if (!raw) throw new DataError('no data set is loaded');
  const resumeFrom = s.resume ? model : undefined;
  if (s.resume && !resumeFrom) throw new OptionError('“continue from the current model” needs a model: train one or open one first');
  const backend = await backendFor(s.backend);
  const p = await preparedFor({ seed: s.seed, validation: s.validation, limit: s.limit,
    ...(resumeFrom ? { preprocessing: resumeFrom.preprocessing } : {}) });
  const pl = await placeOn(backend, p);
  const objective = makeObjective(s);
  const search = s.strategy === 'random-search' || s.strategy === 'random-local-search';
  const gate = new PauseGate();
  const controller = new AbortController();
  const base: Model = { classNames: p.trainSet.classNames, image: p.trainSet.image, preprocessing: p.preprocessing,
    weights: new Float64Array(0), objective };

  let lastSnapshot = performance.now();
  const takeSnapshot = async (w: Float64Array) => {
    lastSnapshot = performance.now();
    postSnapshot(await snapshotOf(base, `training on ${backend.id}`, backend, pl, w));
  };
  const watched: WatchedBackend = new WatchedBackend(backend, {
    gate, keepBest: search, paceMs: s.paceMs, train: () => pl.train,
    beforeStep: async (w) => { if (performance.now() - lastSnapshot > 350) await takeSnapshot(w); },
  });

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

  const options: TrainOptions = {
    backend: watched, train: pl.train, ...(pl.validation ? { validation: pl.validation } : {}), objective,
    strategy: s.strategy, seed: s.seed,
    ...(s.length.unit === 'iterations' ? { iterations: s.length.value } : { epochs: s.length.value }),
    ...(s.batchSize !== undefined ? { batchSize: s.batchSize } : {}),
    ...(s.sampler !== undefined ? { sampler: s.sampler } : {}),
    ...(resumeFrom ? { initialWeights: Float64Array.from(resumeFrom.weights) } : {}),
    optimizer: s.optimizer, optimizerOptions: { momentum: s.momentum },
    learningRate: s.learningRate, schedule: s.schedule,
    scheduleOptions: { every: s.stepEvery, factor: s.stepFactor, k: s.decay },
    initScale: s.initScale, searchScale: s.searchScale, searchStep: s.searchStep,
    signal: controller.signal,
    onProgress: (e) => {
      buffer.push(e.loss);
      epoch = e.epoch;
      learningRate = e.learningRate;
      if (e.trainAccuracy !== undefined) {
        evaluations.push({ iteration: e.iteration, trainAccuracy: e.trainAccuracy,
          ...(e.validationAccuracy !== undefined ? { validationAccuracy: e.validationAccuracy } : {}) });
      }
      if (performance.now() - lastFlush > 120 || evaluations.length > 0 || gate.paused) flush();
    },
  };
  const iterations = plannedIterations(options);
  post({ event: 'run-start', iterations, backend: backend.id, strategy: s.strategy });
  post({ event: 'state', state: 'running' });
  const trainPromise = train(options);
  let finished!: () => void;
  run = { gate, controller, done: new Promise<void>((resolve) => { finished = resolve; }),
    snapshot: async () => { flush(); const w = watched.current(); if (w) await takeSnapshot(w); } };
  try {
    const result = await trainPromise;
    flush();
    const testAccuracy = await accuracy(backend, result.weights, pl.test);
    const summary: RunSummary & { losses: Float64Array; evaluations: readonly Evaluation[] } = {
      status: result.status, ...(result.message !== undefined ? { message: result.message } : {}),
      iterations: result.iterations, epochs: result.epochs, finalLoss: result.finalLoss, seconds: result.seconds,
      testAccuracy, backend: backend.id, losses: result.losses, evaluations: result.evaluations,
    };
    const last = result.evaluations.at(-1);
    model = {
      ...base, weights: result.weights, origin: `trained on ${backend.id}`,
      training: {
        settings: { data: raw.name, backend: backend.id, loss: s.loss, reg: s.reg, delta: s.delta, strategy: s.strategy,
          optimizer: s.optimizer, learningRate: s.learningRate, schedule: s.schedule, batchSize: s.batchSize ?? null,
          sampler: s.sampler ?? null, iterations: s.length.unit === 'iterations' ? s.length.value : null,
          epochs: s.length.unit === 'epochs' ? s.length.value : null, seed: s.seed, validation: s.validation,
          limit: s.limit ?? null, resume: s.resume ? resumeFrom?.origin ?? null : null },
        status: result.status, iterations: result.iterations, epochs: result.epochs, finalLoss: result.finalLoss,
        accuracy: { train: last?.trainAccuracy ?? null, validation: last?.validationAccuracy ?? null, test: testAccuracy },
        data: { name: raw.name, train: p.train.n, validation: p.validation.n, test: p.test.n, features: p.train.d, classes: p.train.classes },
        app: 'descent web',
      },
    };
    postSnapshot(await snapshotOf(model, model.origin, backend, pl));
    return summary;
  } finally {
    run = undefined;
    finished();
  }
}

// ---- diagnostics: at the current model's weights, or a random W as the CLI's withStart ----

async function diagnosticSetup(o: DiagnosticOptions) {
  if (!raw) throw new DataError('no data set is loaded');
  if (run && !run.gate.paused) throw new OptionError('a run is training: pause or stop it first');
  const backend = await backendFor(o.backend);
  const p = await preparedForModel(o.seed);
  const pl = await placeOn(backend, p);
  const { d, classes } = p.train;
  const w = model ? Float64Array.from(model.weights) : initialWeights(d, classes, new Random(o.seed), o.initScale);
  const at = model ? `at the current model (${model.origin})` : `at a random W (scale ${o.initScale}, seed ${o.seed})`;
  const n = Math.min(o.examples ?? p.train.n, p.train.n);
  return { backend, p, pl, w, at, n, rows: { start: 0, count: n }, objective: makeObjective(o) };
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
    return rows;
  },

  async loadEmbedded(base) {
    const urls = Object.entries(EMBEDDED_FILES).map(([k, f]) => [k, new URL(f, base).href] as const);
    const files = await Promise.all(urls.map(async ([k, url]) => {
      const res = await fetch(url);
      if (!res.ok) throw new DataError(`could not fetch the embedded data set: ${url} answered ${res.status} ${res.statusText}`);
      return [k, new Uint8Array(await res.arrayBuffer())] as const;
    }));
    return setRaw(embeddedData(Object.fromEntries(files) as Record<keyof typeof EMBEDDED_FILES, Uint8Array>));
  },

  async loadFiles(files) {
    if (run) throw new OptionError('a run is in progress: stop it before opening another data set');
    return setRaw(userData(files, 1));
  },

  train: runTraining,

  async pause() {
    if (!run) return;
    run.gate.pause();
    post({ event: 'state', state: 'paused' });
    await run.snapshot();
  },

  async resume() {
    if (!run) return;
    run.gate.resume();
    post({ event: 'state', state: 'running' });
  },

  async stop() {
    if (!run) return;
    run.controller.abort();
    run.gate.resume();
    await run.done;
  },

  async reset() {
    if (run) {
      run.controller.abort();
      run.gate.resume();
      await run.done;
    }
    model = undefined;
  },

  async saveModel() {
    if (!model) throw new OptionError('there is no model to save yet: train one (or open one) first');
    return encodeModel(model);
  },

  async openModel(text, name) {
    if (run) throw new OptionError('a run is in progress: stop it before opening a model');
    const m = decodeModel(text, name);
    if (raw) {
      const t = raw.train;
      if (m.preprocessing.features !== t.features || m.classNames.length !== t.classNames.length) {
        throw new DataError(`${name} is a model for ${m.image.height}×${m.image.width}×${m.image.channels} images and ${m.classNames.length} classes, `
          + `but the data set loaded is ${t.image.height}×${t.image.width}×${t.image.channels} with ${t.classNames.length} classes: open matching data first`);
      }
    }
    model = { ...m, origin: `opened ${name}` };
    const backend = await backendFor('ts');
    const pl = await placeOn(backend, await preparedForModel(1));
    const snapshot = await snapshotOf(model, model.origin, backend, pl);
    const tr = m.training as { settings?: { strategy?: string; backend?: string }; accuracy?: { test?: number } } | undefined;
    const summary = `${name}: ${m.objective.loss}, reg ${m.objective.reg}, ${m.classNames.length} classes`
      + (tr?.settings?.strategy ? `, trained by ${tr.settings.strategy}${tr.settings.backend ? ` on ${tr.settings.backend}` : ''}` : '')
      + (m.createdAt ? `, saved ${m.createdAt}` : '');
    return { snapshot, summary };
  },

  async sweep(o) {
    const s = await diagnosticSetup(o);
    const t0 = performance.now();
    const r = await stepSizeSweep(s.backend, s.pl.train, s.objective, s.w, { rows: s.rows });
    return { initialLoss: r.initialLoss, gradientNorm: r.gradientNorm, rows: r.rows, best: r.best,
      at: `${s.at}, ${s.n} training rows, ${s.backend.id}`, seconds: (performance.now() - t0) / 1000 };
  },

  async landscape1d(o) {
    const s = await diagnosticSetup(o);
    const t0 = performance.now();
    const r = await landscape1D(s.backend, s.pl.train, s.objective, s.w, new Random(o.seed).fork('landscape'),
      { rows: s.rows, range: [-o.range, o.range], points: o.points });
    return { alphas: r.alphas, losses: r.losses, at: `${s.at}, ${s.n} training rows, ${s.backend.id}`, seconds: (performance.now() - t0) / 1000 };
  },

  async landscape2d(o) {
    const s = await diagnosticSetup(o);
    const t0 = performance.now();
    const r = await landscape2D(s.backend, s.pl.train, s.objective, s.w, new Random(o.seed).fork('landscape'),
      { rows: s.rows, range: [-o.range, o.range], points: o.points });
    return { alphas: r.alphas, betas: r.betas, losses: r.losses, at: `${s.at}, ${s.n} training rows, ${s.backend.id}`,
      seconds: (performance.now() - t0) / 1000 };
  },

  async gradcheck(o) {
    const s = await diagnosticSetup({ ...o, examples: o.examples ?? 500 });
    const t0 = performance.now();
    const report = await checkBackendGradient({
      backend: s.backend, data: s.pl.train, host: s.p.train, examples: s.n, objective: s.objective, w: s.w,
      h: o.h, method: o.method, via: o.via,
      ...(o.samples !== undefined ? { samples: o.samples, rng: new Random(o.seed).fork('gradcheck') } : {}),
    });
    return {
      rows: report.rows, maxRelativeError: report.maxRelativeError, meanRelativeError: report.meanRelativeError,
      kinked: report.kinked, verdict: report.verdict.label, explanation: report.verdict.explanation,
      settings: `${s.objective.loss} on ${s.backend.id} (${s.backend.precision}), ${o.method} differences, h = ${o.h}, `
        + `${s.n} examples, ${report.rows.length} coordinates, numerical gradient via ${o.via}, ${s.at}`,
      seconds: (performance.now() - t0) / 1000,
    };
  },
};

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
