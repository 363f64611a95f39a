/**
 * A trained linear classifier as a standalone ONNX model: raw image bytes (or feature values)
 * in, class scores, probabilities and the predicted label out, with descent's preprocessing
 * inside the graph, so any ONNX runtime can run it without descent:
 *
 *   x = Cast(image)·scale − mean          image: uint8 [N, features]    (a model of images)
 *   x = (features − mean) / std           features: float32 [N, features] (a model of features;
 *                                          without standardization x = features)
 *   scores = x·W[0..features) + W[features]   (the bias row of the bias trick, added apart)
 *   probabilities = Softmax(scores), label = ArgMax(scores) (int64)
 */
import { OptionError, ShapeError, type FeaturePreprocessing, type PixelPreprocessing } from '@descent/core';
import { GraphBuilder, float } from '../onnx/builder.js';

export interface ClassifierExport {
  /** (features + 1)×classes row-major, the last row the bias (descent's trained W). */
  readonly weights: Float64Array;
  readonly classes: number;
  /** One name per class, in label order; stored in the model's metadata as JSON. */
  readonly classNames: readonly string[];
  /** What descent's fitPreprocessing learned: x = pixel·scale − mean (images), or x = (value − mean) / std (features). */
  readonly preprocessing: FeaturePreprocessing | Pick<PixelPreprocessing, 'kind' | 'mean' | 'scale' | 'features'>;
}

const isFeatures = (p: ClassifierExport['preprocessing']): p is FeaturePreprocessing => p.kind === 'features';

/** The graph's input: 'image' (uint8) for a model of images, 'features' (float32) for a model of features. */
export function classifierInput(preprocessing: ClassifierExport['preprocessing']): { name: 'image' | 'features'; type: 'uint8' | 'float32' } {
  return isFeatures(preprocessing) ? { name: 'features', type: 'float32' } : { name: 'image', type: 'uint8' };
}

/** ONNX bytes (IR 8, opset 17) of the classifier; input 'image' or 'features' (classifierInput), outputs 'scores', 'probabilities', 'label'. */
export function exportClassifierOnnx(model: ClassifierExport): Uint8Array {
  const { weights, classes: c, classNames, preprocessing: prep } = model;
  const { mean, features: f } = prep;
  const scale = isFeatures(prep) ? 1 : prep.scale;
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

  if (isFeatures(prep)) {
    if (prep.std.length !== f) throw new ShapeError(`exportClassifierOnnx: std has ${prep.std.length} values, expected features = ${f}`);
    if (prep.std.some((s) => !(Number.isFinite(s) && s > 0))) throw new OptionError('exportClassifierOnnx: every std must be finite and > 0');
  }

  const features = isFeatures(prep);
  const g = new GraphBuilder('descent_linear_classifier', features
    ? `descent linear classifier: x = ${prep.standardized ? '(features − mean) / std' : 'features'}; scores = x·W + b; softmax probabilities; argmax label`
    : 'descent linear classifier: x = image·scale − mean; scores = x·W + b; softmax probabilities; argmax label');
  let x: string;
  if (isFeatures(prep)) {
    const input = g.input('features', 'float32', ['N', f]);
    x = prep.standardized
      ? g.op('Div', [g.op('Sub', [input, g.initializer('mean', 'float32', [f], mean)]), g.initializer('std', 'float32', [f], prep.std)], {}, 'x')
      : input;
  } else {
    const image = g.input('image', 'uint8', ['N', f]);
    const pixels = g.op('Cast', [image], { to: 1 }, 'pixels');
    x = g.op('Sub', [g.op('Mul', [pixels, g.constFloat('scale', scale)]), g.initializer('mean', 'float32', [f], mean)], {}, 'x');
  }
  const w = g.initializer('W', 'float32', [f, c], Float32Array.from(weights.subarray(0, f * c)));
  const b = g.initializer('b', 'float32', [c], Float32Array.from(weights.subarray(f * c)));
  g.op('Gemm', [x, w, b], { alpha: float(1), beta: float(1) }, 'scores');
  g.op('Softmax', ['scores'], { axis: 1 }, 'probabilities');
  g.op('ArgMax', ['scores'], { axis: 1, keepdims: 0 }, 'label');
  g.output('scores', 'float32', ['N', c]);
  g.output('probabilities', 'float32', ['N', c]);
  g.output('label', 'int64', ['N']);
  return g.encode({ class_names: JSON.stringify(classNames), preprocessing: features
    ? (prep.standardized ? 'x = (features − mean) / std, mean and std are initializers' : 'x = features, as given')
    : 'x = image·scale − mean, scale and mean are initializers' });
}
