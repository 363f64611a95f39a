/** The scores graph: S = X[rows]·W, [batch, C] float32 (inputs W and, when selecting, rows). */
import { GraphBuilder } from '../onnx/builder.js';
import { addBatch, batchScores } from './batch.js';
import type { GraphData, Residency, Selection } from './batch.js';

export function scoresGraph(residency: Residency, selection: Selection, data: GraphData): GraphBuilder {
  const g = new GraphBuilder(`scores_${selection}`, `descent: raw scores X·W, X ${residency}`);
  const w = g.input('W', 'float32', [data.d, data.c]);
  // Xᵀ never helps here; store only X.
  const batch = addBatch(g, data, residency === 'input' ? 'input' : 'initializer', selection, false);
  batchScores(g, batch, w, data.d);
  g.output('scores', 'float32', [selection === 'all' ? data.n : 'batch', data.c]);
  return g;
}
