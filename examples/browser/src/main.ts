// Trains a linear classifier for a few dozen steps in the page, on the backend the query names
// (?backend=tfjs-wasm, the default; ?backend=onnx-wasm; ?backend=auto), and shows the result.
// The result is also published as globalThis.__descentResult, for tests that drive the page.
import { createRegistry } from '@descent/backends';
import {
  accuracy, makeDataset, makeObjective, prepareSplits, Random, train, type BackendChoice, type Dataset,
} from '@descent/core';

export interface ExampleResult {
  readonly ok: boolean;
  readonly requested: string;
  readonly backend?: string;
  readonly skipped?: BackendChoice['skipped'];
  /** The minibatch loss at the initial weights, and the loss over the whole training set at the end. */
  readonly firstLoss?: number;
  readonly finalLoss?: number;
  readonly lossWentDown?: boolean;
  readonly iterations?: number;
  readonly testAccuracy?: number;
  readonly seconds?: number;
  readonly error?: string;
}

declare global {
  var __descentResult: ExampleResult | undefined;
}

/**
 * A small generated data set: 8×8 grey images of three patterns (bright top half, bright left
 * half, bright diagonal) under noise. Linearly separable enough for a few steps to show.
 */
function patterns(n: number, seed: number, name: string): Dataset {
  const side = 8;
  const rng = new Random(seed);
  const images = new Uint8Array(n * side * side);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const on = label === 0 ? r < side / 2 : label === 1 ? c < side / 2 : Math.abs(r - c) <= 1;
        const v = (on ? 170 : 60) + 45 * rng.normal();
        images[i * side * side + r * side + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return makeDataset({
    name, images, labels, image: { height: side, width: side, channels: 1, layout: 'hwc' },
    classNames: ['top', 'left', 'diagonal'],
  });
}

async function run(requested: string): Promise<ExampleResult> {
  // The one configuration call: where the build put the backends' wasm files (build.mjs).
  const registry = createRegistry({ assetBase: new URL('wasm/', import.meta.url).href });
  const { backend, choice } = await registry.resolve(requested);
  try {
    const splits = prepareSplits(patterns(600, 1, 'patterns/train'), patterns(150, 2, 'patterns/test'), { seed: 1, validation: 0 });
    const placed = await backend.place(splits.train);
    const result = await train({
      backend, train: placed, objective: makeObjective({ loss: 'softmax', reg: 1e-4 }), seed: 1,
      strategy: 'minibatch', batchSize: 64, iterations: 40, optimizer: 'momentum', learningRate: 0.05,
    });
    const firstLoss = result.losses[0] ?? Number.NaN;
    const testAccuracy = await accuracy(backend, result.weights, await backend.place(splits.test));
    return {
      ok: result.status === 'completed', requested, backend: choice.chosen, skipped: choice.skipped,
      firstLoss, finalLoss: result.finalLoss, lossWentDown: result.finalLoss < firstLoss,
      iterations: result.iterations, testAccuracy, seconds: result.seconds,
      ...(result.message !== undefined ? { error: result.message } : {}),
    };
  } finally {
    await backend.dispose();
  }
}

const requested = new URLSearchParams(location.search).get('backend') ?? 'tfjs-wasm';
const output = document.getElementById('result');
run(requested)
  .catch((e: unknown): ExampleResult => ({ ok: false, requested, error: (e as Error).message ?? String(e) }))
  .then((result) => {
    if (output) output.textContent = JSON.stringify(result, null, 2);
    globalThis.__descentResult = result;
  });
