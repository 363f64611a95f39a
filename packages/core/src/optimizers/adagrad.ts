import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * Adagrad (Duchi, Hazan & Singer 2011; CS231n, "Adagrad"): a per-weight step size that
 * shrinks with the sum of that weight's squared gradients so far.
 *
 *   cache ← cache + g²
 *   w     ← w − lr·g / (√cache + eps)
 *
 * Element-wise; cache starts at 0. eps > 0 (default 1e-8) sits outside the square root.
 */
export class AdagradOptimizer implements Optimizer {
  readonly name = 'adagrad' as const;
  private cache: Float64Array | undefined;

  constructor(readonly eps: number) {}

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr, this.cache?.length);
    const cache = (this.cache ??= new Float64Array(w.length));
    const eps = this.eps;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const c = cache[i]! + gi * gi;
      cache[i] = c;
      w[i]! -= (lr * gi) / (Math.sqrt(c) + eps);
    }
  }

  reset(): void {
    this.cache = undefined;
  }
}
