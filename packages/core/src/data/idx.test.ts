import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { DataError, ShapeError } from '../errors.js';
import { crc32, gunzipChecked, isGzip } from './gzip.js';
import { idxDataset, readIdx, readIdxDataset, readIdxImages, readIdxLabels } from './idx.js';
import { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES } from './dataset.js';
import { encodeIdx, encodeIdxDataset } from '../testing/encoders.js';

const pixels = (n: number, f: number) => Uint8Array.from({ length: n * f }, (_, i) => (i * 37 + 11) % 256);

function raw(bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

describe('encodeIdx / readIdx round trip', () => {
  it('writes the documented header, big-endian', () => {
    const b = encodeIdx(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 1, 3]);
    expect(Array.from(b)).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const l = encodeIdx(Uint8Array.from([7, 9]), [2]);
    expect(Array.from(l)).toEqual([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
  });

  it('reads images and labels, plain and gzipped', () => {
    const px = pixels(5, 4 * 3);
    const lb = Uint8Array.from([0, 9, 3, 3, 1]);
    for (const gzip of [false, true]) {
      const ib = encodeIdx(px, [5, 4, 3], { gzip });
      const lbb = encodeIdx(lb, [5], { gzip });
      expect(isGzip(ib)).toBe(gzip);
      const im = readIdxImages(ib, 'img');
      expect(im).toMatchObject({ source: 'img', count: 5, rows: 4, cols: 3 });
      expect(im.pixels).toEqual(px);
      const la = readIdxLabels(lbb, 'lab');
      expect(la.count).toBe(5);
      expect(la.labels).toEqual(lb);
      const ds = idxDataset(im, la, { name: 'tiny/train' });
      expect(ds).toMatchObject({ name: 'tiny/train', n: 5, features: 12,
        image: { height: 4, width: 3, channels: 1, layout: 'hwc' } });
      expect(ds.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    }
  });

  it('does not alias the caller\'s bytes when not gzipped', () => {
    const b = encodeIdx(Uint8Array.from([1, 2]), [2]);
    const l = readIdxLabels(b, 'x');
    b[8] = 99;
    expect(l.labels[0]).toBe(1);
  });

  it('gzipped output is deterministic (mtime 0) and encodeIdxDataset round-trips', () => {
    const px = pixels(3, 4);
    const a = encodeIdx(px, [3, 2, 2], { gzip: 9 });
    const b = encodeIdx(px, [3, 2, 2], { gzip: 9 });
    expect(a).toEqual(b);
    expect(Array.from(a.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    const ds = readIdxDataset(a, 'i', encodeIdx(Uint8Array.from([1, 2, 0]), [3]), 'l',
      { name: 'd', classNames: MNIST_CLASS_NAMES });
    const enc = encodeIdxDataset(ds);
    expect(readIdxImages(enc.images, 'i2').pixels).toEqual(px);
    expect(readIdxLabels(enc.labels, 'l2').labels).toEqual(Uint8Array.from([1, 2, 0]));
  });

  it('handles zero images', () => {
    const im = readIdxImages(encodeIdx(new Uint8Array(0), [0, 28, 28]), 'empty');
    expect(im.count).toBe(0);
    expect(im.pixels.length).toBe(0);
  });

  it('rejects bad encodeIdx arguments', () => {
    expect(() => encodeIdx(new Uint8Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => encodeIdx(new Uint8Array(0), [])).toThrow(ShapeError);
    expect(() => encodeIdx(new Uint8Array(1), [1], { gzip: 11 })).toThrow(ShapeError);
  });
});

describe('IDX validation', () => {
  const good = encodeIdx(pixels(4, 9), [4, 3, 3]);
  const goodLabels = encodeIdx(Uint8Array.from([1, 2, 3, 4]), [4]);

  it('bad magic names the file and the expected magic', () => {
    const bad = Uint8Array.from(good);
    bad[0] = 0x12;
    expect(() => readIdxImages(bad, 'train-images-idx3-ubyte')).toThrow(DataError);
    expect(() => readIdxImages(bad, 'train-images-idx3-ubyte'))
      .toThrow(/^train-images-idx3-ubyte: bad magic number 0x12000803 \(expected 0x00000803: images/);
    expect(() => readIdxImages(raw([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), 'f.zip')).toThrow(/f\.zip: bad magic number 0x504b0304/);
  });

  it('a labels file passed as images (and vice versa) says so', () => {
    expect(() => readIdxImages(goodLabels, 'labels.idx'))
      .toThrow(/labels\.idx: wrong number of dimensions: magic 0x00000801 is a labels file with 1 dimension \(expected 0x00000803/);
    expect(() => readIdxLabels(good, 'images.idx'))
      .toThrow(/images\.idx: wrong number of dimensions: magic 0x00000803 is an images file with 3 dimensions \(expected 0x00000801/);
  });

  it('wrong dtype', () => {
    const f = Uint8Array.from(good);
    f[2] = 0x0d;
    expect(() => readIdxImages(f, 'floats.idx'))
      .toThrow(/floats\.idx: wrong data type: IDX elements are float32 \(magic 0x00000d03\)/);
    f[2] = 0x42;
    expect(() => readIdxImages(f, 'weird.idx')).toThrow(/weird\.idx: bad magic number 0x00004203: unknown IDX element type 0x42/);
  });

  it('too short for magic or header', () => {
    expect(() => readIdxLabels(raw([0, 0]), 'tiny')).toThrow(/tiny: not an IDX file: 2 bytes, too short/);
    expect(() => readIdxImages(raw([0, 0, 8, 3, 0, 0, 0, 1]), 'hdr'))
      .toThrow(/hdr: truncated: expected at least 16 header bytes for 3 dimensions, got 8/);
  });

  it('truncated, not gzipped: expected X bytes, got Y', () => {
    const t = good.subarray(0, good.length - 5);
    expect(() => readIdxImages(t, 'train-images-idx3-ubyte'))
      .toThrow('train-images-idx3-ubyte: truncated: expected 52 bytes (16-byte header + 4×3×3 data), got 47');
  });

  it('truncated, gzipped: the decompressed data is too short', () => {
    // A complete gzip stream of a truncated IDX file.
    const t = gzipSync(good.subarray(0, 30), { mtime: 0 });
    expect(() => readIdxImages(t, 'x.gz'))
      .toThrow('x.gz: truncated: after decompression, expected 52 bytes (16-byte header + 4×3×3 data), got 30');
  });

  it('truncated gzip file (cut mid-stream) is a corrupt-gzip DataError', () => {
    const big = encodeIdx(pixels(200, 28 * 28), [200, 28, 28], { gzip: true });
    for (const cut of [big.length - 1, big.length - 8, Math.floor(big.length / 2), 20, 12]) {
      const t = big.subarray(0, cut);
      expect(() => readIdxImages(t, 'train-images-idx3-ubyte.gz'), `cut at ${cut}`)
        .toThrow(/^train-images-idx3-ubyte\.gz: corrupt gzip data: .*truncated/);
    }
  });

  it('corrupt gzip: a flipped byte is caught by the CRC or by inflate', () => {
    const gz = encodeIdx(pixels(50, 28 * 28), [50, 28, 28], { gzip: true });
    for (const at of [30, Math.floor(gz.length / 2), gz.length - 6]) {
      const bad = Uint8Array.from(gz);
      bad[at] = bad[at]! ^ 0x55;
      expect(() => readIdxImages(bad, 'c.gz'), `flip at ${at}`).toThrow(/^c\.gz: corrupt gzip data/);
    }
    const badMethod = Uint8Array.from(gz);
    badMethod[2] = 7;
    expect(() => readIdxImages(badMethod, 'm.gz')).toThrow(/m\.gz: corrupt gzip data: unknown compression method 7/);
  });

  it('gzip header with a file name and extra field is read', () => {
    const inner = encodeIdx(Uint8Array.from([4, 5]), [2]);
    const gz = gzipSync(inner, { mtime: 0, filename: 'labels.idx' });
    expect(readIdxLabels(gz, 'named.gz').labels).toEqual(Uint8Array.from([4, 5]));
  });

  it('trailing bytes', () => {
    const t = new Uint8Array(goodLabels.length + 3);
    t.set(goodLabels);
    expect(() => readIdxLabels(t, 'lab')).toThrow(
      'lab: 3 trailing bytes: the header describes 12 bytes (8-byte header + 4 data), got 15');
    expect(() => readIdxLabels(gzipSync(t, { mtime: 0 }), 'lab.gz')).toThrow(/lab\.gz: corrupt gzip data: it decompresses to more than the 12 bytes its IDX header describes .*trailing bytes/);
  });

  it('mismatched counts name both files', () => {
    const im = readIdxImages(good, 'train-images-idx3-ubyte');
    const la = readIdxLabels(encodeIdx(Uint8Array.from([1, 2, 3]), [3]), 'train-labels-idx1-ubyte');
    expect(() => idxDataset(im, la, { name: 'fashion-mnist/train' })).toThrow(DataError);
    expect(() => idxDataset(im, la, { name: 'fashion-mnist/train' })).toThrow(
      'fashion-mnist/train: images file train-images-idx3-ubyte has 4 images but labels file ' +
      'train-labels-idx1-ubyte has 3 labels');
  });

  it('labels out of range name the index', () => {
    const im = readIdxImages(good, 'imgs');
    const la = readIdxLabels(encodeIdx(Uint8Array.from([1, 2, 10, 4]), [4]), 'labs');
    expect(() => idxDataset(im, la, { name: 'ds' })).toThrow(
      'ds: labels file labs: label 10 at index 2 is out of range for 10 classes (0..9)');
    expect(() => idxDataset(im, readIdxLabels(goodLabels, 'l'), { name: 'ds', classNames: ['a', 'b', 'c'] }))
      .toThrow(/label 3 at index 2 is out of range for 3 classes \(0\.\.2\)/);
  });
});

describe('gzip helpers', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it('gunzipChecked rejects non-gzip and tiny input', () => {
    expect(() => gunzipChecked(raw([1, 2, 3]), 's')).toThrow(/s: corrupt gzip data: missing the gzip magic/);
    expect(() => gunzipChecked(raw([0x1f, 0x8b, 8, 0]), 's')).toThrow(/s: corrupt gzip data: truncated: 4 bytes/);
  });
  it('reads concatenated gzip members, as gzip does', () => {
    const a = gzipSync(Uint8Array.from([1, 2, 3]), { mtime: 0 });
    const b = gzipSync(Uint8Array.from([4, 5, 6, 7]), { mtime: 0 });
    const two = new Uint8Array(a.length + b.length);
    two.set(a);
    two.set(b, a.length);
    expect(gunzipChecked(two, 'multi.gz')).toEqual(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]));
  });
});
