/**
 * A trained linear classifier as a standalone ONNX model: raw image bytes in, class scores,
 * probabilities and the predicted label out, with descent's preprocessing inside the graph,
 * so any ONNX runtime can run it without descent:
 *
 *   x = Cast(image)·scale − mean          image: uint8 [N, features]
 *   scores = x·W[0..features) + W[features]   (the bias row of the bias trick, added apart)
 *   probabilities = Softmax(scores), label = ArgMax(scores) (int64)
 */
import { OptionError, ShapeError } from '@descent/core';
import { GraphBuilder, float } from '../onnx/builder.js';

export interface ClassifierExport {
  /** (features + 1)×classes row-major, the last row the bias (descent's trained W). */
  readonly weights: Float64Array;
  readonly classes: number;
  /** One name per class, in label order; stored in the model's metadata as JSON. */
  readonly classNames: readonly string[];
  /** What descent's fitPreprocessing learned: x = pixel·scale − mean. */
  readonly preprocessing: { readonly mean: Float32Array; readonly scale: number; readonly features: number };
}

/** ONNX bytes (IR 8, opset 17) of the classifier; input 'image', outputs 'scores', 'probabilities', 'label'. */
export function exportClassifierOnnx(model: ClassifierExport): Uint8Array {
  const { weights, classes: c, classNames, preprocessing: { mean, scale, features: f } } = model;
  if (!(Number.isInteger(f) && f >= 1)) throw new ShapeError(`exportClassifierOnnx: features must be a positive integer, got ${f}`);
  if (!(Number.isInteger(c) && c >= 1)) throw new ShapeError(`exportClassifierOnnx: classes must be a positive integer, got ${c}`);
  if (weights.length !== (f + 1) * c) {
    throw new ShapeError(`exportClassifierOnnx: weights have ${weights.length} values, expected (features + 1)·classes = ${f + 1}·${c}`);
  }
  if (mean.length !== f) throw new ShapeError(`exportClassifierOnnx: mean has ${mean.length} values, expected features = ${f}`);
  if (classNames.length !== c) throw new ShapeError(`exportClassifierOnnx: ${classNames.length} class names for ${c} classes`);
  if (!(Number.isFinite(scale) && scale > 0)) throw new OptionError(`exportClassifierOnnx: scale must be finite and > 0, got ${scale}`);
  const bad = weights.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new OptionError(`exportClassifierOnnx: weight ${weights[bad]} at row ${Math.floor(bad / c)}, column ${bad % c} is not finite`);

  const g = new GraphBuilder('descent_linear_classifier',
    'descent linear classifier: x = image·scale − mean; scores = x·W + b; softmax probabilities; argmax label');
  const image = g.input('image', 'uint8', ['N', f]);
  const pixels = g.op('Cast', [image], { to: 1 }, 'pixels');
  const x = g.op('Sub', [g.op('Mul', [pixels, g.constFloat('scale', scale)]), g.initializer('mean', 'float32', [f], mean)], {}, 'x');
  const w = g.initializer('W', 'float32', [f, c], Float32Array.from(weights.subarray(0, f * c)));
  const b = g.initializer('b', 'float32', [c], Float32Array.from(weights.subarray(f * c)));
  g.op('Gemm', [x, w, b], { alpha: float(1), beta: float(1) }, 'scores');
  g.op('Softmax', ['scores'], { axis: 1 }, 'probabilities');
  g.op('ArgMax', ['scores'], { axis: 1, keepdims: 0 }, 'label');
  g.output('scores', 'float32', ['N', c]);
  g.output('probabilities', 'float32', ['N', c]);
  g.output('label', 'int64', ['N']);
  return g.encode({ class_names: JSON.stringify(classNames), preprocessing: 'x = image·scale − mean, scale and mean are initializers' });
}
