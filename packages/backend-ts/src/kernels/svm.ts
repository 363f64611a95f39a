/**
 * One row of the multiclass SVM from s[off .. off+C): L_i = Σ_{j≠y} max(0, s_j − s_y + Δ), and
 * dL_i/ds into ds[off ..] (1 for each margin strictly > 0, −count at y; a margin of exactly 0
 * is the kink and counts 0).
 */
export function svmRow(s: Float64Array, off: number, label: number, c: number, delta: number,
  ds: Float64Array | undefined): number {
  const sy = s[off + label]!;
  let loss = 0;
  let active = 0;
  for (let j = 0; j < c; j++) {
    if (j === label) continue;
    const margin = s[off + j]! - sy + delta;
    const on = margin > 0;
    if (on) {
      loss += margin;
      active++;
    }
    if (ds) ds[off + j] = on ? 1 : 0;
  }
  if (ds) ds[off + label] = -active;
  return loss;
}
