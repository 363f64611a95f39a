/**
 * Pixels stay bytes: prepared splits keep the bytes and their preprocessing, a session on a
 * backend that keeps pixels (placePixels) never builds the float32 design matrices, and its
 * results are those of the same backend given float32 X: bit for bit on ts and ts-f64 (which
 * decode to the same float32 values), within float32 rounding on onnx-cpu.
 */
import {
  BYTES_ABOVE, chooseXForm, decodePixelRows, makeDataset, prepareData, Random, Session, type ComputeBackend, type ImageShape, type PreparedData,
} from '@descent/core';
import { createRegistry } from '@descent/backends';
import { describe, expect, it } from 'vitest';

const shape: ImageShape = { height: 4, width: 4, channels: 3, layout: 'hwc' };

function images(n: number, seed: number) {
  const rng = new Random(seed);
  const f = 48;
  const bytes = new Uint8Array(n * f);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 4;
    for (let j = 0; j < f; j++) bytes[i * f + j] = Math.min(255, rng.int(120) + (j % 4 === labels[i] ? 120 : 0));
  }
  return makeDataset({ name: 'blocks', images: bytes, labels, image: shape, classNames: ['a', 'b', 'c', 'd'] });
}

function prepare(): PreparedData {
  return prepareData({ name: 'blocks', train: images(3000, 1), test: images(600, 2) }, { seed: 3, validation: 0.1 });
}

/** The backend with placePixels hidden: the session gives it float32 X. */
function denseOnly(b: ComputeBackend): ComputeBackend {
  return {
    id: b.id, precision: b.precision, place: (d) => b.place(d), evaluate: (...a) => b.evaluate(...a), scores: (...a) => b.scores(...a),
    release: (r) => b.release(r), dispose: () => b.dispose(),
  };
}

/** Every tool a session has, on whatever it placed: a run, its accuracy, a gradient check and a landscape. */
async function everything(session: Session) {
  const run = session.train({ loss: 'softmax', reg: 1e-3, iterations: 80, batchSize: 64, learningRate: 0.05, seed: 5 });
  const { result, testAccuracy } = await run.done;
  const objective = { loss: 'svm' as const, reg: 1e-3, delta: 1 };
  const check = await session.gradcheck(result.weights, objective, { examples: 200, h: 1e-5, method: 'centered', via: 'linearity', samples: 30, seed: 1 });
  const slice = await session.landscape1D(result.weights, objective, { points: 9, seed: 2 });
  return { result, testAccuracy, check, slice };
}

describe('pixels stay bytes', () => {
  it('the prepared splits keep the bytes, and decode to exactly the float32 design matrices', () => {
    const p = prepare();
    expect(p.pixels!.train.pixels!.buffer).toBe(p.trainSet.images!.buffer); // shared, not copied
    for (const key of ['train', 'validation', 'test'] as const) {
      const px = p.pixels![key];
      expect(px.d).toBe(49);
      expect(Array.from(decodePixelRows(px, 0, px.n))).toEqual(Array.from(p[key].x));
      expect(Array.from(px.y)).toEqual(Array.from(p[key].y));
    }
  });

  it.each(['ts', 'ts-f64', 'onnx-cpu'])('a session on %s keeps bytes, never builds float32 X, and gets the float32 path\'s results', async (id) => {
    const registry = createRegistry();
    const prepared = prepare();
    for (const key of ['train', 'validation', 'test'] as const) {
      Object.defineProperty(prepared, key, { get: () => { throw new Error(`the float32 ${key} matrix was built`); } });
    }
    const pixels = new Session(await registry.create(id));
    const dense = new Session(denseOnly(await registry.create(id)));
    try {
      expect((await pixels.place(prepared, { x: 'bytes' })).form).toBe('bytes');
      expect((await dense.place(prepare(), { x: 'bytes' })).form).toBe('float32'); // it cannot keep bytes
      expect(pixels.summary).toEqual({ ...dense.summary, xAs: 'bytes' });
      expect(dense.summary.xAs).toBe('float32');
      const a = await everything(pixels);
      const b = await everything(dense);
      expect(a.result.status).toBe('completed');
      expect(a.testAccuracy).toBeGreaterThan(0.9);
      if (id.startsWith('ts')) {
        // The same float32 values in the same order: the same run, to the last bit.
        expect(Array.from(a.result.weights)).toEqual(Array.from(b.result.weights));
        expect(a.testAccuracy).toBe(b.testAccuracy);
        expect(a.slice.losses).toEqual(b.slice.losses);
      } else {
        // Scale and mean folded into the graph's products: within float32 rounding of the float32 path.
        a.result.weights.forEach((v, k) => expect(Math.abs(v - b.result.weights[k]!)).toBeLessThan(1e-4 * (1 + Math.abs(v))));
        expect(Math.abs(a.testAccuracy - b.testAccuracy)).toBeLessThanOrEqual(2 / 600);
        a.slice.losses.forEach((v, k) => expect(v).toBeCloseTo(b.slice.losses[k]!, 4));
      }
      expect(a.check.verdict.label).toBe(b.check.verdict.label);
      expect(a.check.rows.map((r) => r.index)).toEqual(b.check.rows.map((r) => r.index));
    } finally {
      await pixels.close();
      await dense.close();
    }
  });

  it("'auto' keeps bytes where float32 X would pass 512 MiB, on backends that can", () => {
    const shaped = (n: number, d: number) => ({ pixels: { train: { n, d }, validation: { n: 0, d }, test: { n: 10000, d } } }) as unknown as PreparedData;
    const keeps = { placePixels: async () => { throw new Error('not called'); } };
    expect(BYTES_ABOVE).toBe(512 * 2 ** 20);
    expect(chooseXForm(shaped(50000, 3073), keeps)).toBe('bytes'); // CIFAR-10: 737 MB as float32
    expect(chooseXForm(shaped(60000, 785), keeps)).toBe('float32'); // Fashion-MNIST: 220 MB
    expect(chooseXForm(shaped(60000, 785), keeps, 'bytes')).toBe('bytes');
    expect(chooseXForm(shaped(50000, 3073), keeps, 'float32')).toBe('float32');
    expect(chooseXForm(shaped(50000, 3073), {})).toBe('float32');
  });
});
