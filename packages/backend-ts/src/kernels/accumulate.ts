/**
 * The gradient's outer products dS_i ⊗ x_i, added into the C×D accumulator G (class-major, so
 * each update is a contiguous axpy over D).
 */
import type { Store } from './types.js';

/** g[gOff + k] += alpha·x[xOff + k] for k < len. */
export function axpy(g: Store, gOff: number, alpha: number, x: Store, xOff: number, len: number): void {
  for (let k = 0; k < len; k++) g[gOff + k] = g[gOff + k]! + alpha * x[xOff + k]!;
}

/**
 * G_j += ds[j]·x_0 + ds[C+j]·x_1 + ds[2C+j]·x_2 + ds[3C+j]·x_3 for every class j: one load and
 * one store of G per four rows. Classes whose four dS entries are all 0 (inactive SVM
 * margins) are skipped.
 */
export function accumulate4(g: Store, x: Store, o0: number, o1: number, o2: number, o3: number, ds: Float64Array,
  d: number, c: number): void {
  for (let j = 0; j < c; j++) {
    const b0 = ds[j]!, b1 = ds[c + j]!, b2 = ds[2 * c + j]!, b3 = ds[3 * c + j]!;
    if (b0 === 0 && b1 === 0 && b2 === 0 && b3 === 0) continue;
    const go = j * d;
    for (let k = 0; k < d; k++) {
      g[go + k] = g[go + k]! + b0 * x[o0 + k]! + b1 * x[o1 + k]! + b2 * x[o2 + k]! + b3 * x[o3 + k]!;
    }
  }
}
