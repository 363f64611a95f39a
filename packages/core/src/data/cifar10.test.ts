import { describe, expect, it } from 'vitest';
import { DataError, ShapeError } from '../errors.js';
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES, concatDatasets, parseCifar10Meta, readCifar10Batch } from './cifar10.js';
import { makeDataset, type ImageDataset } from './dataset.js';
import { encodeCifar10Batch } from '../testing/encoders.js';

/** n synthetic 32×32×3 'chw' images: pixel value depends on (image, channel, position). */
function synthetic(n: number, labelOf = (i: number) => i % 10, name = 'syn'): ImageDataset {
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) images[i * 3072 + c * 1024 + p] = (i * 31 + c * 85 + p) % 256;
    }
  }
  return makeDataset({ name, images, labels: Uint8Array.from({ length: n }, (_, i) => labelOf(i)),
    image: { height: 32, width: 32, channels: 3, layout: 'chw' }, classNames: CIFAR10_CLASS_NAMES });
}

describe('CIFAR-10 binary batches', () => {
  it('record layout: label byte then R, G, B planes', () => {
    const ds = synthetic(2, (i) => 7 - i);
    const bytes = encodeCifar10Batch(ds);
    expect(bytes.length).toBe(2 * CIFAR10_RECORD_BYTES);
    expect(bytes[0]).toBe(7);
    expect(bytes[3073]).toBe(6);
    expect(bytes[1]).toBe(0); // image 0, red, pixel 0
    expect(bytes[1 + 1024]).toBe(85); // green plane starts after 1024 red bytes
    expect(bytes[1 + 2048 + 5]).toBe((170 + 5) % 256);
  });

  it('round-trips and names the data set', () => {
    const ds = synthetic(30);
    const back = readCifar10Batch(encodeCifar10Batch(ds), 'data_batch_1.bin');
    expect(back).toMatchObject({ name: 'data_batch_1.bin', n: 30, features: 3072,
      image: { height: 32, width: 32, channels: 3, layout: 'chw' } });
    expect(back.images).toEqual(ds.images);
    expect(back.labels).toEqual(ds.labels);
    expect(back.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(readCifar10Batch(encodeCifar10Batch(ds), 'x', { name: 'cifar-10/test' }).name).toBe('cifar-10/test');
  });

  it('truncated file: says at which record', () => {
    const bytes = encodeCifar10Batch(synthetic(3));
    const t = bytes.subarray(0, 2 * 3073 + 100);
    expect(() => readCifar10Batch(t, 'data_batch_2.bin')).toThrow(DataError);
    expect(() => readCifar10Batch(t, 'data_batch_2.bin')).toThrow(
      'data_batch_2.bin: truncated at record 2: 6246 bytes is 2 complete 3073-byte records plus 100 bytes');
    expect(() => readCifar10Batch(bytes.subarray(0, 10), 'b')).toThrow(/b: truncated at record 0/);
  });

  it('empty file, CIFAR-100 and gzip hints', () => {
    expect(() => readCifar10Batch(new Uint8Array(0), 'e.bin')).toThrow(/e\.bin: empty file/);
    expect(() => readCifar10Batch(new Uint8Array(3074 * 2), 'train.bin')).toThrow(/CIFAR-100/);
    const gz = new Uint8Array(500);
    gz[0] = 0x1f; gz[1] = 0x8b;
    expect(() => readCifar10Batch(gz, 'a.tar.gz')).toThrow(/gzip-compressed: extract/);
  });

  it('label out of range names the record', () => {
    const bytes = encodeCifar10Batch(synthetic(3));
    bytes[2 * 3073] = 10;
    expect(() => readCifar10Batch(bytes, 'test_batch.bin')).toThrow(
      'test_batch.bin: label 10 in record 2 (byte offset 6146) is out of range for 10 classes (0..9)');
  });

  it('batches.meta.txt', () => {
    expect(parseCifar10Meta('airplane\nautomobile\r\n bird \n\n\n')).toEqual(['airplane', 'automobile', 'bird']);
    expect(() => parseCifar10Meta('\n\n', 'meta')).toThrow(/meta: no class names/);
  });

  it('encodeCifar10Batch rejects other shapes', () => {
    const mono = makeDataset({ name: 'm', images: new Uint8Array(4), labels: Uint8Array.from([0]),
      image: { height: 2, width: 2, channels: 1, layout: 'hwc' }, classNames: ['a'] });
    expect(() => encodeCifar10Batch(mono)).toThrow(ShapeError);
  });
});

describe('concatDatasets', () => {
  it('joins rows in order', () => {
    const a = synthetic(2, () => 1, 'a'), b = synthetic(3, () => 2, 'b');
    const c = concatDatasets([a, b]);
    expect(c.name).toBe('a+b');
    expect(c.n).toBe(5);
    expect(Array.from(c.labels)).toEqual([1, 1, 2, 2, 2]);
    expect(c.images.subarray(0, 2 * 3072)).toEqual(a.images);
    expect(c.images.subarray(2 * 3072)).toEqual(b.images);
    expect(concatDatasets([a, b], 'all').name).toBe('all');
  });

  it('rejects mismatched shapes and class names, and an empty list', () => {
    const a = synthetic(1);
    const mono = makeDataset({ name: 'mono', images: new Uint8Array(4), labels: Uint8Array.from([0]),
      image: { height: 2, width: 2, channels: 1, layout: 'hwc' }, classNames: CIFAR10_CLASS_NAMES });
    expect(() => concatDatasets([a, mono])).toThrow(/mono has 2×2×1 'hwc' images but syn has 32×32×3 'chw'/);
    const renamed = makeDataset({ ...a, classNames: [...CIFAR10_CLASS_NAMES.slice(0, 9), 'lorry'] });
    expect(() => concatDatasets([a, renamed])).toThrow(DataError);
    expect(() => concatDatasets([])).toThrow(ShapeError);
  });
});
