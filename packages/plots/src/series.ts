import type { Numbers } from './common.js';

/**
 * Indices to draw of a long series, at most `maxPoints` of them, in increasing order.
 *
 * Min/max decimation: the first and last points are always kept; the points between are cut
 * into consecutive buckets of (nearly) equal length and each bucket keeps the index of its
 * smallest and of its largest finite value (one index when they coincide). A line through the
 * kept points therefore reaches every spike and every dip of the full series — the envelope is
 * exact, only the order of wiggles inside one bucket is lost. Non-finite values are never
 * chosen inside a bucket (they cannot be drawn); the endpoints are kept whatever they hold.
 * A series no longer than `maxPoints` is returned whole.
 */
export function downsampleMinMax(values: Numbers, maxPoints = 2000): Int32Array {
  const n = values.length;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 4)) throw new RangeError(`maxPoints must be an integer ≥ 4; got ${maxPoints}`);
  if (n <= maxPoints) return Int32Array.from({ length: n }, (_, i) => i);
  const inner = n - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = -1, hi = -1;
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < values[lo]!) lo = i;
      if (hi < 0 || v > values[hi]!) hi = i;
    }
    if (lo < 0) continue;
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  out.push(n - 1);
  return Int32Array.from(out);
}

/** At most `maxPoints` evenly spaced indices of 0..n−1, first and last included (for smooth series). */
export function evenIndices(n: number, maxPoints = 2000): Int32Array {
  if (n <= maxPoints) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.from({ length: maxPoints }, (_, k) => Math.round((k * (n - 1)) / (maxPoints - 1)));
}

/**
 * How the loss curve is smoothed:
 * - `{ window: k }`: centred moving average over k iterations (k odd or even; near the ends
 *   the window shrinks to what exists, so the curve neither lags nor invents values);
 * - `{ ema: β }`: exponential moving average s ← β·s + (1 − β)·x with bias correction
 *   (divided by 1 − βᵗ, as in Adam and TensorBoard), so the start is not pulled towards 0.
 * Non-finite losses are skipped by both.
 */
export type Smoothing = { readonly window: number } | { readonly ema: number };

/** Default smoothing: a centred window of about 1/50 of the run (at least 1: no smoothing). */
export function defaultSmoothing(n: number): Smoothing {
  return { window: Math.max(1, Math.round(n / 50)) };
}

export function smooth(values: Numbers, smoothing: Smoothing): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if ('ema' in smoothing) {
    const beta = smoothing.ema;
    if (!(beta >= 0 && beta < 1)) throw new RangeError(`ema must be in [0, 1); got ${beta}`);
    let s = 0, weight = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) { s = beta * s + (1 - beta) * v; weight = beta * weight + (1 - beta); }
      out[i] = weight > 0 ? s / weight : NaN;
    }
    return out;
  }
  const k = smoothing.window;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`window must be an integer ≥ 1; got ${k}`);
  // Prefix sums over finite values and their count.
  const sum = new Float64Array(n + 1), cnt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i]!, ok = Number.isFinite(v);
    sum[i + 1] = sum[i]! + (ok ? v : 0);
    cnt[i + 1] = cnt[i]! + (ok ? 1 : 0);
  }
  const before = Math.floor((k - 1) / 2), after = k - 1 - before;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - before), b = Math.min(n, i + after + 1);
    const c = cnt[b]! - cnt[a]!;
    out[i] = c > 0 ? (sum[b]! - sum[a]!) / c : NaN;
  }
  return out;
}
