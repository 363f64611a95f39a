/**
 * The objective graph: L(W) = (1/B) Σ_i L_i(x_i·W, y_i) + reg·ΣW² and, when asked,
 *
 *   dL/dW = Xᵀ·(dS / B) + 2·reg·W
 *
 * with the row loss and dS = ∂L_i/∂s from svm.ts, softmax.ts or crammer-singer.ts. Inputs:
 * W [D, C] float32, reg [] float32, delta [] (the hinges), rows [batch] int32 (when selecting rows). Outputs: loss,
 * data_loss, reg_loss (scalars) and gradient [D, C]. reg and Δ are inputs, so one session
 * serves every value of them.
 */
import type { LossName } from '@descent/core';
import { GraphBuilder } from '../onnx/builder.js';
import { addBatch, batchGradient, batchScores } from './batch.js';
import type { Batch, GraphData, Residency, Selection } from './batch.js';
import { crammerSingerRows } from './crammer-singer.js';
import { softmaxRows } from './softmax.js';
import { svmRows } from './svm.js';

/** Constants shared by the row objectives. */
export interface Constants {
  /** int64 [1] holding axis 1 (ReduceSum takes its axes as an input since opset 13). */
  readonly axis1: string;
  /** int32 [C]: 0 … C−1, to compare class indices against (added on first call). */
  readonly classIds: () => string;
  /** Whether dS may be formed by ScatterElements (see LoadedRuntime.scatters). */
  readonly scatter: boolean;
  /** A [B, 1] column of −1 fed by the caller (a trainer graph), instead of two ops that make one. */
  readonly minusOnes?: () => string;
}

/**
 * Adds the row losses to g: s [B, C] scores, label [B, 1] int32, isLabel() [B, C] bool
 * (j = y_i; added on first call, so a loss that needs no B×C mask gets none). Returns the scalar mean data loss and, when asked, dS [B, C] (not yet ÷ B).
 */
export type RowObjective = (g: GraphBuilder, s: string, label: string, isLabel: () => string, k: Constants,
  wantGradient: boolean) => { dataLoss: string; dS?: string };

const ROW_OBJECTIVES: Readonly<Record<LossName, RowObjective>> = {
  svm: svmRows, softmax: softmaxRows, 'crammer-singer': crammerSingerRows,
};

/**
 * From this many classes a selected-row gradient is Gemm(X_b, dS, 2·reg·W, transA) rather
 * than (dSᵀ·X_b)ᵀ + 2·reg·W. Median step times, Gemm ÷ (dSᵀ·X_b)ᵀ, batch 200, 1 thread
 * (benchmarks, this 2-vCPU machine): onnxruntime-node (D = 3073) 1.08 at C = 10, 0.96–1.00 at
 * 30–50, 0.93 at 100, 0.91 at 300 and 1000; onnxruntime-web's wasm (D = 1025) 3.09 at 10,
 * 1.00–1.03 at 30–50, 0.92 at 100, 0.83 at 1000. Over all rows X is an initializer that
 * MatMul pre-packs as its right operand, and (dSᵀ·X)ᵀ stays: 1.86× faster at C = 10, equal at
 * C = 1000. (Not measured on the GPU providers, which take the same graphs.)
 */
export const GEMM_MIN_CLASSES = 64;

/** Update rules a trainer graph applies itself (core's optimizers of the same names). */
export const GRAPH_UPDATE_RULES = ['sgd', 'momentum', 'nesterov'] as const;
export type UpdateRule = (typeof GRAPH_UPDATE_RULES)[number];

export interface ObjectiveGraphSpec {
  readonly loss: LossName;
  readonly wantGradient: boolean;
  /**
   * A trainer graph: instead of the gradient, W_next (and V_next, the velocity, for the
   * momentum rules) after one step of this rule, and for the loss at W data_loss and
   * w_sum_squares (the host adds reg·ΣW²). Its inputs besides the data's and W: the step's
   * scalars (stepScalars), the batch's labels as label [B, 1] (int32), V [D, C] for the
   * momentum rules, and for softmax minus_ones [B, 1] (all −1). Needs wantGradient.
   */
  readonly update?: UpdateRule;
  readonly residency: Residency;
  readonly selection: Selection;
  /** Whether the runtime's provider runs ScatterElements (default true; LoadedRuntime.scatters). */
  readonly scatter?: boolean;
}

export function objectiveGraph(spec: ObjectiveGraphSpec, data: GraphData): GraphBuilder {
  const { d, c } = data;
  const g = new GraphBuilder(`${spec.loss}_${spec.wantGradient ? 'loss_and_gradient' : 'loss'}_${spec.selection}`,
    `descent: ${spec.loss} objective over ${spec.selection === 'all' ? 'all rows' : 'selected rows'}, X ${spec.residency}`);
  const w = g.input('W', 'float32', [d, c]);
  // Xᵀ serves only the gradient; a loss-only graph stores X alone.
  const residency = spec.residency === 'initializer+xt' && !spec.wantGradient ? 'initializer' : spec.residency;
  // A trainer graph takes its batch's labels as a [B, 1] column from the host, which holds Y:
  // gathering B labels there costs less than the two ops (Gather, Unsqueeze) that do it here.
  const batch = addBatch(g, data, residency, spec.selection, !spec.update);
  let ids: string | undefined;
  const classIds = (): string => (ids ??= g.initializer('class_ids', 'int32', [c], Int32Array.from({ length: c }, (_, j) => j)));
  let minusOnes: string | undefined;
  const k: Constants = {
    axis1: g.constInt64('axis_1', [1]), classIds, scatter: spec.scatter ?? true,
    ...(spec.update ? { minusOnes: () => (minusOnes ??= g.input('minus_ones', 'float32', ['batch', 1])) } : {}),
  };

  const s = batchScores(g, batch, w, d);
  const label = spec.update ? g.input('label', 'int32', ['batch', 1]) : g.op('Unsqueeze', [batch.y, k.axis1], {}, 'label_column');
  let mask: string | undefined;
  const isLabel = (): string => (mask ??= g.op('Equal', [label, classIds()], {}, 'is_label'));
  const { dataLoss, dS } = ROW_OBJECTIVES[spec.loss](g, s, label, isLabel, k, spec.wantGradient);

  const many = c >= GEMM_MIN_CLASSES && spec.selection === 'rows';
  if (spec.update) {
    if (dS === undefined) throw new Error('a trainer graph needs wantGradient');
    // The loss at W is data_loss + reg·w_sum_squares, added by the host.
    g.output(dataLoss, 'float32', []);
    g.output(g.op('ReduceSumSquare', [w], { keepdims: 0 }, 'w_sum_squares'), 'float32', []);
    addUpdate(g, spec.update, { w, dS, batch, many, d, c });
    return g;
  }
  // (A trainer graph takes none: its host adds reg·ΣW² and feeds the step's scalars, addUpdate.)
  const reg = g.input('reg', 'float32', []);
  const regLoss = g.op('Mul', [reg, g.op('ReduceSumSquare', [w], { keepdims: 0 })], {}, 'reg_loss');
  g.op('Add', [dataLoss, regLoss], {}, 'loss');
  g.output('loss', 'float32', []);
  g.output(dataLoss, 'float32', []);
  g.output(regLoss, 'float32', []);
  if (dS === undefined) return g;

  const batchSize = g.op('Cast', [g.op('Shape', [batch.y])], { to: 1 }, 'batch_size');
  const dSmean = g.op('Div', [dS, batchSize], {}, 'dscores_mean');
  const regGrad = g.op('Mul', [w, g.op('Mul', [reg, g.constFloat('two', 2)])], {}, 'reg_gradient');
  productPlus(g, batch, dSmean, regGrad, many, 'gradient');
  g.output('gradient', 'float32', [d, c]);
  return g;
}

/**
 * X_bᵀ·dS + C, named `out`. With many classes (selected rows) one Gemm, X_b transposed as it is
 * packed and C added in it, with no D×C Transpose and Add after it (see GEMM_MIN_CLASSES);
 * else (dSᵀ·X)ᵀ: X is then MatMul's right operand, which ONNX Runtime pre-packs once when X is
 * an initializer (residency.ts has the measurements); or Xᵀ·dS when Xᵀ is stored.
 */
function productPlus(g: GraphBuilder, batch: Batch, dS: string, c: string, many: boolean, out: string): string {
  if (batch.xt !== undefined) return g.op('Add', [g.op('MatMul', [batch.xt, dS]), c], {}, out);
  if (many && !batch.pixels) return g.op('Gemm', [batch.x, dS, c], { transA: 1 }, out);
  return g.op('Add', [batchGradient(g, batch, dS), c], {}, out);
}

/**
 * One step of the rule after the objective, as core's optimizers take it (optimizers/), with
 * lr folded into the product: −lr·∇L = X_bᵀ·(−lr/B·dS) − 2·lr·reg·W, so the step costs one
 * B×C scaling and the D×C terms the rule needs, and with many classes the whole right-hand
 * side is one Gemm (C term included) as in the gradient graph (productPlus):
 *
 *   sgd       W' = X_bᵀ·(−lr/B·dS) + (1 − 2·lr·reg)·W
 *   momentum  V' = X_bᵀ·(−lr/B·dS) + μ·V − 2·lr·reg·W,  W' = W + V'
 *   nesterov  V' as momentum,                          W' = W + (1 + μ)·V' − μ·V
 *
 * The step's scalars come from the host, which knows lr, B, reg and μ (ObjectiveGraphSpec.update):
 * each op costs a few µs whatever its size, and at CIFAR shape the six that made them were 4 %
 * of a step.
 */
function addUpdate(g: GraphBuilder, rule: UpdateRule, t: { w: string; dS: string; batch: Batch; many: boolean; d: number; c: number }): void {
  const scaled = g.op('Mul', [t.dS, g.input('step_scale', 'float32', [])], {}, 'dscores_step');
  let v: string | undefined, mu: string | undefined;
  let carried: string;
  if (rule === 'sgd') {
    carried = g.op('Mul', [t.w, g.input('keep', 'float32', [])], {}, 'decayed_w');
  } else {
    v = g.input('V', 'float32', [t.d, t.c]);
    mu = g.input('mu', 'float32', []);
    carried = g.op('Sub', [g.op('Mul', [v, mu]), g.op('Mul', [t.w, g.input('decay', 'float32', [])])], {}, 'carried_velocity');
  }
  const next = productPlus(g, t.batch, scaled, carried, t.many, rule === 'sgd' ? 'W_next' : 'V_next');
  if (rule === 'momentum') g.op('Add', [t.w, next], {}, 'W_next');
  if (rule === 'nesterov') {
    const onePlusMu = g.input('one_plus_mu', 'float32', []);
    g.op('Sub', [g.op('Add', [t.w, g.op('Mul', [next, onePlusMu])]), g.op('Mul', [v!, mu!])], {}, 'W_next');
  }
  g.output('W_next', 'float32', [t.d, t.c]);
  if (rule !== 'sgd') g.output('V_next', 'float32', [t.d, t.c]);
}

/**
 * The host's scalars for a trainer graph's step (addUpdate): −lr/B, and 1 − 2·lr·reg (sgd) or
 * 2·lr·reg, μ and 1 + μ (the momentum rules), in float64 before they are rounded to float32.
 */
export function stepScalars(rule: UpdateRule, lr: number, batchSize: number, reg: number, mu: number | undefined): Record<string, number> {
  const decay = 2 * lr * reg;
  if (rule === 'sgd') return { step_scale: -lr / batchSize, keep: 1 - decay };
  const m = { step_scale: -lr / batchSize, decay, mu: mu! };
  return rule === 'nesterov' ? { ...m, one_plus_mu: 1 + mu! } : m;
}
