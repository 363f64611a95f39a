import type { Vec } from '../backend.js';
import { OptionError, ShapeError } from '../errors.js';

/**
 * A first-order update rule: given W and dL/dW, move W. Stateful rules (momentum, Adagrad, …)
 * keep their state here, one Float64Array the size of W, allocated on the first step.
 */
export interface Optimizer {
  readonly name: OptimizerName;
  /** Update w in place from gradient g with step size lr. */
  step(w: Float64Array, g: Vec, lr: number): void;
  /** Forget accumulated state (velocity, moments, step count). */
  reset(): void;
}

export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerOptions {
  /** μ for 'momentum' and 'nesterov', in [0, 1). Default 0.9. */
  momentum?: number;
  /** Adam's first-moment decay β1, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Adam's second-moment decay β2, in [0, 1). Default 0.999. */
  beta2?: number;
  /** RMSProp's cache decay, in [0, 1). Default 0.99. */
  decay?: number;
  /** Added to √cache in Adagrad, RMSProp and Adam, > 0. Default 1e-8. */
  eps?: number;
}

export const DEFAULT_OPTIMIZER_OPTIONS: Readonly<Required<OptimizerOptions>> = Object.freeze({
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  decay: 0.99,
  eps: 1e-8,
});

/** Options with defaults filled in, each checked against its domain (OptionError otherwise). */
export function resolveOptimizerOptions(options: OptimizerOptions = {}): Required<OptimizerOptions> {
  const o = { ...DEFAULT_OPTIMIZER_OPTIONS };
  for (const key of ['momentum', 'beta1', 'beta2', 'decay'] as const) {
    const v = options[key];
    if (v === undefined) continue;
    if (!(typeof v === 'number' && v >= 0 && v < 1)) {
      throw new OptionError(`optimizer option '${key}' must be a number in [0, 1), got ${String(v)}`);
    }
    o[key] = v;
  }
  if (options.eps !== undefined) {
    const v = options.eps;
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new OptionError(`optimizer option 'eps' must be a finite number > 0, got ${String(v)}`);
    }
    o.eps = v;
  }
  return o;
}

/**
 * The checks every step makes: g fits w, lr is a finite number ≥ 0, and any state already
 * allocated (its length given as `stateLength`) was allocated for a w of this size.
 */
export function checkStep(name: OptimizerName, w: Float64Array, g: Vec, lr: number,
  stateLength?: number): void {
  if (g.length !== w.length) {
    throw new ShapeError(`${name}: gradient has ${g.length} elements but the weights have ${w.length}`);
  }
  if (stateLength !== undefined && stateLength !== w.length) {
    throw new ShapeError(`${name}: state was allocated for ${stateLength} weights but this step has ` +
      `${w.length}; call reset() before optimizing a different parameter vector`);
  }
  if (!(lr >= 0 && Number.isFinite(lr))) {
    throw new OptionError(`${name}: learning rate must be a finite number >= 0, got ${lr}`);
  }
}
