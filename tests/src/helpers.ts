import { Random, type ComputeBackend, type DesignMatrix } from '@descent/core';
import { createTsBackend } from '@descent/backend-ts';

export const f64 = (): ComputeBackend => createTsBackend('float64');
export const f32 = (): ComputeBackend => createTsBackend('float32');

/**
 * Seeded Gaussian blobs: class k is centred at a random mean, with unit noise; bias column
 * appended. Linearly separable enough that gradient descent clearly learns.
 */
export function blobs(n: number, features: number, classes: number, seed: number, spread = 1): DesignMatrix {
  const rng = new Random(seed);
  const centres = rng.fillNormal(new Float64Array(classes * features), 2);
  const d = features + 1;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    y[i] = k;
    for (let f = 0; f < features; f++) x[i * d + f] = centres[k * features + f]! + spread * rng.normal();
    x[i * d + features] = 1;
  }
  return { x, y, n, d, classes };
}
