/**
 * A linear-probe-shaped data set written as users keep one: an .npz (float32 features, int64
 * labels, np.savez_compressed's layout) and LIBSVM text files (what LIBLINEAR reads). Seeded:
 * each class has a mean drawn from N(0, sep²) per feature, and every row is its class's mean
 * plus N(0, 1) noise, so the classes overlap (a linear classifier's accuracy is well below 1 and
 * settings matter). Used by `pnpm make:probe` (README's example) and `pnpm bench:liblinear`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '@descent/core';
import { encodeLibsvm, encodeNpy, encodeNpz } from '@descent/core/testing';

export interface ProbeShape {
  readonly train: number;
  readonly test: number;
  readonly features: number;
  readonly classes: number;
  /** Deviation of the class means per feature (how far apart the classes are). */
  readonly sep: number;
  readonly seed: number;
}

export const PROBE_DEFAULTS: ProbeShape = { train: 30000, test: 10000, features: 128, classes: 20, sep: 0.2, seed: 1 };

export interface ProbeRows {
  readonly x: Float32Array;
  readonly y: Int32Array;
}

/** train + test rows of the shape's classes: x = mean[y] + N(0, 1), from the seed's streams. */
export function probeRows(shape: ProbeShape): { train: ProbeRows; test: ProbeRows } {
  const { features: f, classes: c } = shape;
  const means = new Random(shape.seed).fork('means');
  const mu = Float32Array.from({ length: c * f }, () => shape.sep * means.normal());
  const rows = (n: number, stream: string): ProbeRows => {
    const r = new Random(shape.seed).fork(stream);
    const x = new Float32Array(n * f), y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = r.int(c);
      y[i] = k;
      for (let j = 0; j < f; j++) x[i * f + j] = mu[k * f + j]! + r.normal();
    }
    return { x, y };
  };
  return { train: rows(shape.train, 'train'), test: rows(shape.test, 'test') };
}

export interface ProbeFiles {
  readonly npz: string;
  readonly svm: string;
  readonly svmTest: string;
  /** LIBSVM bytes written, both files. */
  readonly svmBytes: number;
}

/** Writes probe.npz, probe.svm (training rows) and probe.svm.t (test rows) into `dir`. */
export function writeProbeFiles(dir: string, shape: ProbeShape): ProbeFiles & { rows: ReturnType<typeof probeRows> } {
  mkdirSync(dir, { recursive: true });
  const rows = probeRows(shape);
  const { train, test } = rows, f = shape.features;
  const npz = join(dir, 'probe.npz'), svm = join(dir, 'probe.svm'), svmTest = join(dir, 'probe.svm.t');
  writeFileSync(npz, encodeNpz({
    'x_train.npy': encodeNpy(train.x, [shape.train, f]), 'y_train.npy': encodeNpy(BigInt64Array.from(train.y, BigInt)),
    'x_test.npy': encodeNpy(test.x, [shape.test, f]), 'y_test.npy': encodeNpy(BigInt64Array.from(test.y, BigInt)),
  }, { compressed: true }));
  const a = encodeLibsvm(train.x, train.y, f), b = encodeLibsvm(test.x, test.y, f);
  writeFileSync(svm, a);
  writeFileSync(svmTest, b);
  return { npz, svm, svmTest, svmBytes: a.length + b.length, rows };
}
