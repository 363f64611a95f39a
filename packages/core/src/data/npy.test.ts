import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { encodeNpy, encodeNpyHeader } from '../testing/encoders.js';
import { npyIntegers, readNpy, readNpyHeader } from './npy.js';

const errorOf = (f: () => unknown): string => {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(DataError); return (e as Error).message; }
  return 'no error';
};

/** A .npy file with a hand-written header dict (padded as numpy pads it) and the given data bytes. */
function withHeader(dict: string, data = new Uint8Array(0), version: 1 | 2 | 3 = 1): Uint8Array {
  const preamble = version === 1 ? 10 : 12;
  const padded = dict + ' '.repeat((64 - ((preamble + dict.length + 1) % 64)) % 64) + '\n';
  const bytes = new TextEncoder().encode(padded);
  const out = new Uint8Array(preamble + bytes.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, bytes.length, true); else view.setUint32(8, bytes.length, true);
  out.set(bytes, preamble);
  out.set(data, preamble + bytes.length);
  return out;
}

describe('.npy files', () => {
  it('reads every dtype it supports, in C order, as typed views', () => {
    const x = Float32Array.from({ length: 6 }, (_, i) => i / 4);
    const a = readNpy(encodeNpy(x, [2, 3]), 'x.npy');
    expect(a.header).toMatchObject({ version: 1, dtype: 'float32', shape: [2, 3], count: 6, itemSize: 4 });
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(x));
    expect((a.header.dataOffset) % 64).toBe(0);
    for (const data of [Uint8Array.of(1, 255), Int8Array.of(-1, 7), Uint16Array.of(9, 65535), Int16Array.of(-3, 3),
      Uint32Array.of(1, 4e9), Int32Array.of(-5, 5), Float64Array.of(0.1, -2), BigInt64Array.of(-1n, 2n ** 40n)]) {
      const back = readNpy(encodeNpy(data), 'a.npy').data;
      expect(back.constructor).toBe(data.constructor);
      expect(Array.from(back as ArrayLike<unknown>)).toEqual(Array.from(data as ArrayLike<unknown>));
    }
    expect(readNpy(encodeNpy(Float64Array.of(1.5), [1], { version: 2 }), 'v2.npy').header.version).toBe(2);
    expect(readNpy(encodeNpy(new Float32Array(0), [0, 785]), 'empty.npy').header).toMatchObject({ shape: [0, 785], count: 0 });
  });

  it('labels of any integer dtype become int32 within a range; the first value outside is named', () => {
    expect(Array.from(npyIntegers(readNpy(encodeNpy(BigInt64Array.of(0n, 9n, 3n)), 'y.npy'), 'labels', 0, 9))).toEqual([0, 9, 3]);
    expect(errorOf(() => npyIntegers(readNpy(encodeNpy(Int32Array.of(0, 10)), 'y.npy'), 'labels', 0, 9))).toBe('y.npy: labels [1] is 10, outside [0, 9]');
    expect(errorOf(() => npyIntegers(readNpy(encodeNpy(Float32Array.of(1)), 'y.npy'), 'labels', 0, 9))).toBe('y.npy: labels must be integers, the array holds float32');
  });

  it('refuses what it cannot read with what to do, before allocating anything', () => {
    const good = encodeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]);
    const cases: [string, Uint8Array, string | RegExp][] = [
      ['empty', new Uint8Array(0), 'f.npy: empty file (expected a numpy .npy file)'],
      ['not npy', Uint8Array.of(1, 2, 3), /not a numpy \.npy file/],
      ['truncated data', good.subarray(0, good.length - 1), 'f.npy: truncated .npy file: shape (2, 2) of <f4 needs 16 bytes of data, the file has 15'],
      ['truncated header', good.subarray(0, 40), /truncated \.npy file: the header declares 118 bytes, the file ends at byte 40/],
      ['trailing bytes', Uint8Array.from([...good, 0]), 'f.npy: 1 bytes after the data that shape (2, 2) of <f4 declares'],
      ['big-endian', withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), "f.npy: dtype '>f4' is big-endian: save it little-endian (array.astype('<f4'))"],
      ['fortran', withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new Uint8Array(4)), /Fortran order: save it in C order \(np\.ascontiguousarray/],
      ['object dtype', withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype '\|O' is not read/],
      ['structured', withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /not a dtype string/],
      ['complex', withHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype '<c8' is not read/],
      ['huge shape', withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967295, 4294967295), }"), /declares more elements than can be held/],
      ['declared 4 GB', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }"), /needs 4000000000 bytes of data, the file has 0/],
      ['negative', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), /'shape' must be a tuple of sizes ≥ 0/],
      ['extra key', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", new Uint8Array(4)), /holds 'descr', 'fortran_order', 'shape', 'x'/],
      ['code', withHeader("__import__('os').system('x')"), /not a Python dict literal: an unexpected character at character 0/],
      ['proto key', withHeader("{'__proto__': 1, 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", new Uint8Array(4)), /holds '__proto__', 'descr'/],
      ['deep', withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(50)}${')'.repeat(50)}}`), /nested too deeply/],
      ['inherited name', withHeader("{'descr': '<constructor', 'fortran_order': False, 'shape': (500000000,), }"), /dtype '<constructor' is not read/],
      ['inherited proto', withHeader("{'descr': '|__proto__', 'fortran_order': False, 'shape': (5,), }"), /dtype '\|__proto__' is not read/],
      ['version 4', Uint8Array.from([...good.subarray(0, 6), 4, 0, ...good.subarray(8)]), /version 4\.0 is not one this reader knows/],
    ];
    for (const [what, bytes, message] of cases) {
      const got = errorOf(() => readNpy(bytes, 'f.npy'));
      if (typeof message === 'string') expect(got, what).toBe(message);
      else expect(got, what).toMatch(message);
    }
    // A header longer than 1 MiB is refused from its length field alone.
    const long = new Uint8Array(16);
    long.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(long.buffer).setUint32(8, 0xffffffff, true);
    expect(errorOf(() => readNpyHeader(long, 'f.npy'))).toMatch(/declares 4294967295 bytes, more than the 1048576 read/);
  });

  it('the header alone says the shape and where the data is (for streaming reads)', () => {
    const head = encodeNpyHeader('|u1', [1281167, 32, 32, 3]);
    const h = readNpyHeader(head, 'imagenet32.npy', head.length + 1281167 * 3072);
    expect(h).toMatchObject({ dtype: 'uint8', shape: [1281167, 32, 32, 3], count: 1281167 * 3072, dataOffset: head.length, dataBytes: 1281167 * 3072 });
  });

  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { timeout: 20_000 }).status === 0);
  it.skipIf(!python)(`reads what numpy itself writes (${python ?? 'no python3 with numpy: skipped'})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-npy-'));
    try {
      const script = `
import numpy as np, sys
d = sys.argv[1]
np.save(d + '/f4.npy', np.arange(12, dtype=np.float32).reshape(3, 4) / 8)
np.save(d + '/u1.npy', np.arange(2 * 2 * 2 * 3, dtype=np.uint8).reshape(2, 2, 2, 3))
np.save(d + '/i8.npy', np.array([3, 1, 4, 1, 5], dtype=np.int64))
np.save(d + '/f8.npy', np.array(2.5))
np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
np.save(d + '/big.npy', np.ones(3, dtype='>f4'))
with open(d + '/v3.npy', 'wb') as f:
    np.lib.format.write_array(f, np.array([1.0, 2.0], dtype=np.float32), version=(3, 0))
`;
      const r = spawnSync(python!, ['-c', script, dir], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const read = (name: string) => readNpy(new Uint8Array(readFileSync(join(dir, name))), name);
      expect(Array.from(read('f4.npy').data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i / 8));
      expect(read('f4.npy').header.shape).toEqual([3, 4]);
      expect(read('u1.npy').header).toMatchObject({ dtype: 'uint8', shape: [2, 2, 2, 3] });
      expect(Array.from(read('u1.npy').data as Uint8Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      expect(Array.from(npyIntegers(read('i8.npy'), 'labels', 0, 9))).toEqual([3, 1, 4, 1, 5]);
      expect(read('f8.npy').header).toMatchObject({ shape: [], count: 1 });
      expect(Array.from(read('f8.npy').data as Float64Array)).toEqual([2.5]);
      expect(read('v3.npy').header.version).toBe(3);
      expect(errorOf(() => read('fortran.npy'))).toMatch(/Fortran order/);
      expect(errorOf(() => read('big.npy'))).toMatch(/big-endian/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
