/**
 * A batch of a resident data set, selected on the backend: the whole set as is, a contiguous
 * range by slice (a view on most backends), explicit indices by gather with an int32 index
 * tensor (any order, repeats allowed). Call inside tf.tidy: what it makes is freed there.
 */
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Rows } from '@descent/core';
import type { Tf } from './engine.js';
import type { Batch } from './ops/objective.js';

export interface PlacedTensors {
  /** N×D float32. */
  readonly x: Tensor2D;
  /** N int32 labels. */
  readonly y: Tensor1D;
}

export function selectRows(tf: Tf, placed: PlacedTensors, rows: Rows): Batch {
  const n = placed.x.shape[0];
  if (rows instanceof Int32Array) {
    const index = tf.tensor1d(rows, 'int32');
    return { x: tf.gather(placed.x, index), y: tf.gather(placed.y, index) };
  }
  if (rows.start === 0 && rows.count === n) return placed;
  return {
    x: tf.slice(placed.x, [rows.start, 0], [rows.count, -1]),
    y: tf.slice(placed.y, [rows.start], [rows.count]),
  };
}
