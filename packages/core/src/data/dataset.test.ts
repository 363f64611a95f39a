import { describe, expect, it } from 'vitest';
import { DataError, ShapeError } from '../errors.js';
import { checkDataset, classCounts, imageAt, makeDataset } from './dataset.js';

const shape = { height: 2, width: 3, channels: 1, layout: 'hwc' } as const;

describe('makeDataset / checkDataset', () => {
  it('builds a consistent data set', () => {
    const ds = makeDataset({ name: 'd', images: new Uint8Array(12), labels: Uint8Array.from([0, 2]),
      image: shape, classNames: ['a', 'b', 'c'] });
    expect(ds.n).toBe(2);
    expect(ds.features).toBe(6);
    expect(classCounts(ds)).toEqual([1, 0, 1]);
    expect(imageAt(ds, 1).length).toBe(6);
    expect(() => imageAt(ds, 2)).toThrow(ShapeError);
  });

  it('rejects sizes that do not fit, naming them', () => {
    expect(() => makeDataset({ name: 'd', images: new Uint8Array(11), labels: Uint8Array.from([0, 2]),
      image: shape, classNames: ['a', 'b', 'c'] })).toThrow('d: 11 pixel bytes, but 2 images of 6 values need 12');
    expect(() => checkDataset({ name: 'e', images: new Uint8Array(6), labels: Uint8Array.from([0]), n: 1,
      features: 5, image: shape, classNames: ['a'] })).toThrow(/e: features is 5 but the image shape 2×3×1 holds 6/);
    expect(() => makeDataset({ name: 'f', images: new Uint8Array(0), labels: new Uint8Array(0),
      image: { ...shape, height: 0 }, classNames: ['a'] })).toThrow(ShapeError);
  });

  it('rejects a label out of range, naming its index', () => {
    expect(() => makeDataset({ name: 'd', images: new Uint8Array(18), labels: Uint8Array.from([0, 1, 3]),
      image: shape, classNames: ['a', 'b', 'c'] })).toThrow(DataError);
    expect(() => makeDataset({ name: 'd', images: new Uint8Array(18), labels: Uint8Array.from([0, 1, 3]),
      image: shape, classNames: ['a', 'b', 'c'] })).toThrow('d: label 3 at index 2 is out of range for 3 classes (0..2)');
  });
});
