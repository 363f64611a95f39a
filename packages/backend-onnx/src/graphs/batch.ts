/**
 * Where a graph's data comes from, and the batch it works on. The placed data set is X (N×D
 * float32) and Y (N int32 labels); a graph either stores them as initializers (resident in
 * the session, copied in once) or takes them as inputs on every run; see residency.ts for
 * which the backends use and why.
 *
 * A data set placed as pixels is P (N×F uint8) instead of X, and a graph decodes the rows it
 * selects: x = Cast(p)·scale − mean, with the bias column padded on as 1s. Pixel graphs always
 * select rows (the backend takes all rows in chunks), so no N×D float32 X ever exists.
 */
import type { GraphBuilder } from '../onnx/builder.js';

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
  /** B×D rows of X. */
  readonly x: string;
  /** B int32 labels ('' when the graph asked for none). */
  readonly y: string;
  /** D×B, when Xᵀ is stored: the left operand of the gradient's product Xᵀ·dS. */
  readonly xt?: string;
}

/** Names the graph's data inputs/initializers (Y only with `labels`) and selects the batch. */
export function addBatch(g: GraphBuilder, data: GraphData, residency: Residency, selection: Selection,
  labels = true): Batch {
  if (data.pixels) return addPixelBatch(g, data, data.pixels, residency, selection, labels);
  const { n, d } = data;
  let x: string, y = '', xt: string | undefined;
  if (residency === 'input') {
    x = g.input('X', 'float32', [n, d]);
    if (labels) y = g.input('Y', 'int32', [n]);
  } else {
    if (!data.x || !data.y) throw new Error(`residency '${residency}' needs X and Y to store in the model`);
    x = g.initializer('X', 'float32', [n, d], data.x);
    if (labels) y = g.initializer('Y', 'int32', [n], data.y);
    if (residency === 'initializer+xt') xt = g.initializer('XT', 'float32', [d, n], transpose(data.x, n, d));
  }
  if (selection === 'all') return { x, y, xt };
  const rows = g.input('rows', 'int32', ['batch']);
  return {
    x: g.op('Gather', [x, rows], { axis: 0 }, 'X_batch'),
    y: labels ? g.op('Gather', [y, rows], { axis: 0 }, 'Y_batch') : '',
    xt: xt === undefined ? undefined : g.op('Gather', [xt, rows], { axis: 1 }, 'XT_batch'),
  };
}

/** The selected rows of a pixel data set, decoded to float32 with the bias column (see above). */
function addPixelBatch(g: GraphBuilder, data: GraphData, px: PixelData, residency: Residency, selection: Selection,
  labels: boolean): Batch {
  if (selection !== 'rows') throw new Error('pixel graphs select rows: the backend takes all rows in chunks');
  const { n } = data;
  const f = px.features;
  let p: string, y = '';
  if (residency === 'input') {
    p = g.input('P', 'uint8', [n, f]);
    if (labels) y = g.input('Y', 'int32', [n]);
  } else {
    if (!px.values || !data.y) throw new Error(`residency '${residency}' needs P and Y to store in the model`);
    p = g.initializer('P', 'uint8', [n, f], px.values);
    if (labels) y = g.initializer('Y', 'int32', [n], data.y);
  }
  const rows = g.input('rows', 'int32', ['batch']);
  const bytes = g.op('Gather', [p, rows], { axis: 0 }, 'P_batch');
  const scaled = g.op('Mul', [g.op('Cast', [bytes], { to: 1 }), g.constFloat('pixel_scale', px.scale)], {}, 'scaled_batch');
  const centred = g.op('Sub', [scaled, g.initializer('pixel_mean', 'float32', [f], px.mean)], {}, 'centred_batch');
  const x = g.op('Pad', [centred, g.constInt64('bias_pads', [0, 0, 0, 1]), g.constFloat('one', 1)], { mode: 'constant' }, 'X_batch');
  return { x, y: labels ? g.op('Gather', [y, rows], { axis: 0 }, 'Y_batch') : '' };
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
