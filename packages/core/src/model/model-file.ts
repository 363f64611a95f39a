/**
 * The descent model file: one JSON document, versioned, that the CLI writes and the CLI and
 * the web page read back.
 *
 * {
 *   "format": "descent-model", "version": 2,
 *   "classes": C, "classNames": [...], "image": { height, width, channels, layout },   (images only)
 *   "preprocessing": { kind: "pixels", features, scale, bias: true, mean: [...] },   x = pixel·scale − mean, then 1
 *                 or { kind: "features", features, standardized, bias: true, mean: [...], std: [...] },
 *                                                                   x = (value − mean) / std, then 1
 *   "weights": { "rows": D, "cols": C, "values": [...D·C numbers, row-major...] },
 *   "objective": { loss, reg, delta },
 *   "checksum": { "crc32": n, "covers": "everything but checksum, training and createdAt" },
 *   "training": { free-form settings, metrics and history summary of the run },
 *   "createdAt": ISO time
 * }
 *
 * Weights are plain JSON numbers: JavaScript prints the shortest text that reads back as the
 * same float64, so the round trip is exact and the file stays readable by any tool.
 *
 * The checksum catches a digit changed by hand or by a broken copy, which JSON parsing alone
 * would not (it is not a signature: anyone may recompute it). Version 2 covers the whole
 * document but the checksum itself and the run's notes (see modelChecksum), so fields a later
 * descent adds are covered without a new rule; version 1 files, whose "weights.crc32" covered
 * the weights alone, are still read.
 * Version 2 is also the version the features issue extends (preprocessing kind "features", with
 * no "image"), before the next release, so users see one bump; a descent that predates kind
 * "features" refuses such a file and says to upgrade.
 */
import type { Objective } from '../backend.js';
import { LOSS_NAMES } from '../backend.js';
import type { ImageShape } from '../data/dataset.js';
import { crc32 } from '../data/gzip.js';
import { isFeaturePreprocessing, preprocessingFromJSON, preprocessingToJSON, type Preprocessing } from '../data/preprocess.js';
import { DataError } from '../errors.js';

export const MODEL_FORMAT = 'descent-model';
export const MODEL_VERSION = 2;

/** What the version 2 checksum covers (written into the file, and named by its message). */
export const MODEL_CHECKSUM_COVERS = 'everything but checksum, training and createdAt';

/** Top-level fields the version 2 checksum leaves out: the checksum, and notes about the run that users may edit. */
const UNCHECKED = new Set(['checksum', 'training', 'createdAt']);

export interface Model {
  readonly classNames: readonly string[];
  /** The images' shape; absent for a model of features (preprocessing kind 'features'). */
  readonly image?: ImageShape | undefined;
  readonly preprocessing: Preprocessing;
  /** D×C row-major, D = features + 1 (the last row is the bias). */
  readonly weights: Float64Array;
  readonly objective: Objective;
  /** What the run was and how it went (settings, metrics): kept as written. */
  readonly training?: Record<string, unknown>;
  readonly createdAt?: string;
}

/**
 * CRC-32 of the weights as little-endian float64 bytes (version 1's checksum), continuing `crc`.
 * −0 is hashed as +0: JSON writes both as 0, so a −0 weight reads back as +0.
 */
export function weightsChecksum(w: Float64Array, crc = 0): number {
  const bytes = new Uint8Array(w.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < w.length; i++) view.setFloat64(i * 8, w[i] === 0 ? 0 : w[i]!, true);
  return crc32(bytes, crc);
}

/** JSON with every object's keys sorted: one text for one value, whatever order a file used. */
function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The version 2 checksum: CRC-32 of the canonical JSON (keys sorted, shortest numbers) of the
 * document without its checksum, training and createdAt and without weights.values, a newline,
 * then the weights as little-endian float64 bytes (weightsChecksum). Everything a prediction or
 * a reported loss depends on is covered, and so is any field a later version adds.
 */
export function modelChecksum(doc: Readonly<Record<string, unknown>>, weights: Float64Array): number {
  const covered: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!UNCHECKED.has(k)) covered[k] = v;
  if (isObject(covered.weights)) {
    const { values: _values, ...shape } = covered.weights;
    covered.weights = shape;
  }
  return weightsChecksum(weights, crc32(new TextEncoder().encode(`${canonicalJSON(covered)}\n`)));
}

export function encodeModel(model: Model): string {
  const classes = model.classNames.length;
  const d = model.preprocessing.features + 1;
  if (model.weights.length !== d * classes) {
    throw new DataError(`model: weights have ${model.weights.length} values; features ${model.preprocessing.features} + bias and ${classes} classes need ${d * classes}`);
  }
  if (isFeaturePreprocessing(model.preprocessing) === (model.image !== undefined)) {
    throw new DataError(`model: ${model.image ? 'an image shape with a features preprocessing' : 'an images preprocessing without an image shape'}`);
  }
  const doc = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    classes,
    classNames: model.classNames,
    ...(model.image ? { image: { height: model.image.height, width: model.image.width, channels: model.image.channels, layout: model.image.layout } } : {}),
    preprocessing: preprocessingToJSON(model.preprocessing),
    weights: { rows: d, cols: classes, values: Array.from(model.weights) },
    objective: definedObjective(model.objective),
  };
  return `${JSON.stringify({
    ...doc,
    checksum: { crc32: modelChecksum(doc, model.weights), covers: MODEL_CHECKSUM_COVERS },
    ...(model.training ? { training: model.training } : {}),
    createdAt: model.createdAt ?? new Date().toISOString(),
  })}\n`;
}

type Json = Record<string, unknown>;

/** The objective's defined fields only (a delta of undefined is left out, as JSON would). */
function definedObjective(o: Objective): Objective {
  return { loss: o.loss, reg: o.reg, ...(o.delta !== undefined ? { delta: o.delta } : {}) };
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/**
 * A JSON.parse error at the very end of the text: the text is a prefix of a document. Messages
 * differ by engine: V8 "Unexpected end of JSON input" or "… at position N", Firefox "unexpected
 * end of data", Safari "Unexpected EOF".
 */
function endsInsideJSON(text: string, message: string): boolean {
  if (/Unexpected end of JSON input|unexpected end of data|Unexpected EOF/i.test(message)) return true;
  const at = /at position (\d+)/.exec(message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

/** Parse and check a model file's text; every problem names the file and the field. */
export function decodeModel(text: string, source = 'model'): Model {
  // A UTF-8 byte-order mark (editors on Windows add one) is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    if (text.trim() === '') throw new DataError(`${source} is not a descent model file: it is empty`);
    const message = (e as Error).message;
    if (endsInsideJSON(text, message)) {
      throw new DataError(`${source} is truncated: it ends after ${text.length} characters, inside the JSON (an interrupted copy or download?)`);
    }
    throw new DataError(`${source} is not a descent model file: invalid JSON (${message})`);
  }
  const fail = (what: string): never => { throw new DataError(`${source}: ${what}`); };
  if (!isObject(doc) || doc.format !== MODEL_FORMAT) fail(`not a descent model file (no "format": "${MODEL_FORMAT}")`);
  const m = doc as Json;
  if (!isPositiveInt(m.version)) fail(`"version" must be a positive integer, got ${JSON.stringify(m.version)}`);
  if ((m.version as number) > MODEL_VERSION) {
    fail(`written by a newer descent (model format version ${m.version}; this descent reads up to ${MODEL_VERSION}): upgrade descent to read it`);
  }
  if (!isPositiveInt(m.classes)) fail(`"classes" must be a positive integer`);
  const classes = m.classes as number;
  if (!Array.isArray(m.classNames) || m.classNames.length !== classes || m.classNames.some((c) => typeof c !== 'string')) {
    fail(`"classNames" must list ${classes} names`);
  }
  const version = m.version as number;
  if (version >= 2 && isObject(m.preprocessing) && m.preprocessing.kind !== 'pixels' && m.preprocessing.kind !== 'features') {
    fail(`"preprocessing" has kind ${JSON.stringify(m.preprocessing.kind)}; this descent knows "pixels" and "features" (upgrade descent to read other kinds)`);
  }
  const preprocessing = preprocessingFromJSON(m.preprocessing, `${source}: "preprocessing"`);
  const image = m.image as Json | undefined;
  if (isFeaturePreprocessing(preprocessing)) {
    if (image !== undefined) fail(`a model of features ("preprocessing": { "kind": "features" }) has no "image"`);
  } else if (!isObject(image) || !isPositiveInt(image.height) || !isPositiveInt(image.width) || !isPositiveInt(image.channels)
    || (image.layout !== 'hwc' && image.layout !== 'chw')) {
    fail(`"image" must give height, width, channels and layout ('hwc' or 'chw')`);
  }
  const features = image ? (image.height as number) * (image.width as number) * (image.channels as number) : preprocessing.features;
  if (preprocessing.features !== features) fail(`preprocessing has ${preprocessing.features} features but images have ${features}`);
  const w = m.weights as Json;
  const d = features + 1;
  if (!isObject(w) || w.rows !== d || w.cols !== classes || !Array.isArray(w.values)) {
    fail(`"weights" must be { rows: ${d}, cols: ${classes}, values: [...] }`);
  }
  const values = w.values as unknown[];
  if (values.length !== d * classes) fail(`"weights" has ${values.length} values, expected ${d}×${classes} = ${d * classes} (truncated?)`);
  const weights = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`weight ${i} (row ${Math.floor(i / classes)}, class ${i % classes}) is ${JSON.stringify(v)}, not a finite number`);
    weights[i] = v as number;
  }
  const o = m.objective as Json;
  if (!isObject(o) || !(LOSS_NAMES as readonly unknown[]).includes(o.loss) || typeof o.reg !== 'number'
    || (o.delta !== undefined && typeof o.delta !== 'number')) {
    fail(`"objective" must give loss (one of ${LOSS_NAMES.join(', ')}), reg and optionally delta, as numbers`);
  }
  if (version === 1) {
    if (typeof w.crc32 !== 'number') fail(`"weights" has no "crc32" (the CRC-32 of the values as little-endian float64)`);
    if (w.crc32 !== weightsChecksum(weights)) fail(`the weights do not match their checksum: the file is corrupt`);
  } else {
    const c = m.checksum as Json;
    if (!isObject(c) || typeof c.crc32 !== 'number') fail(`no "checksum": { "crc32": n } (it covers ${MODEL_CHECKSUM_COVERS})`);
    if (c.crc32 !== modelChecksum(m, weights)) {
      fail(`the file does not match its checksum (over ${MODEL_CHECKSUM_COVERS}): it is corrupt or was edited; `
        + `a prediction from it could not be trusted`);
    }
  }
  return {
    classNames: m.classNames as string[],
    ...(image ? { image: { height: image.height as number, width: image.width as number, channels: image.channels as number,
      layout: image.layout as 'hwc' | 'chw' } } : {}),
    preprocessing,
    weights,
    objective: { loss: o.loss as Objective['loss'], reg: o.reg as number, ...(typeof o.delta === 'number' ? { delta: o.delta } : {}) },
    ...(isObject(m.training) ? { training: m.training } : {}),
    ...(typeof m.createdAt === 'string' ? { createdAt: m.createdAt } : {}),
  };
}
