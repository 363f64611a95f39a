/**
 * Scores s = x_i · Wᵀ_j with Wᵀ stored C×D, so each score is a contiguous dot product.
 * Every score is summed in float64, k = 0 … D−1 in order, whether its row goes alone or in a
 * block of four: a row's scores do not depend on where it sits in a batch.
 */
import type { RowReader } from './rows.js';
import type { Store } from './types.js';

/** s[sOff + j] = x[xOff ..] · Wᵀ_j for every class j: one row's C scores. */
export function rowScores(x: Store, xOff: number, wt: Store, d: number, c: number, s: Float64Array,
  sOff: number): void {
  for (let j = 0; j < c; j++) {
    const wo = j * d;
    let a = 0;
    for (let k = 0; k < d; k++) a += x[xOff + k]! * wt[wo + k]!;
    s[sOff + j] = a;
  }
}

/**
 * Scores of four rows at once into s[r·C + j], r = 0…3: each Wᵀ element is loaded once for the
 * four rows, and the four accumulators are independent (no add-latency chain).
 */
export function rowScores4(x: Store, o0: number, o1: number, o2: number, o3: number, wt: Store, d: number,
  c: number, s: Float64Array): void {
  for (let j = 0; j < c; j++) {
    const wo = j * d;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let k = 0; k < d; k++) {
      const wk = wt[wo + k]!;
      a0 += x[o0 + k]! * wk;
      a1 += x[o1 + k]! * wk;
      a2 += x[o2 + k]! * wk;
      a3 += x[o3 + k]! * wk;
    }
    s[j] = a0;
    s[c + j] = a1;
    s[2 * c + j] = a2;
    s[3 * c + j] = a3;
  }
}

/** Scores of the selected rows (a range, or indices when given) into out, count×C row-major. */
export function scoresKernel(rows: RowReader, wt: Store, d: number, c: number, start: number, count: number,
  indices: Int32Array | undefined, out: Store): void {
  const s = new Float64Array(4 * c);
  const x = rows.store;
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = indices ? indices[i]! : start + i;
    const r1 = indices ? indices[i + 1]! : start + i + 1;
    const r2 = indices ? indices[i + 2]! : start + i + 2;
    const r3 = indices ? indices[i + 3]! : start + i + 3;
    rowScores4(x, rows.at(r0, 0), rows.at(r1, 1), rows.at(r2, 2), rows.at(r3, 3), wt, d, c, s);
    out.set(s, i * c);
  }
  for (; i < count; i++) {
    rowScores(x, rows.at(indices ? indices[i]! : start + i, 0), wt, d, c, s, 0);
    for (let j = 0; j < c; j++) out[i * c + j] = s[j]!;
  }
}
