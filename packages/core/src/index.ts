// @descent/core: everything backend-agnostic. Runs in Node and in browsers; Node-only helpers
// (file system) live in '@descent/core/node'.
export * from './backend.js';
export * from './errors.js';
export * from './random.js';
export * from './placed-sets.js';
export * from './registry.js';
export * from './losses/index.js';
export * from './gradients/index.js';
export * from './optimizers/index.js';
export * from './samplers.js';
export * from './strategies/index.js';
export * from './diagnostics/index.js';
export * from './data/index.js';
export * from './model/index.js';
