import { OptionError } from '../errors.js';
import { AdagradOptimizer } from './adagrad.js';
import { AdamOptimizer } from './adam.js';
import { MomentumOptimizer } from './momentum.js';
import { NesterovOptimizer } from './nesterov.js';
import { OPTIMIZER_NAMES, resolveOptimizerOptions, type Optimizer, type OptimizerName,
  type OptimizerOptions } from './optimizer.js';
import { RmspropOptimizer } from './rmsprop.js';
import { SgdOptimizer } from './sgd.js';

export {
  OPTIMIZER_NAMES, DEFAULT_OPTIMIZER_OPTIONS, resolveOptimizerOptions,
  type Optimizer, type OptimizerName, type OptimizerOptions,
} from './optimizer.js';
export { SgdOptimizer } from './sgd.js';
export { MomentumOptimizer } from './momentum.js';
export { NesterovOptimizer } from './nesterov.js';
export { AdagradOptimizer } from './adagrad.js';
export { RmspropOptimizer } from './rmsprop.js';
export { AdamOptimizer } from './adam.js';
export * from './schedules.js';

export interface OptimizerInfo {
  readonly label: string;
  readonly description: string;
  /** The OptimizerOptions it reads (the others are checked but unused). */
  readonly uses: readonly (keyof OptimizerOptions)[];
}

/** What each update rule is, for menus and reports. */
export const OPTIMIZERS: Readonly<Record<OptimizerName, OptimizerInfo>> = {
  sgd: { label: 'SGD', description: 'W ← W − lr·g', uses: [] },
  momentum: { label: 'momentum', description: 'v ← μv − lr·g; W ← W + v', uses: ['momentum'] },
  nesterov: { label: 'Nesterov momentum', description: 'momentum with the gradient looked ahead', uses: ['momentum'] },
  adagrad: { label: 'Adagrad', description: 'per-weight steps scaled by the summed squared gradients', uses: ['eps'] },
  rmsprop: { label: 'RMSProp', description: 'per-weight steps scaled by a running mean of squared gradients', uses: ['decay', 'eps'] },
  adam: { label: 'Adam', description: 'momentum and RMSProp, bias-corrected', uses: ['beta1', 'beta2', 'eps'] },
};

export function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh optimizer by name. Every given option is checked against its domain, even one the
 * named optimizer does not use (a bad value fails loudly even where the named optimizer ignores it).
 */
export function createOptimizer(name: string, options: OptimizerOptions = {}): Optimizer {
  if (!isOptimizerName(name)) {
    throw new OptionError(`unknown optimizer '${name}'; expected one of: ${OPTIMIZER_NAMES.join(', ')}`);
  }
  const o = resolveOptimizerOptions(options);
  switch (name) {
    case 'sgd': return new SgdOptimizer();
    case 'momentum': return new MomentumOptimizer(o.momentum);
    case 'nesterov': return new NesterovOptimizer(o.momentum);
    case 'adagrad': return new AdagradOptimizer(o.eps);
    case 'rmsprop': return new RmspropOptimizer(o.decay, o.eps);
    case 'adam': return new AdamOptimizer(o.beta1, o.beta2, o.eps);
  }
}
