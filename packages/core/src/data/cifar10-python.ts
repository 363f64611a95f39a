/**
 * CIFAR-10 "python version" (cifar-10-batches-py): data_batch_1 … data_batch_5 and test_batch
 * are Python pickles of a dict {b'batch_label', b'labels': [int…], b'data': uint8 ndarray
 * 10000×3072 (R plane, G plane, B plane of 32×32, row-major: the same bytes as a .bin record
 * without its label), b'filenames'}; batches.meta holds b'label_names'. The downloaded files
 * were written by Python 2's cPickle with protocol 2; files re-saved from Python 3 are read
 * too (protocols 0–5, str or bytes keys, numpy 1.x 'numpy.core' and 2.x 'numpy._core' names).
 *
 * The pickles are read by the restricted unpickler in pickle.ts.
 */
import { DataError } from '../errors.js';
import { CIFAR10_CLASS_NAMES, CIFAR10_FEATURES, CIFAR10_IMAGE } from './cifar10.js';
import { MAX_CLASSES, makeDataset, type ImageDataset } from './dataset.js';
import { INT_TYPES, PyDict, PyTuple, describe, dtypeText, isNdarray, latin1, unpickle } from './pickle.js';

export { isPickle, unpickle } from './pickle.js';

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
    if (v.shape.length !== 1) {
      throw new DataError(`${source}: labels array has shape (${v.shape.join(', ')}), expected one dimension`);
    }
    if (v.data.length !== n * t.size) {
      throw new DataError(`${source}: labels array of shape (${n},) and dtype ${dtypeText(v.dtype)} needs ${n * t.size} bytes, its data has ${v.data.length}`);
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
  options: { classNames?: readonly string[]; name?: string } = {}): ImageDataset {
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
  // Bytes while the classes fit them, 16-bit past 256 (a label must never be cut to its low byte).
  const labels = classNames.length > 256 ? new Uint16Array(n!) : new Uint8Array(n!);
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
  if (v.length > MAX_CLASSES) {
    throw new DataError(`${source}: 'label_names' has ${v.length} names, more than ${MAX_CLASSES} (the most a data set ` +
      'may have: MAX_CLASSES)');
  }
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
