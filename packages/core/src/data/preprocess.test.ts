import { describe, expect, it } from 'vitest';
import { DataError, OptionError, ShapeError } from '../errors.js';
import { makeDataset, type ImageDataset } from './dataset.js';
import {
  checkDesignMatrix, fitPreprocessing, preprocessImage, preprocessingFromJSON, preprocessingToJSON,
  toDesignMatrix,
} from './preprocess.js';

function tiny(name: string, rows: number[][], labels: number[]): ImageDataset {
  return makeDataset({ name, images: Uint8Array.from(rows.flat()), labels: Uint8Array.from(labels),
    image: { height: 1, width: 2, channels: 1, layout: 'hwc' }, classNames: ['a', 'b', 'c'] });
}

describe('fitPreprocessing', () => {
  // Hand case: train pixels (0, 10), (255, 20), (51, 0): column means 102 and 10 (raw).
  const train = tiny('train', [[0, 10], [255, 20], [51, 0]], [0, 1, 2]);
  const test = tiny('test', [[255, 255], [0, 0]], [2, 0]);

  it('mean image in scaled units, from the training split only', () => {
    const prep = fitPreprocessing(train);
    expect(prep.features).toBe(2);
    expect(prep.bias).toBe(true);
    expect(prep.scale).toBe(1 / 255);
    expect(prep.mean[0]).toBeCloseTo(102 / 255, 7);
    expect(prep.mean[1]).toBeCloseTo(10 / 255, 7);
    // Fitting on the test split gives different numbers; applying train's to test uses train's.
    const testPrep = fitPreprocessing(test);
    expect(testPrep.mean[0]).toBeCloseTo(127.5 / 255, 7);
    const m = toDesignMatrix(test, prep);
    expect(m.x[0]).toBeCloseTo(1 - 102 / 255, 6);
    expect(m.x[1]).toBeCloseTo(1 - 10 / 255, 6);
    expect(m.x[3]).toBeCloseTo(-102 / 255, 6);
  });

  it('scale 1 and no mean', () => {
    const prep = fitPreprocessing(train, { scale: 1, subtractMean: false });
    expect(Array.from(prep.mean)).toEqual([0, 0]);
    const m = toDesignMatrix(train, prep);
    expect(Array.from(m.x)).toEqual([0, 10, 1, 255, 20, 1, 51, 0, 1]);
    const m2 = toDesignMatrix(train, fitPreprocessing(train, { scale: 1 }));
    expect(Array.from(m2.x)).toEqual([-102, 0, 1, 153, 10, 1, -51, -10, 1]);
  });

  it('design matrix shape, labels, bias column, float32', () => {
    const m = toDesignMatrix(train, fitPreprocessing(train));
    expect(m.x).toBeInstanceOf(Float32Array);
    expect(m.y).toBeInstanceOf(Int32Array);
    expect(m).toMatchObject({ n: 3, d: 3, classes: 3 });
    expect(Array.from(m.y)).toEqual([0, 1, 2]);
    expect([m.x[2], m.x[5], m.x[8]]).toEqual([1, 1, 1]);
    // Training columns have mean ≈ 0 after subtraction.
    expect(m.x[0]! + m.x[3]! + m.x[6]!).toBeCloseTo(0, 6);
  });

  it('rejects bad options and an empty training set', () => {
    expect(() => fitPreprocessing(train, { scale: 0 })).toThrow(OptionError);
    expect(() => fitPreprocessing(train, { scale: Number.NaN })).toThrow(OptionError);
    const empty = makeDataset({ ...train, images: new Uint8Array(0), labels: new Uint8Array(0) });
    expect(() => fitPreprocessing(empty)).toThrow(DataError);
    expect(fitPreprocessing(empty, { subtractMean: false }).mean.length).toBe(2);
  });

  it('feature count mismatch is a ShapeError naming both', () => {
    const prep = fitPreprocessing(train);
    const other = makeDataset({ name: 'cifar', images: new Uint8Array(3), labels: Uint8Array.from([0]),
      image: { height: 1, width: 3, channels: 1, layout: 'hwc' }, classNames: ['a'] });
    expect(() => toDesignMatrix(other, prep)).toThrow(ShapeError);
    expect(() => toDesignMatrix(other, prep)).toThrow(
      'cifar has 3 features per image but the preprocessing was fitted on 2');
    expect(() => preprocessImage(new Uint8Array(3), prep)).toThrow(/the image has 3 values .* fitted on 2/);
  });

  it('NaN in the mean or an overflowing scale is a DataError naming where', () => {
    const prep = fitPreprocessing(train);
    const nanMean = { ...prep, mean: Float32Array.from([0.1, Number.NaN]) };
    expect(() => toDesignMatrix(train, nanMean)).toThrow(DataError);
    expect(() => toDesignMatrix(train, nanMean)).toThrow(/mean value NaN at column 1/);
    // Finite scale whose products overflow float32: the first bad value is named by row and column.
    const huge = { ...prep, scale: 1e37, mean: new Float32Array(2) };
    expect(() => toDesignMatrix(train, huge)).toThrow('train: x has Infinity at row 1, column 0');
    expect(() => preprocessImage(Uint8Array.from([0, 255]), huge)).toThrow(/value Infinity at column 1/);
  });

  it('preprocessImage matches a row of the design matrix', () => {
    const prep = fitPreprocessing(train);
    const m = toDesignMatrix(train, prep);
    const row = preprocessImage(Uint8Array.from([255, 20]), prep);
    expect(row).toBeInstanceOf(Float32Array);
    expect(Array.from(row)).toEqual(Array.from(m.x.subarray(3, 6)));
  });

  it('JSON round trip and validation', () => {
    const prep = fitPreprocessing(train);
    const json = JSON.parse(JSON.stringify(preprocessingToJSON(prep)));
    const back = preprocessingFromJSON(json);
    expect(back.mean).toEqual(prep.mean);
    expect((back as { scale: number }).scale).toBe(prep.scale);
    expect(() => preprocessingFromJSON({ ...json, mean: [1] }, 'model.json')).toThrow(/model\.json: .*mean has 1 values for 2 features/);
    expect(() => preprocessingFromJSON(null)).toThrow(DataError);
    expect(() => preprocessingFromJSON({ ...json, mean: 'x' })).toThrow(DataError);
  });
});

describe('checkDesignMatrix', () => {
  const ok = () => ({ x: Float32Array.from([1, 2, 1, 3, 4, 1]), y: Int32Array.from([0, 1]), n: 2, d: 3, classes: 2 });

  it('accepts a good matrix and returns it', () => {
    const m = ok();
    expect(checkDesignMatrix(m, { bias: true })).toBe(m);
  });

  it('shapes', () => {
    expect(() => checkDesignMatrix({ ...ok(), d: 4 })).toThrow(ShapeError);
    expect(() => checkDesignMatrix({ ...ok(), d: 4 })).toThrow('design matrix: x: expected 2×4 = 8 values, got 6');
    expect(() => checkDesignMatrix({ ...ok(), y: Int32Array.from([0]) })).toThrow(/labels: expected 2 \(one per row\), got 1/);
    expect(() => checkDesignMatrix({ ...ok(), classes: 0 })).toThrow(ShapeError);
    expect(() => checkDesignMatrix({ ...ok(), x: new Float64Array(6) as unknown as Float32Array })).toThrow(/Float32Array/);
  });

  it('labels out of range name the row', () => {
    expect(() => checkDesignMatrix({ ...ok(), y: Int32Array.from([0, 2]) }, { name: 'val' }))
      .toThrow('val: label 2 at row 1 is outside [0, 2)');
    expect(() => checkDesignMatrix({ ...ok(), y: Int32Array.from([-1, 0]) })).toThrow(DataError);
  });

  it('NaN and Inf name row and column', () => {
    const m = ok();
    m.x[4] = Number.NaN;
    expect(() => checkDesignMatrix(m)).toThrow('design matrix: x has NaN at row 1, column 1');
    const m2 = ok();
    m2.x[0] = -Infinity;
    expect(() => checkDesignMatrix(m2)).toThrow(/x has -Infinity at row 0, column 0/);
  });

  it('bias column', () => {
    const m = ok();
    m.x[5] = 0;
    expect(() => checkDesignMatrix(m)).not.toThrow();
    expect(() => checkDesignMatrix(m, { bias: true })).toThrow('design matrix: bias column (column 2) is 0 at row 1, expected 1');
  });
});
