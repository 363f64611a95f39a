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
import type { GraphData, Residency, Selection } from './batch.js';
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

export interface ObjectiveGraphSpec {
  readonly loss: LossName;
  readonly wantGradient: boolean;
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
  const batch = addBatch(g, data, residency, spec.selection);
  const reg = g.input('reg', 'float32', []);
  let ids: string | undefined;
  const classIds = (): string => (ids ??= g.initializer('class_ids', 'int32', [c], Int32Array.from({ length: c }, (_, j) => j)));
  const k: Constants = { axis1: g.constInt64('axis_1', [1]), classIds, scatter: spec.scatter ?? true };

  const s = batchScores(g, batch, w, d);
  const label = g.op('Unsqueeze', [batch.y, k.axis1], {}, 'label_column');
  let mask: string | undefined;
  const isLabel = (): string => (mask ??= g.op('Equal', [label, classIds()], {}, 'is_label'));
  const { dataLoss, dS } = ROW_OBJECTIVES[spec.loss](g, s, label, isLabel, k, spec.wantGradient);

  const regLoss = g.op('Mul', [reg, g.op('ReduceSumSquare', [w], { keepdims: 0 })], {}, 'reg_loss');
  g.op('Add', [dataLoss, regLoss], {}, 'loss');
  g.output('loss', 'float32', []);
  g.output(dataLoss, 'float32', []);
  g.output(regLoss, 'float32', []);
  if (dS === undefined) return g;

  const batchSize = g.op('Cast', [g.op('Shape', [batch.y])], { to: 1 }, 'batch_size');
  const dSmean = g.op('Div', [dS, batchSize], {}, 'dscores_mean');
  const regGrad = g.op('Mul', [w, g.op('Mul', [reg, g.constFloat('two', 2)])], {}, 'reg_gradient');
  if (batch.xt === undefined && !batch.pixels && spec.selection === 'rows' && c >= GEMM_MIN_CLASSES) {
    // Many classes: one Gemm, X_bᵀ·dS + 2·reg·W with X_b transposed as it is packed, and
    // no D×C Transpose and Add after it (see GEMM_MIN_CLASSES).
    g.op('Gemm', [batch.x, dSmean, regGrad], { transA: 1 }, 'gradient');
  } else if (batch.xt === undefined) {
    // Xᵀ·dS computed as (dSᵀ·X)ᵀ: X is then MatMul's right operand, which ONNX Runtime
    // pre-packs once when X is an initializer; see residency.ts for the measurements.
    g.op('Add', [batchGradient(g, batch, dSmean), regGrad], {}, 'gradient');
  } else {
    g.op('Add', [g.op('MatMul', [batch.xt, dSmean]), regGrad], {}, 'gradient');
  }
  g.output('gradient', 'float32', [d, c]);
  return g;
}
