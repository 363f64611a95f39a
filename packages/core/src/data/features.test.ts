import { describe, expect, it } from 'vitest';
import { DataError, ShapeError } from '../errors.js';
import { decodeModel, encodeModel, type Model } from '../model/model-file.js';
import { predictRow } from '../model/predict.js';
import { encodeNpy, encodeNpz } from '../testing/encoders.js';
import { isFeatureDataset, makeFeatureDataset, type FeatureDataset } from './dataset.js';
import { prepareSplits } from './prepare.js';
import {
  fitPreprocessing, preprocessingFromJSON, preprocessingToJSON, preprocessRow, toDesignMatrix, toPixelMatrix, type FeaturePreprocessing,
} from './preprocess.js';
import { recognizeDataset } from './recognize.js';
import { splitTrainValidation, subset, take } from './split.js';
import { Random } from '../random.js';

/** n rows of f seeded features: column j has mean 3j − 5 and deviation j + 0.5; column 2 is constant. */
function features(n: number, f: number, seed = 1, name = 'feat'): FeatureDataset {
  const r = new Random(seed);
  const values = new Float32Array(n * f);
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) values[i * f + j] = j === 2 ? 7.25 : 3 * j - 5 + (j + 0.5) * r.normal();
  return makeFeatureDataset({ name, values, labels: Uint8Array.from({ length: n }, (_, i) => i % 3), features: f, classNames: ['a', 'b', 'c'] });
}

describe('features data sets', () => {
  it('hold float32 rows, checked: sizes, finite values (named by row and feature), labels', () => {
    const ds = features(10, 4);
    expect(isFeatureDataset(ds)).toBe(true);
    expect(ds.image).toBeUndefined();
    const bad = Float32Array.from(ds.values);
    bad[2 * 4 + 3] = Number.POSITIVE_INFINITY;
    expect(() => makeFeatureDataset({ ...ds, values: bad })).toThrow(/value Infinity at row 2, feature 3 is not finite/);
    expect(() => makeFeatureDataset({ ...ds, values: ds.values.subarray(0, 39) })).toThrow(ShapeError);
    expect(() => makeFeatureDataset({ ...ds, labels: Uint8Array.from({ length: 10 }, () => 3) })).toThrow(/label 3 at index 0 is out of range for 3 classes/);
  });

  it('split, subset and take keep the kind and copy the right rows', () => {
    const ds = features(20, 3);
    const s = subset(ds, [4, 4, 19]);
    expect(isFeatureDataset(s)).toBe(true);
    expect(Array.from(s.values.subarray(0, 3))).toEqual(Array.from(ds.values.subarray(12, 15)));
    expect(Array.from(s.values.subarray(6, 9))).toEqual(Array.from(ds.values.subarray(57, 60)));
    expect(take(ds, 5).values.length).toBe(15);
    const split = splitTrainValidation(ds, { validation: 0.25, rng: new Random(3) });
    expect(split.train.n + split.validation.n).toBe(20);
    split.validationIndices.forEach((i, k) => expect(split.validation.values[k * 3]).toBe(ds.values[i * 3]));
  });

  it('as given: the design matrix is the values, to the bit, and the bias column', () => {
    const ds = features(50, 5);
    const prep = fitPreprocessing(ds);
    expect(prep.standardized).toBe(false);
    const m = toDesignMatrix(ds, prep);
    expect(m.d).toBe(6);
    for (let i = 0; i < 50; i++) {
      expect(Array.from(m.x.subarray(i * 6, i * 6 + 5))).toEqual(Array.from(ds.values.subarray(i * 5, i * 5 + 5)));
      expect(m.x[i * 6 + 5]).toBe(1);
    }
    expect(() => toPixelMatrix(ds, prep)).toThrow(/features are held as float32 rows, not as pixel bytes/);
  });

  it("standardized: the training split's population mean and deviation, each x within 1 float32 ulp of (v − μ)/σ in float64", () => {
    const ds = features(400, 5);
    const prep = fitPreprocessing(ds, { standardize: true }) as FeaturePreprocessing;
    expect(prep.standardized).toBe(true);
    const n = 400, f = 5;
    for (let j = 0; j < f; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += ds.values[i * f + j]!;
      mean /= n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (ds.values[i * f + j]! - mean) ** 2;
      const std = Math.sqrt(sq / n);
      expect(prep.mean[j]).toBe(Math.fround(mean));
      if (j === 2) expect(prep.std[j]).toBe(1); // constant column: left as it is (minus its mean)
      else expect(prep.std[j]).toBe(Math.fround(std));
    }
    const m = toDesignMatrix(ds, prep);
    let colMean = 0, colSq = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const exact = (ds.values[i * f + j]! - prep.mean[j]!) / prep.std[j]!;
        expect(m.x[i * 6 + j]).toBe(Math.fround(exact));
      }
      colMean += m.x[i * 6 + 4]!;
      colSq += m.x[i * 6 + 4]! ** 2;
    }
    expect(Math.abs(colMean / n)).toBeLessThan(1e-6);
    expect(colSq / n).toBeCloseTo(1, 5);
  });

  it('prepareSplits fits on the training rows only and builds the three design matrices', () => {
    const train = features(200, 4, 1, 'tr'), test = features(30, 4, 2, 'te');
    const p = prepareSplits(train, test, { seed: 5, validation: 0.1, standardize: true, limit: 150 });
    expect(p.pixels).toBeUndefined();
    expect([p.train.n, p.validation.n, p.test.n]).toEqual([150, 20, 30]);
    expect(p.preprocessing).toEqual(fitPreprocessing(p.trainSet, { standardize: true }));
    expect(() => prepareSplits(train, test, { seed: 1, validation: 0, preprocessing: { features: 4, scale: 1, mean: new Float32Array(4), bias: true } }))
      .toThrow(/tr holds features but the preprocessing given is for images/);
  });

  it('preprocessRow and predictRow score a row as the design matrix does; the model file keeps the kind', () => {
    const ds = features(60, 4);
    const prep = fitPreprocessing(ds, { standardize: true });
    const m = toDesignMatrix(ds, prep);
    const w = Float64Array.from({ length: 5 * 3 }, (_, k) => Math.sin(k) / 2);
    const model: Model = { classNames: ['a', 'b', 'c'], preprocessing: prep, weights: w, objective: { loss: 'softmax', reg: 1e-3 } };
    const back = decodeModel(encodeModel(model), 'm.json');
    expect(back.image).toBeUndefined();
    expect(back.preprocessing).toEqual(prep);
    for (const i of [0, 17, 59]) {
      const row = ds.values.subarray(i * 4, i * 4 + 4);
      expect(Array.from(preprocessRow(row, prep))).toEqual(Array.from(m.x.subarray(i * 5, i * 5 + 5)));
      const p = predictRow(back, Array.from(row));
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = 0; j < 5; j++) s += m.x[i * 5 + j]! * w[j * 3 + c]!;
        expect(p.scores[c]).toBeCloseTo(s, 12);
      }
    }
    expect(() => predictRow(back, [1, 2, 3])).toThrow(/the row has 3 values but the preprocessing was fitted on 4/);
    expect(() => predictRow(back, [1, Number.NaN, 3, 4])).toThrow(/value NaN at column 1 is not finite/);
    expect(() => encodeModel({ ...model, image: { height: 2, width: 2, channels: 1, layout: 'hwc' } })).toThrow(/an image shape with a features preprocessing/);
  });

  it('a features preprocessing read back is checked: std > 0, as many values as features, identity when not standardized', () => {
    const json = preprocessingToJSON(fitPreprocessing(features(20, 3), { standardize: true }));
    expect(json.kind).toBe('features');
    expect(() => preprocessingFromJSON({ ...json, std: [1, 0, 1] }, 'p')).toThrow(/p: preprocessing: std value 0 at column 1 is not a finite number > 0/);
    expect(() => preprocessingFromJSON({ ...json, std: [1, 1] }, 'p')).toThrow(/std has 2 values for 3 features/);
    expect(() => preprocessingFromJSON({ ...json, standardized: false }, 'p')).toThrow(/not standardized, but column 0 has mean/);
    expect(() => preprocessingFromJSON({ ...json, kind: 'embedding' }, 'p')).toThrow(/kind "embedding" is not one this descent knows/);
    expect(() => preprocessingFromJSON({ ...json, standardized: 'yes' }, 'p')).toThrow(DataError);
  });

  it('numpy arrays of floats or integers other than uint8 are read as features (float32, float64, int16; .npy and .npz)', () => {
    const f64 = Float64Array.from({ length: 12 * 3 }, (_, i) => Math.cos(i) * 1e3);
    const y = BigInt64Array.from({ length: 12 }, (_, i) => BigInt(i % 4));
    const yTest = BigInt64Array.from({ length: 4 }, (_, i) => BigInt(i));
    const xTest = Int16Array.from({ length: 4 * 3 }, (_, i) => i - 6);
    const r = recognizeDataset([{ name: 'probe.npz', bytes: encodeNpz({
      'x_train.npy': encodeNpy(f64, [12, 3]), 'y_train.npy': encodeNpy(y), 'x_test.npy': encodeNpy(Float64Array.from(xTest), [4, 3]), 'y_test.npy': encodeNpy(yTest),
    }, { compressed: true }) }], { seed: 1 });
    expect(r.format).toBe('npy');
    expect(isFeatureDataset(r.train) && isFeatureDataset(r.test)).toBe(true);
    expect(r.train.features).toBe(3);
    expect(Array.from((r.train as FeatureDataset).values)).toEqual(Array.from(Float32Array.from(f64)));
    expect(Array.from((r.test as FeatureDataset).values)).toEqual(Array.from(xTest));
    const ints = recognizeDataset([{ name: 'X.npy', bytes: encodeNpy(xTest, [4, 3]) }, { name: 'y.npy', bytes: encodeNpy(yTest) }], { seed: 1 });
    expect(isFeatureDataset(ints.train)).toBe(true);
    // N×A×B floats are rows of A·B features, in C order
    const cube = recognizeDataset([{ name: 'x_train.npy', bytes: encodeNpy(Float32Array.from({ length: 12 * 6 }, (_, i) => i), [12, 2, 3]) },
      { name: 'y_train.npy', bytes: encodeNpy(y) }], { seed: 1 });
    expect(cube.train.features).toBe(6);
  });
});
