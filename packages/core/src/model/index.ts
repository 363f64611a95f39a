export * from './model-file.js';
export * from './predict.js';
