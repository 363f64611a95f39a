import type { BlockLayout, Rows } from './backend.js';
import { OptionError } from './errors.js';
import type { Random } from './random.js';

/**
 * Minibatch selection: which rows the next gradient step sees.
 *
 *   sequential:  [0, B), [B, 2B), …, then the remainder [⌊n/B⌋·B, n), then from 0 again.
 *                Returned as { start, count } ranges (no copying); never draws from rng.
 *   shuffle:     a fresh permutation of 0..n−1 (rng.permutation) at the start of each epoch,
 *                cut into batches of B in order, the last one the remainder: every example
 *                exactly once per epoch.
 *   replacement: B indices drawn independently and uniformly, rng.int(n) each (repeats happen).
 *
 * A batch size ≥ n means full batch: every sampler returns all rows, { start: 0, count: n },
 * on every call, and each call is one epoch.
 *
 * Over rows held in blocks (a streamed data set, BlockLayout) no batch crosses a block: each
 * block ends with its remainder batch, and blocks are visited in order (sequential) or in a
 * fresh random order each epoch (shuffle, replacement), the rows of each block then handled as
 * above within it — shuffled by blocks, then by rows; 'replacement' draws as many rows from a
 * block as it holds. A batch larger than a block is an error. One block is the plain sampler,
 * draw for draw.
 */
export const SAMPLER_NAMES = ['sequential', 'replacement', 'shuffle'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** How each sampler reads in a menu. */
export const SAMPLER_LABELS: Readonly<Record<SamplerName, string>> = {
  sequential: 'sequential', replacement: 'with replacement', shuffle: 'shuffled each epoch',
};

export interface Sampler {
  readonly name: SamplerName;
  /** The next batch of row indices. */
  next(): Rows;
  /** Examples drawn so far ÷ n: the fractional epoch. */
  readonly epoch: number;
  /** Batches per epoch = ceil(n / batchSize). */
  readonly batchesPerEpoch: number;
}

export function isSamplerName(name: string): name is SamplerName {
  return (SAMPLER_NAMES as readonly string[]).includes(name);
}

/**
 * A sampler over rows 0..n−1. Deterministic: the same rng state gives the same batches.
 * Only 'shuffle' and 'replacement' draw from rng; pass a fork (`rng.fork('batches')`) so
 * other draws do not shift the minibatch sequence.
 */
export function createSampler(name: string, n: number, batchSize: number, rng: Random, blocks?: BlockLayout): Sampler {
  if (!isSamplerName(name)) {
    throw new OptionError(`unknown sampler '${name}'; expected one of: ${SAMPLER_NAMES.join(', ')}`);
  }
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new OptionError(`sampler: the number of examples n must be an integer >= 1, got ${n}`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new OptionError(`sampler option 'batchSize' must be an integer >= 1, got ${batchSize}`);
  }
  if (batchSize >= n) return new FullBatchSampler(name, n);
  if (blocks) {
    if (!(Number.isInteger(blocks.rows) && blocks.rows >= 1)) throw new OptionError(`sampler: block rows must be an integer >= 1, got ${blocks.rows}`);
    if (blocks.rows < batchSize) {
      // Silently smaller batches would change the run; the caller picks which to change.
      throw new OptionError(`batches of ${batchSize} rows do not fit in blocks of ${blocks.rows} rows: ask for blocks of at least ${batchSize} rows, or smaller batches`);
    }
    if (blocks.rows < n) return new BlockSampler(name, n, batchSize, rng, blocks);
  }
  switch (name) {
    case 'sequential': return new SequentialSampler(n, batchSize);
    case 'shuffle': return new ShuffleSampler(n, batchSize, rng);
    case 'replacement': return new ReplacementSampler(n, batchSize, rng);
  }
}

abstract class BaseSampler implements Sampler {
  abstract readonly name: SamplerName;
  /** Examples drawn so far. */
  protected drawn = 0;
  readonly batchesPerEpoch: number;

  constructor(readonly n: number, readonly batchSize: number, blockRows?: number) {
    this.batchesPerEpoch = batchesPerEpoch(n, batchSize, blockRows);
  }

  get epoch(): number {
    return this.drawn / this.n;
  }

  abstract next(): Rows;
}

/** Batches a sampler hands out per epoch: ceil(n / batchSize), each block's ceil when rows are held in blocks of blockRows. */
export function batchesPerEpoch(n: number, batchSize: number, blockRows?: number): number {
  if (batchSize >= n || blockRows === undefined || blockRows >= n) return Math.ceil(n / Math.min(batchSize, n));
  const full = Math.floor(n / blockRows), last = n - full * blockRows;
  return full * Math.ceil(blockRows / batchSize) + (last > 0 ? Math.ceil(last / batchSize) : 0);
}

/** batchSize ≥ n: all rows every call, whatever the sampler's name. */
class FullBatchSampler extends BaseSampler {
  private readonly all: Rows;

  constructor(readonly name: SamplerName, n: number) {
    super(n, n);
    this.all = Object.freeze({ start: 0, count: n });
  }

  next(): Rows {
    this.drawn += this.n;
    return this.all;
  }
}

/** Ranges in order, the last of each epoch the remainder, then wrap to 0. */
class SequentialSampler extends BaseSampler {
  readonly name = 'sequential' as const;
  private position = 0;

  next(): Rows {
    const start = this.position;
    const count = Math.min(this.batchSize, this.n - start);
    this.position = start + count === this.n ? 0 : start + count;
    this.drawn += count;
    return { start, count };
  }
}

/**
 * Batches cut from a fresh permutation per epoch. Each returned Int32Array is a subarray view
 * into that epoch's permutation; a new permutation array is made every epoch and never
 * written afterwards, so a batch stays valid after later calls. Callers must not modify it.
 */
class ShuffleSampler extends BaseSampler {
  readonly name = 'shuffle' as const;
  private order: Int32Array | undefined;
  private position = 0;

  constructor(n: number, batchSize: number, private readonly rng: Random) {
    super(n, batchSize);
  }

  next(): Rows {
    if (this.order === undefined || this.position === this.n) {
      this.order = this.rng.permutation(this.n);
      this.position = 0;
    }
    const start = this.position;
    const end = Math.min(start + this.batchSize, this.n);
    this.position = end;
    this.drawn += end - start;
    return this.order.subarray(start, end);
  }
}

/** B independent uniform draws per batch; a new array each call. */
class ReplacementSampler extends BaseSampler {
  readonly name = 'replacement' as const;

  constructor(n: number, batchSize: number, private readonly rng: Random) {
    super(n, batchSize);
  }

  next(): Rows {
    const batch = new Int32Array(this.batchSize);
    for (let i = 0; i < batch.length; i++) batch[i] = this.rng.int(this.n);
    this.drawn += batch.length;
    return batch;
  }
}

/**
 * Rows in blocks: each epoch a block order (in order for 'sequential', else a fresh permutation),
 * told to the layout's plan hook; then each block's batches as the plain sampler would cut them
 * from that block alone. With one block this is the plain sampler, draw for draw.
 */
class BlockSampler extends BaseSampler {
  private readonly blockCount: number;
  private order: readonly number[] = [];
  private at = 0;
  private batches: Rows[] = [];
  private next_ = 0;

  constructor(readonly name: SamplerName, n: number, batchSize: number, private readonly rng: Random, private readonly blocks: BlockLayout) {
    super(n, batchSize, blocks.rows);
    this.blockCount = Math.ceil(n / blocks.rows);
  }

  next(): Rows {
    if (this.next_ === this.batches.length) this.nextBlock();
    const batch = this.batches[this.next_++]!;
    this.drawn += batch instanceof Int32Array ? batch.length : batch.count;
    return batch;
  }

  private nextBlock(): void {
    if (this.at === this.order.length) {
      this.order = this.name === 'sequential' ? Array.from({ length: this.blockCount }, (_, b) => b) : Array.from(this.rng.permutation(this.blockCount));
      this.at = 0;
      this.blocks.plan?.(this.order);
    }
    const b = this.order[this.at++]!;
    const start = b * this.blocks.rows, count = Math.min(this.blocks.rows, this.n - start);
    const size = this.batchSize;
    this.batches = [];
    this.next_ = 0;
    if (this.name === 'sequential') {
      for (let s = 0; s < count; s += size) this.batches.push({ start: start + s, count: Math.min(size, count - s) });
    } else if (this.name === 'shuffle') {
      const order = this.rng.permutation(count);
      for (let i = 0; i < count; i++) order[i]! += start;
      for (let s = 0; s < count; s += size) this.batches.push(order.subarray(s, Math.min(s + size, count)));
    } else {
      // As many draws as the block has rows (the last batch the remainder): every block weighs by its size.
      for (let s = 0; s < count; s += size) {
        const batch = new Int32Array(Math.min(size, count - s));
        for (let i = 0; i < batch.length; i++) batch[i] = start + this.rng.int(count);
        this.batches.push(batch);
      }
    }
  }
}
