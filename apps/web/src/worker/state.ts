/**
 * What the training worker holds, shared by every handler: the raw data set and its prepared
 * splits, the current model, one core Session per backend id, the queue that keeps users of the
 * data one at a time, and the way to the page (post). This module owns all of it: the others
 * read it here and change it only through the functions below. It imports none of the other
 * worker modules (the active run lives in run-state.ts, the race's plane in race.ts).
 */
/// <reference lib="webworker" />
import {
  DataError, imageAt, isFeatureDataset, parseBackendSpec, predictRow, Session,
  type Dataset, type Model, type Preprocessing,
} from '@descent/core';
import { createBrowserRegistry } from '../backends.js';
import { prepare, sampleRows, type Prepared, type RawData } from './data.js';
import { count, type DataInfo, type Methods, type MethodName, type Snapshot, type WorkerEvent } from '../protocol.js';

export const scope = self as unknown as DedicatedWorkerGlobalScope;
// build.mjs copies each backend package's wasm files under wasm/ (see @descent/backends/node).
const assetBase = new URL('./wasm/', scope.location.href).href;
export const registry = createBrowserRegistry(assetBase);

/** The worker's answer to each method of protocol.ts; each module implements its part (a Pick of this). */
export type Handlers = { [M in MethodName]: (...args: Methods[M]['args']) => Promise<Methods[M]['value']> };

/** Rows of the validation split (the CLI's default: a tenth of the training rows). */
const DEFAULT_VALIDATION = 0.1;
/**
 * A data set with more than 1.5× this many training rows starts with "Training rows" at this
 * limit (dataInfo's defaultLimit: the page fills the field in; the run uses what the field says).
 */
const LARGE_LIMIT = 10000;
const SAMPLE_COUNT = 16;

export interface CurrentModel extends Model {
  readonly origin: string;
}

/** The data set loaded (set by setRaw). */
export let raw: RawData | undefined;
/** Its splits as the sessions place them (set by setPrepared). */
export let prepared: { value: Prepared; fitted: boolean } | undefined;
/** The current model: trained, opened, or none (set by setModel). */
export let model: CurrentModel | undefined;

export function setModel(next: CurrentModel | undefined): void {
  model = next;
}

/** One core Session per backend id, created once and reused by every run and panel. */
const sessions = new Map<string, Promise<Session>>();

/**
 * Everything that reads or replaces the prepared data and what is placed on the sessions
 * (loading data, opening a model, starting a run, a tool panel) runs one at a time, so none
 * of them releases data another is still using.
 */
let queue: Promise<unknown> = Promise.resolve();
export function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

export function post(e: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(e, transfer);
}

/** What keeps something computed from the placed data (the race's plane): forgotten when it is replaced. */
const placedDataCaches: (() => void)[] = [];
export function forgetWhenDataReplaced(forget: () => void): void {
  placedDataCaches.push(forget);
}

// ---- data ----

/** The splits' sizes without building float32 rows: the pixel matrices of images, the design matrices of features. */
export function sizes(p: Prepared) {
  return p.pixels ?? p;
}

/** Row i of a split as the model takes it: pixel bytes, or feature values. */
function rowAt(ds: Dataset, i: number): Uint8Array | Float32Array {
  return isFeatureDataset(ds) ? ds.values.subarray(i * ds.features, (i + 1) * ds.features) : imageAt(ds, i);
}

export function dataInfo(): DataInfo {
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

export async function setRaw(next: RawData): Promise<DataInfo> {
  const p = prepare(next, { seed: 1, validation: DEFAULT_VALIDATION, limit: defaultLimit(next) });
  raw = next;
  await setPrepared({ value: p, fitted: true });
  // A new data set starts afresh: open a saved model again to evaluate it on these images.
  model = undefined;
  return dataInfo();
}

async function setPrepared(next: { value: Prepared; fitted: boolean }): Promise<void> {
  prepared = next;
  for (const forget of placedDataCaches) forget(); // their scores were of the data placed before
  for (const s of sessions.values()) await (await s).release();
}

/** The prepared data for these settings: reused when nothing changed, else re-split and re-fitted. */
export async function preparedFor(o: { seed: number; validation: number; limit: number | undefined; preprocessing?: Preprocessing }): Promise<Prepared> {
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
export function preparedForModel(seed: number): Promise<Prepared> {
  const cur = prepared?.value;
  return preparedFor({ seed: cur?.seed ?? seed, validation: cur?.validationSpec ?? DEFAULT_VALIDATION,
    limit: cur ? cur.limit : raw ? defaultLimit(raw) : undefined,
    ...(model ? { preprocessing: model.preprocessing } : {}) });
}

// ---- the sessions ----

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
export async function placed(spec: string, p: Prepared): Promise<Session> {
  const session = await sessionFor(spec);
  await session.place(p);
  return session;
}

// ---- the model and its snapshot ----

export async function snapshotOf(m: Model, origin: string, session: Session, w: Float64Array = m.weights): Promise<Snapshot> {
  const confusion = await session.confusion(w);
  const current: Model = { ...m, weights: w };
  const predictions = sampleRows(raw!.test, SAMPLE_COUNT).map((index) => {
    const p = predictRow(current, rowAt(raw!.test, index));
    return { index, label: raw!.test.labels[index]!, predicted: p.label, probability: p.probabilities[p.label]! };
  });
  return { weights: Float64Array.from(w), classNames: m.classNames, ...(m.image ? { image: m.image } : {}),
    confusion: { counts: confusion.counts, accuracy: confusion.accuracy, total: confusion.total }, predictions, origin };
}

export function postSnapshot(s: Snapshot): void {
  post({ event: 'snapshot', snapshot: s }, [s.weights.buffer]);
}
