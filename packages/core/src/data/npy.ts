/**
 * numpy's .npy format (numpy.lib.format), read without numpy:
 *
 *   \x93NUMPY, major, minor (1.0, 2.0 or 3.0), the header's length (uint16 LE in version 1,
 *   uint32 LE in 2 and 3), the header: a Python dict literal such as
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 785), } padded with spaces to a
 *   multiple of 64 bytes and ended by '\n' (latin-1 in 1 and 2, UTF-8 in 3), then the data.
 *
 * What is read: little-endian (or byte-sized) unsigned and signed integers, float32 and float64,
 * in C order. Everything is checked from the header before any allocation: the magic number, the
 * version, that the header parses and holds exactly those three keys, the dtype, the shape's
 * sizes, and that the file holds exactly the bytes the shape declares (a truncated file says so).
 * Big-endian data, Fortran order and Python objects are refused with what to do instead.
 * The header itself is capped at 1 MiB (numpy writes a few hundred bytes).
 */
import { DataError } from '../errors.js';

export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY

/** The most header bytes read: numpy's own headers are a few hundred bytes. */
export const MAX_NPY_HEADER_BYTES = 1 << 20;

export type NpyDtype = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'uint64' | 'int64' | 'float32' | 'float64';

/** A Map, not an object: a header's descr such as '<constructor' must not find an inherited member. */
const DTYPES: ReadonlyMap<string, { dtype: NpyDtype; size: number }> = new Map([
  ['u1', { dtype: 'uint8', size: 1 }], ['i1', { dtype: 'int8', size: 1 }], ['u2', { dtype: 'uint16', size: 2 }], ['i2', { dtype: 'int16', size: 2 }],
  ['u4', { dtype: 'uint32', size: 4 }], ['i4', { dtype: 'int32', size: 4 }], ['u8', { dtype: 'uint64', size: 8 }], ['i8', { dtype: 'int64', size: 8 }],
  ['f4', { dtype: 'float32', size: 4 }], ['f8', { dtype: 'float64', size: 8 }],
]);

/** What a .npy header declares, checked. */
export interface NpyHeader {
  readonly version: 1 | 2 | 3;
  readonly dtype: NpyDtype;
  /** Bytes per element. */
  readonly itemSize: number;
  readonly shape: readonly number[];
  /** Elements: the product of the shape (1 for a 0-d array). */
  readonly count: number;
  /** Where the data starts, and how many bytes it must have. */
  readonly dataOffset: number;
  readonly dataBytes: number;
}

export type NpyData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

export interface NpyArray {
  readonly source: string;
  readonly header: NpyHeader;
  /** The elements in C order, typed by the dtype (a view of `bytes` when aligned, else a copy). */
  readonly data: NpyData;
}

/** True when the bytes start with the .npy magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= NPY_MAGIC.length && NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Reads and checks a .npy header from the file's first bytes (at least the preamble and the
 * header; `fileBytes`, when given, is the whole file's length, checked against the shape).
 */
export function readNpyHeader(head: Uint8Array, source: string, fileBytes?: number): NpyHeader {
  const fail: (what: string) => never = (what) => { throw new DataError(`${source}: ${what}`); };
  if (head.length === 0) fail('empty file (expected a numpy .npy file)');
  if (!isNpy(head)) fail(`not a numpy .npy file (no \\x93NUMPY magic string at its start)`);
  if (head.length < 10) fail(`truncated .npy file: ${head.length} bytes, shorter than its 10-byte preamble`);
  const major = head[6]!, minor = head[7]!;
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    fail(`.npy format version ${major}.${minor} is not one this reader knows (1.0, 2.0, 3.0)`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const preamble = major === 1 ? 10 : 12;
  if (head.length < preamble) fail(`truncated .npy file: ${head.length} bytes, shorter than its ${preamble}-byte preamble`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    fail(`the .npy header declares ${headerLength} bytes, more than the ${MAX_NPY_HEADER_BYTES} read (MAX_NPY_HEADER_BYTES): not a numpy header`);
  }
  const dataOffset = preamble + headerLength;
  if (head.length < dataOffset) fail(`truncated .npy file: the header declares ${headerLength} bytes, the file ends at byte ${head.length}`);
  const bytes = head.subarray(preamble, dataOffset);
  const text = major === 3 ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : latin1(bytes);
  const dict = parseHeaderDict(text, fail);
  const keys = Object.keys(dict).sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    fail(`the .npy header must hold 'descr', 'fortran_order' and 'shape', it holds ${keys.map((k) => `'${k}'`).join(', ') || 'nothing'}`);
  }
  const descr = dict['descr'];
  if (typeof descr !== 'string') fail(`the .npy header's 'descr' is not a dtype string (a structured or object dtype?): only plain numbers are read`);
  const order = descr[0], code = descr.slice(1);
  const known = DTYPES.get(code);
  if (!known || !(order === '<' || order === '|' || order === '=' || (order === '>' && known.size === 1))) {
    if (known && order === '>') fail(`dtype '${descr}' is big-endian: save it little-endian (array.astype('<${code}'))`);
    fail(`dtype '${descr}' is not read (unsigned and signed integers, float32, float64; little-endian)`);
  }
  if (order === '|' && known.size !== 1) fail(`dtype '${descr}' has no byte order but ${known.size}-byte elements`);
  if (dict['fortran_order'] !== false) {
    fail(dict['fortran_order'] === true ? `the array is in Fortran order: save it in C order (np.ascontiguousarray(array))`
      : `the .npy header's 'fortran_order' must be True or False`);
  }
  const shape = dict['shape'];
  if (!Array.isArray(shape) || shape.some((s) => typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0)) {
    fail(`the .npy header's 'shape' must be a tuple of sizes ≥ 0, got ${JSON.stringify(shape)}`);
  }
  const sizes = shape as number[];
  let count = 1;
  for (const s of sizes) {
    count *= s;
    if (count > Number.MAX_SAFE_INTEGER / 8) fail(`shape (${sizes.join(', ')}) declares more elements than can be held`);
  }
  const dataBytes = count * known.size;
  if (fileBytes !== undefined) {
    const has = fileBytes - dataOffset;
    if (has < dataBytes) {
      fail(`truncated .npy file: shape (${sizes.join(', ')}) of ${descr} needs ${dataBytes} bytes of data, the file has ${Math.max(0, has)}`);
    }
    if (has > dataBytes) fail(`${has - dataBytes} bytes after the data that shape (${sizes.join(', ')}) of ${descr} declares`);
  }
  return { version: major as 1 | 2 | 3, dtype: known.dtype, itemSize: known.size, shape: sizes, count, dataOffset, dataBytes };
}

/** Reads a whole .npy file held in memory; the header is checked against its length first. */
export function readNpy(bytes: Uint8Array, source: string): NpyArray {
  const header = readNpyHeader(bytes, source, bytes.length);
  return { source, header, data: typedData(bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes), header) };
}

/** Typed elements over raw little-endian bytes: a view when aligned, else an aligned copy. */
export function typedData(raw: Uint8Array, header: Pick<NpyHeader, 'dtype' | 'itemSize'>): NpyData {
  const aligned = raw.byteOffset % header.itemSize === 0 ? raw : raw.slice();
  const { buffer, byteOffset, byteLength } = aligned;
  const n = byteLength / header.itemSize;
  switch (header.dtype) {
    case 'uint8': return aligned;
    case 'int8': return new Int8Array(buffer, byteOffset, n);
    case 'uint16': return new Uint16Array(buffer, byteOffset, n);
    case 'int16': return new Int16Array(buffer, byteOffset, n);
    case 'uint32': return new Uint32Array(buffer, byteOffset, n);
    case 'int32': return new Int32Array(buffer, byteOffset, n);
    case 'uint64': return new BigUint64Array(buffer, byteOffset, n);
    case 'int64': return new BigInt64Array(buffer, byteOffset, n);
    case 'float32': return new Float32Array(buffer, byteOffset, n);
    case 'float64': return new Float64Array(buffer, byteOffset, n);
    default: throw new DataError(`no typed array for dtype ${String(header.dtype)}`);
  }
}

/**
 * Integer elements as int32 (labels, class ids): any integer dtype, each value checked to lie
 * in [min, max]; the first one outside is named by its index.
 */
export function npyIntegers(a: NpyArray, what: string, min: number, max: number): Int32Array {
  if (a.header.dtype === 'float32' || a.header.dtype === 'float64') {
    throw new DataError(`${a.source}: ${what} must be integers, the array holds ${a.header.dtype}`);
  }
  const out = new Int32Array(a.header.count);
  const d = a.data;
  for (let i = 0; i < out.length; i++) {
    const v = Number(d[i]!);
    if (!(v >= min && v <= max)) throw new DataError(`${a.source}: ${what} [${i}] is ${String(d[i])}, outside [${min}, ${max}]`);
    out[i] = v;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * The header's Python literal: a dict of str keys to str, True/False/None, ints and tuples or
 * lists of those (what numpy's write_array emits). Anything else is a DataError, so a header
 * cannot make the reader evaluate code or recurse without bound (nesting stops at depth 8).
 */
function parseHeaderDict(text: string, fail: (what: string) => never): Record<string, Literal> {
  let p = 0;
  const bad = (what: string): never => fail(`the .npy header is not a Python dict literal: ${what} at character ${p} of ${JSON.stringify(text.slice(0, 120))}`);
  const space = () => { while (p < text.length && /\s/.test(text[p]!)) p++; };
  const value = (depth: number): Literal => {
    if (depth > 8) bad('nested too deeply');
    space();
    const c = text[p];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, p + 1);
      if (end < 0) bad('an unterminated string');
      const s = text.slice(p + 1, end);
      if (s.includes('\\')) bad('a string with escapes');
      p = end + 1;
      return s;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      p++;
      const items: Literal[] = [];
      for (;;) {
        space();
        if (text[p] === close) { p++; return items; }
        items.push(value(depth + 1));
        space();
        if (text[p] === ',') { p++; continue; }
        if (text[p] === close) { p++; return items; }
        bad(`'${close}' or ',' expected`);
      }
    }
    if (c === '{') {
      p++;
      const out: Record<string, Literal> = Object.create(null) as Record<string, Literal>; // '__proto__' is just a key
      for (;;) {
        space();
        if (text[p] === '}') { p++; return out; }
        const key = value(depth + 1);
        if (typeof key !== 'string') bad('a dict key that is not a string');
        if (Object.hasOwn(out, key as string)) bad(`the key '${key as string}' twice`);
        space();
        if (text[p] !== ':') bad("':' expected");
        p++;
        out[key as string] = value(depth + 1);
        space();
        if (text[p] === ',') { p++; continue; }
        if (text[p] === '}') { p++; return out; }
        bad("'}' or ',' expected");
      }
    }
    const word = /^(True|False|None|-?\d+)L?/.exec(text.slice(p, p + 24));
    if (!word) bad('an unexpected character');
    p += word![0].length;
    const w = word![1]!;
    if (w === 'True') return true;
    if (w === 'False') return false;
    if (w === 'None') return null;
    const n = Number(w);
    if (!Number.isSafeInteger(n)) bad(`the integer ${w}, too large`);
    return n;
  };
  const v = value(0);
  space();
  if (p !== text.length) bad('text after the dict');
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('not a dict');
  return v as Record<string, Literal>;
}
