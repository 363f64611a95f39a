/**
 * CIFAR-10 "python version" (cifar-10-batches-py): data_batch_1 … data_batch_5 and test_batch
 * are Python pickles of a dict {b'batch_label', b'labels': [int…], b'data': uint8 ndarray
 * 10000×3072 (R plane, G plane, B plane of 32×32, row-major: the same bytes as a .bin record
 * without its label), b'filenames'}; batches.meta holds b'label_names'. The downloaded files
 * were written by Python 2's cPickle with protocol 2; files re-saved from Python 3 are read
 * too (protocols 0–5, str or bytes keys, numpy 1.x 'numpy.core' and 2.x 'numpy._core' names).
 *
 * The unpickler here is restricted: it builds plain values (None, bool, int, float, str,
 * bytes, tuple, list, dict) and numpy arrays, and knows by name only the handful of callables
 * numpy's pickles use (_reconstruct, ndarray, dtype, _frombuffer, _codecs.encode, bytes).
 * Anything else is refused, so nothing in a file can run code. A pickle library was not used:
 * pickleparser decodes Python 2 byte strings with TextDecoder('ascii'), which is windows-1252
 * in browsers (byte 0x80 becomes '€') but latin-1 in Node 20, so pixel bytes would differ
 * between the two.
 */
import { DataError } from '../errors.js';
import { CIFAR10_CLASS_NAMES, CIFAR10_FEATURES, CIFAR10_IMAGE } from './cifar10.js';
import { makeDataset, type Dataset } from './dataset.js';

/** A numpy array as pickled: typestr such as 'u1' or '<i8', shape, order, raw bytes. */
export interface PickledNdarray {
  readonly kind: 'ndarray';
  dtype: PickledDtype;
  shape: number[];
  fortranOrder: boolean;
  data: Uint8Array;
}

/** A numpy dtype as pickled: its type string ('u1', 'i8', 'f4', …) and byte order ('|', '<', '>', '='). */
export interface PickledDtype {
  readonly kind: 'dtype';
  typestr: string;
  byteorder: string;
}

/** A Python tuple (lists are plain arrays). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python dict: keys kept as found (str as string, bytes / Python 2 str as Uint8Array). */
export class PyDict {
  readonly entries: [unknown, unknown][] = [];
  /** The value under key `name`, whether the key was written as bytes (b'data') or str ('data'). */
  get(name: string): unknown {
    for (const [k, v] of this.entries) if (keyText(k) === name) return v;
    return undefined;
  }
  has(name: string): boolean {
    return this.entries.some(([k]) => keyText(k) === name);
  }
  keyList(): string {
    return this.entries.map(([k]) => (k instanceof Uint8Array ? `b'${latin1(k)}'` : `'${String(k)}'`)).join(', ');
  }
}

function keyText(k: unknown): string | undefined {
  return typeof k === 'string' ? k : k instanceof Uint8Array ? latin1(k) : undefined;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** True when the bytes start like a pickle of protocol 2 or later (0x80, version). */
export function isPickle(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5;
}

type Callable = { readonly kind: 'callable'; readonly name: string; call(args: unknown[], at: number): unknown };

/**
 * Runs a pickle (protocols 0–5) on a restricted machine and returns the object it builds.
 * Only plain Python values and numpy arrays/dtypes are built; any other global, persistent
 * ids, extensions and out-of-band buffers are a DataError naming `source` and the byte offset.
 */
export function unpickle(bytes: Uint8Array, source: string): unknown {
  const fail = (what: string) => new DataError(`${source}: ${what}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  let op = 0, opAt = 0;
  const need = (k: number) => {
    if (p + k > bytes.length) {
      throw fail(`truncated pickle: opcode '${opName(op)}' at byte ${opAt} needs ${k} bytes from byte ${p}, ` +
        `but the file ends at byte ${bytes.length}`);
    }
  };
  const take = (k: number) => { need(k); const b = bytes.subarray(p, p + k); p += k; return b; };
  const u8 = () => { need(1); return bytes[p++]!; };
  const u16 = () => { need(2); const v = view.getUint16(p, true); p += 2; return v; };
  const i32 = () => { need(4); const v = view.getInt32(p, true); p += 4; return v; };
  const u32 = () => { need(4); const v = view.getUint32(p, true); p += 4; return v; };
  const u64 = () => {
    need(8);
    const v = view.getUint32(p, true) + view.getUint32(p + 4, true) * 2 ** 32;
    p += 8;
    if (v > bytes.length) throw fail(`truncated pickle: opcode '${opName(op)}' at byte ${opAt} declares ${v} bytes`);
    return v;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw fail(`truncated pickle: opcode '${opName(op)}' at byte ${opAt} has no end of line`);
    const s = latin1(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const utf8 = (b: Uint8Array) => {
    try { return new TextDecoder('utf-8', { fatal: true }).decode(b); } catch (e) {
      throw fail(`corrupt pickle: invalid UTF-8 in a string at byte ${opAt}`);
    }
  };

  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const pop = () => {
    if (stack.length === 0) {
      throw fail(`corrupt pickle: opcode '${opName(op)}' at byte ${opAt} pops an empty stack`);
    }
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw fail(`corrupt pickle: opcode '${opName(op)}' at byte ${opAt} needs a value on the stack`);
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw fail(`corrupt pickle: opcode '${opName(op)}' at byte ${opAt} without a MARK`);
    stack = prev;
    return items;
  };
  const getMemo = (k: number) => {
    if (!memo.has(k)) throw fail(`corrupt pickle: memo entry ${k} read at byte ${opAt} was never stored`);
    return memo.get(k);
  };
  const int = (s: string) => {
    const t = s.replace(/L$/, '');
    if (t === '00') return false; // protocol 0 spells False / True as I00 / I01
    if (t === '01') return true;
    if (!/^[-+]?\d+$/.test(t)) throw fail(`corrupt pickle: bad integer '${s}' at byte ${opAt}`);
    return Number(t);
  };
  const asDict = (v: unknown) => {
    if (!(v instanceof PyDict)) throw fail(`corrupt pickle: opcode '${opName(op)}' at byte ${opAt} sets an item on a ${describe(v)}`);
    return v;
  };
  const asList = (v: unknown) => {
    if (!Array.isArray(v)) throw fail(`corrupt pickle: opcode '${opName(op)}' at byte ${opAt} appends to a ${describe(v)}`);
    return v;
  };
  const global = (module: string, name: string) => {
    const g = GLOBALS.get(`${module}.${name}`);
    if (!g) {
      throw fail(`unsupported Python object ${module}.${name} in the pickle at byte ${opAt} ` +
        '(only plain Python values and numpy arrays are read)');
    }
    return g;
  };

  while (true) {
    opAt = p;
    if (p >= bytes.length) {
      throw fail(p === 0 ? 'empty file (expected a Python pickle)' : `truncated pickle: it ends at byte ${p} before its STOP opcode`);
    }
    op = bytes[p++]!;
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v > 5) throw fail(`unsupported pickle protocol ${v} (0 to 5 are known)`);
        break;
      }
      case 0x95: take(8); break; // FRAME: an 8-byte length; the frame's opcodes follow inline
      case 0x2e: { // STOP
        const v = pop();
        return v;
      }
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x31: popMark(); break; // POP_MARK
      case 0x30: { // POP
        if (stack.length === 0) popMark(); else stack.pop();
        break;
      }
      case 0x32: stack.push(top()); break; // DUP
      // Memo
      case 0x70: memo.set(int(line()) as number, top()); break; // PUT
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: stack.push(getMemo(int(line()) as number)); break; // GET
      case 0x68: stack.push(getMemo(u8())); break; // BINGET
      case 0x6a: stack.push(getMemo(u32())); break; // LONG_BINGET
      // Constants and numbers
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x49: stack.push(int(line())); break; // INT
      case 0x4c: stack.push(int(line())); break; // LONG
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: case 0x8b: { // LONG1, LONG4: little-endian two's complement
        const b = take(op === 0x8a ? u8() : u32());
        let v = 0;
        for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i]!;
        if (b.length > 0 && b[b.length - 1]! & 0x80) v -= 2 ** (8 * b.length);
        stack.push(v);
        break;
      }
      case 0x46: stack.push(Number(line())); break; // FLOAT
      case 0x47: { need(8); stack.push(view.getFloat64(p, false)); p += 8; break; } // BINFLOAT (big-endian)
      // Byte strings: Python 2 str and Python 3 bytes (views into the input, not copies)
      case 0x53: stack.push(stringRepr(line(), fail, opAt)); break; // STRING (protocol 0: a quoted repr)
      case 0x54: stack.push(take(u32())); break; // BINSTRING
      case 0x55: stack.push(take(u8())); break; // SHORT_BINSTRING
      case 0x42: stack.push(take(u32())); break; // BINBYTES
      case 0x43: stack.push(take(u8())); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64())); break; // BINBYTES8
      case 0x96: stack.push(take(u64())); break; // BYTEARRAY8
      case 0x98: break; // READONLY_BUFFER: leaves the value as it is
      case 0x97: throw fail(`the pickle refers to out-of-band buffers (byte ${opAt}), which a file cannot hold`);
      // Text strings
      case 0x56: stack.push(rawUnicodeEscape(line())); break; // UNICODE
      case 0x58: stack.push(utf8(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(utf8(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8(take(u64()))); break; // BINUNICODE8
      // Tuples, lists, dicts, sets
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break; } // TUPLE (popMark first: it swaps `stack`)
      case 0x85: { const a = pop(); stack.push(new PyTuple([a])); break; } // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST
      case 0x61: { const v = pop(); asList(top()).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); const l = asList(top()); for (const v of items) l.push(v); break; } // APPENDS
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const items = popMark();
        const d = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        stack.push(d);
        break;
      }
      case 0x73: { const v = pop(), k = pop(); asDict(top()).entries.push([k, v]); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = asDict(top());
        for (let i = 0; i + 1 < items.length; i += 2) d.entries.push([items[i], items[i + 1]]);
        break;
      }
      case 0x8f: stack.push([]); break; // EMPTY_SET (as a list)
      case 0x90: { const items = popMark(); const s = asList(top()); for (const v of items) s.push(v); break; } // ADDITEMS
      case 0x91: { const items = popMark(); stack.push(items); break; } // FROZENSET (as a list)
      // Globals and calls: only the whitelisted numpy / codecs callables
      case 0x63: { const module = line(); const name = line(); stack.push(global(module, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail(`corrupt pickle: STACK_GLOBAL at byte ${opAt} without names`);
        stack.push(global(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop(), f = pop();
        if (!isCallable(f) || !(args instanceof PyTuple)) {
          throw fail(`corrupt pickle: REDUCE at byte ${opAt} calls a ${describe(f)} with a ${describe(args)}`);
        }
        stack.push(f.call(args.items, opAt));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        build(obj, state, fail, opAt);
        break;
      }
      case 0x81: case 0x92: case 0x69: case 0x6f: // NEWOBJ, NEWOBJ_EX, INST, OBJ
        throw fail(`unsupported Python object: opcode '${opName(op)}' at byte ${opAt} creates a class instance ` +
          '(only plain Python values and numpy arrays are read)');
      case 0x50: case 0x51: // PERSID, BINPERSID
        throw fail(`unsupported pickle: persistent id at byte ${opAt}`);
      case 0x82: case 0x83: case 0x84: // EXT1, EXT2, EXT4
        throw fail(`unsupported pickle: extension registry code at byte ${opAt}`);
      default:
        throw fail(opAt === 0
          ? `not a Python pickle (first byte 0x${op.toString(16).padStart(2, '0')} is not a pickle opcode)`
          : `corrupt pickle: unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${opAt}`);
    }
  }
}

const OP_NAMES: Record<number, string> = {
  0x80: 'PROTO', 0x95: 'FRAME', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES',
  0x8e: 'BINBYTES8', 0x96: 'BYTEARRAY8', 0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8',
  0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x47: 'BINFLOAT',
  0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x68: 'BINGET', 0x6a: 'LONG_BINGET', 0x63: 'GLOBAL', 0x2e: 'STOP',
};
function opName(op: number): string {
  return OP_NAMES[op] ?? String.fromCharCode(op);
}

function isCallable(v: unknown): v is Callable {
  return typeof v === 'object' && v !== null && (v as Callable).kind === 'callable';
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object' && 'kind' in v) return String((v as { kind: string }).kind);
  return typeof v === 'string' ? 'str' : typeof v;
}

/** numpy's ndarray.__setstate__: (version, shape, dtype, is_fortran, data) or, before version 1, without the version. */
function build(obj: unknown, state: unknown, fail: (what: string) => DataError, at: number): void {
  if (typeof obj === 'object' && obj !== null && (obj as PickledDtype).kind === 'dtype') {
    // dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
    const s = state instanceof PyTuple ? state.items : [];
    const dt = obj as PickledDtype;
    const order = s[1];
    if (typeof order === 'string') dt.byteorder = order;
    else if (order instanceof Uint8Array) dt.byteorder = latin1(order);
    if (s[3] !== null && s[3] !== undefined) dt.typestr = `structured ${dt.typestr}`;
    return;
  }
  if (typeof obj === 'object' && obj !== null && (obj as PickledNdarray).kind === 'ndarray') {
    const a = obj as PickledNdarray;
    let s = state instanceof PyTuple ? state.items : [];
    if (s.length === 4) s = [0, ...s];
    if (s.length !== 5) throw fail(`corrupt pickle: numpy array state at byte ${at} is a ${describe(state)} of ${s.length} items, expected 5`);
    const [, shape, dtype, fortran, data] = s;
    a.shape = shapeOf(shape, fail, at);
    if (!(typeof dtype === 'object' && dtype !== null && (dtype as PickledDtype).kind === 'dtype')) {
      throw fail(`corrupt pickle: numpy array state at byte ${at} has a ${describe(dtype)} for its dtype`);
    }
    a.dtype = dtype as PickledDtype;
    a.fortranOrder = fortran === true || fortran === 1;
    if (typeof data === 'string') a.data = latin1Bytes(data, fail, at);
    else if (data instanceof Uint8Array) a.data = data;
    else throw fail(`numpy array at byte ${at} holds Python objects (a ${describe(data)}), not raw numbers`);
    return;
  }
  throw fail(`unsupported pickle: BUILD at byte ${at} on a ${describe(obj)}`);
}

function shapeOf(v: unknown, fail: (what: string) => DataError, at: number): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : [v];
  if (!items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw fail(`corrupt pickle: numpy array shape at byte ${at} is not a tuple of sizes`);
  }
  return items as number[];
}

function latin1Bytes(s: string, fail: (what: string) => DataError, at: number): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw fail(`corrupt pickle: character U+${c.toString(16)} at byte ${at} cannot be encoded as latin-1`);
    out[i] = c;
  }
  return out;
}

function typestrOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v instanceof Uint8Array ? latin1(v) : undefined;
}

function callable(name: string, call: (args: unknown[], at: number) => unknown): Callable {
  return { kind: 'callable', name, call };
}

const ndarrayClass = callable('numpy.ndarray', () => { throw new DataError('numpy.ndarray cannot be called directly'); });
const dtypeClass = callable('numpy.dtype', (args) => {
  const t = typestrOf(args[0]);
  const dt: PickledDtype = { kind: 'dtype', typestr: t ?? '?', byteorder: '=' };
  return dt;
});
const reconstruct = callable('numpy._reconstruct', () => {
  const a: PickledNdarray = { kind: 'ndarray', dtype: { kind: 'dtype', typestr: '?', byteorder: '=' },
    shape: [0], fortranOrder: false, data: new Uint8Array(0) };
  return a;
});
// numpy ≥ 1.16 under protocol 5: _frombuffer(buffer, dtype, shape, order)
const frombuffer = callable('numpy._frombuffer', (args) => {
  const [buf, dtype, shape, order] = args;
  const a: PickledNdarray = { kind: 'ndarray', dtype: dtype as PickledDtype,
    shape: (shape instanceof PyTuple ? shape.items : []) as number[],
    fortranOrder: typestrOf(order) === 'F', data: buf instanceof Uint8Array ? buf : new Uint8Array(0) };
  return a;
});
// Python 3 pickling bytes under protocol 2: _codecs.encode(str, 'latin1')
const codecsEncode = callable('_codecs.encode', (args, at) => {
  const [s, enc] = args;
  if (typeof s !== 'string' || !['latin1', 'latin-1', 'iso-8859-1'].includes(String(enc).toLowerCase())) {
    throw new DataError(`unsupported _codecs.encode(${describe(s)}, ${String(enc)}) at byte ${at}`);
  }
  return latin1Bytes(s, (w) => new DataError(w), at);
});
// Python 3 pickling b'' under protocol 2: bytes()
const bytesClass = callable('bytes', (args) => (args.length === 0 ? new Uint8Array(0)
  : typeof args[0] === 'string' ? latin1Bytes(args[0], (w) => new DataError(w), 0) : new Uint8Array(0)));

const GLOBALS = new Map<string, Callable>([
  ['numpy.core.multiarray._reconstruct', reconstruct],
  ['numpy._core.multiarray._reconstruct', reconstruct],
  ['numpy.ndarray', ndarrayClass],
  ['numpy.dtype', dtypeClass],
  ['numpy.core.numeric._frombuffer', frombuffer],
  ['numpy._core.numeric._frombuffer', frombuffer],
  ['_codecs.encode', codecsEncode],
  ['__builtin__.bytes', bytesClass],
  ['builtins.bytes', bytesClass],
]);

/** Decodes a protocol-0 STRING argument: a Python 2 repr such as 'ab\x00c' or "it's". */
function stringRepr(s: string, fail: (what: string) => DataError, at: number): Uint8Array {
  const q = s[0];
  if (!((q === "'" || q === '"') && s.length >= 2 && s[s.length - 1] === q)) {
    throw fail(`corrupt pickle: STRING at byte ${at} is not quoted`);
  }
  const body = s.slice(1, -1);
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '\n': -1 };
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 92) { out.push(c & 0xff); continue; }
    const e = body[++i] ?? '';
    if (e === 'x') { out.push(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; }
    else if (/[0-7]/.test(e)) {
      let j = i; while (j < i + 3 && /[0-7]/.test(body[j] ?? '')) j++;
      out.push(parseInt(body.slice(i, j), 8) & 0xff); i = j - 1;
    } else if (e in simple) { if (simple[e]! >= 0) out.push(simple[e]!); }
    else { out.push(92, e.charCodeAt(0) & 0xff); }
  }
  if (out.some((b) => Number.isNaN(b))) throw fail(`corrupt pickle: bad escape in STRING at byte ${at}`);
  return Uint8Array.from(out);
}

/** Decodes a protocol-0 UNICODE argument (raw-unicode-escape: \uXXXX and \UXXXXXXXX). */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt(a ?? b!, 16)));
}

/** numpy type strings of the integers a labels array may hold, with their byte sizes. */
const INT_TYPES: Record<string, { size: number; signed: boolean }> = {
  u1: { size: 1, signed: false }, i1: { size: 1, signed: true }, u2: { size: 2, signed: false },
  i2: { size: 2, signed: true }, u4: { size: 4, signed: false }, i4: { size: 4, signed: true },
  u8: { size: 8, signed: false }, i8: { size: 8, signed: true },
};

function dtypeText(d: PickledDtype): string {
  const names: Record<string, string> = { u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32',
    i4: 'int32', u8: 'uint64', i8: 'int64', f2: 'float16', f4: 'float32', f8: 'float64', b1: 'bool', O8: 'object', O4: 'object' };
  const bare = d.typestr.replace(/^[<>|=]/, '');
  const spelled = /^[<>]/.test(d.byteorder) && bare === d.typestr ? d.byteorder + bare : d.typestr;
  return names[bare] ? `${names[bare]} ('${spelled}')` : `'${spelled}'`;
}

function isNdarray(v: unknown): v is PickledNdarray {
  return typeof v === 'object' && v !== null && (v as PickledNdarray).kind === 'ndarray';
}

function unpickleDict(bytes: Uint8Array, source: string, what: string): PyDict {
  if (bytes.length > 0 && bytes[0] !== 0x80 && !(bytes[0] === 0x28 || bytes[0] === 0x7d || bytes[0] === 0x63)) {
    let hint = '';
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) hint = ' (it is gzip-compressed: pass the .tar.gz archive itself, or extract it)';
    else if (bytes[0] === 0x93 && latin1(bytes.subarray(1, 6)) === 'NUMPY') hint = ' (it is a .npy file)';
    else if (bytes.length % 3073 === 0) hint = ' (its size is a whole number of 3073-byte records: a CIFAR-10 binary batch? name it *.bin)';
    throw new DataError(`${source}: not a Python pickle: first byte 0x${bytes[0]!.toString(16).padStart(2, '0')}${hint}`);
  }
  const v = unpickle(bytes, source);
  if (!(v instanceof PyDict)) throw new DataError(`${source}: the pickle holds a ${describe(v)}, expected the dict of ${what}`);
  return v;
}

function labelsOf(v: unknown, source: string): ArrayLike<number> {
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = v instanceof PyTuple ? v.items : v;
    items.forEach((l, i) => {
      if (typeof l !== 'number' && typeof l !== 'boolean') {
        throw new DataError(`${source}: labels[${i}] is a ${describe(l)}, expected an int`);
      }
    });
    return items.map(Number);
  }
  if (isNdarray(v)) {
    const bare = v.dtype.typestr.replace(/^[<>|=]/, '');
    const t = INT_TYPES[bare];
    if (!t || v.dtype.typestr.startsWith('>')) {
      throw new DataError(`${source}: labels array has dtype ${dtypeText(v.dtype)}, expected integers`);
    }
    const n = v.shape.reduce((a, b) => a * b, 1);
    if (v.shape.length !== 1 || v.data.length !== n * t.size) {
      throw new DataError(`${source}: labels array has shape ${v.shape.join('×')} and ${v.data.length} bytes, expected one dimension`);
    }
    const dv = new DataView(v.data.buffer, v.data.byteOffset, v.data.byteLength);
    return Array.from({ length: n }, (_, i) => {
      const o = i * t.size;
      switch (t.size) {
        case 1: return t.signed ? dv.getInt8(o) : dv.getUint8(o);
        case 2: return t.signed ? dv.getInt16(o, true) : dv.getUint16(o, true);
        case 4: return t.signed ? dv.getInt32(o, true) : dv.getUint32(o, true);
        default: return Number(t.signed ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true));
      }
    });
  }
  throw new DataError(`${source}: 'labels' is a ${describe(v)}, expected a list of ints`);
}

/**
 * Parses one batch of the CIFAR-10 python version (data_batch_1 … data_batch_5, test_batch):
 * a pickled dict whose 'data' is a uint8 numpy array N×3072 and whose 'labels' are N ints,
 * each naming one of `classNames` (default: the ten CIFAR-10 classes). Keys may be bytes
 * (as downloaded) or str. Every check failing is a DataError naming `source`.
 * The Dataset's images are a fresh copy (layout 'chw', as in the .bin batches).
 */
export function readCifar10PythonBatch(bytes: Uint8Array, source: string,
  options: { classNames?: readonly string[]; name?: string } = {}): Dataset {
  const classNames = options.classNames ?? CIFAR10_CLASS_NAMES;
  const d = unpickleDict(bytes, source, "a CIFAR-10 batch ('data', 'labels', …)");
  if (!d.has('data') || !d.has('labels')) {
    const missing = ['data', 'labels'].filter((k) => !d.has(k)).map((k) => `b'${k}'`).join(' and ');
    const hint = d.has('fine_labels') ? ' (this is a CIFAR-100 batch, which is not supported)' : '';
    throw new DataError(`${source}: not a CIFAR-10 batch: the dict has no ${missing} key (keys: ${d.keyList() || 'none'})${hint}`);
  }
  const data = d.get('data');
  if (!isNdarray(data)) throw new DataError(`${source}: 'data' is a ${describe(data)}, expected a numpy array`);
  const bare = data.dtype.typestr.replace(/^[<>|=]/, '');
  if (bare !== 'u1') {
    throw new DataError(`${source}: 'data' has dtype ${dtypeText(data.dtype)}, expected uint8 ('u1')`);
  }
  const [n, features] = data.shape;
  if (data.shape.length !== 2 || features !== CIFAR10_FEATURES) {
    throw new DataError(`${source}: 'data' has shape ${data.shape.join('×') || '()'}, expected N×3072 ` +
      '(one row of 3·32·32 pixel bytes per image)');
  }
  if (data.data.length !== n! * features) {
    throw new DataError(`${source}: 'data' has shape ${n}×${features} but holds ${data.data.length} bytes, ` +
      `expected ${n! * features}`);
  }
  let images: Uint8Array;
  if (data.fortranOrder && n! > 1) { // column-major: element (i, j) at j·n + i
    images = new Uint8Array(n! * features);
    for (let j = 0; j < features; j++) for (let i = 0; i < n!; i++) images[i * features + j] = data.data[j * n! + i]!;
  } else images = data.data.slice();
  const raw = labelsOf(d.get('labels'), source);
  if (raw.length !== n) {
    throw new DataError(`${source}: ${raw.length} labels for ${n} images in 'data'`);
  }
  const labels = new Uint8Array(n!);
  for (let i = 0; i < n!; i++) {
    const l = raw[i]!;
    if (!(Number.isInteger(l) && l >= 0 && l < classNames.length)) {
      throw new DataError(`${source}: label ${l} at index ${i} is out of range for ${classNames.length} ` +
        `classes (0..${classNames.length - 1})`);
    }
    labels[i] = l;
  }
  return makeDataset({ name: options.name ?? source, images, labels, image: CIFAR10_IMAGE, classNames });
}

/** Class names from the python version's batches.meta: its 'label_names' list (bytes or str). */
export function readCifar10PythonMeta(bytes: Uint8Array, source: string): string[] {
  const d = unpickleDict(bytes, source, "CIFAR-10 metadata ('label_names')");
  if (!d.has('label_names')) {
    const hint = d.has('fine_label_names') ? ' (this is CIFAR-100 metadata, which is not supported)' : '';
    throw new DataError(`${source}: no b'label_names' key (keys: ${d.keyList() || 'none'})${hint}`);
  }
  const v = d.get('label_names');
  if (!Array.isArray(v)) throw new DataError(`${source}: 'label_names' is a ${describe(v)}, expected a list of strings`);
  const names = v.map((x, i) => {
    if (typeof x === 'string') return x;
    if (x instanceof Uint8Array) {
      try { return new TextDecoder('utf-8', { fatal: true }).decode(x); } catch { return latin1(x); }
    }
    throw new DataError(`${source}: label_names[${i}] is a ${describe(x)}, expected a string`);
  });
  if (names.length === 0) throw new DataError(`${source}: 'label_names' is empty`);
  return names;
}
