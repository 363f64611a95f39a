import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../testing/reference-backend.js';
import { accuracy, confusionAndTopK, confusionMatrix, topKAccuracy } from './accuracy.js';

describe('topKAccuracy', () => {
  it('counts a label among the k highest scores; ties are broken as argmax breaks them (first class first)', async () => {
    const b = createReferenceBackend();
    // x = identity rows with the bias 0: row i's scores are W's row i, so W is the score table.
    const scores = [
      [5, 4, 3, 2, 1, 0], // label 0: rank 1
      [5, 4, 3, 2, 1, 0], // label 2: rank 3
      [1, 1, 1, 1, 1, 1], // label 4: all tied, four classes before it → rank 5
      [0, 9, 9, 9, 9, 9], // label 0: last → rank 6
      [3, 3, 0, 0, 0, 0], // label 1: tied with class 0 before it → rank 2
    ];
    const y = Int32Array.of(0, 2, 4, 0, 1);
    const n = 5, d = 5, c = 6;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) x[i * d + i] = 1;
    const w = Float64Array.from(scores.flat());
    const data = await b.place({ x, y, n, d, classes: c });
    expect(await topKAccuracy(b, w, data, 1)).toBe(await accuracy(b, w, data));
    expect(await topKAccuracy(b, w, data, 1)).toBe(1 / 5);
    expect(await topKAccuracy(b, w, data, 2)).toBe(2 / 5);
    expect(await topKAccuracy(b, w, data, 3)).toBe(3 / 5);
    expect(await topKAccuracy(b, w, data, 5)).toBe(4 / 5);
    expect(await topKAccuracy(b, w, data, 6)).toBe(1);
    expect(await topKAccuracy(b, w, data, 2, Int32Array.of(4, 4, 0))).toBe(1);
    const both = await confusionAndTopK(b, w, data, 3);
    expect(both.topK).toBe(3 / 5);
    expect(both.confusion).toEqual(await confusionMatrix(b, w, data));
    await b.dispose();
  });
});
