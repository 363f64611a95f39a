export * from './gradient-descent.js';
export * from './initial-weights.js';
export * from './train.js';
export * from './types.js';
export * from './run-control.js';
