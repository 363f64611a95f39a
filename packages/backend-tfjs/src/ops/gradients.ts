/**
 * tfjs's autodiff (the tape in tf.grad / tf.valueAndGrad) needs a gradient rule registered
 * per kernel. tfjs-core registers none itself: the union package '@tensorflow/tfjs' does, via
 * '@tensorflow/tfjs-core/dist/register_all_gradients', which is ES-module source Node cannot
 * load from tfjs-core's CommonJS package, and '@tensorflow/tfjs' pulls in layers, converter,
 * data and core-js (whose install script pnpm blocks). So this file registers the generic
 * chain-rule for the kernels the autodiff objective uses, following tfjs's own gradient
 * configs — and only where tfjs has none registered (tfjs-node, or a bundle that imported
 * register_all_gradients, keeps its own). These are per-kernel rules (matMul, add, exp, …),
 * not the objective's gradient: the autodiff gradient stays independent of ops/svm.ts and
 * ops/softmax.ts's analytic dS.
 */
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../engine.js';

type Grads = Record<string, () => Tensor>;

/** dy summed over the axes that broadcasting added or stretched, back to `shape`. */
function unbroadcast(tf: Tf, dy: Tensor, shape: number[]): Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

function rules(tf: Tf): GradConfig[] {
  const binary = (kernelName: string, da: (dy: Tensor, a: Tensor, b: Tensor) => Tensor,
    db: (dy: Tensor, a: Tensor, b: Tensor) => Tensor): GradConfig => ({
    kernelName, inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved): Grads => {
      const [a, b] = saved as Tensor[];
      return { a: () => unbroadcast(tf, da(dy as Tensor, a!, b!), a!.shape), b: () => unbroadcast(tf, db(dy as Tensor, a!, b!), b!.shape) };
    },
  });
  return [
    binary(tf.Add, (dy) => dy, (dy) => dy),
    binary(tf.Sub, (dy) => dy, (dy) => tf.neg(dy)),
    binary(tf.Multiply, (dy, _a, b) => tf.mul(dy, b), (dy, a) => tf.mul(dy, a)),
    binary(tf.RealDiv, (dy, _a, b) => tf.div(dy, b), (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))),
    { kernelName: tf.BatchMatMul, inputsToSave: ['a', 'b'], gradFunc: (dy, saved, attrs): Grads => {
      const [a, b] = saved as Tensor[];
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      const g = dy as Tensor;
      if (!transposeA && !transposeB) return { a: () => tf.matMul(g, b!, false, true), b: () => tf.matMul(a!, g, true, false) };
      if (!transposeA) return { a: () => tf.matMul(g, b!), b: () => tf.matMul(g, a!, true, false) };
      if (!transposeB) return { a: () => tf.matMul(b!, g, false, true), b: () => tf.matMul(a!, g) };
      return { a: () => tf.matMul(b!, g, true, true), b: () => tf.matMul(g, a!, true, true) };
    } },
    { kernelName: tf.Sum, inputsToSave: ['x'], gradFunc: (dy, saved, attrs): Grads => {
      const [x] = saved as Tensor[];
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x!.shape);
      const kept = x!.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      return { x: () => tf.mul(tf.reshape(dy as Tensor, kept), tf.onesLike(x!)) };
    } },
    { kernelName: tf.Exp, outputsToSave: [true], gradFunc: (dy, saved): Grads => ({ x: () => tf.mul(dy as Tensor, saved[0]!) }) },
    { kernelName: tf.Log, inputsToSave: ['x'], gradFunc: (dy, saved): Grads => ({ x: () => tf.div(dy as Tensor, saved[0]!) }) },
    // step(x) is 1 for x > 0 and 0 at and below 0: the kink counts 0, as core's reference.
    { kernelName: tf.Relu, inputsToSave: ['x'], gradFunc: (dy, saved): Grads => ({ x: () => tf.mul(dy as Tensor, tf.step(saved[0]!)) }) },
    { kernelName: tf.Square, inputsToSave: ['x'], gradFunc: (dy, saved): Grads => ({ x: () => tf.mul(dy as Tensor, tf.mul(saved[0]!, 2)) }) },
  ];
}

const registered = new WeakSet<object>();

/** Makes sure every kernel the autodiff objective differentiates through has a gradient rule. */
export function ensureGradients(tf: Tf): void {
  if (registered.has(tf)) return;
  for (const rule of rules(tf)) if (!tf.getGradient(rule.kernelName)) tf.registerGradient(rule);
  registered.add(tf);
}
