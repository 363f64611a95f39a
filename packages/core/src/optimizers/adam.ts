import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * Adam (Kingma & Ba 2015, Algorithm 1; CS231n, "Adam" with bias correction):
 *
 *   t ← t + 1
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)
 *   v̂ = v / (1 − β2^t)
 *   w ← w − lr·m̂ / (√v̂ + eps)
 *
 * Element-wise; m, v start at 0 and t at 0. Bias correction undoes that zero start: at t = 1,
 * m̂ = g and v̂ = g², so the first step is lr·g/(|g| + eps) ≈ lr per coordinate.
 * β1, β2 ∈ [0, 1) (defaults 0.9, 0.999), eps > 0 (default 1e-8).
 */
export class AdamOptimizer implements Optimizer {
  readonly name = 'adam' as const;
  private m: Float64Array | undefined;
  private v: Float64Array | undefined;
  private t = 0;

  constructor(readonly beta1: number, readonly beta2: number, readonly eps: number) {}

  /** Steps taken since construction or the last reset(). */
  get stepCount(): number {
    return this.t;
  }

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr, this.m?.length);
    const m = (this.m ??= new Float64Array(w.length));
    const v = (this.v ??= new Float64Array(w.length));
    const { beta1, beta2, eps } = this;
    const t = ++this.t;
    const correct1 = 1 - beta1 ** t;
    const correct2 = 1 - beta2 ** t;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * gi;
      const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      const mHat = mi / correct1;
      const vHat = vi / correct2;
      w[i]! -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }

  reset(): void {
    this.m = undefined;
    this.v = undefined;
    this.t = 0;
  }
}
