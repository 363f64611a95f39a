import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * RMSProp (Tieleman & Hinton 2012, Coursera lecture 6e; CS231n, "RMSprop"): Adagrad with a
 * leaky, exponentially decaying cache instead of an ever-growing sum.
 *
 *   cache ← decay·cache + (1 − decay)·g²
 *   w     ← w − lr·g / (√cache + eps)
 *
 * Element-wise; cache starts at 0 (no bias correction, so the first steps are large:
 * with decay 0.99 the first is 10·lr per coordinate). decay ∈ [0, 1) (default 0.99), eps > 0
 * (default 1e-8).
 */
export class RmspropOptimizer implements Optimizer {
  readonly name = 'rmsprop' as const;
  private cache: Float64Array | undefined;

  constructor(readonly decay: number, readonly eps: number) {}

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr, this.cache?.length);
    const cache = (this.cache ??= new Float64Array(w.length));
    const { decay, eps } = this;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const c = decay * cache[i]! + (1 - decay) * gi * gi;
      cache[i] = c;
      w[i]! -= (lr * gi) / (Math.sqrt(c) + eps);
    }
  }

  reset(): void {
    this.cache = undefined;
  }
}
