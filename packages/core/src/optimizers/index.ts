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
