/**
 * Where the kernels read rows of X: a float32 store placed as is, or pixel bytes decoded four
 * rows at a time into a small scratch (the kernels work on blocks of four rows, and each block's
 * rows are read twice, for the scores and for the gradient, while the scratch holds them).
 * Decoding costs D operations per row against the 2·D·C (4·D·C with the gradient) of the
 * kernels, and keeps X at a quarter of its float32 size.
 */
import { decodePixelRow, scaledBytes, type PixelMatrix } from '@descent/core';

export interface RowReader {
  /** The float32 store that offsets returned by at() index. */
  readonly store: Float32Array;
  /** Offset of row r in store; a pixel reader first decodes the row into scratch slot `slot` (0…3). */
  at(row: number, slot: number): number;
}

/** Rows of a placed float32 X (N×D). */
export function denseRows(x: Float32Array, d: number): RowReader {
  return { store: x, at: (row) => row * d };
}

/** Rows decoded from bytes: exactly the float32 values of core's toDesignMatrix (decodePixelRow). */
export function pixelRows(m: PixelMatrix): RowReader {
  const store = new Float32Array(4 * m.d);
  const table = scaledBytes(m.scale);
  return {
    store,
    at(row, slot) {
      decodePixelRow(m, table, row, store, slot * m.d);
      return slot * m.d;
    },
  };
}
