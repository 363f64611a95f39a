/** The benchmark's data set: CIFAR-10's shape with seeded pixel-like values (no download). */
import { Random } from '@descent/core';
import type { DesignMatrix, PixelMatrix } from '@descent/core';

/** N rows of D−1 centred "pixels" (integers −128…127) plus the bias 1, labels 0…C−1. */
export function cifarShaped(n: number, d = 3073, classes = 10, seed = 'descent-bench'): DesignMatrix {
  const rng = new Random(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let k = 0; k < d - 1; k++) x[row + k] = rng.int(256) - 128;
    x[row + d - 1] = 1;
  }
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  return { x, y, n, d, classes };
}

/**
 * The same data as cifarShaped, kept as bytes: the same draws as bytes 0…255, scale 1 and a
 * mean of 128 in every column, so it stands for exactly cifarShaped's float32 X (what a backend
 * with placePixels holds instead).
 */
export function cifarShapedPixels(n: number, d = 3073, classes = 10, seed = 'descent-bench'): PixelMatrix {
  const rng = new Random(seed);
  const f = d - 1;
  const pixels = new Uint8Array(n * f);
  for (let i = 0; i < n * f; i++) pixels[i] = rng.int(256);
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  return { pixels, features: f, scale: 1, mean: new Float32Array(f).fill(128), y, n, d, classes };
}

/**
 * A linear probe's data: N rows of F features an image model might emit (class-dependent means
 * plus unit noise, float32) and the bias 1, C classes, seeded. ImageNet probe size is
 * 1.28 M × 2048 × 1000; the bench takes N = 100 000 (820 MB of X).
 */
export function probeFeatures(n: number, features = 2048, classes = 1000, seed = 'descent-bench-probe'): DesignMatrix {
  const rng = new Random(seed);
  const means = rng.fork('means').fillNormal(new Float32Array(classes * features), 0.5);
  const noise = rng.fork('noise');
  const d = features + 1;
  const x = new Float32Array(n * d);
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  const row = new Float32Array(features);
  for (let i = 0; i < n; i++) {
    noise.fillNormal(row, 1);
    const m = y[i]! * features, o = i * d;
    for (let k = 0; k < features; k++) x[o + k] = means[m + k]! + row[k]!;
    x[o + features] = 1;
  }
  return { x, y, n, d, classes };
}
