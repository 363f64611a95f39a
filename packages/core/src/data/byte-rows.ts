/**
 * Rows of pixel bytes kept somewhere else (a file on disk, a browser File): what a streamed
 * data set reads a block at a time instead of holding (see streamed.ts). Core reads through
 * this interface only; '@descent/core/node' implements it over .npy files.
 */
import { DataError, ShapeError } from '../errors.js';

export interface ByteRows {
  /** Rows. */
  readonly n: number;
  /** Bytes per row. */
  readonly features: number;
  /** Rows [start, start + count) into `into` (count·features bytes, row-major). */
  read(start: number, count: number, into: Uint8Array): Promise<void>;
  /**
   * The same, blocking: cheaper for many short reads (scattered rows), where one promise per
   * read would cost more than the read. Optional.
   */
  readSync?(start: number, count: number, into: Uint8Array): void;
}

/** Bytes held in memory as ByteRows (tests, and small data streamed for comparison). */
export function bytesInMemory(bytes: Uint8Array, features: number): ByteRows {
  if (!(Number.isInteger(features) && features >= 1) || bytes.length % features !== 0) {
    throw new ShapeError(`bytesInMemory: ${bytes.length} bytes are not whole rows of ${features}`);
  }
  const n = bytes.length / features;
  const readSync = (start: number, count: number, into: Uint8Array) => {
    checkRead(n, features, start, count, into, 'bytesInMemory');
    into.set(bytes.subarray(start * features, (start + count) * features));
  };
  return { n, features, readSync, read: async (start, count, into) => readSync(start, count, into) };
}

/** Checks a read's range and buffer (a programming error, not bad data, when it fails). */
export function checkRead(n: number, features: number, start: number, count: number, into: Uint8Array, what: string): void {
  if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= n)) {
    throw new ShapeError(`${what}: rows [${start}, ${start + count}) are outside 0..${n}`);
  }
  if (into.length < count * features) throw new ShapeError(`${what}: ${count} rows need ${count * features} bytes, the buffer has ${into.length}`);
}

/**
 * The rows at sorted, distinct `indices` of a source, as ByteRows of their own (a split's rows
 * of a file). A dense stretch (its span at most twice its rows: the training rows around
 * held-out ones) is read in one piece and compacted; a sparse one (a validation sample) row
 * run by row run, blocking where the source can.
 */
export function pickRows(source: ByteRows, indices: Int32Array): ByteRows {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(i >= 0 && i < source.n) || (k > 0 && i <= indices[k - 1]!)) {
      throw new ShapeError(`pickRows: index ${i} at position ${k} is out of range 0..${source.n - 1} or not above the one before`);
    }
  }
  const f = source.features;
  let scratch: Uint8Array | undefined;
  /** The stretch [start, start + count) of indices: the file rows it spans, and whether that is dense. */
  const stretch = (start: number, count: number) => {
    const first = indices[start]!, span = indices[start + count - 1]! - first + 1;
    return { first, span, dense: span <= 2 * count };
  };
  const compact = (piece: Uint8Array, first: number, start: number, count: number, into: Uint8Array) => {
    for (let k = 0; k < count; k++) {
      const at = (indices[start + k]! - first) * f;
      into.set(piece.subarray(at, at + f), k * f);
    }
  };
  /** Each run of consecutive file rows in the stretch: (file row, rows, where in `into`). */
  const eachRun = (start: number, count: number, visit: (row: number, run: number, at: number) => void) => {
    for (let k = 0; k < count;) {
      let run = 1;
      while (k + run < count && indices[start + k + run] === indices[start + k]! + run) run++;
      visit(indices[start + k]!, run, k);
      k += run;
    }
  };
  const takeScratch = (bytes: number) => {
    const piece = scratch && scratch.length >= bytes ? scratch : new Uint8Array(bytes);
    scratch = undefined; // a concurrent read takes a buffer of its own
    return piece;
  };
  const read = async (start: number, count: number, into: Uint8Array) => {
    checkRead(indices.length, f, start, count, into, 'pickRows');
    if (count === 0) return;
    const { first, span, dense } = stretch(start, count);
    if (span === count) return source.read(first, count, into);
    if (dense) {
      const piece = takeScratch(span * f);
      await source.read(first, span, piece);
      compact(piece, first, start, count, into);
      scratch = piece;
      return;
    }
    const runs: [number, number, number][] = [];
    eachRun(start, count, (row, run, at) => runs.push([row, run, at]));
    for (const [row, run, at] of runs) {
      const part = into.subarray(at * f, (at + run) * f);
      if (source.readSync) source.readSync(row, run, part);
      else await source.read(row, run, part);
    }
  };
  const readSync = source.readSync === undefined ? undefined : (start: number, count: number, into: Uint8Array) => {
    checkRead(indices.length, f, start, count, into, 'pickRows');
    if (count === 0) return;
    const sync = source.readSync!;
    const { first, span, dense } = stretch(start, count);
    if (span === count) return sync(first, count, into);
    if (dense) {
      const piece = takeScratch(span * f);
      sync(first, span, piece);
      compact(piece, first, start, count, into);
      scratch = piece;
      return;
    }
    eachRun(start, count, (row, run, at) => sync(row, run, into.subarray(at * f, (at + run) * f)));
  };
  return { n: indices.length, features: f, read, ...(readSync ? { readSync } : {}) };
}

/**
 * Every row read once, in order, in pieces of at most `rows` rows, the next piece read while
 * `visit` works on this one (a pass that holds two pieces).
 */
export async function forEachPiece(source: ByteRows, rows: number, visit: (bytes: Uint8Array, start: number, count: number) => void): Promise<void> {
  if (!(Number.isInteger(rows) && rows >= 1)) throw new DataError(`forEachPiece: rows must be an integer >= 1, got ${rows}`);
  const size = Math.min(rows, Math.max(1, source.n)) * source.features;
  const buffers = [new Uint8Array(size), new Uint8Array(source.n > rows ? size : 0)];
  const read = (start: number, k: number) => {
    const piece = buffers[k % 2]!.subarray(0, Math.min(rows, source.n - start) * source.features);
    return source.read(start, piece.length / source.features, piece).then(() => piece);
  };
  let pending = source.n > 0 ? read(0, 0) : undefined;
  for (let start = 0, k = 0; pending; start += rows, k++) {
    const piece = await pending;
    pending = start + rows < source.n ? read(start + rows, k + 1) : undefined;
    pending?.catch(() => undefined); // awaited next time round
    visit(piece, start, piece.length / source.features);
  }
}
