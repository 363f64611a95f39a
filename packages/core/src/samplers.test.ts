import { describe, expect, test } from 'vitest';
import { rowAt, rowCount, type Rows } from './backend.js';
import { OptionError } from './errors.js';
import { Random } from './random.js';
import { batchesPerEpoch, createSampler, SAMPLER_NAMES, type Sampler } from './samplers.js';

const indices = (rows: Rows) => Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i));

/** The batches of one epoch, as arrays of indices. */
function epochOf(sampler: Sampler): number[][] {
  return Array.from({ length: sampler.batchesPerEpoch }, () => indices(sampler.next()));
}

describe('createSampler: validation', () => {
  test('an unknown name throws OptionError listing the valid names', () => {
    expect(() => createSampler('random', 10, 2, new Random(1))).toThrow(OptionError);
    expect(() => createSampler('random', 10, 2, new Random(1)))
      .toThrow(/unknown sampler 'random'.*sequential, replacement, shuffle/);
  });

  test.each([0, -3, 2.5, NaN])('rejects n = %s', (n) => {
    expect(() => createSampler('shuffle', n, 2, new Random(1))).toThrow(OptionError);
    expect(() => createSampler('shuffle', n, 2, new Random(1))).toThrow(/\bn\b.*integer >= 1/);
  });

  test.each([0, -1, 1.5, NaN, Infinity])('rejects batchSize = %s', (b) => {
    expect(() => createSampler('sequential', 10, b, new Random(1))).toThrow(OptionError);
    expect(() => createSampler('sequential', 10, b, new Random(1))).toThrow(/'batchSize'.*integer >= 1/);
  });

  test.each(SAMPLER_NAMES)('%s: name and batchesPerEpoch = ceil(n/B)', (name) => {
    expect(createSampler(name, 23, 5, new Random(1)).name).toBe(name);
    expect(createSampler(name, 23, 5, new Random(1)).batchesPerEpoch).toBe(5);
    expect(createSampler(name, 20, 5, new Random(1)).batchesPerEpoch).toBe(4);
    expect(createSampler(name, 20, 1, new Random(1)).batchesPerEpoch).toBe(20);
    expect(createSampler(name, 20, 50, new Random(1)).batchesPerEpoch).toBe(1);
  });
});

describe('sequential', () => {
  test('keeps order, ends each epoch with the remainder, wraps to 0, counts epochs', () => {
    const s = createSampler('sequential', 10, 4, new Random(1));
    expect(s.epoch).toBe(0);
    const expected = [
      [{ start: 0, count: 4 }, 0.4], [{ start: 4, count: 4 }, 0.8], [{ start: 8, count: 2 }, 1],
      [{ start: 0, count: 4 }, 1.4], [{ start: 4, count: 4 }, 1.8], [{ start: 8, count: 2 }, 2],
      [{ start: 0, count: 4 }, 2.4],
    ] as const;
    for (const [rows, epoch] of expected) {
      expect(s.next()).toEqual(rows);
      expect(s.epoch).toBeCloseTo(epoch, 15);
    }
  });

  test('returns ranges and never draws from rng', () => {
    const rng = new Random(99);
    const s = createSampler('sequential', 7, 3, rng);
    for (let i = 0; i < 10; i++) expect(s.next()).not.toBeInstanceOf(Int32Array);
    expect(rng.uint32()).toBe(new Random(99).uint32());
  });
});

describe('shuffle', () => {
  const n = 23;
  const B = 5; // 23 = 4·5 + 3: the last batch of each epoch has 3 rows

  test('every epoch visits every example exactly once; the last batch is the remainder', () => {
    const s = createSampler('shuffle', n, B, new Random(5));
    for (let e = 1; e <= 6; e++) {
      const batches = epochOf(s);
      expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(s.epoch).toBe(e);
    }
  });

  test('each epoch has a different order, the first one rng.permutation(n)', () => {
    const s = createSampler('shuffle', n, B, new Random(5));
    const orders = Array.from({ length: 5 }, () => epochOf(s).flat().join(','));
    expect(new Set(orders).size).toBe(5);
    expect(orders[0]).toBe(Array.from(new Random(5).permutation(n)).join(','));
    expect(orders[0]).not.toBe(Array.from({ length: n }, (_, i) => i).join(','));
  });

  test('returns Int32Arrays that stay valid after later calls', () => {
    const s = createSampler('shuffle', n, B, new Random(5));
    const first = s.next();
    expect(first).toBeInstanceOf(Int32Array);
    const copy = indices(first);
    for (let i = 0; i < 3 * s.batchesPerEpoch; i++) s.next();
    expect(indices(first)).toEqual(copy);
  });

  test('the epoch counter is fractional within an epoch', () => {
    const s = createSampler('shuffle', n, B, new Random(5));
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      s.next();
      seen.push(s.epoch);
    }
    // drawn: 5, 10, 15, 20, 23 | 28, 33
    [5, 10, 15, 20, 23, 28, 33].forEach((d, i) => expect(seen[i]).toBeCloseTo(d / n, 15));
  });
});

describe('replacement', () => {
  test('counts pass a chi-square goodness-of-fit test for uniformity (n = 50, 20000 draws)', () => {
    const n = 50;
    const B = 40;
    const s = createSampler('replacement', n, B, new Random(2024));
    const counts = new Float64Array(n);
    for (let i = 0; i < 20000 / B; i++) {
      const batch = s.next();
      expect(batch).toBeInstanceOf(Int32Array);
      expect(rowCount(batch)).toBe(B);
      for (const k of indices(batch)) {
        expect(k >= 0 && k < n && Number.isInteger(k)).toBe(true);
        counts[k]!++;
      }
    }
    // χ² = Σ (O − E)²/E with E = 20000/50 = 400; df = 49. The upper 0.1% point of χ²(49) is 85.35,
    // so a uniform sampler fails this with probability 0.001 (and this seed is fixed).
    const expected = 400;
    const chi2 = counts.reduce((acc, o) => acc + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(85.35);
    // …and is not suspiciously perfect either (lower 0.1% point of χ²(49) is 23.98).
    expect(chi2).toBeGreaterThan(23.98);
    expect(s.epoch).toBe(20000 / n);
  });

  test('batches contain repeats: it really is with replacement', () => {
    // P(no repeat among 40 draws from 50) = 50!/(10!·50^40) ≈ 1e-11
    const s = createSampler('replacement', 50, 40, new Random(3));
    let withRepeats = 0;
    for (let i = 0; i < 20; i++) {
      const b = indices(s.next());
      if (new Set(b).size < b.length) withRepeats++;
    }
    expect(withRepeats).toBe(20);
  });

  test('the epoch counter is draws ÷ n', () => {
    const s = createSampler('replacement', 30, 7, new Random(3));
    for (let i = 1; i <= 10; i++) {
      s.next();
      expect(s.epoch).toBeCloseTo((7 * i) / 30, 15);
    }
  });
});

describe.each(SAMPLER_NAMES)('%s: determinism and full batch', (name) => {
  const run = (seed: number, calls = 12) => {
    const s = createSampler(name, 17, 4, new Random(seed));
    return Array.from({ length: calls }, () => indices(s.next()));
  };

  test('the same seed gives the same sequence', () => {
    expect(run(11)).toEqual(run(11));
    if (name !== 'sequential') expect(run(11)).not.toEqual(run(12));
  });

  test('batchSize >= n gives the whole set every step, one epoch each', () => {
    for (const B of [17, 18, 1000]) {
      const s = createSampler(name, 17, B, new Random(1));
      for (let i = 1; i <= 3; i++) {
        expect(s.next()).toEqual({ start: 0, count: 17 });
        expect(s.epoch).toBe(i);
      }
    }
  });

  test('n = 1 works', () => {
    const s = createSampler(name, 1, 1, new Random(1));
    expect(indices(s.next())).toEqual([0]);
    expect(indices(s.next())).toEqual([0]);
    expect(s.epoch).toBe(2);
  });
});

describe('rows in blocks (a streamed data set)', () => {
  const blockOf = (r: number) => Math.floor(r / 100);
  const rowsOf = (b: Rows) => Array.from({ length: rowCount(b) }, (_, i) => rowAt(b, i));

  test.each(SAMPLER_NAMES)('%s: every batch inside one block; the plan hook hears each epoch\'s block order', (name) => {
    const plans: number[][] = [];
    const s = createSampler(name, 350, 40, new Random(4), { rows: 100, plan: (order) => plans.push([...order]) });
    // Blocks of 100, 100, 100 and 50 rows: 3 + 3 + 3 + 2 batches, each block ending with its remainder.
    expect(s.batchesPerEpoch).toBe(11);
    expect(batchesPerEpoch(350, 40, 100)).toBe(11);
    const visited: number[] = [];
    const seen = new Int32Array(350);
    for (let k = 0; k < 2 * s.batchesPerEpoch; k++) {
      const rows = rowsOf(s.next());
      const block = blockOf(rows[0]!);
      expect(rows.every((r) => blockOf(r) === block)).toBe(true);
      if (k < s.batchesPerEpoch) {
        if (visited.at(-1) !== block) visited.push(block);
        for (const r of rows) seen[r]!++;
      }
    }
    expect(plans).toHaveLength(2);
    expect(visited).toEqual(plans[0]);
    expect([...plans[0]!].sort()).toEqual([0, 1, 2, 3]);
    if (name === 'sequential') expect(plans[0]).toEqual([0, 1, 2, 3]);
    else expect(plans[1]).not.toEqual(plans[0]); // a fresh order each epoch (seed 4)
    // shuffle and sequential draw every row once an epoch; replacement draws as many rows from each block as it holds.
    if (name !== 'replacement') expect(Array.from(seen).every((c) => c === 1)).toBe(true);
    else for (let b = 0; b < 4; b++) expect(seen.subarray(b * 100, b * 100 + 100).reduce((a, c) => a + c, 0)).toBe(b < 3 ? 100 : 50);
    expect(s.epoch).toBeCloseTo(2, 10);
  });

  test('one block is the plain sampler, draw for draw; a batch of the whole set is the full batch', () => {
    for (const name of SAMPLER_NAMES) {
      const plain = createSampler(name, 300, 64, new Random(9)), blocked = createSampler(name, 300, 64, new Random(9), { rows: 300 });
      for (let k = 0; k < 12; k++) expect(rowsOf(blocked.next())).toEqual(rowsOf(plain.next()));
      expect(rowsOf(createSampler(name, 300, 300, new Random(9), { rows: 100 }).next())).toEqual(Array.from({ length: 300 }, (_, i) => i));
    }
    expect(() => createSampler('shuffle', 300, 10, new Random(1), { rows: 0 })).toThrow(/block rows must be an integer >= 1/);
    expect(() => createSampler('shuffle', 300, 256, new Random(1), { rows: 100 }))
      .toThrow(/batches of 256 rows do not fit in blocks of 100 rows: ask for blocks of at least 256 rows, or smaller batches/);
  });
});
