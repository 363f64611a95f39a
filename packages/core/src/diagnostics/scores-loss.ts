import type { Objective, Vec } from '../backend.js';
import { rowLossOf } from '../losses/reference.js';

/**
 * Mean data loss computed from precomputed scores (count×C row-major) and labels.
 * Used where scores are cheap to form by linearity — S(W + aW₁ + bW₂) = S₀ + aS₁ + bS₂ — so
 * each point of a landscape or sweep costs O(N·C) instead of O(N·D·C), while still being an
 * honest evaluation of the loss at the perturbed point.
 *
 * svm:            (1/N) Σ_i Σ_{j≠y_i} max(0, s_ij − s_iy_i + Δ)
 * softmax:        (1/N) Σ_i (log Σ_j e^{s_ij} − s_iy_i), with the row max subtracted first
 * crammer-singer: (1/N) Σ_i max(0, Δ + max_{j≠y_i} s_ij − s_iy_i)
 */
export function meanDataLossFromScores(scores: Float64Array, labels: ArrayLike<number>, classes: number,
  objective: Objective): number {
  const n = labels.length;
  const rowLoss = rowLossOf(objective);
  let total = 0;
  for (let i = 0; i < n; i++) total += rowLoss(scores, i * classes, labels[i]!, classes, undefined);
  return total / n;
}

/** Σ a_k v_k elementwise, written into out: the scores or weights at a combination. */
export function combine(out: Float64Array, terms: readonly (readonly [number, Vec])[]): Float64Array {
  out.fill(0);
  for (const [a, v] of terms) {
    if (a === 0) continue;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + a * v[i]!;
  }
  return out;
}

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
