import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { encodeCifar10PythonMeta } from '../testing/encoders.js';
import { parseCifar10Meta } from './cifar10.js';
import { readCifar10PythonBatch, readCifar10PythonMeta } from './cifar10-python.js';
import { labelArray, MAX_CLASSES } from './dataset.js';
import { MAX_CLASSES as MAX_CLASSES_FROM_INDEX } from './index.js';
import { PyDict, unpickle } from './pickle.js';

/** A little pickle writer: each part is bytes, a latin-1 string of opcodes, or a byte value. */
function pk(...parts: (string | number | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'number' ? Uint8Array.of(p)
    : typeof p === 'string' ? Uint8Array.from(p, (c) => c.charCodeAt(0)) : p));
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}
const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const str = (s: string) => pk('X', u32(s.length), s); // BINUNICODE
const FROMBUFFER = 'cnumpy._core.numeric\n_frombuffer\n';
const DTYPE_U1 = pk('cnumpy\ndtype\n', str('u1'), '\x89\x88\x87R'); // dtype('u1', False, True)

/** {'data': _frombuffer(<6 bytes>, <dtype>, <shape>, <order>), 'labels': [1, 2]} with parts replaceable. */
function frombufferBatch(o: { dtype?: Uint8Array | string; shape?: Uint8Array | string; order?: Uint8Array | string; args?: Uint8Array | string } = {}) {
  const args = o.args ?? pk('(C\x06', '\x00\x01\x02\x03\x04\x05', o.dtype ?? DTYPE_U1, o.shape ?? 'K\x02K\x03\x86', o.order ?? str('C'), 't');
  return pk('\x80\x02}(', str('data'), FROMBUFFER, args, 'R', str('labels'), '](K\x01K\x02e', 'u.');
}

describe('numpy _frombuffer reconstruction', () => {
  it('a well-formed call reads (the control)', () => {
    const good = frombufferBatch({ shape: 'K\x02M\x00\x0c\x86', args: pk('(B', u32(2 * 3072), new Uint8Array(2 * 3072), DTYPE_U1, 'K\x02M\x00\x0c\x86', str('C'), 't') });
    const ds = readCifar10PythonBatch(good, 'good');
    expect([ds.n, [...ds.labels]]).toEqual([2, [1, 2]]);
  });

  it('dtype None, a tuple, or any other malformed call is a DataError with a message', () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['dtype None', frombufferBatch({ dtype: 'N' }), /bad: corrupt pickle: numpy _frombuffer at byte \d+ has a None for its dtype/],
      ['dtype a tuple', frombufferBatch({ dtype: 'K\x01K\x02\x86' }), /has a tuple for its dtype/],
      ['dtype a str', frombufferBatch({ dtype: str('u1') }), /has a str for its dtype/],
      ['shape None', frombufferBatch({ shape: 'N' }), /has a None for its shape, expected a tuple/],
      ['shape negative', frombufferBatch({ shape: 'J\xff\xff\xff\xffK\x03\x86' }), /shape at byte \d+ is not a tuple of sizes/],
      ['order None', frombufferBatch({ order: 'N' }), /has order None, expected 'C' or 'F'/],
      ['two arguments', frombufferBatch({ args: pk('(C\x01\x00N', 't') }), /called with 2 arguments, expected 4/],
      ['buffer None', frombufferBatch({ args: pk('(N', DTYPE_U1, 'K\x01\x85', str('C'), 't') }), /has a None for its buffer/],
      ['ndarray called', pk('\x80\x02cnumpy\nndarray\n)R.'), /numpy\.ndarray called directly/],
      ['codecs with None', pk('\x80\x02c_codecs\nencode\n', str('a'), 'N\x86R.'), /unsupported _codecs\.encode\(str, None\)/],
      ['bad \\U escape', pk('\x80\x02V\\UFFFFFFFF\n.'), /is not a Unicode code point/],
    ];
    for (const [what, bytes, message] of cases) {
      let error: unknown;
      try { readCifar10PythonBatch(bytes, 'bad'); } catch (e) { error = e; }
      expect(error, what).toBeInstanceOf(DataError);
      expect((error as Error).message, what).toMatch(/^bad: /);
      expect((error as Error).message, what).toMatch(message);
    }
  });
});

describe('pickle dicts', () => {
  it('lookups and the missing-key message cost time linear in the file (one memoised 16 KiB key, 1000 entries)', () => {
    const key = new Uint8Array(16384).fill(0x6b);
    const entries: Uint8Array[] = [pk('B', u32(key.length), key, 'q\x01K\x00')];
    for (let i = 1; i < 1000; i++) entries.push(pk('h\x01K\x00')); // BINGET 1, the same key object
    const bytes = pk('\x80\x02}(', ...entries, 'u.');
    expect(bytes.length).toBeLessThan(21_000);
    const t0 = performance.now();
    let message = '';
    try { readCifar10PythonBatch(bytes, 'keys.pkl'); } catch (e) { expect(e).toBeInstanceOf(DataError); message = (e as Error).message; }
    expect(performance.now() - t0).toBeLessThan(500); // before: 7 s
    expect(message).toMatch(/^keys\.pkl: not a CIFAR-10 batch: the dict has no b'data' and b'labels' key \(keys: b'k{40}…', /);
    expect(message).toMatch(/… and 992 more\)$/);
    expect(message.length).toBeLessThan(1000); // before: 16 MB
  });

  it('a key is found whether written as bytes or str; the first of equal keys wins', () => {
    const d = new PyDict();
    d.set(Uint8Array.from([0x61]), 1);
    d.set('a', 2);
    d.set('b', 3);
    expect([d.get('a'), d.get('b'), d.has('c')]).toEqual([1, 3, false]);
    expect(d.keyList()).toBe("b'a', 'a', 'b'");
    const v = unpickle(pk('\x80\x02}(', str('x'), 'K\x07', 'u.'), 's');
    expect((v as PyDict).get('x')).toBe(7);
  });
});

describe('class lists are bounded (MAX_CLASSES)', () => {
  it('is 4096, exported from the data index; labels pass bytes as 16-bit', () => {
    expect(MAX_CLASSES).toBe(4096);
    expect(MAX_CLASSES_FROM_INDEX).toBe(MAX_CLASSES);
    expect(labelArray([0, 255])).toBeInstanceOf(Uint8Array);
    expect(labelArray([0, 256, 999])).toEqual(Uint16Array.of(0, 256, 999));
  });

  it('batches.meta.txt / classes.txt: 4096 names read, 4097 refused, 10⁵ refused quickly', () => {
    const names = (k: number) => Array.from({ length: k }, (_, i) => `class${i}`).join('\n');
    expect(parseCifar10Meta(names(4096) + '\n\n', 'classes.txt')).toHaveLength(4096);
    expect(() => parseCifar10Meta(names(4097), 'classes.txt')).toThrow(
      'classes.txt: more than 4096 class names (the most a data set may have: MAX_CLASSES)');
    const t0 = performance.now();
    expect(() => parseCifar10Meta(names(100_000), 'batches.meta.txt')).toThrow(DataError);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(parseCifar10Meta(' a \r\n\r\n b\r\n', 'm')).toEqual(['a', 'b']);
  });

  it('the pickled batches.meta: 4096 names read, more refused before they are decoded', () => {
    expect(readCifar10PythonMeta(encodeCifar10PythonMeta(Array.from({ length: 4096 }, (_, i) => `c${i}`)), 'm')).toHaveLength(4096);
    const many = encodeCifar10PythonMeta(Array.from({ length: 100_000 }, (_, i) => `c${i}`));
    const t0 = performance.now();
    expect(() => readCifar10PythonMeta(many, 'batches.meta')).toThrow(
      "batches.meta: 'label_names' has 100000 names, more than 4096 (the most a data set may have: MAX_CLASSES)");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('messages say what was found, in words that print', () => {
  const errorOf = (bytes: Uint8Array) => {
    try { readCifar10PythonBatch(bytes, 'bad'); } catch (e) { return (e as Error).message; }
    return 'no error';
  };
  const batchWithLabels = (labels: Uint8Array) =>
    pk('\x80\x02}(', str('data'), FROMBUFFER, pk('(B', u32(2 * 3072), new Uint8Array(2 * 3072), DTYPE_U1, 'K\x02M\x00\x0c\x86', str('C'), 't'), 'R',
      str('labels'), labels, 'u.');

  it('an opcode is named with its byte, never as a raw unprintable character', () => {
    const message = errorOf(pk('\x80\x02cnumpy\ndtype\n)\x81.'));
    expect(message).toMatch(/^bad: unsupported Python object: opcode NEWOBJ \(0x81\) at byte 16 creates a class instance/);
    expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(errorOf(pk('\x80\x02\xff.'))).toBe('bad: corrupt pickle: unknown opcode 0xff at byte 2');
  });

  it('a labels array of the wrong shape says its shape, and one whose data is short says so', () => {
    const twoD = pk(FROMBUFFER, '(C\x02\x01\x02', DTYPE_U1, 'K\x01K\x02\x86', str('C'), 'tR');
    expect(errorOf(batchWithLabels(twoD))).toBe('bad: labels array has shape (1, 2), expected one dimension');
    const short = pk(FROMBUFFER, '(C\x02\x01\x02', DTYPE_U1, 'K\x03\x85', str('C'), 'tR');
    expect(errorOf(batchWithLabels(short))).toMatch(/^bad: .*3.*2/);
    expect(errorOf(batchWithLabels(short))).not.toMatch(/expected one dimension/);
  });
});
