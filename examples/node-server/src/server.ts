// A small HTTP service that classifies images with a descent linear classifier (node:http, no
// framework). At start-up it loads a model file ($DESCENT_MODEL) or trains one on the embedded
// Fashion-MNIST subset, on the backend $DESCENT_BACKEND names ('auto' by default: the best one
// that runs here), then answers:
//
//   GET  /health    {"status":"ok","model":{...}}
//   POST /predict   {"images":[[784 pixel values 0..255], ...]}  (or {"image":[...]} for one)
//                → {"classNames":[...],"predictions":[{"label":9,"className":"Ankle boot",
//                    "probability":0.93,"probabilities":[...one per class...]}, ...]}
//
// Environment: PORT (3000; 0 picks a free port), HOST (127.0.0.1), DESCENT_MODEL (a model.json
// to load instead of training), DESCENT_BACKEND (auto, an id such as ts or onnx-cpu, or a
// comma-separated list tried in order), DESCENT_EPOCHS (5), DESCENT_SEED (1), DESCENT_MODEL_OUT
// (save the trained model there).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistry } from '@descent/backends';
import {
  DescentError, objectiveOf, predictImage, prepareData, reportedSettings, Session, trainingRecord, type Model,
} from '@descent/core';
import { loadDataset, loadModel, saveModel } from '@descent/core/node';

/** Request limits: bigger requests get a 400 (too many images) or 413 (too many bytes). */
const MAX_IMAGES = 64;
const MAX_BODY_BYTES = 1 << 20;

const log = (line: string): void => console.log(`[descent-server] ${line}`);

interface Served {
  readonly model: Model;
  /** The model file it came from, or 'trained'. */
  readonly source: string;
  readonly backend?: string;
  readonly testAccuracy?: number;
}

function numberFromEnv(name: string, fallback: number, check: (n: number) => boolean): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!check(n)) throw new DescentError(`${name}=${text} is not valid`);
  return n;
}

/** The model to serve: loaded from $DESCENT_MODEL, or trained now. */
async function loadOrTrain(): Promise<Served> {
  const path = process.env['DESCENT_MODEL'];
  if (path !== undefined && path !== '') {
    const model = await loadModel(path);
    // This service classifies images (pixel values in); a model of features (an embedding's probe) would take float rows.
    if (!model.image) throw new DescentError(`${path} is a model of features: this server classifies images`);
    log(`loaded ${path}: ${model.classNames.length} classes, ${model.preprocessing.features} pixels per image`);
    return { model, source: path };
  }
  const epochs = numberFromEnv('DESCENT_EPOCHS', 5, (n) => n > 0 && n <= 1000);
  const seed = numberFromEnv('DESCENT_SEED', 1, Number.isSafeInteger);
  // Core's session: the backend $DESCENT_BACKEND picks, the data placed on it, a run, a model.
  const session = await Session.open(createRegistry(), process.env['DESCENT_BACKEND'] || 'auto');
  const { choice } = session;
  log(`backend ${choice.chosen} (asked for '${choice.requested}')`);
  for (const s of choice.skipped) log(`  skipped ${s.id}: ${s.reason}`);
  try {
    const prepared = prepareData(await loadDataset('embedded'), { seed, validation: 0.1 });
    await session.place(prepared);
    // Core's defaults: softmax, reg 1e-4, minibatch SGD with momentum 0.9, learning rate 0.05.
    const run = session.train({ seed, epochs });
    const { result, testAccuracy } = await run.done;
    if (result.status !== 'completed') throw new DescentError(`training ${result.status}: ${result.message ?? ''}`);
    log(`trained on ${prepared.name} (${session.summary.train} images, ${epochs} epochs, ${result.seconds.toFixed(2)} s): `
      + `loss ${result.finalLoss.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}`);
    const settings = reportedSettings(run.settings, { data: 'embedded', validation: 0.1 }, session.backend.id, session.summary.train);
    const model: Model = {
      ...session.model(result.weights, objectiveOf(run.settings),
        { ...trainingRecord({ settings, result, testAccuracy, data: session.summary, app: 'descent example server' }) }),
      createdAt: new Date().toISOString(),
    };
    const out = process.env['DESCENT_MODEL_OUT'];
    if (out !== undefined && out !== '') {
      await saveModel(out, model);
      log(`saved the model to ${out}`);
    }
    return { model, source: 'trained', backend: session.backend.id, testAccuracy };
  } finally {
    // Predictions are computed on the host (predictImage): the backend is needed only to train.
    await session.close();
  }
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is ${declared} bytes; at most ${MAX_BODY_BYTES} are accepted`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request's images as pixel bytes, or a 400 saying what is wrong and where. */
function parseImages(body: unknown, model: Model): Uint8Array[] {
  const { features } = model.preprocessing;
  const { height, width, channels, layout } = model.image!; // checked when the model was loaded
  const usage = `send {"images": [[${features} pixel values], ...]} or {"image": [${features} pixel values]}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, `the body must be a JSON object: ${usage}`);
  const fields = body as Record<string, unknown>;
  const list = 'images' in fields ? fields['images'] : 'image' in fields ? [fields['image']] : undefined;
  if (!Array.isArray(list)) throw new HttpError(400, `no "images" array: ${usage}`);
  if (list.length === 0) throw new HttpError(400, '"images" is empty');
  if (list.length > MAX_IMAGES) throw new HttpError(400, `${list.length} images: at most ${MAX_IMAGES} per request`);
  return list.map((image: unknown, i) => {
    if (!Array.isArray(image)) throw new HttpError(400, `images[${i}] is not an array of pixel values`);
    if (image.length !== features) {
      throw new HttpError(400, `images[${i}] has ${image.length} values; the model takes ${features} `
        + `(${height}×${width}×${channels}, ${layout} order)`);
    }
    const pixels = new Uint8Array(features);
    for (let j = 0; j < features; j++) {
      const v: unknown = image[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
        throw new HttpError(400, `images[${i}][${j}] is ${JSON.stringify(v) ?? String(v)}: pixel values are integers 0..255`);
      }
      pixels[j] = v;
    }
    return pixels;
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function handle(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const { model } = served;
  if (pathname === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET /health');
    send(res, 200, {
      status: 'ok',
      model: {
        source: served.source, backend: served.backend ?? null, testAccuracy: served.testAccuracy ?? null,
        classNames: model.classNames, image: model.image, features: model.preprocessing.features,
      },
      limits: { images: MAX_IMAGES, bytes: MAX_BODY_BYTES },
    });
    return;
  }
  if (pathname === '/predict') {
    if (req.method !== 'POST') throw new HttpError(405, 'use POST /predict with a JSON body');
    const type = req.headers['content-type'];
    if (type !== undefined && !/^application\/json\b/i.test(type)) throw new HttpError(415, `content type ${type}: send application/json`);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new HttpError(400, `the body is not JSON: ${(e as Error).message}`);
    }
    const predictions = parseImages(body, model).map((pixels) => {
      const p = predictImage(model, pixels);
      return {
        label: p.label, className: model.classNames[p.label] ?? String(p.label),
        probability: p.probabilities[p.label] ?? 0, probabilities: Array.from(p.probabilities),
      };
    });
    send(res, 200, { classNames: model.classNames, predictions });
    return;
  }
  throw new HttpError(404, `no route ${pathname}: use GET /health or POST /predict`);
}

async function main(): Promise<void> {
  const served = await loadOrTrain();
  const server = createServer((req, res) => {
    handle(served, req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        send(res, e.status, { error: e.message }, e.status === 405 ? { Allow: req.url?.startsWith('/predict') ? 'POST' : 'GET, HEAD' }
          : e.status === 413 ? { Connection: 'close' } : {});
      } else {
        log(`error: ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.destroy();
      }
    });
  });
  const port = numberFromEnv('PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const host = process.env['HOST'] || '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address() as AddressInfo;
  log(`listening on http://${host}:${address.port}/`);
  const stop = (): void => {
    log('shutting down');
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  // DescentErrors (a bad model file, an unknown backend, ...) are meant to be read as they are.
  console.error(`[descent-server] ${e instanceof DescentError ? e.message : (e as Error).stack ?? String(e)}`);
  process.exit(1);
});
