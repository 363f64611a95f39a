import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013), in the form CS231n
 * gives ("Nesterov Momentum"), which keeps w at the look-ahead point so the gradient g is
 * simply evaluated at the current w:
 *
 *   v_prev ← v
 *   v      ← μ·v − lr·g
 *   w      ← w − μ·v_prev + (1 + μ)·v
 *
 * v starts at 0. μ ∈ [0, 1) (default 0.9); μ = 0 is SGD.
 */
export class NesterovOptimizer implements Optimizer {
  readonly name = 'nesterov' as const;
  private v: Float64Array | undefined;

  constructor(readonly mu: number) {}

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr, this.v?.length);
    const v = (this.v ??= new Float64Array(w.length));
    const mu = this.mu;
    for (let i = 0; i < w.length; i++) {
      const vPrev = v[i]!;
      const vi = mu * vPrev - lr * g[i]!;
      v[i] = vi;
      w[i]! += -mu * vPrev + (1 + mu) * vi;
    }
  }

  reset(): void {
    this.v = undefined;
  }
}
