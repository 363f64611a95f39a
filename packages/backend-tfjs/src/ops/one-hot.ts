/**
 * One-hot rows, B×C float32, for class indices: tf.oneHot refuses a depth below 2, and a data
 * set of one class is valid (every loss is then 0), so the rows are compared with 0 … C−1.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../engine.js';

export function oneHotRows(tf: Tf, indices: Tensor1D, classes: number): Tensor2D {
  return tf.cast(tf.equal(tf.expandDims(tf.cast(indices, 'int32'), 1), tf.range(0, classes, 1, 'int32')), 'float32') as Tensor2D;
}
