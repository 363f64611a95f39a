/**
 * The CIFAR-10 python version. How the fixtures mirror numpy's format:
 * - encodeCifar10PythonBatch writes what Python 2's cPickle wrote for the download (protocol 2:
 *   `\x80\x02}q\x01(U\x04dataq\x02cnumpy.core.multiarray\n_reconstruct\n…`); the first test
 *   checks that opcode sequence byte by byte against the published layout, and, where python3
 *   with numpy is installed, that `pickle.load(f, encoding='bytes')` (how the course loads it)
 *   gives back the same arrays.
 * - PY3_P2 and PY3_P5 below are the exact bytes numpy 2.4.6 on Python 3.11 wrote for
 *   `pickle.dumps({b'data': np.arange(6, dtype=np.uint8).reshape(2, 3), b'labels': [1, 2]},
 *   protocol=2 / 5)`: bytes via `_codecs.encode(…, 'latin1')`, and `_frombuffer` + BYTEARRAY8.
 * - Where python3 with numpy is installed, numpy itself writes full batches in protocols 2–5.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { CIFAR10_CLASS_NAMES } from './cifar10.js';
import { isPickle, readCifar10PythonBatch, readCifar10PythonMeta, unpickle } from './cifar10-python.js';
import { makeDataset, type Dataset } from './dataset.js';
import { encodeCifar10PythonBatch, encodeCifar10PythonMeta } from '../testing/encoders.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
const PY3_P2 = hex('80027d710028635f636f646563730a656e636f64650a7101580400000064617461710258060000006c6174696e31' +
  '7103867104527105636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7106636e756d70790a6e64' +
  '61727261790a71074b0085710868015801000000627109680386710a52710b87710c52710d284b014b024b0386710e636e756d70790a6474' +
  '7970650a710f5802000000753171108988877111527112284b0358010000007c71134e4e4e4affffffff4affffffff4b00747114628968' +
  '0158060000000001020304057115680386711652711774711862680158060000006c6162656c737119680386711a52711b5d711c284b01' +
  '4b0265752e');
const PY3_P5 = hex('80059598000000000000007d9428430464617461948c136e756d70792e5f636f72652e6e756d65726963948c0b5f66' +
  '726f6d62756666657294939428960600000000000000000102030405948c056e756d7079948c0564747970659493948c02753194898887' +
  '945294284b038c017c944e4e4e4affffffff4affffffff4b007494624b024b0386948c0143947494529443066c6162656c73945d94284b' +
  '014b0265752e');

/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function synthetic(n: number, seed = 0): Dataset {
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < images.length; i++) images[i] = (i * 7 + seed * 13 + (i >> 10)) % 256;
  return makeDataset({ name: `syn${seed}`, images, labels: Uint8Array.from({ length: n }, (_, i) => (i * 3 + seed) % 10),
    image: { height: 32, width: 32, channels: 3, layout: 'chw' }, classNames: CIFAR10_CLASS_NAMES });
}

const hasNumpy = (() => {
  try { execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
const numpyNote = hasNumpy ? 'python3 with numpy' : 'skipped: python3 with numpy is not installed';

describe('CIFAR-10 python batches', () => {
  it('the encoder writes the opcodes of the downloaded files (Python 2 cPickle, protocol 2)', () => {
    const bytes = encodeCifar10PythonBatch(synthetic(2), { batchLabel: 'training batch 1 of 5' });
    const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
    // The download's data_batch_1 starts with these bytes (there with M\x10' rows and length T\x00\xc0\xd4\x01).
    expect(latin1(bytes.subarray(0, 144))).toBe(
      '\x80\x02}q\x01(U\x04dataq\x02cnumpy.core.multiarray\n_reconstruct\nq\x03cnumpy\nndarray\nq\x04' +
      'K\x00\x85U\x01b\x87Rq\x05(K\x01K\x02M\x00\x0c\x86cnumpy\ndtype\nq\x06U\x02u1K\x00K\x01\x87Rq\x07' +
      '(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89T\x00\x18\x00\x00');
    expect(sameBytes(bytes.subarray(144, 144 + 6144), synthetic(2).images!)).toBe(true);
    expect(latin1(bytes.subarray(144 + 6144))).toBe('tbU\x06labelsq\x08]q\x09(K\x00K\x03eU\x0bbatch_labelq\x0a' +
      'U\x15training batch 1 of 5q\x0bU\x09filenamesq\x0c]q\x0d(U\x0bimage_0.pngq\x0eU\x0bimage_1.pngq\x0feu.');
    expect(isPickle(bytes)).toBe(true);
  });

  it('round-trips 25 images, with bytes keys, as the course loads them', () => {
    const ds = synthetic(25, 3);
    const back = readCifar10PythonBatch(encodeCifar10PythonBatch(ds), 'data_batch_1');
    expect(back).toMatchObject({ name: 'data_batch_1', n: 25, features: 3072,
      image: { height: 32, width: 32, channels: 3, layout: 'chw' } });
    expect(sameBytes(back.images!, ds.images!)).toBe(true);
    expect(back.labels).toEqual(ds.labels);
    expect(back.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(readCifar10PythonBatch(encodeCifar10PythonBatch(ds), 'x', { name: 'cifar-10/test_batch' }).name)
      .toBe('cifar-10/test_batch');
  });

  it('1200 images: memo ids past 255 (LONG_BINPUT) and lists past 1000 (two APPENDS batches)', () => {
    const ds = synthetic(1200, 1);
    const back = readCifar10PythonBatch(encodeCifar10PythonBatch(ds), 'big');
    expect(back.labels).toEqual(ds.labels);
    expect(sameBytes(back.images!, ds.images!)).toBe(true);
  });

  it('the images do not alias the input bytes', () => {
    const bytes = encodeCifar10PythonBatch(synthetic(1));
    const back = readCifar10PythonBatch(bytes, 'b');
    bytes.fill(0);
    expect(sameBytes(back.images!, synthetic(1).images!)).toBe(true);
  });

  it('batches.meta: label_names', () => {
    expect(readCifar10PythonMeta(encodeCifar10PythonMeta(CIFAR10_CLASS_NAMES), 'batches.meta')).toEqual(CIFAR10_CLASS_NAMES);
    expect(readCifar10PythonMeta(encodeCifar10PythonMeta(['chat', 'chien']), 'm')).toEqual(['chat', 'chien']);
    expect(() => readCifar10PythonMeta(encodeCifar10PythonBatch(synthetic(1)), 'batches.meta')).toThrow(
      "batches.meta: no b'label_names' key (keys: b'data', b'labels', b'batch_label', b'filenames')");
  });

  it('numpy 2 on Python 3: protocol 2 (_codecs.encode) and protocol 5 (_frombuffer) are parsed', () => {
    // Both hold a 2×3 array: parsed far enough to report its shape.
    for (const bytes of [PY3_P2, PY3_P5]) {
      expect(() => readCifar10PythonBatch(bytes, 'small')).toThrow(
        "small: 'data' has shape 2×3, expected N×3072 (one row of 3·32·32 pixel bytes per image)");
    }
    const v = unpickle(PY3_P2, 'p2') as { get(k: string): unknown };
    expect(v.get('data')).toMatchObject({ kind: 'ndarray', shape: [2, 3], dtype: { typestr: 'u1', byteorder: '|' },
      data: Uint8Array.from([0, 1, 2, 3, 4, 5]) });
    expect((unpickle(PY3_P5, 'p5') as { get(k: string): unknown }).get('data'))
      .toMatchObject({ shape: [2, 3], data: Uint8Array.from([0, 1, 2, 3, 4, 5]) });
  });

  it.runIf(hasNumpy)(`numpy writes protocols 2–5 and reads what the encoder writes (${numpyNote})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-pickle-'));
    try {
      const ds = synthetic(7, 5);
      writeFileSync(join(dir, 'ours'), encodeCifar10PythonBatch(ds));
      writeFileSync(join(dir, 'meta'), encodeCifar10PythonMeta(CIFAR10_CLASS_NAMES));
      const script = `
import pickle, sys, numpy as np
d = sys.argv[1]
with open(d + '/ours', 'rb') as f: b = pickle.load(f, encoding='bytes')
x = b[b'data']
assert x.dtype == np.uint8 and x.shape == (7, 3072), (x.dtype, x.shape)
assert sorted(b.keys()) == [b'batch_label', b'data', b'filenames', b'labels']
with open(d + '/meta', 'rb') as f: m = pickle.load(f, encoding='bytes')
assert m[b'label_names'][0] == b'airplane' and m[b'num_vis'] == 3072
np.save(d + '/check.npy', x)
with open(d + '/labels.txt', 'w') as f: f.write(' '.join(map(str, b[b'labels'])))
for proto in (2, 3, 4, 5):
    for keys in ('bytes', 'str'):
        k = (lambda s: s.encode()) if keys == 'bytes' else (lambda s: s)
        out = {k('batch_label'): k('testing batch 1 of 1'), k('labels'): [int(v) for v in b[b'labels']],
               k('data'): x.copy(), k('filenames'): [k('f%d.png' % i) for i in range(7)]}
        with open('%s/p%d_%s' % (d, proto, keys), 'wb') as f: pickle.dump(out, f, protocol=proto)
out = {b'data': np.asfortranarray(x), b'labels': np.array(b[b'labels'], dtype=np.int64)}
with open(d + '/fortran', 'wb') as f: pickle.dump(out, f, protocol=2)
with open(d + '/int64', 'wb') as f: pickle.dump({b'data': x.astype(np.int64), b'labels': [0] * 7}, f, protocol=2)
with open(d + '/p4meta', 'wb') as f: pickle.dump({'label_names': ['airplane', 'automobile']}, f, protocol=4)
`;
      execFileSync('python3', ['-c', script, dir]);
      const npy = readFileSync(join(dir, 'check.npy'));
      expect(new Uint8Array(npy.subarray(npy.length - 7 * 3072))).toEqual(ds.images);
      expect(readFileSync(join(dir, 'labels.txt'), 'utf8')).toBe(Array.from(ds.labels).join(' '));
      for (const proto of [2, 3, 4, 5]) {
        for (const keys of ['bytes', 'str']) {
          const f = `p${proto}_${keys}`;
          const back = readCifar10PythonBatch(new Uint8Array(readFileSync(join(dir, f))), f);
          expect(sameBytes(back.images!, ds.images!)).toBe(true);
          expect(back.labels, f).toEqual(ds.labels);
        }
      }
      const fortran = readCifar10PythonBatch(new Uint8Array(readFileSync(join(dir, 'fortran'))), 'fortran');
      expect(sameBytes(fortran.images!, ds.images!)).toBe(true);
      expect(fortran.labels).toEqual(ds.labels);
      expect(() => readCifar10PythonBatch(new Uint8Array(readFileSync(join(dir, 'int64'))), 'int64')).toThrow(
        "int64: 'data' has dtype int64 ('<i8'), expected uint8 ('u1')");
      expect(readCifar10PythonMeta(new Uint8Array(readFileSync(join(dir, 'p4meta'))), 'm')).toEqual(['airplane', 'automobile']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CIFAR-10 python batch errors name the file and the problem', () => {
  const good = () => encodeCifar10PythonBatch(synthetic(3));

  it('not a pickle, with hints', () => {
    expect(() => readCifar10PythonBatch(new Uint8Array(0), 'e')).toThrow('e: empty file (expected a Python pickle)');
    expect(() => readCifar10PythonBatch(new TextEncoder().encode('<html>'), 'page')).toThrow(
      'page: not a Python pickle: first byte 0x3c');
    expect(() => readCifar10PythonBatch(new Uint8Array([0x1f, 0x8b, 8, 0]), 'a.tar.gz')).toThrow(/gzip-compressed/);
    expect(() => readCifar10PythonBatch(new Uint8Array(3073 * 2), 'data_batch_1')).toThrow(/CIFAR-10 binary batch\? name it \*\.bin/);
  });

  it('truncated pickle: says at which byte', () => {
    const bytes = good();
    expect(() => readCifar10PythonBatch(bytes.subarray(0, 1000), 'data_batch_2')).toThrow(DataError);
    expect(() => readCifar10PythonBatch(bytes.subarray(0, 1000), 'data_batch_2')).toThrow(
      "data_batch_2: truncated pickle: opcode BINSTRING (0x54) at byte 139 needs 9216 bytes from byte 144, but the file ends at byte 1000");
    expect(() => readCifar10PythonBatch(bytes.subarray(0, bytes.length - 1), 'd')).toThrow(
      /d: truncated pickle: it ends at byte \d+ before its STOP opcode/);
  });

  it('wrong shape, dtype, counts and labels', () => {
    const patchAll = (from: string, to: string) => patch(from, to, true);
    const patch = (from: string, to: string, anywhere = false) => {
      const b = good();
      const s = String.fromCharCode(...(anywhere ? b : b.subarray(0, 200)));
      const at = s.indexOf(from);
      expect(at).toBeGreaterThan(0);
      b.set(Uint8Array.from(to, (c) => c.charCodeAt(0)), at);
      return b;
    };
    // shape (3, 3072) → (3, 3071): the byte count no longer matches either
    expect(() => readCifar10PythonBatch(patch('M\x00\x0c\x86', 'M\xff\x0b\x86'), 'data_batch_3')).toThrow(
      "data_batch_3: 'data' has shape 3×3071, expected N×3072");
    expect(() => readCifar10PythonBatch(patch('K\x03M\x00\x0c', 'K\x04M\x00\x0c'), 'b')).toThrow(
      "b: 'data' has shape 4×3072 but holds 9216 bytes, expected 12288");
    expect(() => readCifar10PythonBatch(patch('U\x02u1', 'U\x02i1'), 'b')).toThrow(
      "b: 'data' has dtype int8 ('i1'), expected uint8 ('u1')");
    // labels of synthetic(3) are 0, 3, 6: K\x00 K\x03 K\x06
    expect(() => readCifar10PythonBatch(patchAll('K\x00K\x03K\x06e', 'K\x00K\x0cK\x06e'), 'test_batch')).toThrow(
      'test_batch: label 12 at index 1 is out of range for 10 classes (0..9)');
    expect(() => readCifar10PythonBatch(encodeCifar10PythonBatch(synthetic(3)), 'x', { classNames: ['a', 'b'] }))
      .toThrow(/x: label \d at index \d is out of range for 2 classes \(0\.\.1\)/);
  });

  it('labels count differs from rows; missing keys; CIFAR-100', () => {
    const ds = synthetic(3);
    // Write a batch whose 'labels' list has 2 entries for 3 rows.
    const bytes = encodeCifar10PythonBatch(ds);
    const s = String.fromCharCode(...bytes);
    const at = s.indexOf('labelsq\x08]q\x09(') + 'labelsq\x08]q\x09('.length; // K a K b K c e
    const fewer = new Uint8Array(bytes.length - 2);
    fewer.set(bytes.subarray(0, at));
    fewer.set(bytes.subarray(at + 2), at);
    expect(() => readCifar10PythonBatch(fewer, 'data_batch_4')).toThrow("data_batch_4: 2 labels for 3 images in 'data'");
    const meta = encodeCifar10PythonMeta(['a']);
    expect(() => readCifar10PythonBatch(meta, 'data_batch_5')).toThrow(
      "data_batch_5: not a CIFAR-10 batch: the dict has no b'data' and b'labels' key (keys: b'num_cases_per_batch', " +
      "b'label_names', b'num_vis')");
    expect(() => readCifar10PythonBatch(Uint8Array.from(s.replace('U\x06labels', 'U\x06labelz'), (c) => c.charCodeAt(0)), 'c'))
      .toThrow("c: not a CIFAR-10 batch: the dict has no b'labels' key (keys: b'data', b'labelz', b'batch_label', b'filenames')");
  });

  it('refuses other Python objects instead of running them', () => {
    const evil = Uint8Array.from('\x80\x02cos\nsystem\nU\x02lsq\x01\x85R.', (c) => c.charCodeAt(0));
    expect(() => readCifar10PythonBatch(evil, 'evil')).toThrow(
      'evil: unsupported Python object os.system in the pickle at byte 2 (only plain Python values and numpy arrays are read)');
    expect(() => unpickle(Uint8Array.from('\x80\x02]q\x00.', (c) => c.charCodeAt(0)), 'l')).not.toThrow();
    expect(() => readCifar10PythonBatch(Uint8Array.from('\x80\x02]q\x00.', (c) => c.charCodeAt(0)), 'l')).toThrow(
      "l: the pickle holds a list, expected the dict of a CIFAR-10 batch ('data', 'labels', …)");
  });

  it('protocol 0 (text) pickles are read too', () => {
    // What pickle.dumps({'labels': [1], 'data': …}, protocol=0) looks like for a 1×3072 uint8 array
    const data = synthetic(1).images!;
    let repr = "'";
    for (const b of data) repr += b === 39 ? "\\'" : b === 92 ? '\\\\' : b >= 32 && b < 127 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    repr += "'";
    const text = "(dp0\nS'labels'\np1\n(lp2\nI1\nasS'data'\np3\ncnumpy.core.multiarray\n_reconstruct\np4\n(cnumpy\nndarray\n" +
      "p5\n(I0\ntp6\nS'b'\np7\ntp8\nRp9\n(I1\n(I1\nI3072\ntp10\ncnumpy\ndtype\np11\n(S'u1'\np12\nI0\nI1\ntp13\nRp14\n" +
      `(I3\nS'|'\np15\nNNNI-1\nI-1\nI0\ntp16\nbI00\nS${repr}\np17\ntp18\nbs.`;
    const back = readCifar10PythonBatch(Uint8Array.from(text, (c) => c.charCodeAt(0)), 'p0');
    expect(back.images).toEqual(data);
    expect(Array.from(back.labels)).toEqual([1]);
  });
});

describe('python batches of more than 256 classes', () => {
  it('keep every label past a byte (16-bit), never its low byte', () => {
    const classNames = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const labels = Uint16Array.of(299, 0, 256);
    const ds = makeDataset({ name: 'wide', images: new Uint8Array(3 * 3072), labels, image: { height: 32, width: 32, channels: 3, layout: 'chw' }, classNames });
    const read = readCifar10PythonBatch(encodeCifar10PythonBatch(ds), 'wide', { classNames });
    expect(Array.from(read.labels)).toEqual([299, 0, 256]);
    expect(read.labels).toBeInstanceOf(Uint16Array);
  });
});
