export * from './crammer-singer.js';
export * from './linear.js';
export * from './reference.js';
export * from './softmax.js';
export * from './svm.js';
export * from './validate.js';
