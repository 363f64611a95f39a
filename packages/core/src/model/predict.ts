import { preprocessImage, preprocessRow } from '../data/preprocess.js';
import { ShapeError } from '../errors.js';
import type { Model } from './model-file.js';

export interface Prediction {
  /** Predicted class (argmax of the scores). */
  readonly label: number;
  readonly scores: Float64Array;
  /** softmax(scores): meaningful as probabilities for a softmax-trained model. */
  readonly probabilities: Float64Array;
}

/** Classify one image given as raw pixel bytes (the model's preprocessing is applied). */
export function predictImage(model: Model, pixels: Uint8Array): Prediction {
  return predictPreprocessed(model, preprocessImage(pixels, model.preprocessing));
}

/** Classify one row: an image's pixel bytes for an image model, feature values for a features model. */
export function predictRow(model: Model, row: Uint8Array | Float32Array | Float64Array | readonly number[]): Prediction {
  return predictPreprocessed(model, preprocessRow(row, model.preprocessing));
}

/** x: features + the bias trick's 1. */
function predictPreprocessed(model: Model, x: Float32Array): Prediction {
  const c = model.classNames.length;
  const d = x.length;
  if (model.weights.length !== d * c) throw new ShapeError(`model weights are not ${d}×${c}`);
  const scores = new Float64Array(c);
  for (let i = 0; i < d; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let j = 0; j < c; j++) scores[j] = scores[j]! + xi * model.weights[i * c + j]!;
  }
  let label = 0;
  for (let j = 1; j < c; j++) if (scores[j]! > scores[label]!) label = j;
  const max = scores[label]!;
  const probabilities = scores.map((s) => Math.exp(s - max));
  const sum = probabilities.reduce((a, b) => a + b, 0);
  for (let j = 0; j < c; j++) probabilities[j] = probabilities[j]! / sum;
  return { label, scores, probabilities };
}
