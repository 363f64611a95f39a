/**
 * The Crammer–Singer multiclass SVM (core's crammer-singer.ts) from ops:
 * k_i = argmax_{j≠y_i} s_ij (tfjs's argMax takes the lowest index on ties, as core does),
 * m_i = Δ + s_{i,k_i} − s_{i,y_i}, L_i = max(0, m_i); dL_i/ds = 1[m_i > 0]·(onehot(k_i) − onehot(y_i)).
 */
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../engine.js';
import { oneHotRows } from './one-hot.js';

export interface CrammerSingerParts {
  /** Σ_i L_i over the batch. */
  readonly lossSum: Scalar;
  /** B×1 margins m_i. */
  readonly margins: Tensor2D;
  /** onehot(k_i) − onehot(y_i), B×C. */
  readonly pair: Tensor2D;
}

/**
 * onehot(k_i) − onehot(y_i), B×C float32, for the competitor k_i at these scores. The label's
 * column is masked with −∞ before argMax, so it never competes.
 */
export function crammerSingerPair(tf: Tf, s: Tensor2D, onehot: Tensor2D): Tensor2D {
  const masked = tf.where(tf.cast(onehot, 'bool'), tf.fill(s.shape, -Infinity), s);
  const rival = oneHotRows(tf, tf.argMax(masked, 1) as Tensor1D, s.shape[1]);
  return tf.sub(rival, onehot) as Tensor2D;
}

/**
 * Forward pass. onehot is B×C float32. With one class there is no wrong class and core's row
 * loss is 0: the pair is all zeros, so the margin is the constant marginOffset gives.
 */
export function crammerSingerForward(tf: Tf, s: Tensor2D, onehot: Tensor2D, delta: number): CrammerSingerParts {
  const pair = crammerSingerPair(tf, s, onehot);
  const margins = tf.add(tf.sum(tf.mul(s, pair), 1, true), marginOffset(s.shape[1], delta)) as Tensor2D;
  return { lossSum: tf.sum(tf.relu(margins)) as Scalar, margins, pair };
}

/**
 * Δ, added to s_k − s_y; with one class −1 instead, so the hinge is inactive (not −∞: WebGL's
 * relu of −∞ is NaN).
 */
export function marginOffset(classes: number, delta: number): number {
  return classes === 1 ? -1 : delta;
}

/** dL_i/ds = 1[m_i > 0]·pair_i, B×C, not yet /B (a margin of exactly 0 counts 0). */
export function crammerSingerDScores(tf: Tf, parts: CrammerSingerParts): Tensor2D {
  return tf.mul(parts.pair, tf.cast(tf.greater(parts.margins, 0), 'float32')) as Tensor2D;
}
