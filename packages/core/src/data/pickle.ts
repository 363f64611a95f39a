/**
 * A restricted Python unpickler (protocols 0–5) and numpy array reconstruction, for the
 * CIFAR-10 python version (cifar10-python.ts) and any other pickled data set.
 *
 * It builds plain values (None, bool, int, float, str, bytes, tuple, list, dict) and numpy
 * arrays, and knows by name only the handful of callables numpy's pickles use (_reconstruct,
 * ndarray, dtype, _frombuffer, _codecs.encode, bytes). Anything else is refused, so nothing in
 * a file can run code; anything malformed is a DataError naming the file and the byte offset.
 * Dict keys are decoded once, when stored, and looked up by their text (linear time in the
 * file, however many lookups). A pickle library was not used: pickleparser decodes Python 2
 * byte strings with TextDecoder('ascii'), which is windows-1252 in browsers (byte 0x80 becomes
 * '€') but latin-1 in Node 20, so pixel bytes would differ between the two.
 */
import { DataError } from '../errors.js';

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
  /** Values by their key's text, each key decoded once when stored (the first of equal keys wins). */
  private readonly index = new Map<string, unknown>();
  set(key: unknown, value: unknown): void {
    this.entries.push([key, value]);
    const text = keyText(key);
    if (text !== undefined && !this.index.has(text)) this.index.set(text, value);
  }
  /** The value under key `name`, whether the key was written as bytes (b'data') or str ('data'). */
  get(name: string): unknown {
    return this.index.get(name);
  }
  has(name: string): boolean {
    return this.index.has(name);
  }
  /** The first few keys for a message, each cut short, then "… and N more". */
  keyList(max = 8): string {
    const shown = this.entries.slice(0, max).map(([k]) => {
      const t = keyText(k);
      const cut = t === undefined ? describe(k) : t.length > 40 ? `${t.slice(0, 40)}…` : t;
      return k instanceof Uint8Array ? `b'${cut}'` : t === undefined ? cut : `'${cut}'`;
    });
    const more = this.entries.length - shown.length;
    return shown.join(', ') + (more > 0 ? ` … and ${more} more` : '');
  }
}

/** Decoded bytes keys, by the key object: a memoised key stored under many entries is decoded once. */
const decodedKeys = new WeakMap<Uint8Array, string>();

function keyText(k: unknown): string | undefined {
  if (typeof k === 'string') return k;
  if (!(k instanceof Uint8Array)) return undefined;
  let t = decodedKeys.get(k);
  if (t === undefined) { t = latin1(k); decodedKeys.set(k, t); }
  return t;
}

/** Bytes as latin-1 text. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** True when the bytes start like a pickle of protocol 2 or later (0x80, version). */
export function isPickle(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5;
}

type Fail = (what: string) => DataError;
type Callable = { readonly kind: 'callable'; readonly name: string; call(args: unknown[], at: number, fail: Fail): unknown };

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
      throw fail(`truncated pickle: opcode ${opName(op)} at byte ${opAt} needs ${k} bytes from byte ${p}, ` +
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
    if (v > bytes.length) throw fail(`truncated pickle: opcode ${opName(op)} at byte ${opAt} declares ${v} bytes`);
    return v;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw fail(`truncated pickle: opcode ${opName(op)} at byte ${opAt} has no end of line`);
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
      throw fail(`corrupt pickle: opcode ${opName(op)} at byte ${opAt} pops an empty stack`);
    }
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw fail(`corrupt pickle: opcode ${opName(op)} at byte ${opAt} needs a value on the stack`);
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) throw fail(`corrupt pickle: opcode ${opName(op)} at byte ${opAt} without a MARK`);
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
    if (!(v instanceof PyDict)) throw fail(`corrupt pickle: opcode ${opName(op)} at byte ${opAt} sets an item on a ${describe(v)}`);
    return v;
  };
  const asList = (v: unknown) => {
    if (!Array.isArray(v)) throw fail(`corrupt pickle: opcode ${opName(op)} at byte ${opAt} appends to a ${describe(v)}`);
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
      case 0x56: stack.push(rawUnicodeEscape(line(), fail, opAt)); break; // UNICODE
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
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x73: { const v = pop(), k = pop(); asDict(top()).set(k, v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = asDict(top());
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
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
        stack.push(f.call(args.items, opAt, fail));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        build(obj, state, fail, opAt);
        break;
      }
      case 0x81: case 0x92: case 0x69: case 0x6f: // NEWOBJ, NEWOBJ_EX, INST, OBJ
        throw fail(`unsupported Python object: opcode ${opName(op)} at byte ${opAt} creates a class instance ` +
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

/** Every opcode's name as Python's pickletools gives it (protocols 0–5), for messages. */
const OP_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x29: 'EMPTY_TUPLE', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP',
  0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x46: 'FLOAT', 0x47: 'BINFLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID',
  0x52: 'REDUCE', 0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE',
  0x5d: 'EMPTY_LIST', 0x61: 'APPEND', 0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x65: 'APPENDS',
  0x67: 'GET', 0x68: 'BINGET', 0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x6f: 'OBJ',
  0x70: 'PUT', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x75: 'SETITEMS',
  0x7d: 'EMPTY_DICT', 0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1',
  0x8b: 'LONG4', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS',
  0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME', 0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};
/** An opcode for a message: its name and byte, e.g. NEWOBJ (0x81); never the raw byte, which may not print. */
function opName(op: number): string {
  const hex = `0x${op.toString(16).padStart(2, '0')}`;
  const name = OP_NAMES[op];
  return name ? `${name} (${hex})` : hex;
}

function isDtype(v: unknown): v is PickledDtype {
  return typeof v === 'object' && v !== null && (v as PickledDtype).kind === 'dtype';
}

function isCallable(v: unknown): v is Callable {
  return typeof v === 'object' && v !== null && (v as Callable).kind === 'callable';
}

/** A Python type name for messages. */
export function describe(v: unknown): string {
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

function callable(name: string, call: (args: unknown[], at: number, fail: Fail) => unknown): Callable {
  return { kind: 'callable', name, call };
}

const ndarrayClass = callable('numpy.ndarray', (_, at, fail) => { throw fail(`unsupported pickle: numpy.ndarray called directly at byte ${at}`); });
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
const frombuffer = callable('numpy._frombuffer', (args, at, fail) => {
  const [buf, dtype, shape, order] = args;
  if (args.length !== 4) throw fail(`corrupt pickle: numpy _frombuffer at byte ${at} called with ${args.length} arguments, expected 4`);
  if (!(buf instanceof Uint8Array)) throw fail(`corrupt pickle: numpy _frombuffer at byte ${at} has a ${describe(buf)} for its buffer, expected bytes`);
  if (!isDtype(dtype)) throw fail(`corrupt pickle: numpy _frombuffer at byte ${at} has a ${describe(dtype)} for its dtype`);
  if (!(shape instanceof PyTuple)) throw fail(`corrupt pickle: numpy _frombuffer at byte ${at} has a ${describe(shape)} for its shape, expected a tuple`);
  const o = typestrOf(order);
  if (o !== 'C' && o !== 'F') throw fail(`corrupt pickle: numpy _frombuffer at byte ${at} has order ${describe(order)}, expected 'C' or 'F'`);
  const a: PickledNdarray = { kind: 'ndarray', dtype, shape: shapeOf(shape, fail, at), fortranOrder: o === 'F', data: buf };
  return a;
});
// Python 3 pickling bytes under protocol 2: _codecs.encode(str, 'latin1')
const codecsEncode = callable('_codecs.encode', (args, at, fail) => {
  const [s, enc] = args;
  if (typeof s !== 'string' || typeof enc !== 'string' || !['latin1', 'latin-1', 'iso-8859-1'].includes(enc.toLowerCase())) {
    throw fail(`unsupported _codecs.encode(${describe(s)}, ${typeof enc === 'string' ? JSON.stringify(enc.slice(0, 20)) : describe(enc)}) at byte ${at}`);
  }
  return latin1Bytes(s, fail, at);
});
// Python 3 pickling b'' under protocol 2: bytes()
const bytesClass = callable('bytes', (args, at, fail) => (args.length === 0 ? new Uint8Array(0)
  : typeof args[0] === 'string' ? latin1Bytes(args[0], fail, at) : new Uint8Array(0)));

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
function rawUnicodeEscape(s: string, fail: Fail, at: number): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string | undefined, b: string | undefined) => {
    const c = parseInt(a ?? b!, 16);
    if (c > 0x10ffff) throw fail(`corrupt pickle: \\U${b} at byte ${at} is not a Unicode code point`);
    return String.fromCodePoint(c);
  });
}

/** numpy type strings of the integers a labels array may hold, with their byte sizes. */
export const INT_TYPES: Record<string, { size: number; signed: boolean }> = {
  u1: { size: 1, signed: false }, i1: { size: 1, signed: true }, u2: { size: 2, signed: false },
  i2: { size: 2, signed: true }, u4: { size: 4, signed: false }, i4: { size: 4, signed: true },
  u8: { size: 8, signed: false }, i8: { size: 8, signed: true },
};

export function dtypeText(d: PickledDtype): string {
  const names: Record<string, string> = { u1: 'uint8', i1: 'int8', u2: 'uint16', i2: 'int16', u4: 'uint32',
    i4: 'int32', u8: 'uint64', i8: 'int64', f2: 'float16', f4: 'float32', f8: 'float64', b1: 'bool', O8: 'object', O4: 'object' };
  const bare = d.typestr.replace(/^[<>|=]/, '');
  const spelled = /^[<>]/.test(d.byteorder) && bare === d.typestr ? d.byteorder + bare : d.typestr;
  return names[bare] ? `${names[bare]} ('${spelled}')` : `'${spelled}'`;
}

export function isNdarray(v: unknown): v is PickledNdarray {
  return typeof v === 'object' && v !== null && (v as PickledNdarray).kind === 'ndarray';
}

