/**
 * The descent model file: one JSON document, versioned, that the CLI writes and the CLI and
 * the web page read back.
 *
 * {
 *   "format": "descent-model", "version": 1,
 *   "classes": C, "classNames": [...], "image": { height, width, channels, layout },
 *   "preprocessing": { features, scale, bias: true, mean: [...] },   x = pixel·scale − mean, then 1
 *   "weights": { "rows": D, "cols": C, "values": [...D·C numbers, row-major...], "crc32": n },
 *   "objective": { loss, reg, delta },
 *   "training": { free-form settings, metrics and history summary of the run },
 *   "createdAt": ISO time
 * }
 *
 * Weights are plain JSON numbers: JavaScript prints the shortest text that reads back as the
 * same float64, so the round trip is exact and the file stays readable by any tool. The
 * CRC-32 of the weights' little-endian float64 bytes catches a digit changed by hand or by a
 * broken copy, which JSON parsing alone would not.
 */
import type { Objective } from '../backend.js';
import { LOSS_NAMES } from '../backend.js';
import type { ImageShape } from '../data/dataset.js';
import { crc32 } from '../data/gzip.js';
import { preprocessingFromJSON, preprocessingToJSON, type Preprocessing } from '../data/preprocess.js';
import { DataError } from '../errors.js';

export const MODEL_FORMAT = 'descent-model';
export const MODEL_VERSION = 1;

export interface Model {
  readonly classNames: readonly string[];
  readonly image: ImageShape;
  readonly preprocessing: Preprocessing;
  /** D×C row-major, D = features + 1 (the last row is the bias). */
  readonly weights: Float64Array;
  readonly objective: Objective;
  /** What the run was and how it went (settings, metrics): kept as written. */
  readonly training?: Record<string, unknown>;
  readonly createdAt?: string;
}

/** CRC-32 of the weights as little-endian float64 bytes. */
export function weightsChecksum(w: Float64Array): number {
  const bytes = new Uint8Array(w.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < w.length; i++) view.setFloat64(i * 8, w[i]!, true);
  return crc32(bytes);
}

export function encodeModel(model: Model): string {
  const classes = model.classNames.length;
  const d = model.preprocessing.features + 1;
  if (model.weights.length !== d * classes) {
    throw new DataError(`model: weights have ${model.weights.length} values; features ${model.preprocessing.features} + bias and ${classes} classes need ${d * classes}`);
  }
  return `${JSON.stringify({
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    classes,
    classNames: model.classNames,
    image: model.image,
    preprocessing: preprocessingToJSON(model.preprocessing),
    weights: { rows: d, cols: classes, values: Array.from(model.weights), crc32: weightsChecksum(model.weights) },
    objective: model.objective,
    ...(model.training ? { training: model.training } : {}),
    createdAt: model.createdAt ?? new Date().toISOString(),
  })}\n`;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** Parse and check a model file's text; every problem names the file and the field. */
export function decodeModel(text: string, source = 'model'): Model {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${source} is not a descent model file: ${text.trim() === '' ? 'it is empty' : `invalid JSON (${(e as Error).message})`}`);
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
  const image = m.image as Json;
  if (!isObject(image) || !isPositiveInt(image.height) || !isPositiveInt(image.width) || !isPositiveInt(image.channels)
    || (image.layout !== 'hwc' && image.layout !== 'chw')) {
    fail(`"image" must give height, width, channels and layout ('hwc' or 'chw')`);
  }
  const preprocessing = preprocessingFromJSON(m.preprocessing, `${source}: "preprocessing"`);
  const features = (image.height as number) * (image.width as number) * (image.channels as number);
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
  if (typeof w.crc32 !== 'number') fail(`"weights" has no "crc32" (the CRC-32 of the values as little-endian float64)`);
  if (w.crc32 !== weightsChecksum(weights)) fail(`the weights do not match their checksum: the file is corrupt`);
  const o = m.objective as Json;
  if (!isObject(o) || !(LOSS_NAMES as readonly unknown[]).includes(o.loss) || typeof o.reg !== 'number') {
    fail(`"objective" must give loss (${LOSS_NAMES.join(' or ')}) and reg`);
  }
  return {
    classNames: m.classNames as string[],
    image: { height: image.height as number, width: image.width as number, channels: image.channels as number,
      layout: image.layout as 'hwc' | 'chw' },
    preprocessing,
    weights,
    objective: { loss: o.loss as Objective['loss'], reg: o.reg as number, ...(typeof o.delta === 'number' ? { delta: o.delta } : {}) },
    ...(isObject(m.training) ? { training: m.training } : {}),
    ...(typeof m.createdAt === 'string' ? { createdAt: m.createdAt } : {}),
  };
}
