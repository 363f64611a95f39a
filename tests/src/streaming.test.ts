/**
 * Streamed data (bytes left where they are, placed a block at a time) gives a session the
 * results of the same data in memory: bit for bit on ts and ts-f64 where the batches are the
 * same (one block; or sequential batches that fit the blocks), within float32 rounding of a
 * chunked sum elsewhere; full passes, accuracy, landscapes, gradient checks and scores of
 * scattered rows across blocks agree on every kind of backend (bytes: ts, onnx-cpu; float32
 * rows: tfjs-cpu); and an epoch reads each training row once.
 */
import {
  bytesInMemory, makeDataset, makeFeatureDataset, prepareData, prepareStreamed, Random, Session, type ByteRows, type Dataset, type FeatureDataset,
  type ImageShape, type StreamedData,
} from '@descent/core';
import { createRegistry } from '@descent/backends';
import { describe, expect, it } from 'vitest';

const shape: ImageShape = { height: 4, width: 4, channels: 3, layout: 'hwc' };

function images(n: number, seed: number): Dataset {
  const rng = new Random(seed);
  const f = 48;
  const bytes = new Uint8Array(n * f);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(4);
    for (let j = 0; j < f; j++) bytes[i * f + j] = Math.min(255, rng.int(140) + (j % 4 === labels[i] ? 100 : 0));
  }
  return makeDataset({ name: 'blocks', images: bytes, labels, image: shape, classNames: ['a', 'b', 'c', 'd'] });
}

/** ByteRows over a data set's bytes that counts the rows read. */
function counted(ds: Dataset): ByteRows & { rowsRead: number } {
  const inner = bytesInMemory(ds.images!, ds.features);
  const rows = {
    n: inner.n, features: inner.features, rowsRead: 0,
    read: async (start: number, count: number, into: Uint8Array) => { rows.rowsRead += count; await inner.read(start, count, into); },
    readSync: (start: number, count: number, into: Uint8Array) => { rows.rowsRead += count; inner.readSync!(start, count, into); },
  };
  return rows;
}

const train = images(3000, 1), test = images(700, 2);
const options = { seed: 3, validation: 0.1 };
const inMemory = () => prepareData({ name: 'blocks', train, test }, options);
async function streamed(): Promise<StreamedData & { source: ReturnType<typeof counted> }> {
  const source = counted(train);
  const set = (ds: Dataset, rows: ByteRows) => ({ name: ds.name, rows, labels: Int32Array.from(ds.labels), image: shape, classNames: ds.classNames });
  const data = await prepareStreamed({ name: 'blocks', train: set(train, source), test: set(test, bytesInMemory(test.images!, 48)) }, options);
  return Object.assign(data, { source });
}

const run = { loss: 'softmax' as const, reg: 1e-3, epochs: 3, batchSize: 50, learningRate: 0.05, seed: 5 };

describe('streamed data', () => {
  it('is prepared like data in memory: the same validation rows, labels and mean image to the bit', async () => {
    const a = inMemory(), b = await streamed();
    expect(Array.from(b.preprocessing.mean)).toEqual(Array.from(a.preprocessing.mean));
    for (const key of ['train', 'validation', 'test'] as const) {
      expect(b[key].n).toBe(a.pixels![key].n);
      expect(Array.from(b[key].y)).toEqual(Array.from(a.pixels![key].y));
      const bytes = new Uint8Array(b[key].n * 48);
      await b[key].rows.read(0, b[key].n, bytes);
      expect(bytes).toEqual(a.pixels![key].pixels!);
    }
  });

  it.each(['ts', 'ts-f64'])('on %s, one block trains exactly as in memory; sequential batches that fit the blocks too', async (id) => {
    const registry = createRegistry();
    const memory = new Session(await registry.create(id));
    const stream = new Session(await registry.create(id));
    try {
      await memory.place(inMemory(), { x: 'bytes' });
      for (const [blockRows, settings] of [[4000, { ...run, sampler: 'shuffle' as const }], [500, { ...run, sampler: 'sequential' as const }]] as const) {
        const data = await streamed();
        const placed = await stream.place(data, { blockRows });
        expect(placed.blockRows).toBe(Math.min(blockRows, 2700));
        expect(stream.summary).toEqual({ ...memory.summary, blockRows: Math.min(blockRows, 2700) });
        const a = await memory.train(settings).done, b = await stream.train(settings).done;
        expect(Array.from(b.result.weights)).toEqual(Array.from(a.result.weights));
        expect(b.result.evaluations).toEqual(a.result.evaluations);
        expect(b.testAccuracy).toBe(a.testAccuracy);
        expect(a.testAccuracy).toBeGreaterThan(0.8);
        // The final loss over all rows: one block computes it as in memory, several in parts summed on the host.
        if (blockRows >= 2700) expect(b.result.finalLoss).toBe(a.result.finalLoss);
        else expect(b.result.finalLoss).toBeCloseTo(a.result.finalLoss, 12);
      }
    } finally {
      await memory.close();
      await stream.close();
    }
  });

  it.each(['ts', 'onnx-cpu', 'tfjs-cpu'])('on %s, across blocks: passes, accuracy, a landscape, a gradient check and scattered scores agree with memory', async (id) => {
    const registry = createRegistry();
    const memory = new Session(await registry.create(id));
    const stream = new Session(await registry.create(id));
    try {
      await memory.place(inMemory(), { x: id === 'tfjs-cpu' ? 'float32' : 'bytes' });
      const data = await streamed();
      const placed = await stream.place(data, { blockRows: 256 });
      expect(placed.form).toBe(id === 'tfjs-cpu' ? 'float32' : 'bytes');
      expect(placed.train.blocks?.rows).toBe(256);
      const settings = { ...run, loss: 'svm' as const, sampler: 'shuffle' as const };
      const { result, testAccuracy } = await stream.train(settings).done;
      expect(result.status).toBe('completed');
      expect(result.iterations).toBe(3 * (10 * Math.ceil(256 / 50) + Math.ceil((2700 - 2560) / 50)));
      expect(testAccuracy).toBeGreaterThan(0.8);
      const w = result.weights;
      const objective = { loss: 'softmax' as const, reg: 2e-3 };
      const tol = id === 'ts' ? 1e-6 : 1e-4;
      expect(await stream.loss(w, objective)).toBeCloseTo(await memory.loss(w, objective), id === 'ts' ? 6 : 4);
      for (const split of ['train', 'validation', 'test'] as const) expect(await stream.accuracy(w, split)).toBe(await memory.accuracy(w, split));
      const gA = await stream.compute.evaluate(w, stream.data.train, { start: 100, count: 2000 }, objective, true);
      const gB = await memory.compute.evaluate(w, memory.data.train, { start: 100, count: 2000 }, objective, true);
      gA.gradient!.forEach((v, k) => expect(Math.abs(v - gB.gradient![k]!)).toBeLessThan(tol * (1 + Math.abs(v))));
      // Rows across blocks, unsorted, with repeats: each gets its own row's scores.
      const rows = Int32Array.of(2699, 3, 700, 3, 1500, 0, 2699, 256, 255);
      const sA = await stream.compute.scores(w, stream.data.train, rows), sB = await memory.compute.scores(w, memory.data.train, rows);
      sA.forEach((v, k) => expect(Math.abs(v - sB[k]!)).toBeLessThan(tol * (1 + Math.abs(v))));
      const sliceA = await stream.landscape1D(w, objective, { points: 7, seed: 2 }), sliceB = await memory.landscape1D(w, objective, { points: 7, seed: 2 });
      sliceA.losses.forEach((v, k) => expect(v).toBeCloseTo(sliceB.losses[k]!, 4));
      const check = { examples: 300, h: 1e-5, method: 'centered' as const, via: 'linearity' as const, samples: 20, seed: 1 };
      const cA = await stream.gradcheck(w, objective, check), cB = await memory.gradcheck(w, objective, check);
      expect(cA.verdict.label).toBe(cB.verdict.label);
      expect(cA.rows.map((r) => r.index)).toEqual(cB.rows.map((r) => r.index));
    } finally {
      await memory.close();
      await stream.close();
    }
  });

  it('an epoch reads each training row once: blocks shuffled, then rows, each batch inside one block', async () => {
    const registry = createRegistry();
    const stream = new Session(await registry.create('ts'));
    try {
      const data = await streamed();
      await stream.place(data, { blockRows: 300 });
      const source = data.source;
      source.rowsRead = 0;
      const seen = new Int32Array(2700);
      const r = stream.data.train;
      const backend = stream.compute;
      const evaluate = backend.evaluate.bind(backend);
      let batches = 0, epochReads = 0;
      backend.evaluate = async (w, data, rows, objective, grad) => {
        if (data === r && rows instanceof Int32Array && rows.length <= 50) {
          const block = Math.floor(rows[0]! / 300);
          for (const i of rows) {
            expect(Math.floor(i / 300)).toBe(block);
            seen[i]!++;
          }
          batches++;
        }
        const e = await evaluate(w, data, rows, objective, grad);
        if (batches === 54 && epochReads === 0) epochReads = source.rowsRead;
        return e;
      };
      await stream.train({ ...run, epochs: 1, sampler: 'shuffle', evaluateEvery: 0 }).done;
      expect(batches).toBe(9 * 6);
      expect(Array.from(seen).every((k) => k === 1)).toBe(true);
      expect(epochReads).toBeGreaterThanOrEqual(2700);
      // Blocks of training rows are read as the file's stretches that hold them (held-out rows
      // between them included): each of the file's 3000 rows at most once.
      expect(epochReads).toBeLessThanOrEqual(3000);
    } finally {
      await stream.close();
    }
  });

  it('a request outside the training block leaves that block and its read-ahead alone', async () => {
    const registry = createRegistry();
    const stream = new Session(await registry.create('ts'));
    try {
      const data = await streamed();
      await stream.place(data, { blockRows: 300 });
      const r = stream.data.train, c = stream.compute;
      const w = stream.randomWeights(1, 1e-2), objective = { loss: 'softmax' as const, reg: 1e-3 };
      r.blocks!.plan!([0, 1, 2, 3, 4, 5, 6, 7, 8]); // as a sampler does at an epoch's start
      await c.evaluate(w, r, Int32Array.of(5, 6), objective, true); // block 0 placed, block 1 read ahead
      await new Promise((done) => setTimeout(done, 10));
      const before = data.source.rowsRead;
      const sample = await c.scores(w, r, Int32Array.of(2001, 2000)); // block 6, not next: read alone
      expect(data.source.rowsRead - before).toBeLessThanOrEqual(4); // two rows (and a held-out row between, if any)
      const mem = new Session(await registry.create('ts'));
      await mem.place(inMemory(), { x: 'bytes' });
      expect(Array.from(sample)).toEqual(Array.from(await mem.compute.scores(w, mem.data.train, Int32Array.of(2001, 2000))));
      await mem.close();
      const after = data.source.rowsRead;
      await c.evaluate(w, r, Int32Array.of(7, 299), objective, true); // block 0: still placed
      await c.evaluate(w, r, Int32Array.of(300, 599), objective, true); // block 1: the read ahead
      // Only block 2, read ahead when block 1 was placed: one stretch of ~330 file rows (held-out rows included), not two blocks.
      expect(data.source.rowsRead - after).toBeGreaterThanOrEqual(300);
      expect(data.source.rowsRead - after).toBeLessThan(600);
      // A new epoch whose first block is the one placed (block 1): the block after it is read ahead.
      r.blocks!.plan!([1, 4, 0, 2, 3, 5, 6, 7, 8]);
      await new Promise((done) => setTimeout(done, 10));
      const planned = data.source.rowsRead;
      expect(planned - after).toBeGreaterThan(500); // block 2 (read ahead earlier) and now block 4: two stretches of ~330
      await c.evaluate(w, r, Int32Array.of(301), objective, true); // block 1: placed
      await c.evaluate(w, r, Int32Array.of(1200, 1201), objective, true); // block 4: the read ahead, not read again
      expect(data.source.rowsRead - planned).toBeLessThan(600); // only block 0, the plan's next, read ahead now
    } finally {
      await stream.close();
    }
  });
});

describe('streamed features (float32 and float64 rows on disk)', () => {
  /** Features on very different scales (standardizing matters), class-dependent. */
  function features(n: number, seed: number): FeatureDataset {
    const rng = new Random(seed), f = 12;
    const values = new Float32Array(n * f), labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = rng.int(3);
      for (let j = 0; j < f; j++) values[i * f + j] = (j + 1) * 10 * ((j % 3 === labels[i] ? 1.5 : 0) + rng.normal()) + 100 * j;
    }
    return makeFeatureDataset({ name: 'feat', values, labels, features: f, classNames: ['a', 'b', 'c'] });
  }
  const ftrain = features(2400, 7), ftest = features(600, 8);
  const bytesOf = (v: Float32Array | Float64Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const fopts = { seed: 4, validation: 0.1, standardize: true };
  async function streamedFeatures(testDtype: 'float32' | 'float64' = 'float32'): Promise<StreamedData> {
    const test = testDtype === 'float32' ? ftest.values : Float64Array.from(ftest.values);
    const set = (ds: FeatureDataset, rows: ByteRows, dtype: 'float32' | 'float64') =>
      ({ name: ds.name, rows, labels: Int32Array.from(ds.labels), values: { dtype, features: 12 }, classNames: ds.classNames });
    return prepareStreamed({ name: 'feat', train: set(ftrain, bytesInMemory(bytesOf(ftrain.values), 48), 'float32'),
      test: set(ftest, bytesInMemory(bytesOf(test), testDtype === 'float32' ? 48 : 96), testDtype) }, fopts);
  }

  it('are standardized as in memory (the same mean and deviation to the bit) and train exactly as in memory on ts', async () => {
    const a = prepareData({ name: 'feat', train: ftrain, test: ftest }, fopts), b = await streamedFeatures('float64');
    expect(b.preprocessing).toEqual(a.preprocessing);
    expect(b.image).toBeUndefined();
    const registry = createRegistry();
    const memory = new Session(await registry.create('ts')), stream = new Session(await registry.create('ts'));
    try {
      await memory.place(a);
      const placed = await stream.place(b, { blockRows: 540 });
      expect(placed.form).toBe('float32');
      const settings = { ...run, sampler: 'sequential' as const, batchSize: 60 };
      const x = await memory.train(settings).done, y = await stream.train(settings).done;
      expect(Array.from(y.result.weights)).toEqual(Array.from(x.result.weights));
      expect(y.testAccuracy).toBe(x.testAccuracy);
      expect(x.testAccuracy).toBeGreaterThan(0.8);
      const objective = { loss: 'svm' as const, reg: 1e-3 };
      expect(await stream.loss(y.result.weights, objective)).toBeCloseTo(await memory.loss(y.result.weights, objective), 10);
      const check = { examples: 200, h: 1e-5, method: 'centered' as const, via: 'linearity' as const, samples: 10, seed: 1 };
      expect((await stream.gradcheck(y.result.weights, objective, check)).verdict.label).toBe((await memory.gradcheck(y.result.weights, objective, check)).verdict.label);
    } finally {
      await memory.close();
      await stream.close();
    }
  });

  it('float64 rows are rounded to float32 once, as the .npy reader rounds them: the same statistics and run as in memory', async () => {
    const v64 = Float64Array.from(ftrain.values, (v, k) => v + ((k % 7) - 3) * 1e-5); // digits float32 cannot hold
    const memoryTrain = makeFeatureDataset({ ...ftrain, values: Float32Array.from(v64) });
    const a = prepareData({ name: 'feat', train: memoryTrain, test: ftest }, fopts);
    const set = (ds: FeatureDataset, rows: ByteRows, dtype: 'float32' | 'float64') =>
      ({ name: ds.name, rows, labels: Int32Array.from(ds.labels), values: { dtype, features: 12 }, classNames: ds.classNames });
    const b = await prepareStreamed({ name: 'feat', train: set(ftrain, bytesInMemory(bytesOf(v64), 96), 'float64'),
      test: set(ftest, bytesInMemory(bytesOf(ftest.values), 48), 'float32') }, fopts);
    expect(b.preprocessing).toEqual(a.preprocessing);
    const registry = createRegistry();
    const memory = new Session(await registry.create('ts')), stream = new Session(await registry.create('ts'));
    try {
      await memory.place(a);
      await stream.place(b, { blockRows: 540 });
      const settings = { ...run, sampler: 'sequential' as const, batchSize: 60, epochs: 1 };
      expect(Array.from((await stream.train(settings).done).result.weights)).toEqual(Array.from((await memory.train(settings).done).result.weights));
    } finally {
      await memory.close();
      await stream.close();
    }
  });

  it('refuse a test value that overflows once standardized (a narrow training column), before any training', async () => {
    const narrow = Float32Array.from(ftrain.values, (v, k) => (k % 12 === 0 ? (Math.floor(k / 12) % 2) * 2e-30 : v));
    const wild = Float32Array.from(ftest.values, (v, k) => (k === 3 * 12 ? 1e10 : v));
    const set = (name: string, values: Float32Array, labels: ArrayLike<number>) => ({ name, rows: bytesInMemory(bytesOf(values), 48), labels: Int32Array.from(labels),
      values: { dtype: 'float32' as const, features: 12 }, classNames: ftrain.classNames });
    await expect(prepareStreamed({ name: 'feat', train: set('feat/train', narrow, ftrain.labels), test: set('feat/test', wild, ftest.labels) }, fopts))
      .rejects.toThrow(/feat\/test: value 10000000000 at row 3, feature 0 is Infinity once standardized/);
  });

  it('refuse a value that is not finite before any work, naming the split, the row and the feature', async () => {
    const bad = Float32Array.from(ftrain.values);
    bad[777 * 12 + 5] = Number.NaN;
    const set = { name: 'feat/train', rows: bytesInMemory(bytesOf(bad), 48), labels: Int32Array.from(ftrain.labels), values: { dtype: 'float32' as const, features: 12 },
      classNames: ftrain.classNames };
    await expect(prepareStreamed({ name: 'feat', train: set, test: set }, fopts)).rejects.toThrow(/feat\/train: value NaN at row 777, feature 5 is not finite/);
  });
});
