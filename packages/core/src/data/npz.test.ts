import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { encodeNpy } from '../testing/encoders.js';
import { isZip, readZip } from './npz.js';
import { recognizeDataset } from './recognize.js';

const images = (n: number, o: number) => Uint8Array.from({ length: n * 16 }, (_, i) => (i * 3 + o) % 256);
const arrays = {
  'x_train.npy': encodeNpy(images(20, 0), [20, 4, 4]), 'y_train.npy': encodeNpy(Int32Array.from({ length: 20 }, (_, i) => i % 2)),
  'x_test.npy': encodeNpy(images(6, 1), [6, 4, 4]), 'y_test.npy': encodeNpy(Int32Array.from({ length: 6 }, (_, i) => (i + 1) % 2)),
};

describe('.npz archives', () => {
  it.each([0, 6])('stored or deflated (level %i): the members are the arrays, recognized like a numpy folder', (level) => {
    const npz = zipSync({ ...arrays, 'classes.txt': new TextEncoder().encode('even\nodd\n') }, { level: level as 0 | 6 });
    expect(isZip(npz)).toBe(true);
    const r = recognizeDataset([{ name: 'digits.npz', bytes: npz }], { seed: 1, name: 'digits' });
    expect(r.format).toBe('npy');
    expect([r.train.n, r.test.n]).toEqual([20, 6]);
    expect(r.train.classNames).toEqual(['even', 'odd']);
    expect(r.train.images).toEqual(images(20, 0));
    expect(Array.from(r.test.labels)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(r.files.map((f) => f.archive)).toContain('digits.npz');
  });

  it('inflates only the members asked for, and checks declared sizes first', () => {
    const npz = zipSync({ ...arrays, 'notes/big.bin': new Uint8Array(50_000) }, { level: 6 });
    expect(readZip(npz, 'a.npz', (p) => p.endsWith('.npy')).map((m) => m.path).sort()).toEqual(Object.keys(arrays).sort());
    expect(() => readZip(npz, 'a.npz', (p) => p === 'notes/big.bin', 10_000))
      .toThrow(/notes\/big\.bin in a\.npz declares 50000 bytes, more than the 10000 read from an archive/);
    expect(() => readZip(npz, 'a.npz', (p) => p.endsWith('.npy'), 600))
      .toThrow(/in a\.npz declares \d+ bytes \(\d+ with the members before it\), more than the 600/);
  });

  it('refuses a damaged archive, or one without arrays, with a DataError naming it', () => {
    const npz = zipSync(arrays, { level: 6 });
    expect(() => recognizeDataset([{ name: 'cut.npz', bytes: npz.subarray(0, npz.length - 30) }], { seed: 1 })).toThrow(DataError);
    expect(() => recognizeDataset([{ name: 'cut.npz', bytes: npz.subarray(0, npz.length - 30) }], { seed: 1 })).toThrow(/cut\.npz: not a readable zip archive/);
    const other = zipSync({ 'readme.txt': new Uint8Array(3) });
    expect(() => recognizeDataset([{ name: 'other.npz', bytes: other }], { seed: 1 })).toThrow(/other\.npz is a zip archive without \.npy arrays/);
    // A stored member that declares more than it stores (sizes edited in both headers).
    const stored = zipSync({ 'x_train.npy': arrays['x_train.npy'] }, { level: 0 });
    const bad = Uint8Array.from(stored);
    const central = bad.findIndex((_, i) => bad[i] === 0x50 && bad[i + 1] === 0x4b && bad[i + 2] === 1 && bad[i + 3] === 2);
    new DataView(bad.buffer).setUint32(central + 24, arrays['x_train.npy'].length + 100, true);
    expect(() => readZip(bad, 'bad.npz', () => true)).toThrow(/x_train\.npy in bad\.npz is stored but declares \d+ bytes for \d+ stored/);
  });
});
