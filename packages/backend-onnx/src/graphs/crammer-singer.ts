/**
 * The Crammer–Singer multiclass SVM (core's crammer-singer.ts) as ONNX operators, for a batch
 * of B rows:
 *
 *   t_i = max_{j≠y_i} s_ij                    (the label's column at −∞, then ReduceMax)
 *   m_i = t_i − s_{i,y_i} + Δ,  L_i = max(0, m_i)
 *   k_i = the lowest j with s_ij = t_i (j ≠ y_i): the competitor, ties to the lowest index, as core
 *   dS_ij = 1[m_i > 0]·(1[j = k_i] − 1[j = y_i])   (a margin of exactly 0 counts 0)
 *
 * k_i is the smallest class id among the maxima (ReduceMin over ids), not ArgMax: with ArgMax
 * (its int64 output cast to int32) onnxruntime-web's WebGPU backend picked wrong competitors for
 * C of 5 to 10 in the agreement suite (headless Chromium), while C = 3 agreed.
 */
import type { GraphBuilder } from '../onnx/builder.js';
import type { RowObjective } from './objective.js';

export const crammerSingerRows: RowObjective = (g: GraphBuilder, s, label, labelMask, k, wantGradient) => {
  const isLabel = labelMask();
  const delta = g.input('delta', 'float32', []);
  const zero = g.constFloat('zero', 0);
  const masked = g.op('Where', [isLabel, g.constFloat('minus_infinity', -Infinity), s], {}, 'scores_off_label');
  const top = g.op('ReduceMax', [masked], { axes: [1], keepdims: 1 }, 'score_of_rival');
  const sy = g.op('GatherElements', [s, label], { axis: 1 }, 'score_of_label');
  const margin = g.op('Add', [g.op('Sub', [top, sy]), delta], {}, 'margin');
  const dataLoss = g.op('ReduceMean', [g.op('Relu', [margin])], { keepdims: 0 }, 'data_loss');
  if (!wantGradient) return { dataLoss };
  const ids = g.op('Cast', [k.classIds()], { to: 1 }, 'class_ids_float');
  const candidates = g.op('Where', [g.op('Equal', [masked, top]), ids, g.constFloat('no_class', Infinity)], {}, 'rival_candidates');
  const rival = g.op('ReduceMin', [candidates], { axes: [1], keepdims: 1 }, 'rival');
  const isRival = g.op('Equal', [ids, rival], {}, 'is_rival');
  const pair = g.op('Sub', [g.op('Cast', [isRival], { to: 1 }), g.op('Cast', [isLabel], { to: 1 })], {}, 'rival_minus_label');
  const dS = g.op('Mul', [pair, g.op('Cast', [g.op('Greater', [margin, zero])], { to: 1 })], {}, 'dscores');
  return { dataLoss, dS };
};
