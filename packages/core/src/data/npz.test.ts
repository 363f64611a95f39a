import { zipSync } from 'fflate';
import { encodeNpz } from '../testing/encoders.js';
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

  it('checks each member against the directory: CRC-32, overlap, its declared size, the member count', () => {
    const at = (b: Uint8Array, sig: number, from = 0) => {
      for (let p = from; p + 4 <= b.length; p++) if (new DataView(b.buffer, b.byteOffset).getUint32(p, true) === sig) return p;
      throw new Error('signature not found');
    };
    const stored = encodeNpz({ 'x_train.npy': arrays['x_train.npy'], 'y_train.npy': arrays['y_train.npy'] });
    const flipped = Uint8Array.from(stored);
    flipped[200] = flipped[200]! ^ 1; // inside x_train.npy's stored data
    expect(() => readZip(flipped, 'f.npz', () => true)).toThrow(/x_train\.npy in f\.npz: CRC-32 mismatch/);
    // The second directory entry pointed at the first member's local header: the same data listed twice.
    const twice = Uint8Array.from(stored);
    const second = at(twice, 0x02014b50, at(twice, 0x02014b50) + 46);
    new DataView(twice.buffer).setUint32(second + 42, 0, true);
    expect(() => readZip(twice, 't.npz', () => true)).toThrow(/overlaps .*: a corrupt or crafted archive/);
    // A deflated member declaring less than it inflates to is stopped there.
    const deflated = Uint8Array.from(encodeNpz({ 'x_train.npy': arrays['x_train.npy'] }, { compressed: true }));
    const dir = at(deflated, 0x02014b50);
    const view = new DataView(deflated.buffer);
    view.setUint32(dir + 24, view.getUint32(dir + 24, true) - 10, true);
    expect(() => readZip(deflated, 'd.npz', () => true)).toThrow(/x_train\.npy in d\.npz inflates to more than the \d+ bytes it declares/);
    const many = Uint8Array.from(stored);
    new DataView(many.buffer).setUint16(at(many, 0x06054b50) + 10, 2000, true);
    expect(() => readZip(many, 'm.npz', () => true)).toThrow(/m\.npz: the archive lists 2000 members, more than the 1024 read/);
  });
});
