import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescentError } from '../errors.js';
import { encodeNpyHeader } from '../testing/encoders.js';
import { prepareData } from '../session/session.js';
import { prepareStreamed } from '../data/streamed.js';
import { Random } from '../random.js';
import { encodeNpy } from '../testing/encoders.js';
import { loadNpyFolder } from './load.js';
import { openNpyFolder, openNpyRows, npyTrainingBytes, type StreamedFolder } from './npy-stream.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'descent-npy-stream-'));
});
const opened: StreamedFolder[] = [];
afterAll(async () => {
  for (const f of opened) await f.close();
});

function images(n: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  return Uint8Array.from({ length: n * 4 * 4 * 3 }, () => rng.int(256));
}

async function folder(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = join(tmp, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(dir, file), bytes);
  return dir;
}

async function open(dir: string, options = {}): Promise<StreamedFolder> {
  const f = await openNpyFolder(dir, options);
  opened.push(f);
  return f;
}

async function all(rows: { n: number; features: number; read(s: number, c: number, into: Uint8Array): Promise<void> }): Promise<Uint8Array> {
  const out = new Uint8Array(rows.n * rows.features);
  await rows.read(0, rows.n, out);
  return out;
}

describe('numpy folders read where they lie', () => {
  it('x_train/y_train/x_test/y_test: rows read at their offsets are the arrays, labels held, names from classes.txt', async () => {
    const x = images(50, 1), t = images(10, 2);
    const dir = await folder('four', {
      'x_train.npy': encodeNpy(x, [50, 4, 4, 3]), 'y_train.npy': encodeNpy(BigInt64Array.from({ length: 50 }, (_, i) => BigInt(i % 3))),
      'x_test.npy': encodeNpy(t, [10, 4, 4, 3]), 'y_test.npy': encodeNpy(Int32Array.from({ length: 10 }, (_, i) => i % 3)),
      'classes.txt': 'cat\ndog\nemu\n',
    });
    expect(await npyTrainingBytes(dir)).toBe(encodeNpy(x, [50, 4, 4, 3]).length);
    const f = await open(dir);
    expect(f.train.rows.n).toBe(50);
    expect(f.train.rows.features).toBe(48);
    expect(f.train.image).toEqual({ height: 4, width: 4, channels: 3, layout: 'hwc' });
    expect(f.train.classNames).toEqual(['cat', 'dog', 'emu']);
    expect(await all(f.train.rows)).toEqual(x);
    expect(await all(f.test.rows)).toEqual(t);
    const middle = new Uint8Array(3 * 48);
    f.train.rows.readSync!(7, 3, middle);
    expect(middle).toEqual(x.subarray(7 * 48, 10 * 48));
    expect(Array.from(f.test.labels)).toEqual(Array.from({ length: 10 }, (_, i) => i % 3));
    expect(f.bytes).toBe(60 * 48);
  });

  it('X/y: the same held-out test rows, validation rows and mean image as loading the folder into memory', async () => {
    const x = images(80, 3);
    const dir = await folder('xy', { 'X.npy': encodeNpy(x, [80, 48]), 'y.npy': encodeNpy(Uint8Array.from({ length: 80 }, (_, i) => i % 4)) });
    const f = await open(dir, { seed: 7 });
    const loaded = await loadNpyFolder(dir, { seed: 7 });
    expect(f.notes).toEqual(loaded.notes);
    const options = { seed: 2, validation: 0.25 };
    const s = await prepareStreamed(f, options), m = prepareData(loaded, options);
    expect(Array.from(s.preprocessing.mean)).toEqual(Array.from(m.preprocessing.mean));
    for (const key of ['train', 'validation', 'test'] as const) {
      expect(await all(s[key].rows)).toEqual(m.pixels![key].pixels);
      expect(Array.from(s[key].y)).toEqual(Array.from(m.pixels![key].y));
    }
  });

  it('refuses what it cannot stream, saying what to do', async () => {
    const x = encodeNpy(images(5, 1), [5, 4, 4, 3]), y = encodeNpy(Uint8Array.of(0, 1, 0, 1, 0));
    await expect(open(await folder('gz', { 'x_train.npy.gz': gzipSync(x), 'y_train.npy': y })))
      .rejects.toThrow(/x_train\.npy\.gz is gzipped: streaming reads rows where they lie.*gunzip -k x_train\.npy\.gz/);
    await expect(open(await folder('nolabels', { 'x_train.npy': x })))
      .rejects.toThrow(/x_train\.npy without its labels \(y_train\.npy\)/);
    await expect(open(await folder('extra', { 'x_train.npy': x, 'y_train.npy': y, 'x_val.npy': x })))
      .rejects.toThrow(/numpy arrays named x_val\.npy/);
    await expect(open(await folder('none', { 'notes.txt': 'hi' }))).rejects.toThrow(/no uncompressed training images to stream/);
    await expect(open(await folder('ints', { 'x_train.npy': encodeNpy(new Int32Array(10), [5, 2]), 'y_train.npy': y })))
      .rejects.toThrow(/int32 features are not streamed: stream uint8 images or float32\/float64 features/);
    await expect(open(await folder('mixed', { 'x_train.npy': x, 'y_train.npy': y, 'x_test.npy': encodeNpy(new Float32Array(10), [5, 2]), 'y_test.npy': y })))
      .rejects.toThrow(/the training array holds images but the test array holds features/);
    // Float arrays are features: rows of F values, read as bytes (4 or 8 a value).
    const f = await open(await folder('floats', { 'x_train.npy': encodeNpy(Float64Array.from({ length: 10 }, (_, i) => i / 4), [5, 2]), 'y_train.npy': y }));
    expect(f.train.values).toEqual({ dtype: 'float64', features: 2 });
    expect(f.train.rows.features).toBe(16);
    expect(f.train.image).toBeUndefined();
    await f.close();
    await expect(open(await folder('short', { 'x_train.npy': x.subarray(0, x.length - 7), 'y_train.npy': y })))
      .rejects.toThrow(/truncated \.npy file/);
    await expect(open(await folder('count', { 'x_train.npy': x, 'y_train.npy': encodeNpy(Uint8Array.of(0, 1)) })))
      .rejects.toThrow(/holds 2 labels but .*x_train\.npy holds 5 images/);
    // A label beyond the classes named: found when the splits are prepared, before any training.
    await expect(open(await folder('named', { 'x_train.npy': x, 'y_train.npy': encodeNpy(Uint8Array.of(0, 1, 2, 1, 0)), 'x_test.npy': x, 'y_test.npy': y, 'classes.txt': 'a\nb\n' })))
      .rejects.toThrow(/named\/y_train\.npy: label 2 at index 2 is out of range for 2 classes/);
  });

  it('a file cut short after it was opened fails the read with where it ended', async () => {
    const x = encodeNpy(images(20, 1), [20, 4, 4, 3]);
    const dir = await folder('cut', { 'x.npy': x });
    const rows = await openNpyRows(join(dir, 'x.npy'));
    try {
      await truncate(join(dir, 'x.npy'), x.length - 48 * 5);
      const into = new Uint8Array(20 * 48);
      await expect(rows.read(0, 20, into)).rejects.toThrow(/the file ended at byte \d+ \(was it truncated after it was opened\?\)/);
      expect(() => rows.readSync!(10, 10, into)).toThrow(/the file ended while reading rows 10\.\.19/);
      await expect(rows.read(18, 5, into)).rejects.toThrow(/rows \[18, 23\) are outside 0\.\.20/);
    } finally {
      await rows.close();
    }
  });

  it('a header that declares a 3 TB array is refused from the header and the file size alone', async () => {
    const head = encodeNpyHeader('|u1', [1_000_000_000, 32, 32, 3]);
    const dir = await folder('forged', { 'x_train.npy': head, 'y_train.npy': encodeNpy(Uint8Array.of(0)) });
    await expect(open(dir)).rejects.toThrow(/truncated \.npy file: shape \(1000000000, 32, 32, 3\) of \|u1 needs 3072000000000 bytes of data, the file has 0/);
  });

  it('mutated image files open to rows that read, or fail with a DescentError (seeded)', async () => {
    const valid = encodeNpy(images(6, 5), [6, 4, 4, 3]);
    const y = encodeNpy(Uint8Array.of(0, 1, 2, 0, 1, 2));
    const rng = new Random(11);
    for (let round = 0; round < 60; round++) {
      const bytes = Uint8Array.from(valid);
      const cut = round % 3 === 0 ? rng.int(bytes.length) : bytes.length;
      for (let k = 0; k < 1 + rng.int(4); k++) bytes[rng.int(Math.min(bytes.length, 140))] = rng.int(256);
      const dir = await folder(`mutant-${round}`, { 'x_train.npy': bytes.subarray(0, cut), 'y_train.npy': y });
      try {
        const f = await open(dir);
        await all(f.train.rows);
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(DescentError);
      }
    }
  });
});
