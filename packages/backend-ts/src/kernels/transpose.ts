import type { Store } from './types.js';

/** Wᵀ: W (D×C row-major, float64) into out (C×D row-major), so each class's weights are contiguous. */
export function transposeToClassMajor(w: Float64Array, d: number, c: number, out: Store): void {
  for (let k = 0; k < d; k++) {
    const wk = k * c;
    for (let j = 0; j < c; j++) out[j * d + k] = w[wk + j]!;
  }
}

/** out[k·C + j] = scale·g[j·D + k] + twoReg·w[k·C + j]: the C×D accumulator back to D×C, plus 2·reg·W. */
export function finishGradient(g: Store, d: number, c: number, scale: number, twoReg: number, w: Float64Array,
  out: Store): void {
  for (let j = 0; j < c; j++) {
    const gj = j * d;
    for (let k = 0; k < d; k++) out[k * c + j] = scale * g[gj + k]! + twoReg * w[k * c + j]!;
  }
}
