import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * SGD with (heavy-ball) momentum (Polyak 1964; CS231n, "Momentum update"):
 *
 *   v ← μ·v − lr·g
 *   w ← w + v
 *
 * v starts at 0, so the first step equals SGD's. μ ∈ [0, 1) (default 0.9); μ = 0 is SGD.
 */
export class MomentumOptimizer implements Optimizer {
  readonly name = 'momentum' as const;
  private v: Float64Array | undefined;

  constructor(readonly mu: number) {}

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr, this.v?.length);
    const v = (this.v ??= new Float64Array(w.length));
    const mu = this.mu;
    for (let i = 0; i < w.length; i++) {
      const vi = mu * v[i]! - lr * g[i]!;
      v[i] = vi;
      w[i]! += vi;
    }
  }

  reset(): void {
    this.v = undefined;
  }
}
