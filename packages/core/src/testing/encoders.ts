/**
 * Writers for the file formats core reads: IDX (MNIST / Fashion-MNIST), CIFAR-10 binary
 * batches, the CIFAR-10 python version (pickles byte for byte as the download has them) and
 * tar archives. They make test fixtures (and the embedded data set, scripts/
 * make-embedded-dataset.mjs), so they live in '@descent/core/testing', not in core's main
 * entry; the readers they feed are in '../data/'.
 */
import { gzipSync, zipSync } from 'fflate';
import { DataError, ShapeError } from '../errors.js';
import type { ArchiveEntry } from '../data/archive.js';
import { BLOCK, headerSums } from '../data/archive.js';
import { CIFAR10_FEATURES, CIFAR10_RECORD_BYTES } from '../data/cifar10.js';
import { imageDataset, type Dataset } from '../data/dataset.js';

/**
 * Writes an IDX file of unsigned bytes: magic 0x0000080D with D = dims.length, big-endian
 * sizes, then the data. With `gzip` (level 0..9, default 9 when `true`), gzips it (mtime 0,
 * so the output depends only on the input).
 */
export function encodeIdx(data: Uint8Array, dims: readonly number[],
  options: { gzip?: boolean | number } = {}): Uint8Array {
  if (dims.length < 1 || dims.length > 255) {
    throw new ShapeError(`encodeIdx: 1 to 255 dimensions, got ${dims.length}`);
  }
  let count = 1;
  for (const d of dims) {
    if (!(Number.isInteger(d) && d >= 0 && d <= 0xffffffff)) {
      throw new ShapeError(`encodeIdx: dimension sizes must be integers in [0, 2^32), got ${dims.join('×')}`);
    }
    count *= d;
  }
  if (data.length !== count) {
    throw new ShapeError(`encodeIdx: dims ${dims.join('×')} hold ${count} values, data has ${data.length}`);
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 | dims.length);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  out.set(data, header);
  if (options.gzip === undefined || options.gzip === false) return out;
  const level = options.gzip === true ? 9 : options.gzip;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new ShapeError(`encodeIdx: gzip level must be 0..9, got ${level}`);
  }
  return gzipSync(out, { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9, mtime: 0 });
}

/** Encodes a 1-channel 'hwc' Dataset as an IDX images file and an IDX labels file. */
export function encodeIdxDataset(given: Dataset, options: { gzip?: boolean | number } = {}):
  { images: Uint8Array; labels: Uint8Array } {
  const ds = imageDataset(given, 'encodeIdxDataset');
  if (ds.image.channels !== 1) {
    throw new ShapeError(`encodeIdxDataset: ${ds.name} has ${ds.image.channels} channels; IDX images hold 1`);
  }
  if (!(ds.labels instanceof Uint8Array)) throw new ShapeError(`encodeIdxDataset: ${ds.name} has labels above 255; IDX label files hold bytes`);
  return {
    images: encodeIdx(ds.images, [ds.n, ds.image.height, ds.image.width], options),
    labels: encodeIdx(ds.labels, [ds.n], options),
  };
}

/** Encodes a 32×32×3 'chw' Dataset as a CIFAR-10 binary batch (for tests and conversion). */
export function encodeCifar10Batch(given: Dataset): Uint8Array {
  const ds = imageDataset(given, 'encodeCifar10Batch');
  const { image } = ds;
  if (image.height !== 32 || image.width !== 32 || image.channels !== 3 || image.layout !== 'chw') {
    throw new ShapeError(`encodeCifar10Batch: ${ds.name} has ${image.height}×${image.width}×` +
      `${image.channels} '${image.layout}' images; CIFAR-10 batches hold 32×32×3 'chw'`);
  }
  if (ds.classNames.length > 256) throw new ShapeError(`encodeCifar10Batch: more than 256 classes`);
  const R = CIFAR10_RECORD_BYTES;
  const out = new Uint8Array(ds.n * R);
  for (let i = 0; i < ds.n; i++) {
    out[i * R] = ds.labels[i]!;
    out.set(ds.images.subarray(i * CIFAR10_FEATURES, (i + 1) * CIFAR10_FEATURES), i * R + 1);
  }
  return out;
}

/**
 * Writes pickles the way Python 2's cPickle (protocol 2) wrote the CIFAR-10 python version,
 * opcode for opcode: memo ids from 1 (BINPUT q / LONG_BINPUT r) on the dict, lists and
 * strings but not on temporaries (tuples, 'b', 'u1', the raw data); str as SHORT_BINSTRING
 * (U) or BINSTRING (T); ints as BININT1 / BININT2 / BININT; dict items and list elements in
 * batches of 1000 between MARK and SETITEMS / APPENDS (a single one: SETITEM / APPEND).
 * A numpy array is `_reconstruct(ndarray, (0,), 'b')` then BUILD with
 * (1, shape, dtype('u1', 0, 1) BUILT with (3, '|', None, None, None, -1, -1, 0), False, data).
 */
class Py2Pickler {
  private out: number[] = [];
  private chunks: Uint8Array[] = [];
  private memo = 1;
  private flush(): void {
    if (this.out.length > 0) { this.chunks.push(Uint8Array.from(this.out)); this.out = []; }
  }
  byte(...b: number[]): this { for (const x of b) this.out.push(x); return this; }
  u32(v: number): this { return this.byte(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); }
  put(): this {
    const id = this.memo++;
    return id < 256 ? this.byte(0x71, id) : this.byte(0x72).u32(id);
  }
  int(v: number): this {
    if (v >= 0 && v < 256) return this.byte(0x4b, v);
    if (v >= 0 && v < 65536) return this.byte(0x4d, v & 0xff, v >> 8);
    return this.byte(0x4a).u32(v);
  }
  str(s: string | Uint8Array, memoize = true): this {
    const b = typeof s === 'string' ? Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff) : s;
    if (b.length < 256) this.byte(0x55, b.length); else this.byte(0x54).u32(b.length);
    this.flush();
    this.chunks.push(b);
    return memoize ? this.put() : this;
  }
  text(s: string): this { for (let i = 0; i < s.length; i++) this.out.push(s.charCodeAt(i)); return this; }
  /** Items between MARK and `op` in batches of 1000; a single item without MARK and with `one`. */
  batched<T>(items: readonly T[], write: (x: T) => void, many: number, one: number): this {
    if (items.length === 1) { write(items[0]!); return this.byte(one); }
    for (let i = 0; i < items.length; i += 1000) {
      this.byte(0x28);
      for (const x of items.slice(i, i + 1000)) write(x);
      this.byte(many);
    }
    return this;
  }
  list(items: readonly (number | string)[]): this {
    this.byte(0x5d).put();
    return this.batched(items, (x) => (typeof x === 'number' ? this.int(x) : this.str(x)), 0x65, 0x61);
  }
  uint8Array(rows: number, cols: number, data: Uint8Array): this {
    this.text('cnumpy.core.multiarray\n_reconstruct\n').put().text('cnumpy\nndarray\n').put();
    this.byte(0x4b, 0, 0x85).str('b', false).byte(0x87, 0x52).put();
    this.byte(0x28).int(1).int(rows).int(cols).byte(0x86);
    this.text('cnumpy\ndtype\n').put().str('u1', false).int(0).int(1).byte(0x87, 0x52).put();
    this.byte(0x28).int(3).str('|', false).byte(0x4e, 0x4e, 0x4e).byte(0x4a).u32(-1).byte(0x4a).u32(-1).int(0).byte(0x74, 0x62);
    return this.byte(0x89).str(data, false).byte(0x74, 0x62);
  }
  dict(entries: readonly [string, () => void][]): Uint8Array {
    this.byte(0x80, 2, 0x7d).put();
    this.batched(entries, ([k, write]) => { this.str(k); write(); }, 0x75, 0x73);
    this.byte(0x2e);
    this.flush();
    const total = this.chunks.reduce((s, c) => s + c.length, 0);
    const bytes = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) { bytes.set(c, o); o += c.length; }
    return bytes;
  }
}

/**
 * Encodes a 32×32×3 'chw' Dataset as a batch of the CIFAR-10 python version, byte for byte in
 * the form the download has (Python 2 cPickle, protocol 2; keys in the order 'data', 'labels',
 * 'batch_label', 'filenames'). For tests and conversion. Filenames default to 'image_<i>.png'.
 */
export function encodeCifar10PythonBatch(given: Dataset,
  options: { batchLabel?: string; filenames?: readonly string[] } = {}): Uint8Array {
  const ds = imageDataset(given, 'encodeCifar10PythonBatch');
  const { image } = ds;
  if (image.height !== 32 || image.width !== 32 || image.channels !== 3 || image.layout !== 'chw') {
    throw new DataError(`encodeCifar10PythonBatch: ${ds.name} has ${image.height}×${image.width}×` +
      `${image.channels} '${image.layout}' images; CIFAR-10 batches hold 32×32×3 'chw'`);
  }
  const filenames = options.filenames ?? Array.from({ length: ds.n }, (_, i) => `image_${i}.png`);
  if (filenames.length !== ds.n) {
    throw new DataError(`encodeCifar10PythonBatch: ${filenames.length} filenames for ${ds.n} images`);
  }
  const p = new Py2Pickler();
  return p.dict([
    ['data', () => p.uint8Array(ds.n, CIFAR10_FEATURES, ds.images)],
    ['labels', () => p.list(Array.from(ds.labels))],
    ['batch_label', () => p.str(options.batchLabel ?? ds.name)],
    ['filenames', () => p.list(filenames)],
  ]);
}

/** Encodes batches.meta of the python version (Python 2 cPickle, protocol 2): label_names and the two counts. */
export function encodeCifar10PythonMeta(classNames: readonly string[], casesPerBatch = 10000): Uint8Array {
  const p = new Py2Pickler();
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return p.dict([
    ['num_cases_per_batch', () => p.int(casesPerBatch)],
    ['label_names', () => { p.byte(0x5d).put(); p.batched(classNames, (x) => p.str(utf8(x)), 0x65, 0x61); }],
    ['num_vis', () => p.int(CIFAR10_FEATURES)],
  ]);
}

/**
 * Writes regular files as a POSIX ustar archive (mode 0644, mtime 0, so the output depends
 * only on the input), ending with two zero blocks. For tests and conversion; paths must fit
 * ustar's 100-byte name (+155-byte prefix).
 */
export function encodeTar(entries: readonly ArchiveEntry[]): Uint8Array {
  const enc = new TextEncoder();
  let total = 2 * BLOCK;
  for (const e of entries) total += BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let p = 0;
  const put = (h: Uint8Array, offset: number, text: string) => { h.set(enc.encode(text), offset); };
  for (const e of entries) {
    const path = enc.encode(e.path);
    let name = e.path, prefix = '';
    if (path.length > 100) {
      const cut = e.path.lastIndexOf('/', 155);
      if (cut <= 0 || enc.encode(e.path.slice(cut + 1)).length > 100) {
        throw new DataError(`encodeTar: path too long for a ustar header: ${e.path}`);
      }
      prefix = e.path.slice(0, cut);
      name = e.path.slice(cut + 1);
    }
    const h = out.subarray(p, p + BLOCK);
    put(h, 0, name);
    put(h, 100, '0000644\0');
    put(h, 108, '0000000\0');
    put(h, 116, '0000000\0');
    put(h, 124, e.bytes.length.toString(8).padStart(11, '0') + '\0');
    put(h, 136, '00000000000\0');
    put(h, 148, '        ');
    h[156] = 0x30; // '0': regular file
    put(h, 257, 'ustar\0' + '00');
    put(h, 345, prefix);
    put(h, 148, headerSums(h).unsigned.toString(8).padStart(6, '0') + '\0 ');
    out.set(e.bytes, p + BLOCK);
    p += BLOCK + Math.ceil(e.bytes.length / BLOCK) * BLOCK;
  }
  return out;
}

type NpyWritable = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

const NPY_DESCR = new Map<unknown, string>([
  [Uint8Array, '|u1'], [Int8Array, '|i1'], [Uint16Array, '<u2'], [Int16Array, '<i2'], [Uint32Array, '<u4'], [Int32Array, '<i4'],
  [BigUint64Array, '<u8'], [BigInt64Array, '<i8'], [Float32Array, '<f4'], [Float64Array, '<f8'],
]);

/**
 * The preamble and header of a .npy file as numpy writes it (format 1.0 unless the header needs
 * 2.0): {'descr': …, 'fortran_order': False, 'shape': (…), } padded with spaces to a multiple of
 * 64 bytes, ending in '\n'. The data (little-endian) follows it.
 */
export function encodeNpyHeader(descr: string, shape: readonly number[], options: { version?: 1 | 2 | 3; fortranOrder?: boolean } = {}): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const version = options.version ?? (dict.length + 12 < 65536 ? 1 : 2);
  const preamble = version === 1 ? 10 : 12;
  const padded = dict + ' '.repeat((64 - ((preamble + dict.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(preamble + padded.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), preamble);
  return out;
}

/** A whole .npy file of a typed array with the given shape (C order, little-endian). */
export function encodeNpy(data: NpyWritable, shape: readonly number[] = [data.length], options: { version?: 1 | 2 | 3 } = {}): Uint8Array {
  const descr = NPY_DESCR.get(data.constructor);
  if (!descr) throw new DataError('encodeNpy: not a typed array numpy can hold');
  if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new ShapeError(`encodeNpy: shape (${shape.join(', ')}) does not hold ${data.length} elements`);
  const head = encodeNpyHeader(descr, shape, options);
  const out = new Uint8Array(head.length + data.byteLength);
  out.set(head);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), head.length);
  return out;
}

/**
 * An .npz as np.savez (stored) or np.savez_compressed (deflated) writes it: a zip of .npy files,
 * named by their keys ('x_train.npy', …; other files too, e.g. a 'classes.txt').
 */
export function encodeNpz(files: Readonly<Record<string, Uint8Array>>, options: { compressed?: boolean } = {}): Uint8Array {
  return zipSync({ ...files }, { level: options.compressed ? 6 : 0 });
}

/** The text of LIBSVM rows (1-based indices, or 0-based; zeros left out; float32 values in their shortest exact decimal), for tests and conversion: the inverse of readLibsvm. */
export function encodeLibsvm(values: ArrayLike<number>, labels: ArrayLike<number>, features: number, options: { zeroBased?: boolean } = {}): Uint8Array {
  const lines: string[] = [];
  const shift = options.zeroBased ? 0 : 1;
  for (let i = 0; i < labels.length; i++) {
    const parts = [String(labels[i])];
    for (let j = 0; j < features; j++) {
      const v = values[i * features + j]!;
      if (v !== 0) parts.push(`${j + shift}:${float32Text(v)}`);
    }
    lines.push(parts.join(' '));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The shortest decimal that reads back as the same float32 (at most 9 significant digits). */
function float32Text(v: number): string {
  const f = Math.fround(v);
  if (f !== v) return String(v); // not a float32: as JavaScript prints it
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}
