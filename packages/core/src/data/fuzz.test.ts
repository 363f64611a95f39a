/**
 * Seeded mutations of valid files (made by core's encoders) through every reader (IDX, CIFAR,
 * pickle, tar, gzip, .npy, .npz, LIBSVM, model.json): truncation,
 * bit flips, byte edits (size fields included), and huge counts written over 4-byte fields.
 * Every input must end in a value or a DescentError, never a TypeError, RangeError or other
 * internal error, each within a few seconds, and allocate at most 2× its declared payload
 * plus 1 MiB (never more than MAX_INFLATED_BYTES). The seed is printed; FUZZ_SEED=… reruns
 * one, FUZZ_ROUNDS=… runs longer (FUZZ_DEADLINE_MS=… lifts the time box; docs/architecture.md
 * records a long run).
 *
 * Memory is counted, not sampled: while a reader runs, the global typed-array and ArrayBuffer
 * constructors are replaced by proxies that add up the bytes of every buffer created (views
 * of an existing buffer are free). The readers look those globals up at call time, so every
 * buffer they allocate is seen. fflate keeps its own reference to Uint8Array, so the chunks
 * its inflater hands out are counted where they are handed out (an accessor on its
 * prototype's `ondata`); its window is bounded by the 4 KiB input pieces gunzipChecked feeds.
 * An upper bound on the peak: freed buffers are counted too.
 */
import { gzipSync, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DescentError } from '../errors.js';
import { decodeModel, encodeModel } from '../model/model-file.js';
import {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeLibsvm, encodeNpy, encodeTar,
} from '../testing/encoders.js';
import { scanLibsvm } from './libsvm.js';
import { readArchive } from './archive.js';
import { parseCifar10Meta, readCifar10Batch } from './cifar10.js';
import { readCifar10PythonBatch, readCifar10PythonMeta } from './cifar10-python.js';
import { makeDataset } from './dataset.js';
import { Gunzip, Inflate } from 'fflate';
import { gunzipChecked, MAX_INFLATED_BYTES } from './gzip.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { npyIntegers, readNpy } from './npy.js';
import { recognizeDataset } from './recognize.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 150);
const DEADLINE_MS = Number(process.env.FUZZ_DEADLINE_MS ?? 25_000);

const COUNTED = ['ArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray'] as const;

/** Runs fn with every typed array and ArrayBuffer it creates counted; returns the bytes created. */
function countAllocations(fn: () => void): number {
  let bytes = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  const originals = COUNTED.map((name) => g[name] as (new (...a: unknown[]) => object) & { BYTES_PER_ELEMENT?: number });
  COUNTED.forEach((name, k) => {
    const C = originals[k]!;
    const size = C.BYTES_PER_ELEMENT ?? 1;
    g[name] = new Proxy(C, {
      construct(target, args, newTarget) {
        const a = args[0];
        if (typeof a === 'number') bytes += a * size;
        else if (a !== undefined && !(a instanceof originals[0]!) && typeof a === 'object') {
          const length = (a as { length?: unknown }).length;
          bytes += (typeof length === 'number' ? length : 0) * size;
        }
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
      },
    });
  });
  const inflate = Inflate.prototype as unknown as Record<string, unknown>;
  Object.defineProperty(inflate, 'ondata', {
    configurable: true,
    get(this: { counted?: unknown }) { return this.counted; },
    set(this: { counted?: unknown }, cb: (chunk: Uint8Array, final: boolean) => void) {
      this.counted = (chunk: Uint8Array, final: boolean) => { bytes += chunk.length; cb(chunk, final); };
    },
  });
  try {
    fn();
  } finally {
    COUNTED.forEach((name, k) => { g[name] = originals[k]; });
    delete inflate.ondata;
  }
  return bytes;
}

/** What a gzip stream inflates to before its first error (its real payload, whatever its trailer says). */
function inflatedLength(b: Uint8Array): number {
  let n = 0;
  try {
    const z = new Gunzip((chunk) => { n += chunk.length; });
    z.push(b, true);
  } catch { /* the bytes before the error are what a reader could have produced */ }
  return n;
}

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
const npyLabels5 = encodeNpy(BigInt64Array.of(0n, 1n, 2n, 1n, 0n));
const npz = zipSync({ 'x_train.npy': encodeNpy(Uint8Array.from({ length: 5 * 16 }, (_, i) => i), [5, 4, 4]), 'y_train.npy': npyLabels5 }, { level: 6 });
const idxImages = encodeIdx(Uint8Array.from({ length: 5 * 16 }, (_, i) => i), [5, 4, 4]);
const tar = encodeTar([{ path: 'd/data_batch_1', bytes: encodeCifar10PythonBatch(img) }, { path: 'd/x.txt', bytes: Uint8Array.from([1, 2]) }]);
const model = new TextEncoder().encode(encodeModel({
  classNames: ['a', 'b'], image: { height: 1, width: 2, channels: 1, layout: 'hwc' },
  preprocessing: { features: 2, scale: 1 / 255, bias: true, mean: Float32Array.from([0.5, 0.25]) },
  weights: Float64Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), objective: { loss: 'softmax', reg: 1e-4 },
}));

const featuresModel = new TextEncoder().encode(encodeModel({
  classNames: ['a', 'b'], preprocessing: { kind: 'features', features: 2, standardized: true, mean: Float32Array.from([0.5, -3]), std: Float32Array.from([2, 0.25]), bias: true },
  weights: Float64Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), objective: { loss: 'svm', reg: 1e-4, delta: 1 },
}));
const libsvm = encodeLibsvm(Float32Array.from({ length: 6 * 5 }, (_, i) => ((i * 3) % 7) / 2 - 1), [1, -1, 1, 1, -1, 1], 5);
const npyFeatures = encodeNpy(Float32Array.from({ length: 5 * 6 }, (_, i) => i / 7 - 2), [5, 6]);

/**
 * The bytes an input declares a reader may produce: its own length (or what it inflates to);
 * a model file's weights are 8 bytes per value, each at least 2 characters of text.
 */
const asIs = (b: Uint8Array) => b.length;
const gzipped = (b: Uint8Array) => Math.max(b.length, inflatedLength(b));
const modelText = (b: Uint8Array) => 4 * b.length;
/** A LIBSVM file declares its dense size by its rows and largest index (4 bytes a value), besides the text. */
const libsvmDeclared = (b: Uint8Array) => {
  try {
    const s = scanLibsvm(b, 'f');
    return b.length + 4 * s.n * (s.maxIndex + 1);
  } catch {
    return b.length;
  }
};
/** A zip's members as declared in its central directory (what readZip lets fflate allocate), besides the input. */
const zipDeclared = (b: Uint8Array) => {
  let sum = 0;
  try {
    unzipSync(b, { filter: (f) => { sum += f.originalSize; return false; } });
  } catch {
    // unreadable: nothing is inflated
  }
  return b.length + Math.min(sum, MAX_INFLATED_BYTES);
};

const targets: { name: string; valid: Uint8Array; read: (b: Uint8Array) => unknown; payload: (b: Uint8Array) => number }[] = [
  { name: 'idx', valid: idxImages, read: (b) => readIdxImages(b, 'i'), payload: asIs },
  { name: 'idx.gz', valid: gzipSync(idxImages, { mtime: 0 }), read: (b) => readIdxImages(b, 'i.gz'), payload: gzipped },
  { name: 'idx labels.gz', valid: encodeIdx(Uint8Array.from([1, 2, 3]), [3], { gzip: true }), read: (b) => readIdxLabels(b, 'l.gz'), payload: gzipped },
  { name: 'cifar bin', valid: encodeCifar10Batch(img), read: (b) => readCifar10Batch(b, 'c.bin', { classNames: img.classNames }), payload: asIs },
  { name: 'cifar meta txt', valid: new TextEncoder().encode('a\nb\nc\n'), read: (b) => parseCifar10Meta(new TextDecoder().decode(b), 'm.txt'), payload: asIs },
  { name: 'pickle batch', valid: encodeCifar10PythonBatch(img), read: (b) => readCifar10PythonBatch(b, 'p', { classNames: img.classNames }), payload: asIs },
  { name: 'pickle meta', valid: encodeCifar10PythonMeta(['a', 'b', 'c']), read: (b) => readCifar10PythonMeta(b, 'pm'), payload: asIs },
  { name: 'tar', valid: tar, read: (b) => readArchive(b, 't.tar'), payload: asIs },
  { name: 'tar.gz', valid: gzipSync(tar, { mtime: 0 }), read: (b) => readArchive(b, 't.tar.gz'), payload: gzipped },
  { name: 'gzip', valid: gzipSync(Uint8Array.from({ length: 1000 }, (_, i) => i % 7), { mtime: 0 }), read: (b) => gunzipChecked(b, 'g.gz'), payload: gzipped },
  { name: 'npy', valid: encodeNpy(Float32Array.from({ length: 20 }, (_, i) => i / 3), [5, 4]), read: (b) => readNpy(b, 'x.npy'), payload: asIs },
  { name: 'npy labels', valid: encodeNpy(BigInt64Array.of(1n, 2n, 0n)), read: (b) => npyIntegers(readNpy(b, 'y.npy'), 'labels', 0, 9), payload: asIs },
  { name: 'npy data set', valid: encodeNpy(Uint8Array.from({ length: 5 * 16 }, (_, i) => i), [5, 4, 4]),
    read: (b) => recognizeDataset([{ name: 'x_train.npy', bytes: b }, { name: 'y_train.npy', bytes: npyLabels5 }], { seed: 1 }), payload: asIs },
  { name: 'npz data set', valid: npz, read: (b) => recognizeDataset([{ name: 'd.npz', bytes: b }], { seed: 1 }), payload: zipDeclared },
  { name: 'model.json', valid: model, read: (b) => decodeModel(new TextDecoder().decode(b), 'model.json'), payload: modelText },
  { name: 'features model.json', valid: featuresModel, read: (b) => decodeModel(new TextDecoder().decode(b), 'model.json'), payload: modelText },
  { name: 'libsvm data set', valid: libsvm, read: (b) => recognizeDataset([{ name: 'train.svm', bytes: b }], { seed: 1 }), payload: libsvmDeclared },
  { name: 'npy features data set', valid: npyFeatures,
    read: (b) => recognizeDataset([{ name: 'x_train.npy', bytes: b }, { name: 'y_train.npy', bytes: npyLabels5 }], { seed: 1 }), payload: asIs },
];

describe('the allocation counter', () => {
  it('counts buffers created inside the readers, and not views', () => {
    expect(countAllocations(() => { new Float64Array(1000); new Uint8Array(new ArrayBuffer(64), 8, 8); })).toBe(8064);
    const g = gzipSync(new Uint8Array(5000), { mtime: 0 });
    const counted = countAllocations(() => gunzipChecked(g, 'zeros.gz'));
    expect(counted).toBeGreaterThanOrEqual(5000);
    expect(counted).toBeLessThanOrEqual(2 * 5000 + 2 ** 20);
    expect(Float64Array.name).toBe('Float64Array'); // restored
  });
});

describe(`fuzz (seed ${SEED}, ${ROUNDS} inputs per reader)`, () => {
  console.log(`fuzz seed ${SEED} (rerun with FUZZ_SEED=${SEED})`);
  for (const t of targets) {
    it(`${t.name}: every mutated input gives a value or a DescentError, quickly`, () => {
      expect(() => t.read(t.valid)).not.toThrow();
      const r = rng(SEED ^ [...t.name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const deadline = performance.now() + DEADLINE_MS / targets.length;
      let most = 0, over = 0, ran = 0;
      for (let i = 0; i < ROUNDS && performance.now() < deadline; i++, ran++) {
        const input = mutate(t.valid, r);
        const t0 = performance.now();
        const allocated = countAllocations(() => {
          try { t.read(input); } catch (e) {
            if (!(e instanceof DescentError)) {
              throw new Error(`${t.name}, seed ${SEED}, input ${i} (${input.length} bytes): ${String(e)}`, { cause: e });
            }
          }
        });
        const where = `${t.name}, seed ${SEED}, input ${i}`;
        expect(performance.now() - t0, where).toBeLessThan(3000);
        const payload = t.payload(input); // inflates a gzip input: once
        const bound = Math.min(2 * payload + 2 ** 20, MAX_INFLATED_BYTES);
        expect(allocated, `${where}: bytes allocated (bound ${bound})`).toBeLessThanOrEqual(bound);
        most = Math.max(most, allocated);
        over = Math.max(over, allocated - 2 * payload);
      }
      if (ROUNDS > 1000) {
        console.log(`${t.name}: ${ran} inputs; the most one allocated: ${most} bytes; the most above 2× its payload: ${Math.max(0, over)} bytes`);
      }
    });
  }
});
