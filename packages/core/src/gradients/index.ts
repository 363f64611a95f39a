export * from './check.js';
export * from './numerical.js';
export * from './linear-differences.js';
export * from './backend-check.js';
