/**
 * Multiclass hinge (core's svm.ts) as ONNX operators, for a batch of B rows:
 *
 *   S = X·W,  m_ij = s_ij − s_{i,y_i} + Δ  (j ≠ y_i; 0 at j = y_i),  L_i = Σ_j max(0, m_ij)
 *   dS_ij = 1[m_ij > 0] (j ≠ y_i),  dS_{i,y_i} = −Σ_j 1[m_ij > 0]
 *
 * Margins count only when strictly > 0 (the kink gets subgradient 0, as in core), and the
 * y column is forced to 0 before the test, so it never counts.
 */
import type { GraphBuilder } from '../onnx/builder.js';
import type { RowObjective } from './objective.js';

export const svmRows: RowObjective = (g: GraphBuilder, s, label, labelMask, k, wantGradient) => {
  const isLabel = labelMask();
  const delta = g.input('delta', 'float32', []);
  const zero = g.constFloat('zero', 0);
  const sy = g.op('GatherElements', [s, label], { axis: 1 }, 'score_of_label');
  const margins = g.op('Add', [g.op('Sub', [s, sy]), delta], {}, 'margins');
  const m = g.op('Where', [isLabel, zero, margins], {}, 'margins_off_label');
  const rowLoss = g.op('ReduceSum', [g.op('Relu', [m]), k.axis1], { keepdims: 0 }, 'row_loss');
  const dataLoss = g.op('ReduceMean', [rowLoss], { keepdims: 0 }, 'data_loss');
  if (!wantGradient) return { dataLoss };
  const active = g.op('Cast', [g.op('Greater', [m, zero])], { to: 1 }, 'active');
  const count = g.op('ReduceSum', [active, k.axis1], { keepdims: 1 }, 'active_count');
  const dS = g.op('Sub', [active, g.op('Mul', [g.op('Cast', [isLabel], { to: 1 }), count])], {}, 'dscores');
  return { dataLoss, dS };
};
