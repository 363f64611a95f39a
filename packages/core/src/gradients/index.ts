export * from './check.js';
export * from './numerical.js';
