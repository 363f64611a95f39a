/**
 * The worker's logic without a browser: reading the files a user opens. (Pausing a run is
 * core's RunControl: tests/src/session.test.ts.)
 */
import { makeDataset, Random, type Dataset, type ImageShape } from '@descent/core';
import {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeTar,
} from '@descent/core/testing';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prepare, sampleRows, userData } from '../src/worker/data.js';

function toyDataset(n: number, seed: number, shape: ImageShape = { height: 4, width: 4, channels: 1, layout: 'hwc' }): Dataset {
  const rng = new Random(seed);
  const f = shape.height * shape.width * shape.channels;
  const images = new Uint8Array(n * f);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(3);
    labels[i] = c;
    for (let j = 0; j < f; j++) images[i * f + j] = Math.min(255, Math.floor(rng.float() * 60) + (j % 3 === c ? 150 : 0));
  }
  return makeDataset({ name: 'toy', images, labels, image: shape, classNames: ['a', 'b', 'c'] });
}

describe('files the user opens', () => {
  const ds = toyDataset(50, 4);
  const idx = (d: Dataset) => ({
    images: encodeIdx(d.images!, [d.n, d.image!.height, d.image!.width], { gzip: true }),
    labels: encodeIdx(Uint8Array.from(d.labels), [d.n]),
  });

  it('reads a train and a test IDX pair, told apart by their names, gzipped or not', () => {
    const train = idx(ds), test = idx(toyDataset(20, 5));
    const r = userData([
      { name: 't10k-labels-idx1-ubyte', bytes: test.labels }, { name: 'train-images-idx3-ubyte.gz', bytes: train.images },
      { name: 'train-labels-idx1-ubyte', bytes: train.labels }, { name: 't10k-images-idx3-ubyte.gz', bytes: test.images },
      { name: 'classes.txt', bytes: new TextEncoder().encode('x\ny\nz\n') },
    ], 1);
    expect(r.train.n).toBe(50);
    expect(r.test.n).toBe(20);
    expect(r.train.classNames).toEqual(['x', 'y', 'z']);
    expect(Array.from(r.train.images!)).toEqual(Array.from(ds.images!));
  });

  it('holds out a seeded fifth as the test split when only one pair is opened', () => {
    const one = idx(ds);
    const r = userData([{ name: 'a-images.gz', bytes: one.images }, { name: 'a-labels', bytes: one.labels }], 1);
    expect(r.train.n + r.test.n).toBe(50);
    expect(r.test.n).toBe(10);
    expect(r.notes.join(' ')).toMatch(/held out as the test split/);
    const again = userData([{ name: 'a-images.gz', bytes: one.images }, { name: 'a-labels', bytes: one.labels }], 1);
    expect(Array.from(again.test.labels)).toEqual(Array.from(r.test.labels));
  });

  it('reads CIFAR-10 binary batches and batches.meta.txt', () => {
    const shape = { height: 32, width: 32, channels: 3, layout: 'chw' as const };
    const a = toyDataset(12, 6, shape), b = toyDataset(8, 7, shape), t = toyDataset(5, 8, shape);
    const r = userData([
      { name: 'data_batch_2.bin', bytes: encodeCifar10Batch(b) }, { name: 'data_batch_1.bin', bytes: encodeCifar10Batch(a) },
      { name: 'test_batch.bin', bytes: encodeCifar10Batch(t) }, { name: 'batches.meta.txt', bytes: new TextEncoder().encode('p\nq\nr\n') },
    ], 1);
    expect(r.train.n).toBe(20);
    expect(r.test.n).toBe(5);
    expect(r.train.classNames).toEqual(['p', 'q', 'r']);
    expect(Array.from(r.train.labels.subarray(0, 12))).toEqual(Array.from(a.labels));
  });

  it('reads the python version of CIFAR-10 inside its .tar.gz, as the course ships it', () => {
    const shape = { height: 32, width: 32, channels: 3, layout: 'chw' as const };
    const parts = [1, 2, 3, 4, 5].map((k) => toyDataset(6, 10 + k, shape));
    const t = toyDataset(4, 20, shape);
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const entries = [
      ...parts.map((p, k) => ({ path: `cifar-10-batches-py/data_batch_${k + 1}`, bytes: encodeCifar10PythonBatch(p) })),
      { path: 'cifar-10-batches-py/test_batch', bytes: encodeCifar10PythonBatch(t) },
      { path: 'cifar-10-batches-py/batches.meta', bytes: encodeCifar10PythonMeta(names) },
    ];
    const archive = gzipSync(encodeTar(entries));
    const r = userData([{ name: 'cifar-10-python.tar.gz', bytes: archive }], 1);
    expect(r.train.n).toBe(30);
    expect(r.test.n).toBe(4);
    expect(r.train.classNames).toEqual(names);
    expect(Array.from(r.train.images!.subarray(0, 3072))).toEqual(Array.from(parts[0]!.images!.subarray(0, 3072)));
    expect(Array.from(r.test.labels)).toEqual(Array.from(t.labels));
  });

  it('names the file and the problem for bad input', () => {
    const good = idx(ds);
    expect(() => userData([{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], 1)).toThrow(/notes\.txt: not an IDX/);
    expect(() => userData([{ name: 'train-images.gz', bytes: good.images.subarray(0, 40) }, { name: 'train-labels', bytes: good.labels }], 1))
      .toThrow(/train-images\.gz/);
    expect(() => userData([{ name: 'data_batch_1.bin', bytes: new Uint8Array(3000) }], 1)).toThrow(/data_batch_1\.bin: truncated/);
    expect(() => userData([{ name: 'train-images.gz', bytes: good.images }], 1)).toThrow(/come in pairs/);
  });

  it('prepares as the CLI does: the same seed splits and preprocesses the same way', () => {
    const raw = { name: 'toy', source: 'toy', train: ds, test: toyDataset(20, 9), notes: [] };
    const a = prepare(raw, { seed: 3, validation: 0.1 });
    const b = prepare(raw, { seed: 3, validation: 0.1 });
    expect(a.validation.n).toBe(5);
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(prepare(raw, { seed: 3, validation: 0.1, limit: 10 }).train.n).toBe(10);
    expect(sampleRows(raw.test, 6)).toHaveLength(6);
  });
});
