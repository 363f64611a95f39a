/**
 * Data sets larger than memory, on any backend: a ComputeBackend that wraps another and adds
 * streamed residents (placeStreamed). A streamed resident holds its labels; its bytes stay in
 * their ByteRows (a file) and reach the wrapped backend one block of rows at a time, placed as
 * an ordinary data set (placePixels where the backend keeps bytes, else the decoded float32
 * rows) and released when the next block comes.
 *
 * - A request inside one block (every minibatch: the samplers keep batches inside blocks, see
 *   BlockLayout) runs on that block, placed once and kept while the batches come from it; the
 *   block the sampler's plan names next is read from disk meanwhile.
 * - A request across blocks (a full pass: the final loss, accuracy on the test split, a
 *   landscape's losses) runs block by block — only the rows asked for in each block are read
 *   and placed, the next block's read while the current one computes — and is combined on the
 *   host in float64: data losses and gradients weighted by rows (reg 0 per part), the penalty
 *   added once; scores put back in the order asked.
 * Everything else (data placed in memory) goes straight to the wrapped backend.
 */
import {
  rowCount, type ComputeBackend, type DesignMatrix, type Evaluation, type Objective, type PixelMatrix, type PlaceOptions, type Resident, type Rows,
  type Vec,
} from '../backend.js';
import { pickRows } from '../data/byte-rows.js';
import { decodePixelRows } from '../data/preprocess.js';
import { decodeFeatureRows, rowBytes, type StreamedPixels } from '../data/streamed.js';
import { BackendError, OptionError } from '../errors.js';
import { EvaluationSum } from '../losses/linear.js';
import { validateObjective, validateRows, validateWeights } from '../losses/validate.js';

/** Bytes of X per block by default: 64 MiB (as bytes where the backend keeps them, else as float32 rows). */
export const STREAM_BLOCK_BYTES = 64 * 2 ** 20;

/** The fewest rows a default block holds (a batch must fit in a block). */
export const MIN_BLOCK_ROWS = 1024;

/** The most rows a block may hold: 2^24 … */
export const MAX_BLOCK_ROWS = 2 ** 24;
/** … and the most bytes of X: 1 GiB (one read, one typed array; a block is meant to be a small part of memory). */
export const MAX_BLOCK_BYTES = 2 ** 30;

export interface StreamOptions {
  /** Rows per block (default: STREAM_BLOCK_BYTES of X in the form the backend holds, at least MIN_BLOCK_ROWS, at most n). */
  readonly blockRows?: number;
}

interface Stream {
  readonly data: StreamedPixels;
  readonly blockRows: number;
  cached?: { readonly index: number; readonly inner: Resident };
  ahead?: { readonly index: number; readonly bytes: Promise<Uint8Array> };
  plan: readonly number[];
  /** Requests on one stream run one after another (they share the cached block). */
  queue: Promise<unknown>;
  released?: boolean;
}

/** One block's share of a request: its rows (global indices or a range) and where their results go. */
interface Part {
  readonly block: number;
  /** A contiguous range of global rows; or `rows`, the part's distinct global rows sorted (each read once), … */
  readonly range?: { readonly start: number; readonly count: number };
  readonly rows?: Int32Array;
  /** … and for each request row in the block (repeats kept): its position in the request, and its index into `rows`. */
  readonly at?: Int32Array;
  readonly local?: Int32Array;
  /** Request rows in this part. */
  readonly count: number;
}

export class StreamingBackend implements ComputeBackend {
  readonly id: string;
  readonly precision: ComputeBackend['precision'];
  readonly placePixels?: (data: PixelMatrix, options?: PlaceOptions) => Promise<Resident>;
  private readonly streams = new Map<Resident, Stream>();
  private disposed = false;
  /** Blocks go to the backend as bytes (placePixels) rather than decoded float32 rows. */
  readonly bytes: boolean;

  /** `pixels` false: place blocks as float32 rows even where the backend keeps bytes. */
  constructor(readonly inner: ComputeBackend, options: { pixels?: boolean } = {}) {
    this.bytes = (options.pixels ?? true) && inner.placePixels !== undefined;
    this.id = inner.id;
    this.precision = inner.precision;
    if (inner.placePixels) this.placePixels = (data, options) => inner.placePixels!(data, options);
  }

  place(data: DesignMatrix): Promise<Resident> {
    return this.inner.place(data);
  }

  /** Block rows for a data set: the option, else STREAM_BLOCK_BYTES of X as this backend holds it. */
  blockRowsFor(data: Pick<StreamedPixels, 'n' | 'features' | 'd' | 'values'>, options: StreamOptions = {}): number {
    // Features are placed as float32 rows, read as their own bytes (float64: twice the float32 rows).
    const perRow = data.values ? Math.max(4 * data.d, rowBytes(data)) : this.bytes ? data.features : 4 * data.d;
    if (options.blockRows !== undefined) {
      if (!(Number.isInteger(options.blockRows) && options.blockRows >= 1 && options.blockRows <= MAX_BLOCK_ROWS)) {
        throw new OptionError(`block rows must be an integer from 1 to ${MAX_BLOCK_ROWS}, got ${options.blockRows}`);
      }
      const rows = Math.min(options.blockRows, data.n);
      if (rows * perRow > MAX_BLOCK_BYTES) {
        throw new OptionError(`blocks of ${rows} rows would hold ${(rows * perRow / 2 ** 20).toFixed(0)} MiB of X each; at most ${MAX_BLOCK_BYTES / 2 ** 20} MiB ` +
          `(${Math.floor(MAX_BLOCK_BYTES / perRow)} rows of ${perRow} bytes) a block`);
      }
      return rows;
    }
    // At least MIN_BLOCK_ROWS (big images: 64 MiB is few rows; a batch must fit a block), at most MAX_BLOCK_BYTES.
    const rows = Math.max(MIN_BLOCK_ROWS, Math.floor(STREAM_BLOCK_BYTES / perRow));
    return Math.max(1, Math.min(data.n, rows, Math.floor(MAX_BLOCK_BYTES / perRow)));
  }

  /** A data set whose bytes stay in data.rows: read and placed a block at a time as requests need them. */
  async placeStreamed(data: StreamedPixels, options: StreamOptions = {}): Promise<Resident> {
    this.live();
    if (!(data.n >= 1) || data.rows.n !== data.n || data.y.length !== data.n || data.d !== data.features + 1 || data.rows.features !== rowBytes(data)) {
      throw new OptionError(`streamed data: ${data.n} rows, ${data.y.length} labels, ${data.rows.n} rows of ${data.rows.features} bytes, d = ${data.d}: these must agree`);
    }
    const blockRows = this.blockRowsFor(data, options);
    const stream: Stream = { data, blockRows, plan: [], queue: Promise.resolve() };
    const resident: Resident = Object.freeze({
      backendId: this.id, n: data.n, d: data.d, classes: data.classes, y: Int32Array.from(data.y),
      blocks: Object.freeze({ rows: blockRows, plan: (order: readonly number[]) => this.planned(stream, order) }),
    });
    this.streams.set(resident, stream);
    return resident;
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective, wantGradient: boolean): Promise<Evaluation> {
    const stream = this.streams.get(data);
    if (!stream) return this.inner.evaluate(w, data, rows, objective, wantGradient);
    this.live();
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    validateObjective(objective);
    return this.serial(stream, async () => {
      const one = this.kept(stream, rows);
      if (one !== undefined) {
        return this.inner.evaluate(w, await this.block(stream, one), localRows(rows, one * stream.blockRows), objective, wantGradient);
      }
      const part = { ...objective, reg: 0 };
      const sum = new EvaluationSum(w, objective.reg, wantGradient);
      await this.eachPart(stream, partsOf(rows, stream.blockRows), async (resident, local, p) => {
        sum.add(await this.inner.evaluate(w, resident, local, part, wantGradient), p.count);
      });
      return sum.result();
    });
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> {
    const stream = this.streams.get(data);
    if (!stream) return this.inner.scores(w, data, rows);
    this.live();
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    return this.serial(stream, async () => {
      const one = this.kept(stream, rows);
      if (one !== undefined) return this.inner.scores(w, await this.block(stream, one), localRows(rows, one * stream.blockRows));
      const parts = partsOf(rows, stream.blockRows);
      const c = data.classes;
      const out = this.precision === 'float64' ? new Float64Array(rowCount(rows) * c) : new Float32Array(rowCount(rows) * c);
      let next = 0;
      await this.eachPart(stream, parts, async (resident, local, p) => {
        const s = await this.inner.scores(w, resident, local);
        if (p.range) {
          out.set(s, next * c);
          next += p.count;
        } else {
          // Scattered request rows: the part's k-th row goes back to its place in the request.
          for (let k = 0; k < p.at!.length; k++) out.set(s.subarray(k * c, (k + 1) * c), p.at![k]! * c);
        }
      });
      return out;
    });
  }

  async release(data: Resident): Promise<void> {
    const stream = this.streams.get(data);
    if (!stream) return this.inner.release(data);
    this.streams.delete(data);
    stream.released = true;
    await stream.queue.catch(() => undefined);
    stream.ahead = undefined;
    if (stream.cached) await this.inner.release(stream.cached.inner);
    stream.cached = undefined;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    for (const r of [...this.streams.keys()]) await this.release(r);
    this.disposed = true;
    await this.inner.dispose();
  }

  private live(): void {
    if (this.disposed) throw new BackendError(`backend '${this.id}' has been disposed`);
  }

  private serial<T>(stream: Stream, work: () => Promise<T>): Promise<T> {
    const run = stream.queue.then(work, work);
    stream.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The block a request runs on as the placed block: when the request lies inside one block that
   * is placed, being read ahead, or — no sampler having planned an order — any block. Other
   * requests (an accuracy sample's chunk in one block, mid-epoch) take the path of passes and
   * leave the training block and its read-ahead alone.
   */
  private kept(stream: Stream, rows: Rows): number | undefined {
    const b = blockOf(rows, stream.blockRows);
    if (b === undefined) return undefined;
    return stream.cached?.index === b || stream.ahead?.index === b || stream.plan.length === 0 ? b : undefined;
  }

  /**
   * The sampler's block order for this epoch: read its first block ahead, or, when that one is
   * already placed (the last epoch ended on it), the block after it.
   */
  private planned(stream: Stream, order: readonly number[]): void {
    if (stream.released) return;
    stream.plan = order;
    const next = stream.cached?.index === order[0] ? order[1] : order[0];
    if (next !== undefined && stream.cached?.index !== next && stream.ahead?.index !== next) stream.ahead = this.readAhead(stream, next);
  }

  private readAhead(stream: Stream, index: number): Stream['ahead'] {
    const bytes = this.readBlock(stream, index);
    bytes.catch(() => undefined); // awaited (and its error reported) by the request that needs it
    return { index, bytes };
  }

  private readBlock(stream: Stream, index: number): Promise<Uint8Array> {
    const start = index * stream.blockRows, count = Math.min(stream.blockRows, stream.data.n - start);
    const bytes = new Uint8Array(count * rowBytes(stream.data));
    return stream.data.rows.read(start, count, bytes).then(() => bytes);
  }

  /** The block placed on the wrapped backend (read, or taken from the read ahead), and the plan's next read ahead. */
  private async block(stream: Stream, index: number): Promise<Resident> {
    if (stream.cached?.index === index) return stream.cached.inner;
    let pending: Promise<Uint8Array>;
    if (stream.ahead?.index === index) {
      pending = stream.ahead.bytes;
      stream.ahead = undefined;
    } else {
      pending = this.readBlock(stream, index);
      pending.catch(() => undefined); // awaited below, after the old block's release
    }
    if (stream.cached) {
      const old = stream.cached.inner;
      stream.cached = undefined;
      await this.inner.release(old);
    }
    const start = index * stream.blockRows;
    const bytes = await pending;
    const inner = await this.placeBytes(stream.data, bytes, stream.data.y.subarray(start, start + bytes.length / rowBytes(stream.data)));
    stream.cached = { index, inner };
    const at = stream.plan.indexOf(index);
    const next = at >= 0 ? stream.plan[at + 1] : undefined;
    if (next !== undefined) stream.ahead = this.readAhead(stream, next);
    return inner;
  }

  /** Bytes of some rows placed as a data set of their own: as bytes where the backend keeps them, else decoded (features always). */
  private placeBytes(data: StreamedPixels, pixels: Uint8Array, y: Int32Array): Promise<Resident> {
    const n = y.length;
    if (data.values) return this.inner.place({ x: decodeFeatureRows(pixels, { ...data, values: data.values }, n), y, n, d: data.d, classes: data.classes });
    const m: PixelMatrix = { pixels, features: data.features, scale: data.scale, mean: data.mean, y, n, d: data.d, classes: data.classes };
    // Each block's bytes are a fresh array, never touched again: handed over, not copied.
    if (this.bytes) return this.inner.placePixels!(m, { transfer: true });
    return this.inner.place({ x: decodePixelRows(m, 0, n), y, n, d: data.d, classes: data.classes });
  }

  /**
   * Each part on the backend in turn: the cached block where the part is in it, else the part's
   * rows read (the next part's read while this one computes), placed, used and released.
   */
  private async eachPart(stream: Stream, parts: readonly Part[], use: (resident: Resident, local: Rows, p: Part) => Promise<void>): Promise<void> {
    const read = (p: Part): Promise<Uint8Array> | undefined => {
      if (stream.cached?.index === p.block) return undefined;
      const f = rowBytes(stream.data), bytes = new Uint8Array((p.range ? p.range.count : p.rows!.length) * f);
      const rows = p.range ? undefined : p.rows!;
      const done = p.range ? stream.data.rows.read(p.range.start, p.range.count, bytes)
        : pickRows(stream.data.rows, rows!).read(0, rows!.length, bytes);
      return done.then(() => bytes);
    };
    let pending = parts.length > 0 ? read(parts[0]!) : undefined;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      const bytes = pending ? await pending : undefined;
      pending = i + 1 < parts.length ? read(parts[i + 1]!) : undefined;
      pending?.catch(() => undefined);
      const offset = p.block * stream.blockRows;
      if (!bytes) {
        const cached = stream.cached!.inner;
        const local = p.range ? { start: p.range.start - offset, count: p.range.count } : p.local!.map((k) => p.rows![k]! - offset);
        await use(cached, local, p);
        continue;
      }
      const rows = p.range ? undefined : p.rows!;
      const y = p.range ? stream.data.y.subarray(p.range.start, p.range.start + p.range.count)
        : Int32Array.from(rows!, (r) => stream.data.y[r]!);
      const temp = await this.placeBytes(stream.data, bytes, y);
      try {
        await use(temp, p.range ? { start: 0, count: p.range.count } : p.local!, p);
      } finally {
        await this.inner.release(temp);
      }
    }
  }
}

/** A selection in one block, relative to the block's first row. */
function localRows(rows: Rows, offset: number): Rows {
  return rows instanceof Int32Array ? rows.map((r) => r - offset) : { start: rows.start - offset, count: rows.count };
}

/** The block a selection lies in, when it lies in one. */
function blockOf(rows: Rows, blockRows: number): number | undefined {
  if (!(rows instanceof Int32Array)) {
    const first = Math.floor(rows.start / blockRows);
    return first === Math.floor((rows.start + rows.count - 1) / blockRows) ? first : undefined;
  }
  const b = Math.floor(rows[0]! / blockRows), lo = b * blockRows, hi = lo + blockRows;
  for (let k = 1; k < rows.length; k++) if (rows[k]! < lo || rows[k]! >= hi) return undefined;
  return b;
}

/**
 * A request split by block: a range, a range per block; listed rows, per block its distinct
 * rows sorted (each read once), and for each request row its position in the request and in
 * that list.
 */
function partsOf(rows: Rows, blockRows: number): Part[] {
  if (!(rows instanceof Int32Array)) {
    const first = Math.floor(rows.start / blockRows), last = Math.floor((rows.start + rows.count - 1) / blockRows);
    const parts: Part[] = [];
    for (let b = first; b <= last; b++) {
      const start = Math.max(rows.start, b * blockRows), end = Math.min(rows.start + rows.count, (b + 1) * blockRows);
      parts.push({ block: b, range: { start, count: end - start }, count: end - start });
    }
    return parts;
  }
  const byBlock = new Map<number, number[]>();
  for (let k = 0; k < rows.length; k++) {
    const b = Math.floor(rows[k]! / blockRows);
    let list = byBlock.get(b);
    if (!list) byBlock.set(b, (list = []));
    list.push(k);
  }
  return [...byBlock.keys()].sort((a, b) => a - b).map((block) => {
    const at = Int32Array.from(byBlock.get(block)!);
    const distinct = Int32Array.from(new Set(Array.from(at, (k) => rows[k]!))).sort();
    const local = Int32Array.from(at, (k) => binarySearch(distinct, rows[k]!));
    return { block, rows: distinct, at, local, count: at.length };
  });
}

function binarySearch(sorted: Int32Array, value: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
