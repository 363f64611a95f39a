/**
 * Where a graph's data comes from, and the batch it works on. The placed data set is X (N×D
 * float32) and Y (N int32 labels); a graph either stores them as initializers (resident in
 * the session, copied in once) or takes them as inputs on every run; see residency.ts for
 * which the backends use and why.
 *
 * A data set placed as pixels is P (N×F uint8) instead of X: a graph casts the bytes of the
 * rows it selects to float32 and folds scale, mean and bias into its products (batchScores,
 * batchGradient). Pixel graphs always select rows (the backend takes all rows in chunks), so no
 * N×D float32 X ever exists.
 */
import type { ElemType, GraphBuilder, TensorData } from '../onnx/builder.js';

/** 'initializer': X and Y stored in the model. 'input': fed each run. 'initializer+xt': X, Y and Xᵀ stored. */
export type Residency = 'initializer' | 'input' | 'initializer+xt';
/** 'all': every row in order (no copy). 'rows': the rows named by the int32 input 'rows'. */
export type Selection = 'all' | 'rows';

export interface GraphData {
  readonly n: number;
  readonly d: number;
  readonly c: number;
  /** Needed unless residency is 'input' (absent for pixels). */
  readonly x?: Float32Array;
  readonly y?: Int32Array;
  /** The data set as bytes and preprocessing, instead of X. */
  readonly pixels?: PixelData;
}

export interface PixelData {
  /** N×F bytes; needed unless residency is 'input'. */
  readonly values?: Uint8Array;
  readonly features: number;
  readonly scale: number;
  /** F values. */
  readonly mean: Float32Array;
}

export interface Batch {
  /** B×D rows of X; with pixels, B×F bytes as float32 (scale, mean and bias still to apply). */
  readonly x: string;
  /** B int32 labels ('' when the graph asked for none). */
  readonly y: string;
  /** D×B, when Xᵀ is stored: the left operand of the gradient's product Xᵀ·dS. */
  readonly xt?: string;
  /** With pixels: the scale (scalar) and mean ([1, F]) that x still needs (batchScores, batchGradient). */
  readonly pixels?: { readonly scale: string; readonly mean: string; readonly features: number };
}

/** Names the graph's data inputs/initializers (Y only with `labels`) and selects the batch. */
export function addBatch(g: GraphBuilder, data: GraphData, residency: Residency, selection: Selection,
  labels = true): Batch {
  if (data.pixels) return addPixelBatch(g, data, data.pixels, residency, selection, labels);
  const { n, d } = data;
  const x = dataArray(g, 'X', 'float32', [n, d], data.x, residency);
  const y = labels ? dataArray(g, 'Y', 'int32', [n], data.y, residency) : '';
  const xt = residency === 'initializer+xt' ? g.initializer('XT', 'float32', [d, n], transpose(data.x!, n, d)) : undefined;
  if (selection === 'all') return { x, y, xt };
  const rows = g.input('rows', 'int32', ['batch']);
  return {
    x: g.op('Gather', [x, rows], { axis: 0 }, 'X_batch'),
    y: labels ? g.op('Gather', [y, rows], { axis: 0 }, 'Y_batch') : '',
    xt: xt === undefined ? undefined : g.op('Gather', [xt, rows], { axis: 1 }, 'XT_batch'),
  };
}

/** The data set's array `name`: an input fed on every run ('input'), else an initializer holding `values`. */
function dataArray(g: GraphBuilder, name: string, type: ElemType, dims: readonly number[], values: TensorData | undefined,
  residency: Residency): string {
  if (residency === 'input') return g.input(name, type, dims);
  if (!values) throw new Error(`residency '${residency}' needs ${name} to store in the model`);
  return g.initializer(name, type, dims, values);
}

/**
 * The selected rows of a pixel data set: their bytes as float32 (Cast only), with scale, mean
 * and the bias folded into the products instead of decoded row by row (batchScores,
 * batchGradient): one pass over the batch instead of four.
 */
function addPixelBatch(g: GraphBuilder, data: GraphData, px: PixelData, residency: Residency, selection: Selection,
  labels: boolean): Batch {
  if (selection !== 'rows') throw new Error('pixel graphs select rows: the backend takes all rows in chunks');
  const { n } = data;
  const f = px.features;
  const p = dataArray(g, 'P', 'uint8', [n, f], px.values, residency);
  const y = labels ? dataArray(g, 'Y', 'int32', [n], data.y, residency) : '';
  const rows = g.input('rows', 'int32', ['batch']);
  const bytes = g.op('Cast', [g.op('Gather', [p, rows], { axis: 0 })], { to: 1 }, 'P_batch');
  return { x: bytes, y: labels ? g.op('Gather', [y, rows], { axis: 0 }, 'Y_batch') : '',
    pixels: { scale: g.constFloat('pixel_scale', px.scale), mean: g.initializer('pixel_mean', 'float32', [1, f], px.mean), features: f } };
}

/**
 * S = X_b·W. With pixels, x = scale·p − μ and a bias 1, so with W = [W_f; w_b]:
 * S = P_b·(scale·W_f) + (w_b − μᵀ·W_f).
 */
export function batchScores(g: GraphBuilder, batch: Batch, w: string, d: number): string {
  const px = batch.pixels;
  if (!px) return g.op('MatMul', [batch.x, w], {}, 'scores');
  const { wf, wb } = splitBias(g, w, d);
  const offset = g.op('Sub', [wb, g.op('MatMul', [px.mean, wf])], {}, 'score_offset');
  return g.op('Add', [g.op('MatMul', [batch.x, g.op('Mul', [wf, px.scale])]), offset], {}, 'scores');
}

/**
 * X_bᵀ·dS, as (dSᵀ·X_b)ᵀ (see objective.ts). With pixels: the feature rows
 * scale·(dSᵀ·P_b)ᵀ − μ·(1ᵀdS), then the bias row 1ᵀdS.
 */
export function batchGradient(g: GraphBuilder, batch: Batch, dS: string): string {
  const px = batch.pixels;
  const product = g.op('Transpose', [g.op('MatMul', [g.op('Transpose', [dS], { perm: [1, 0] }), batch.x])], { perm: [1, 0] }, 'xt_dscores');
  if (!px) return product;
  const columnSums = g.op('ReduceSum', [dS, g.constInt64('axis_0', [0])], { keepdims: 1 }, 'dscores_column_sums');
  const features = g.op('Sub', [g.op('Mul', [product, px.scale]),
    g.op('MatMul', [g.op('Transpose', [px.mean], { perm: [1, 0] }), columnSums])], {}, 'feature_gradient');
  return g.op('Concat', [features, columnSums], { axis: 0 }, 'data_gradient');
}

/** W's feature rows [0, D−1) and its bias row. */
function splitBias(g: GraphBuilder, w: string, d: number): { wf: string; wb: string } {
  const axis0 = g.constInt64('slice_axis_0', [0]);
  return {
    wf: g.op('Slice', [w, g.constInt64('features_from', [0]), g.constInt64('features_to', [d - 1]), axis0], {}, 'W_features'),
    wb: g.op('Slice', [w, g.constInt64('bias_from', [d - 1]), g.constInt64('bias_to', [d]), axis0], {}, 'W_bias'),
  };
}

/** N×D row-major → D×N row-major, in cache-sized tiles. */
export function transpose(x: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(n, i0 + tile);
    for (let k0 = 0; k0 < d; k0 += tile) {
      const k1 = Math.min(d, k0 + tile);
      for (let i = i0; i < i1; i++) for (let k = k0; k < k1; k++) out[k * n + i] = x[i * d + k]!;
    }
  }
  return out;
}
