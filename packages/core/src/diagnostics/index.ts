export * from './accuracy.js';
export * from './landscape.js';
export * from './linear-probe.js';
export * from './scores-loss.js';
export * from './step-size-sweep.js';
export * from './plane-grid.js';
