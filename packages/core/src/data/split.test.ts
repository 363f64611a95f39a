import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError } from '../errors.js';
import { Random } from '../random.js';
import { makeDataset, type Dataset } from './dataset.js';
import { splitTrainValidation, subset, take } from './split.js';

/** n 2×2 images; image i's pixels all equal i % 256 and its label is i % 3. */
function numbered(n: number): Dataset {
  const images = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i % 256, i * 4, i * 4 + 4);
  return makeDataset({ name: 'num', images, labels: Uint8Array.from({ length: n }, (_, i) => i % 3),
    image: { height: 2, width: 2, channels: 1, layout: 'hwc' }, classNames: ['a', 'b', 'c'] });
}

describe('subset and take', () => {
  it('subset copies the rows in the given order, repeats allowed', () => {
    const ds = numbered(10);
    const s = subset(ds, [7, 2, 2]);
    expect(s.n).toBe(3);
    expect(Array.from(s.images!)).toEqual([7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(Array.from(s.labels)).toEqual([1, 2, 2]);
    expect(s.classNames).toEqual(['a', 'b', 'c']);
    expect(() => subset(ds, [1, 10])).toThrow(ShapeError);
    expect(() => subset(ds, [1, 10])).toThrow('subset of num: index 10 (position 1) is out of range 0..9');
    expect(() => subset(ds, [0.5])).toThrow(ShapeError);
  });

  it('take gives the first n rows', () => {
    const ds = numbered(10);
    const t = take(ds, 4);
    expect(t.n).toBe(4);
    expect(t.name).toBe('num[:4]');
    expect(Array.from(t.labels)).toEqual([0, 1, 2, 0]);
    expect(t.images!.length).toBe(16);
    expect(take(ds, 0).n).toBe(0);
    expect(take(ds, 10)).toBe(ds);
    expect(() => take(ds, 11)).toThrow(OptionError);
    expect(() => take(ds, -1)).toThrow(OptionError);
  });
});

describe('splitTrainValidation', () => {
  const ds = numbered(100);

  it('is disjoint and complete, with rows in original order', () => {
    const s = splitTrainValidation(ds, { validation: 0.2, rng: new Random(1) });
    expect(s.validation.n).toBe(20);
    expect(s.train.n).toBe(80);
    const all = [...s.trainIndices, ...s.validationIndices].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Set(all).size).toBe(100);
    for (const idx of [s.trainIndices, s.validationIndices]) {
      for (let k = 1; k < idx.length; k++) expect(idx[k]!).toBeGreaterThan(idx[k - 1]!);
    }
    // The rows really are those indices (pixel value = original index).
    s.validationIndices.forEach((i, k) => expect(s.validation.images![k * 4]).toBe(i));
    s.trainIndices.forEach((i, k) => expect(s.train.labels[k]).toBe(i % 3));
    expect(s.train.name).toBe('num/train');
    expect(s.validation.name).toBe('num/validation');
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = splitTrainValidation(ds, { validation: 25, rng: new Random(42) });
    const b = splitTrainValidation(ds, { validation: 25, rng: new Random(42) });
    const c = splitTrainValidation(ds, { validation: 25, rng: new Random(43) });
    expect(a.validationIndices).toEqual(b.validationIndices);
    expect(a.validation.images).toEqual(b.validation.images);
    expect(a.validationIndices).not.toEqual(c.validationIndices);
    // It is exactly the first k entries of the seeded permutation.
    const perm = new Random(42).permutation(100);
    expect(Array.from(a.validationIndices)).toEqual(Array.from(perm.slice(0, 25)).sort((x, y) => x - y));
  });

  it('rejects bad sizes', () => {
    const rng = new Random(0);
    expect(() => splitTrainValidation(ds, { validation: 0, rng })).toThrow(OptionError);
    expect(() => splitTrainValidation(ds, { validation: 100, rng })).toThrow(/leaves no training rows/);
    expect(() => splitTrainValidation(ds, { validation: 1.5, rng })).toThrow(OptionError);
    expect(() => splitTrainValidation(ds, { validation: -0.1, rng })).toThrow(OptionError);
    expect(() => splitTrainValidation(numbered(3), { validation: 0.1, rng })).toThrow(/rounds to 0 rows/);
    expect(splitTrainValidation(ds, { validation: 99, rng }).train.n).toBe(1);
  });
});
