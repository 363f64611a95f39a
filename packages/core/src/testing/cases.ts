/**
 * Seeded conformance cases: data sets, weights, objectives and row selections on which every
 * backend must agree with the float64 reference. Each case draws from its own named stream,
 * so adding a case never changes another.
 */
import { Random } from '../random.js';
import { hasMargin, type DesignMatrix, type Objective, type PixelMatrix, type Rows } from '../backend.js';
import { decodePixelRows } from '../data/preprocess.js';
import type { OptimizerName } from '../optimizers/index.js';

export interface ConformanceCase {
  readonly name: string;
  /** N×D row-major, bias column last where the case is data-shaped. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
  readonly d: number;
  readonly c: number;
  /** D×C row-major. */
  readonly w: Float64Array;
  readonly objectives: readonly Objective[];
  readonly rows: readonly Rows[];
  /** Reference values a person can check by hand, per objective label (data loss). */
  readonly known?: Readonly<Record<string, number>>;
  /**
   * The same data as bytes and preprocessing (x is what they stand for): a backend that keeps
   * pixels (placePixels) is given these, any other the float32 x.
   */
  readonly pixels?: PixelMatrix;
}

/** Random bytes, scale 1/255 minus the columns' mean (as fitPreprocessing takes it), as a case's pixels and x. */
function pixelData(rng: Random, n: number, features: number, classes: number): { pixels: PixelMatrix; x: Float32Array; y: Int32Array } {
  const bytes = Uint8Array.from({ length: n * features }, () => rng.int(256));
  const scale = 1 / 255;
  const mean = new Float32Array(features);
  for (let j = 0; j < features; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += bytes[i * features + j]!;
    mean[j] = (sum / n) * scale;
  }
  const y = labels(rng, n, classes);
  const pixels: PixelMatrix = { pixels: bytes, features, scale, mean, y, n, d: features + 1, classes };
  return { pixels, x: decodePixelRows(pixels, 0, n), y };
}

export function objectiveLabel(o: Objective): string {
  return `${o.loss} reg ${o.reg}${hasMargin(o.loss) ? ` Δ ${o.delta ?? 1}` : ''}`;
}

function labels(rng: Random, n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(classes));
}

/** Mean-subtracted pixels: uniform integers 0…255 minus their column mean, plus the bias 1. */
function pixelRows(rng: Random, n: number, d: number): Float32Array {
  const x = new Float32Array(n * d);
  const features = d - 1;
  for (let i = 0; i < n * d; i++) x[i] = rng.int(256);
  for (let k = 0; k < features; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + k]!;
    mean /= n;
    for (let i = 0; i < n; i++) x[i * d + k] = x[i * d + k]! - mean;
  }
  for (let i = 0; i < n; i++) x[i * d + features] = 1;
  return x;
}

const ALL_OBJECTIVES: readonly Objective[] = [
  { loss: 'svm', reg: 0 },
  { loss: 'svm', reg: 0.5, delta: 1 },
  { loss: 'softmax', reg: 0 },
  { loss: 'softmax', reg: 0.5 },
  { loss: 'crammer-singer', reg: 0 },
  { loss: 'crammer-singer', reg: 0.5, delta: 1 },
];

export function conformanceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const root = new Random('descent-conformance');

  // CS231n lecture 3: x = I₃, W = the score table, so scores are the table exactly.
  cases.push({
    name: 'lecture 3×3 (hand-checkable)',
    x: new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), y: new Int32Array([0, 1, 2]), n: 3, d: 3, c: 3,
    w: new Float64Array([3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1]),
    objectives: ALL_OBJECTIVES,
    rows: [{ start: 0, count: 3 }, { start: 0, count: 1 }],
    known: { 'svm reg 0 Δ 1': (2.9 + 0 + 12.9) / 3, 'crammer-singer reg 0 Δ 1': (2.9 + 0 + 6.6) / 3 },
  });

  {
    const rng = root.fork('cifar');
    const n = 64, d = 3073, c = 10;
    cases.push({
      name: 'CIFAR-10-shaped 64×3073×10', x: pixelRows(rng, n, d), y: labels(rng, n, c), n, d, c,
      w: normals(rng, new Float64Array(d * c), 1e-3),
      objectives: [...ALL_OBJECTIVES, { loss: 'softmax', reg: 1e4 }, { loss: 'svm', reg: 1e4 }, { loss: 'crammer-singer', reg: 1e4 }],
      rows: [{ start: 0, count: n }, { start: 13, count: 17 }],
    });
  }
  {
    const rng = root.fork('fashion');
    const n = 64, d = 785, c = 10;
    cases.push({
      name: 'Fashion-MNIST-shaped 64×785×10', x: pixelRows(rng, n, d), y: labels(rng, n, c), n, d, c,
      w: normals(rng, new Float64Array(d * c), 1e-3),
      objectives: ALL_OBJECTIVES,
      rows: [{ start: 0, count: n }, { start: 60, count: 4 }],
    });
  }
  {
    // Integer data and weights: every score and margin is an exact integer in any precision,
    // so many margins sit exactly at 0 (the kink) and exactly at Δ (s_j = s_y), and wrong
    // classes tie for the Crammer–Singer competitor (the lowest index wins).
    const rng = root.fork('ties');
    const n = 48, d = 6, c = 5;
    const x = Float32Array.from({ length: n * d }, () => rng.int(5) - 2);
    const w = Float64Array.from({ length: d * c }, () => rng.int(3) - 1);
    cases.push({
      name: 'hinge ties (integer data, margins exactly 0 and Δ)', x, y: labels(rng, n, c), n, d, c, w,
      objectives: [{ loss: 'svm', reg: 0 }, { loss: 'svm', reg: 0.25, delta: 1 }, { loss: 'svm', reg: 0, delta: 2 },
        { loss: 'softmax', reg: 0 }, { loss: 'crammer-singer', reg: 0 }, { loss: 'crammer-singer', reg: 0.25, delta: 1 },
        { loss: 'crammer-singer', reg: 0, delta: 2 }],
      rows: [{ start: 0, count: n }],
    });
  }
  {
    // One-hot rows and weights of ±1e4: scores of ±1e4, where a naive softmax overflows.
    const rng = root.fork('huge');
    const n = 12, d = 4, c = 3;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) x[i * d + (i % d)] = 1;
    const w = Float64Array.from({ length: d * c }, () => (rng.int(3) - 1) * 1e4);
    cases.push({
      name: 'softmax scores ±1e4', x, y: labels(rng, n, c), n, d, c, w,
      objectives: [{ loss: 'softmax', reg: 0 }, { loss: 'softmax', reg: 1e-6 }, { loss: 'svm', reg: 0 },
        { loss: 'crammer-singer', reg: 0 }],
      rows: [{ start: 0, count: n }],
    });
  }
  {
    const rng = root.fork('absent');
    const n = 30, d = 17, c = 7;
    const x = normals(rng, new Float32Array(n * d));
    cases.push({
      name: 'classes 4…6 absent from the batch', x, y: labels(rng, n, 4), n, d, c,
      w: normals(rng, new Float64Array(d * c), 0.3),
      objectives: ALL_OBJECTIVES,
      rows: [{ start: 0, count: n }],
    });
  }
  {
    const rng = root.fork('repeats');
    const n = 40, d = 23, c = 6;
    const x = normals(rng, new Float32Array(n * d), 3);
    const rows = Int32Array.from({ length: 50 }, () => rng.int(n));
    rows[1] = rows[0]!;
    rows[2] = rows[0]!;
    cases.push({
      name: 'Int32Array rows with repeats, and a batch of one', x, y: labels(rng, n, c), n, d, c,
      w: normals(rng, new Float64Array(d * c), 0.2),
      objectives: [...ALL_OBJECTIVES, { loss: 'svm', reg: 1e3 }, { loss: 'softmax', reg: 1e3 }, { loss: 'crammer-singer', reg: 1e3 }],
      rows: [rows, new Int32Array([7, 7, 7, 0, 39]), { start: 39, count: 1 }, new Int32Array([5])],
    });
  }
  {
    // One class: no wrong class to compete, every hinge 0 and softmax's loss 0.
    const rng = root.fork('one-class');
    const n = 9, d = 4, c = 1;
    cases.push({
      name: 'one class', x: normals(rng, new Float32Array(n * d)), y: new Int32Array(n), n, d, c,
      w: normals(rng, new Float64Array(d * c), 0.5),
      objectives: ALL_OBJECTIVES,
      rows: [{ start: 0, count: n }],
    });
  }
  {
    const rng = root.fork('pixels-cifar');
    const n = 40, f = 3072, c = 10;
    const { pixels, x, y } = pixelData(rng, n, f, c);
    cases.push({
      name: 'pixels: CIFAR-10-shaped bytes 40×3072, scale 1/255 minus the mean', x, y, n, d: f + 1, c, pixels,
      w: normals(rng, new Float64Array((f + 1) * c), 1e-2),
      objectives: ALL_OBJECTIVES,
      rows: [{ start: 0, count: n }, { start: 5, count: 9 }, Int32Array.of(3, 3, 39, 0, 17, 3)],
    });
  }
  {
    // More rows than a backend may take in one go from bytes (onnx: PIXEL_CHUNK_ROWS = 2048).
    const rng = root.fork('pixels-many');
    const n = 4500, f = 12, c = 4;
    const { pixels, x, y } = pixelData(rng, n, f, c);
    cases.push({
      name: 'pixels: 4500 rows of 12 bytes (all rows in chunks)', x, y, n, d: f + 1, c, pixels,
      w: normals(rng, new Float64Array((f + 1) * c), 0.5),
      objectives: [{ loss: 'softmax', reg: 0.1 }, { loss: 'svm', reg: 0 }, { loss: 'crammer-singer', reg: 0.1 }],
      rows: [{ start: 0, count: n }, { start: 100, count: 4300 }, Int32Array.from({ length: 2500 }, (_, i) => (i * 7919) % n)],
    });
  }
  {
    // A thousand classes (a linear probe's ImageNet head): most absent from any batch, scores
    // spread so the hinges and the softmax's normalizer see many competing classes.
    const rng = root.fork('thousand');
    const n = 48, d = 33, c = 1000;
    const x = normals(rng, new Float32Array(n * d));
    for (let i = 0; i < n; i++) x[i * d + d - 1] = 1;
    cases.push({
      name: 'a thousand classes 48×33×1000 (most absent from every batch)', x, y: labels(rng, n, c), n, d, c,
      w: normals(rng, new Float64Array(d * c), 0.2),
      objectives: ALL_OBJECTIVES,
      rows: [{ start: 0, count: n }, { start: 7, count: 5 }, Int32Array.of(47, 0, 0, 13)],
    });
  }
  {
    const rng = root.fork('thousand-pixels');
    const n = 30, f = 48, c = 1000;
    const { pixels, x, y } = pixelData(rng, n, f, c);
    cases.push({
      name: 'pixels: a thousand classes, 30 rows of 48 bytes', x, y, n, d: f + 1, c, pixels,
      w: normals(rng, new Float64Array((f + 1) * c), 0.1),
      objectives: [{ loss: 'softmax', reg: 0.1 }, { loss: 'svm', reg: 0 }, { loss: 'crammer-singer', reg: 0.1 }],
      rows: [{ start: 0, count: n }, Int32Array.of(29, 3, 3)],
    });
  }
  return cases;
}

/**
 * A training run every backend repeats from one seed. core's train() draws the minibatches on
 * the host from the seed, so every backend sees the same sequence of rows; only its
 * arithmetic differs, and its final weights are compared with those of the same run on the
 * float64 reference backend (reference-backend.ts).
 */
export interface TrainingCase {
  readonly name: string;
  readonly data: DesignMatrix;
  /** Held-out rows from the same distribution: the validation accuracy must match the oracle's. */
  readonly validation: DesignMatrix;
  readonly objective: Objective;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly iterations: number;
  readonly batchSize: number;
  readonly seed: number;
}

/*
 * The final weights are held to the same bound as one evaluation (toleranceFor: PRECISION_RTOL
 * relative to max|W_oracle|). The figures below were measured against 'ts-f64' as the oracle,
 * which agrees with the reference backend to float64 roundoff. Softmax (smooth) rather than the SVM: a float32 rounding that
 * flips one hinge margin across 0 changes that step's gradient by a whole row of X, which no
 * roundoff bound covers. Measured worst |ΔW|/max|W| after 200 steps (Node): ts 6e-9 (SGD),
 * 2e-8 (Adam); tfjs-cpu 1e-8, 6e-8; tfjs-wasm 2e-8, 1.4e-7; in Chromium tfjs-webgl 1.3e-7,
 * 4.7e-7 and tfjs-webgpu 1.3e-7, 5.1e-7: ≥100× inside float32's 2⁻¹⁴ ≈ 6.1e-5. onnx-cpu
 * runs SGD and Nesterov on its resident trainer, W accumulating in float32:
 * 5.5e-7 (SGD) and 2.4e-7 (Nesterov), still ~100× inside.
 */
export function trainingCases(): TrainingCase[] {
  const rng = new Random('descent-conformance').fork('training');
  const n = 600, features = 32, d = features + 1, c = 5;
  // Gaussian blobs: class centres N(0, 1), points centre + N(0, 1.5²): learnable, not separable.
  const centres = normals(rng, new Float64Array(c * features));
  const blobs = (rows: number): DesignMatrix => {
    const y = labels(rng, rows, c);
    const x = new Float32Array(rows * d);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < features; k++) x[i * d + k] = centres[y[i]! * features + k]! + 1.5 * rng.normal();
      x[i * d + features] = 1;
    }
    return { x, y, n: rows, d, classes: c };
  };
  const data = blobs(n);
  // Drawn after the training rows, so the training data (and the measured errors above) are unchanged.
  const validation = blobs(300);
  const common = { data, validation, objective: { loss: 'softmax', reg: 1e-3 } as Objective, iterations: 200, batchSize: 32, seed: 231 };
  return [
    { ...common, name: 'training: 200 minibatch SGD steps (softmax, batch 32, shuffle)', optimizer: 'sgd',
      learningRate: 0.05 },
    { ...common, name: 'training: 200 minibatch Adam steps (softmax, batch 32, shuffle)', optimizer: 'adam',
      learningRate: 1e-2 },
    // A backend with a resident trainer (createTrainer) runs SGD and this one on it, with W in
    // its own precision.
    { ...common, name: 'training: 200 minibatch Nesterov momentum steps (softmax, batch 32, shuffle)', optimizer: 'nesterov',
      learningRate: 1e-2 },
  ];
}

export function rowsLabel(rows: Rows): string {
  if (!(rows instanceof Int32Array)) return `rows [${rows.start}, ${rows.start + rows.count})`;
  const head = [...rows.subarray(0, 8)].join(',');
  return `rows Int32Array(${rows.length}) [${head}${rows.length > 8 ? ',…' : ''}]`;
}

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
