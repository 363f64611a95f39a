/**
 * Seeded mutations of valid files (made by core's encoders) through every reader: truncation,
 * bit flips, byte edits (size fields included), and huge counts written over 4-byte fields.
 * Every input must end in a value or a DescentError, never a TypeError, RangeError or other
 * internal error, each within a few seconds. The seed is printed; FUZZ_SEED=… reruns one,
 * FUZZ_ROUNDS=… runs longer.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DescentError } from '../errors.js';
import { decodeModel, encodeModel } from '../model/model-file.js';
import {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeTar,
} from '../testing/encoders.js';
import { readArchive } from './archive.js';
import { parseCifar10Meta, readCifar10Batch } from './cifar10.js';
import { readCifar10PythonBatch, readCifar10PythonMeta } from './cifar10-python.js';
import { makeDataset } from './dataset.js';
import { gunzipChecked } from './gzip.js';
import { readIdxImages, readIdxLabels } from './idx.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 150);

/** mulberry32: small, seeded, enough for mutations. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

type R = ReturnType<typeof rng>;
const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 256, 257, 0];

function mutate(src: Uint8Array, r: R): Uint8Array {
  const b = Uint8Array.from(src);
  switch (r.int(5)) {
    case 0: return b.subarray(0, r.int(b.length)); // truncation
    case 1: { for (let k = 1 + r.int(4); k > 0; k--) b[r.int(b.length)]! ^= 1 << r.int(8); return b; } // bit flips
    case 2: { for (let k = 1 + r.int(4); k > 0; k--) b[r.int(b.length)] = r.int(256); return b; } // byte edits
    case 3: { // a huge count over a 4-byte field, either byte order (size fields, lengths, dims)
      if (b.length < 4) return b;
      const at = r.int(Math.min(b.length - 3, 64)) + (r.int(2) ? 0 : r.int(b.length - 3 - Math.min(b.length - 3, 64) + 1));
      new DataView(b.buffer).setUint32(at, HUGE[r.int(HUGE.length)]!, r.int(2) === 0);
      return b;
    }
    default: { // duplicate a slice (nesting, repeated records)
      const a = r.int(b.length), e = Math.min(b.length, a + r.int(64));
      const out = new Uint8Array(b.length + (e - a));
      out.set(b.subarray(0, e)); out.set(b.subarray(a), e);
      return out;
    }
  }
}

const img = makeDataset({ name: 'f', images: Uint8Array.from({ length: 3 * 3072 }, (_, i) => i % 251),
  labels: Uint8Array.from([0, 1, 2]), image: { height: 32, width: 32, channels: 3, layout: 'chw' },
  classNames: ['a', 'b', 'c'] });
const idxImages = encodeIdx(Uint8Array.from({ length: 5 * 16 }, (_, i) => i), [5, 4, 4]);
const tar = encodeTar([{ path: 'd/data_batch_1', bytes: encodeCifar10PythonBatch(img) }, { path: 'd/x.txt', bytes: Uint8Array.from([1, 2]) }]);
const model = new TextEncoder().encode(encodeModel({
  classNames: ['a', 'b'], image: { height: 1, width: 2, channels: 1, layout: 'hwc' },
  preprocessing: { features: 2, scale: 1 / 255, bias: true, mean: Float32Array.from([0.5, 0.25]) },
  weights: Float64Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), objective: { loss: 'softmax', reg: 1e-4 },
}));

const targets: { name: string; valid: Uint8Array; read: (b: Uint8Array) => unknown }[] = [
  { name: 'idx', valid: idxImages, read: (b) => readIdxImages(b, 'i') },
  { name: 'idx.gz', valid: gzipSync(idxImages, { mtime: 0 }), read: (b) => readIdxImages(b, 'i.gz') },
  { name: 'idx labels.gz', valid: encodeIdx(Uint8Array.from([1, 2, 3]), [3], { gzip: true }), read: (b) => readIdxLabels(b, 'l.gz') },
  { name: 'cifar bin', valid: encodeCifar10Batch(img), read: (b) => readCifar10Batch(b, 'c.bin', { classNames: img.classNames }) },
  { name: 'cifar meta txt', valid: new TextEncoder().encode('a\nb\nc\n'), read: (b) => parseCifar10Meta(new TextDecoder().decode(b), 'm.txt') },
  { name: 'pickle batch', valid: encodeCifar10PythonBatch(img), read: (b) => readCifar10PythonBatch(b, 'p', { classNames: img.classNames }) },
  { name: 'pickle meta', valid: encodeCifar10PythonMeta(['a', 'b', 'c']), read: (b) => readCifar10PythonMeta(b, 'pm') },
  { name: 'tar', valid: tar, read: (b) => readArchive(b, 't.tar') },
  { name: 'tar.gz', valid: gzipSync(tar, { mtime: 0 }), read: (b) => readArchive(b, 't.tar.gz') },
  { name: 'gzip', valid: gzipSync(Uint8Array.from({ length: 1000 }, (_, i) => i % 7), { mtime: 0 }), read: (b) => gunzipChecked(b, 'g.gz') },
  { name: 'model.json', valid: model, read: (b) => decodeModel(new TextDecoder().decode(b), 'model.json') },
];

describe(`fuzz (seed ${SEED}, ${ROUNDS} inputs per reader)`, () => {
  console.log(`fuzz seed ${SEED} (rerun with FUZZ_SEED=${SEED})`);
  for (const t of targets) {
    it(`${t.name}: every mutated input gives a value or a DescentError, quickly`, () => {
      expect(() => t.read(t.valid)).not.toThrow();
      const r = rng(SEED ^ [...t.name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const deadline = performance.now() + 25_000 / targets.length;
      for (let i = 0; i < ROUNDS && performance.now() < deadline; i++) {
        const input = mutate(t.valid, r);
        const t0 = performance.now();
        try { t.read(input); } catch (e) {
          if (!(e instanceof DescentError)) {
            throw new Error(`${t.name}, seed ${SEED}, input ${i} (${input.length} bytes): ${String(e)}`, { cause: e });
          }
        }
        expect(performance.now() - t0, `${t.name}, seed ${SEED}, input ${i}`).toBeLessThan(3000);
      }
    });
  }
});
