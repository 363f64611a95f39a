/**
 * One row of softmax cross-entropy from s[off .. off+C), stable: with m = max_j s_j,
 * L_i = log Σ_j e^{s_j − m} − (s_y − m), and dL_i/ds_j = p_j − 1[j = y] into ds[off ..].
 */
export function softmaxRow(s: Float64Array, off: number, label: number, c: number,
  ds: Float64Array | undefined): number {
  let m = s[off]!;
  for (let j = 1; j < c; j++) if (s[off + j]! > m) m = s[off + j]!;
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp(s[off + j]! - m);
  if (ds) {
    const inv = 1 / sum;
    for (let j = 0; j < c; j++) ds[off + j] = Math.exp(s[off + j]! - m) * inv;
    ds[off + label] = ds[off + label]! - 1;
  }
  return Math.log(sum) - (s[off + label]! - m);
}
