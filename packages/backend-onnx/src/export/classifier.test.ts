import { describe, expect, it } from 'vitest';
import { fitPreprocessing, linearScores, makeFeatureDataset, OptionError, Random, ShapeError, take, toDesignMatrix } from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { createOnnxBackend } from '../index.js';
import { importOrtNode } from '../runtime/node.js';
import { exportClassifierOnnx } from './classifier.js';
import { checkModel } from '../onnx/check.js';
import { decodeModel } from '../onnx/proto.js';

/** Trains softmax weights with a few full-batch gradient steps on the onnx-cpu backend. */
async function trainedWeights(x: Float32Array, y: Int32Array, n: number, d: number, c: number): Promise<Float64Array> {
  const backend = await createOnnxBackend('onnx-cpu');
  const data = await backend.place({ x, y, n, d, classes: c });
  const w = new Float64Array(d * c);
  for (let step = 0; step < 40; step++) {
    const { gradient } = await backend.evaluate(w, data, { start: 0, count: n }, { loss: 'softmax', reg: 1e-3 }, true);
    for (let k = 0; k < w.length; k++) w[k]! -= 0.05 * gradient![k]!;
  }
  await backend.dispose();
  return w;
}

describe('exportClassifierOnnx', () => {
  it('runs in onnxruntime-node from raw image bytes and predicts what descent predicts, on the embedded data set', async () => {
    const loaded = await loadDataset('embedded');
    const train = take(loaded.train, 1000);
    const prep = fitPreprocessing(train);
    const m = toDesignMatrix(train, prep);
    const w = await trainedWeights(m.x, m.y, m.n, m.d, m.classes);
    const bytes = exportClassifierOnnx({ weights: w, classes: m.classes, classNames: train.classNames, preprocessing: prep });
    const model = decodeModel(bytes);
    expect(checkModel(model)).toEqual([]);
    expect(JSON.parse(model.metadata_props!.find((p) => p.key === 'class_names')!.value)).toEqual(train.classNames);

    const test = loaded.test;
    const t = toDesignMatrix(test, prep);
    const ref = linearScores(t.x, w, t.n, t.d, t.classes); // descent's own scores, float64
    const ort = await importOrtNode();
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ image: new ort.Tensor('uint8', test.images!, [test.n, test.features]) });
    await session.release();
    const labels = out['label']!.data as BigInt64Array;
    const scores = out['scores']!.data as Float32Array;
    const probabilities = out['probabilities']!.data as Float32Array;
    expect(out['label']!.dims).toEqual([test.n]);

    const c = t.classes;
    let scale = 1;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    // float32 preprocessing and products: scores agree within ~1000 roundoffs of the largest score.
    const tol = 2 ** -14 * scale;
    let correct = 0;
    for (let i = 0; i < t.n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (ref[i * c + j]! > ref[i * c + best]!) best = j;
      const got = Number(labels[i]);
      // Equal, unless the two classes' reference scores are closer than float32 can resolve.
      if (got !== best) expect(Math.abs(ref[i * c + got]! - ref[i * c + best]!), `image ${i}: onnx ${got}, descent ${best}`).toBeLessThan(tol);
      if (best === t.y[i]) correct++;
      let sum = 0;
      for (let j = 0; j < c; j++) {
        expect(Math.abs(scores[i * c + j]! - ref[i * c + j]!), `image ${i} class ${j} score`).toBeLessThan(tol);
        sum += probabilities[i * c + j]!;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
    expect(correct / t.n).toBeGreaterThan(0.6); // a trained model, not a constant one
  });

  it.each([false, true])('a model of features (standardized: %s) takes float32 rows and scores them as descent does', async (standardize) => {
    const r = new Random(9);
    const n = 300, f = 24, c = 4;
    const values = Float32Array.from({ length: n * f }, (_, k) => (k % f) * 0.5 - 3 + 2 * r.normal());
    const labels = Uint8Array.from({ length: n }, (_, i) => i % c);
    for (let i = 0; i < n; i++) values[i * f + labels[i]!]! += 4; // separable enough to learn
    const ds = makeFeatureDataset({ name: 'feat', values, labels, features: f, classNames: ['a', 'b', 'c', 'd'] });
    const prep = fitPreprocessing(ds, { standardize });
    const m = toDesignMatrix(ds, prep);
    const w = await trainedWeights(m.x, m.y, m.n, m.d, m.classes);
    const bytes = exportClassifierOnnx({ weights: w, classes: c, classNames: ds.classNames, preprocessing: prep });
    expect(checkModel(decodeModel(bytes))).toEqual([]);
    const ort = await importOrtNode();
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['features']);
    const out = await session.run({ features: new ort.Tensor('float32', values, [n, f]) });
    await session.release();
    const ref = linearScores(m.x, w, n, m.d, c);
    const scores = out['scores']!.data as Float32Array;
    let scale = 1;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (let k = 0; k < ref.length; k++) worst = Math.max(worst, Math.abs(scores[k]! - ref[k]!));
    expect(worst).toBeLessThan(2 ** -16 * scale * f);
    const got = out['label']!.data as BigInt64Array;
    let agree = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (ref[i * c + j]! > ref[i * c + best]!) best = j;
      if (Number(got[i]) === best) agree++;
    }
    expect(agree).toBeGreaterThanOrEqual(n - 1);
  });

  it('rejects weights, means and names that do not fit', () => {
    const preprocessing = { mean: new Float32Array(4), scale: 1 / 255, features: 4 };
    const ok = { weights: new Float64Array(5 * 3), classes: 3, classNames: ['a', 'b', 'c'], preprocessing };
    expect(() => exportClassifierOnnx({ ...ok, weights: new Float64Array(12) }))
      .toThrow(new ShapeError('exportClassifierOnnx: weights have 12 values, expected (features + 1)·classes = 5·3'));
    expect(() => exportClassifierOnnx({ ...ok, classNames: ['a'] })).toThrow(/1 class names for 3 classes/);
    expect(() => exportClassifierOnnx({ ...ok, preprocessing: { ...preprocessing, mean: new Float32Array(3) } })).toThrow(/mean has 3 values/);
    expect(() => exportClassifierOnnx({ ...ok, preprocessing: { ...preprocessing, scale: 0 } })).toThrow(OptionError);
    const nan = new Float64Array(15);
    nan[7] = Number.NaN;
    expect(() => exportClassifierOnnx({ ...ok, weights: nan })).toThrow(/weight NaN at row 2, column 1 is not finite/);
  });
});
