/**
 * Features instead of images: an .npz of float arrays and LIBSVM text files, through train,
 * evaluate, predict and export, as a user of a linear probe runs them; and the same data written
 * by numpy itself and by scikit-learn when Debian's python3-numpy / python3-sklearn are installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFeatureDataset, Random, readLibsvm, readNpy, type FeatureDataset } from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { encodeLibsvm, encodeNpy, encodeNpz } from '@descent/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, descent } from './run-cli.js';

beforeAll(() => buildCli());

function json(args: string[]): Record<string, any> {
  const r = descent([...args, '--json']);
  expect(r.code, `descent ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** n rows of f features: class means ±3 apart on a few features, noise 1, offset 50 and scale 10 on half the columns (so standardizing matters). */
function probe(n: number, f: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  const r = new Random(seed);
  const x = new Float32Array(n * f), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = r.int(classes);
    for (let j = 0; j < f; j++) {
      const signal = j % classes === y[i] ? 3 : 0;
      x[i * f + j] = j % 2 === 0 ? signal + r.normal() : 50 + 10 * (signal + r.normal());
    }
  }
  return { x, y };
}

const dir = mkdtempSync(join(tmpdir(), 'descent-features-'));
const [F, C] = [40, 6];
const train = probe(1500, F, C, 1), test = probe(400, F, C, 2);
const npz = join(dir, 'probe.npz');
writeFileSync(npz, encodeNpz({ 'x_train.npy': encodeNpy(train.x, [1500, F]), 'y_train.npy': encodeNpy(train.y),
  'x_test.npy': encodeNpy(test.x, [400, F]), 'y_test.npy': encodeNpy(test.y) }, { compressed: true }));
// LIBSVM labels are the class ids ×10 + 5: any integers, mapped to classes in increasing order.
const trainSvm = join(dir, 'probe.svm'), testSvm = join(dir, 'probe.svm.t');
writeFileSync(trainSvm, encodeLibsvm(train.x, Array.from(train.y, (v) => v * 10 + 5), F));
writeFileSync(testSvm, encodeLibsvm(test.x, Array.from(test.y, (v) => v * 10 + 5), F));

describe('descent on features', () => {
  it('trains on an .npz of float arrays (standardized), and evaluate, predict and export read the model of features', () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-feat-out-'));
    const t = json(['train', '--data', npz, '--standardize', '--backend', 'ts', '--epochs', '4', '--validation', '0', '--out', out]);
    expect(t.data).toMatchObject({ name: 'probe', train: 1500, test: 400, features: F + 1, classes: C });
    expect(t.accuracy.test).toBeGreaterThan(0.9);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.image).toBeUndefined();
    expect(model.preprocessing).toMatchObject({ kind: 'features', features: F, standardized: true });
    expect(model.preprocessing.std[1]).toBeGreaterThan(10); // the scaled columns' deviation was fitted
    expect(readdirSync(out)).not.toContain('templates.svg'); // features are no picture

    const e = json(['evaluate', '--model', join(out, 'model.json'), '--data', npz, '--backend', 'onnx-cpu']);
    expect(e.n).toBe(400);
    expect(e.accuracy).toBeCloseTo(t.accuracy.test, 10);
    expect(e.top5).toBeGreaterThanOrEqual(e.accuracy);
    const p = json(['predict', '--model', join(out, 'model.json'), '--data', npz, '--start', '10', '--count', '5']);
    expect(p.predictions.map((r: { index: number }) => r.index)).toEqual([10, 11, 12, 13, 14]);
    expect(p.predictions.map((r: { label: number }) => r.label)).toEqual(Array.from(test.y.subarray(10, 15)));
    // Resumed, the model's preprocessing is kept: asking for another is refused.
    expect(json(['train', '--data', npz, '--resume', join(out, 'model.json'), '--standardize', '--epochs', '1', '--backend', 'ts']).status).toBe('completed');
    const unstandardized = mkdtempSync(join(tmpdir(), 'descent-feat-plain-'));
    json(['train', '--data', npz, '--epochs', '1', '--backend', 'ts', '--lr', '1e-3', '--optimizer', 'adam', '--out', unstandardized]);
    const refused = descent(['train', '--data', npz, '--resume', join(unstandardized, 'model.json'), '--standardize', '--epochs', '1']);
    expect(refused.stderr).toMatch(/--standardize: the model resumed from was not standardized/);
    const x = json(['export', '--model', join(out, 'model.json'), '--onnx', join(out, 'model.onnx')]);
    expect(x.inputs).toEqual([{ name: 'features', type: 'float32', shape: ['N', F] }]);

    // A model of features on images, and images' options on features: said plainly.
    const wrong = descent(['evaluate', '--model', join(out, 'model.json')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/is a model of features; fashion-mnist-subset holds images/);
    // The same count of other classes (LIBSVM label values 5, 15, …, not 0 … 5): refused, not scored.
    const other = descent(['evaluate', '--model', join(out, 'model.json'), '--data', trainSvm, '--test-data', testSvm]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/probe's classes \(5, 15, 25, 35, 45, 55\) are not .*model\.json's \(0, 1, 2, 3, 4, 5\): class 0 is '5' here and '0' in the model/);
  });

  it('trains on LIBSVM files given apart (--test-data), as given, with labels mapped to classes in order', () => {
    const t = json(['train', '--data', trainSvm, '--test-data', testSvm, '--backend', 'onnx-cpu', '--epochs', '4', '--lr', '1e-3', '--optimizer', 'adam']);
    expect(t.data).toMatchObject({ name: 'probe', train: 1350, validation: 150, test: 400, features: F + 1, classes: C });
    expect(t.accuracy.test).toBeGreaterThan(0.85);
    const r = descent(['train', '--data', trainSvm, '--test-data', testSvm, '--epochs', '1']);
    expect(r.stderr).toMatch(/classes: the 6 label values 5, 15, 25, 35, 45, 55, in increasing order/);
    // One file: a fifth held out as the test split.
    expect(json(['train', '--data', trainSvm, '--epochs', '1', '--validation', '0', '--lr', '1e-3', '--optimizer', 'adam']).data).toMatchObject({ train: 1200, test: 300 });
  });

  it('refuses options that do not fit the data, before any work', () => {
    const cases: [string[], RegExp][] = [
      [['train', '--standardize'], /--standardize applies to features; fashion-mnist-subset holds images/],
      [['train', '--data', dir, '--test-data', testSvm], /is not a file: a separate test file goes with a training file/],
      [['train', '--data', trainSvm, '--test-data', join(dir, 'missing.svm')], /missing\.svm is not a file/],
      [['train', '--data', npz, '--scale', '0.5'], /--scale applies to images; probe holds features \(taken as given, or --standardize\)/],
      [['train', '--data', trainSvm, '--no-mean'], /--no-mean applies to images; probe holds features/],
    ];
    for (const [args, says] of cases) {
      const r = descent(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(says);
    }
  });
});

/** Whether /usr/bin/python3 imports these modules (Debian's python3-numpy, python3-sklearn). */
function python(modules: string): boolean {
  return existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', `import ${modules}`]).status === 0;
}
const hasNumpy = python('numpy');
const hasSklearn = python('numpy, sklearn');

describe('files written by others', () => {
  it.skipIf(!hasNumpy)("reads an .npz numpy itself wrote (np.savez_compressed: float64 features, int64 labels), to the float32 value (skipped without Debian's python3-numpy)", async () => {
    const file = join(dir, 'numpy.npz');
    const script = `import numpy as np
rng = np.random.default_rng(3)
y = rng.integers(0, 4, 600)
X = rng.normal(size=(600, 12)) + 2.0 * np.eye(4)[y].repeat(3, axis=1)
np.savez_compressed(${JSON.stringify(file)}, X=X, y=y)
print(repr(float(X[7, 5])))`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const loaded = await loadDataset(file);
    expect(isFeatureDataset(loaded.train)).toBe(true);
    const all = [loaded.train, loaded.test] as FeatureDataset[];
    // X[7, 5] as numpy printed it, rounded to float32 once: row 7 is in one of the splits (20 % held out, seeded).
    expect(all.some((d) => Array.from(d.values).includes(Math.fround(Number(r.stdout.trim()))))).toBe(true);
    const t = json(['train', '--data', file, '--epochs', '3', '--backend', 'ts']);
    expect(t.data).toMatchObject({ name: 'numpy', features: 13, classes: 4, test: 120 });
    expect(t.accuracy.test).toBeGreaterThan(0.8);
  });

  it.skipIf(!hasSklearn)("reads what scikit-learn's dump_svmlight_file wrote (0-based indices) as load_svmlight_file reads it (skipped without Debian's python3-sklearn)", () => {
    const file = join(dir, 'sk.svm');
    const script = `import numpy as np
from sklearn.datasets import dump_svmlight_file, load_svmlight_file
rng = np.random.default_rng(4)
y = rng.integers(0, 3, 300) * 2 - 1
X = rng.normal(size=(300, 9)) * (rng.random((300, 9)) < 0.5)
X[:, 8] += y
dump_svmlight_file(X, y, ${JSON.stringify(file)})
Xb, yb = load_svmlight_file(${JSON.stringify(file)})
np.save(${JSON.stringify(join(dir, 'sk-dense.npy'))}, Xb.toarray().astype(np.float32))
print(Xb.shape[1], sorted(set(yb.tolist())))`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const run = descent(['train', '--data', file, '--epochs', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/feature indices start at 0/);
    expect(run.stderr).toMatch(/the 3 label values -1, 1, 3/);
    expect(json(['train', '--data', file, '--epochs', '2']).data).toMatchObject({ features: 10, classes: 3 });
    expect(r.stdout.trim()).toBe('9 [-1.0, 1.0, 3.0]');
    // Every value as scikit-learn reads it back, rounded to float32.
    const ours = readLibsvm([{ bytes: new Uint8Array(readFileSync(file)), source: file, name: 'sk' }]).sets[0]!;
    const theirs = readNpy(new Uint8Array(readFileSync(join(dir, 'sk-dense.npy'))), 'sk-dense.npy');
    expect(theirs.header.shape).toEqual([300, 9]);
    expect(Array.from(ours.values)).toEqual(Array.from(theirs.data as Float32Array));
  });
});
