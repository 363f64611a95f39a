import type { Vec } from '../backend.js';
import { checkStep, type Optimizer } from './optimizer.js';

/**
 * Vanilla stochastic gradient descent (CS231n, "Parameter updates: vanilla update"):
 *
 *   w ← w − lr·g
 *
 * Stateless; reset() does nothing.
 */
export class SgdOptimizer implements Optimizer {
  readonly name = 'sgd' as const;

  step(w: Float64Array, g: Vec, lr: number): void {
    checkStep(this.name, w, g, lr);
    for (let i = 0; i < w.length; i++) w[i]! -= lr * g[i]!;
  }

  reset(): void {}
}
