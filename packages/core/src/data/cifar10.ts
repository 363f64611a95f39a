/**
 * CIFAR-10 binary batches ("CIFAR-10 binary version" from the Toronto site): data_batch_1.bin
 * … data_batch_5.bin and test_batch.bin, each 10000 records of 1 label byte + 3072 pixel
 * bytes (R plane, G plane, B plane; each 32×32 row-major). batches.meta.txt lists the class
 * names one per line.
 */
import { DataError, ShapeError } from '../errors.js';
import { MAX_CLASSES, checkDataset, imageDataset, makeDataset, type Dataset, type ImageDataset, type ImageShape } from './dataset.js';

export const CIFAR10_CLASS_NAMES: readonly string[] = Object.freeze([
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
]);

export const CIFAR10_IMAGE: ImageShape = Object.freeze({ height: 32, width: 32, channels: 3, layout: 'chw' });
/** Pixel bytes per image (3·32·32). */
export const CIFAR10_FEATURES = 3072;
/** Bytes per record: 1 label byte + 3072 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;

/**
 * Parses one CIFAR-10 binary batch. The length must be a whole number of 3073-byte records
 * and every label must name one of `classNames` (default: the ten CIFAR-10 classes).
 */
export function readCifar10Batch(bytes: Uint8Array, source: string,
  options: { classNames?: readonly string[]; name?: string } = {}): ImageDataset {
  const classNames = options.classNames ?? CIFAR10_CLASS_NAMES;
  const R = CIFAR10_RECORD_BYTES;
  if (bytes.length === 0) throw new DataError(`${source}: empty file (a CIFAR-10 batch holds 3073-byte records)`);
  if (bytes.length % R !== 0) {
    const k = Math.floor(bytes.length / R);
    let hint = '';
    if (bytes.length % 3074 === 0) hint = ' (a whole number of 3074-byte records: CIFAR-100 binary, which has 2 label bytes, is not supported)';
    else if (bytes[0] === 0x1f && bytes[1] === 0x8b) hint = ' (it is gzip-compressed: extract the cifar-10-binary.tar.gz archive first)';
    throw new DataError(`${source}: truncated at record ${k}: ${bytes.length} bytes is ${k} complete ` +
      `3073-byte records plus ${bytes.length - k * R} bytes${hint}`);
  }
  const n = bytes.length / R;
  const images = new Uint8Array(n * CIFAR10_FEATURES);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * R;
    const label = bytes[o]!;
    if (label >= classNames.length) {
      throw new DataError(`${source}: label ${label} in record ${i} (byte offset ${o}) is out of ` +
        `range for ${classNames.length} classes (0..${classNames.length - 1})`);
    }
    labels[i] = label;
    images.set(bytes.subarray(o + 1, o + R), i * CIFAR10_FEATURES);
  }
  return makeDataset({ name: options.name ?? source, images, labels, image: CIFAR10_IMAGE, classNames });
}

/**
 * Class names from batches.meta.txt (or classes.txt): one per line, blank lines and surrounding
 * spaces dropped. More than MAX_CLASSES names is a DataError, found by counting lines before
 * any list is built.
 */
export function parseCifar10Meta(text: string, source = 'batches.meta.txt'): string[] {
  const names: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Blank lines are skipped without slicing; a name is kept only while under the limit.
    let a = start, b = end;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a) {
      if (names.length === MAX_CLASSES) {
        throw new DataError(`${source}: more than ${MAX_CLASSES} class names (the most a data set may have: ` +
          `MAX_CLASSES)`);
      }
      names.push(text.slice(a, b));
    }
    start = end + 1;
  }
  if (names.length === 0) throw new DataError(`${source}: no class names (expected one per line)`);
  return names;
}

/**
 * Joins data sets row-wise (e.g. the five CIFAR-10 training batches). They must agree on
 * image shape and class names. The name defaults to the parts' names joined with '+'.
 */
export function concatDatasets(given: readonly Dataset[], name?: string): ImageDataset {
  const parts = given.map((p) => imageDataset(p, 'concatDatasets'));
  const first = parts[0];
  if (!first) throw new ShapeError('no data sets to join');
  for (const p of parts) {
    const a = first.image, b = p.image;
    if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels || a.layout !== b.layout) {
      throw new ShapeError(`${p.name} has ${b.height}×${b.width}×${b.channels} '${b.layout}' ` +
        `images but ${first.name} has ${a.height}×${a.width}×${a.channels} '${a.layout}'`);
    }
    if (p.classNames.length !== first.classNames.length ||
      p.classNames.some((c, i) => c !== first.classNames[i])) {
      throw new DataError(`${p.name} has classes [${p.classNames.join(', ')}] but ` +
        `${first.name} has [${first.classNames.join(', ')}]`);
    }
  }
  const n = parts.reduce((s, p) => s + p.n, 0);
  const images = new Uint8Array(n * first.features);
  const labels = parts.some((p) => p.labels instanceof Uint16Array) ? new Uint16Array(n) : new Uint8Array(n);
  let row = 0;
  for (const p of parts) {
    checkDataset(p);
    images.set(p.images, row * first.features);
    labels.set(p.labels, row);
    row += p.n;
  }
  return makeDataset({ name: name ?? parts.map((p) => p.name).join('+'), images, labels,
    image: first.image, classNames: first.classNames });
}
