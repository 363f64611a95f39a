/**
 * IDX files (the MNIST / Fashion-MNIST format), gzipped or not.
 *
 * Layout: a 4-byte magic number 00 00 TT DD (TT = element type, DD = number of dimensions),
 * DD big-endian uint32 sizes, then the elements in row-major order. Images are 0x00000803
 * (unsigned bytes, n × rows × cols), labels 0x00000801 (unsigned bytes, n).
 */
import { DataError } from '../errors.js';
import { FASHION_MNIST_CLASS_NAMES, checkLabels, makeDataset, type ImageDataset } from './dataset.js';
import { MAX_INFLATED_BYTES, gunzipChecked, isGzip } from './gzip.js';

/** IDX element types by their type byte. */
const IDX_TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** An IDX file of unsigned bytes: its dimensions and its data (row-major). */
export interface IdxArray {
  readonly source: string;
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Parsed IDX images: count × rows × cols unsigned bytes. */
export interface IdxImages {
  readonly source: string;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count·rows·cols pixel bytes, image after image, each row-major. */
  readonly pixels: Uint8Array;
}

/** Parsed IDX labels. */
export interface IdxLabels {
  readonly source: string;
  readonly count: number;
  readonly labels: Uint8Array;
}

const hex8 = (v: number) => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/**
 * Reads an IDX file of unsigned bytes with the expected number of dimensions (gunzipping it
 * first if it starts with 1f 8b). Everything is checked: magic number, element type, number
 * of dimensions, and that the file holds exactly the bytes its header describes.
 * The data is a fresh copy or a view of freshly decompressed bytes, never of `bytes`.
 */
export function readIdx(bytes: Uint8Array, source: string, expectedDims?: number): IdxArray {
  const gzipped = isGzip(bytes);
  const what = gzipped ? 'after decompression, ' : '';
  // Gzipped: the header (the first bytes out) declares the payload; inflating stops past it.
  const raw = gzipped ? gunzipChecked(bytes, source, {
    limitFromHead: (head) => {
      const h = idxHeader(head, source, expectedDims, what, false);
      if (h === undefined) return undefined;
      if (h.expected > MAX_INFLATED_BYTES) {
        throw new DataError(`${source}: the IDX header declares ${h.expected} bytes (${h.headerBytes}-byte header + ` +
          `${h.dims.join('×')} data), more than the ${MAX_INFLATED_BYTES} bytes a gzipped file may decompress to (MAX_INFLATED_BYTES)`);
      }
      return { maxBytes: h.expected, exceeded: `corrupt gzip data: it decompresses to more than the ${h.expected} bytes ` +
        `its IDX header describes (${h.headerBytes}-byte header + ${h.dims.join('×')} data): trailing bytes, damage, ` +
        'or a decompression bomb' };
    },
  }) : bytes;
  const { dims, headerBytes, expected } = idxHeader(raw, source, expectedDims, what, true)!;
  const dimsText = dims.join('×');
  if (raw.length < expected) {
    throw new DataError(`${source}: truncated: ${what}expected ${expected} bytes (${headerBytes}-byte ` +
      `header + ${dimsText} data), got ${raw.length}`);
  }
  if (raw.length > expected) {
    throw new DataError(`${source}: ${raw.length - expected} trailing bytes: ${what}the header ` +
      `describes ${expected} bytes (${headerBytes}-byte header + ${dimsText} data), got ${raw.length}`);
  }
  const body = raw.subarray(headerBytes);
  return { source, dims, data: gzipped ? body : body.slice() };
}

/**
 * Checks an IDX header: magic number, element type, number of dimensions. Returns the dims and
 * the file size they declare, or undefined while `raw` is too short to tell (when `complete`,
 * `raw` is the whole file and too short is an error).
 */
function idxHeader(raw: Uint8Array, source: string, expectedDims: number | undefined, what: string, complete: boolean):
  { dims: number[]; headerBytes: number; expected: number } | undefined {
  if (raw.length < 4) {
    if (!complete) return undefined;
    throw new DataError(`${source}: not an IDX file: ${what}${raw.length} bytes, too short for ` +
      'the 4-byte magic number');
  }
  const magic = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
  const expectText = expectedDims === undefined ? ''
    : ` (expected ${hex8(0x800 | expectedDims)}: ${expectedDims === 3 ? 'images' : expectedDims === 1 ? 'labels' : `${expectedDims} dimensions`}, unsigned bytes)`;
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new DataError(`${source}: bad magic number ${hex8(magic)}${expectText}: not an IDX file`);
  }
  const type = IDX_TYPES[raw[2]!];
  const ndims = raw[3]!;
  if (!type) {
    throw new DataError(`${source}: bad magic number ${hex8(magic)}: unknown IDX element type ` +
      `0x${raw[2]!.toString(16).padStart(2, '0')}${expectText}`);
  }
  if (raw[2] !== 0x08) {
    throw new DataError(`${source}: wrong data type: IDX elements are ${type.name} ` +
      `(magic ${hex8(magic)}), but pixels and labels must be unsigned bytes (type 0x08)`);
  }
  if (expectedDims !== undefined && ndims !== expectedDims) {
    const kind = ndims === 1 ? 'a labels file' : ndims === 3 ? 'an images file' : `${ndims}-dimensional`;
    throw new DataError(`${source}: wrong number of dimensions: magic ${hex8(magic)} is ${kind} ` +
      `with ${ndims} dimension${ndims === 1 ? '' : 's'}${expectText}`);
  }
  if (ndims === 0) throw new DataError(`${source}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (raw.length < headerBytes) {
    if (!complete) return undefined;
    throw new DataError(`${source}: truncated: ${what}expected at least ${headerBytes} header bytes ` +
      `for ${ndims} dimensions, got ${raw.length}`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let k = 0; k < ndims; k++) {
    const o = 4 + 4 * k;
    const d = ((raw[o]! << 24) | (raw[o + 1]! << 16) | (raw[o + 2]! << 8) | raw[o + 3]!) >>> 0;
    dims.push(d);
    count *= d;
  }
  return { dims, headerBytes, expected: headerBytes + count * type.size };
}

/** Reads an IDX images file (magic 0x00000803), gzipped or not. */
export function readIdxImages(bytes: Uint8Array, source: string): IdxImages {
  const a = readIdx(bytes, source, 3);
  const [count, rows, cols] = a.dims as [number, number, number];
  if (count > 0 && (rows === 0 || cols === 0)) {
    throw new DataError(`${source}: images of size ${rows}×${cols}`);
  }
  return { source, count, rows, cols, pixels: a.data };
}

/** Reads an IDX labels file (magic 0x00000801), gzipped or not. */
export function readIdxLabels(bytes: Uint8Array, source: string): IdxLabels {
  const a = readIdx(bytes, source, 1);
  return { source, count: a.dims[0]!, labels: a.data };
}

export interface IdxDatasetOptions {
  /** Data set name, e.g. 'fashion-mnist/train'. */
  name: string;
  /** Default: the Fashion-MNIST class names. */
  classNames?: readonly string[];
}

/**
 * Pairs an images file with its labels file into a Dataset (layout 'hwc', 1 channel),
 * checking that the counts match and every label names a class.
 */
export function idxDataset(images: IdxImages, labels: IdxLabels, options: IdxDatasetOptions): ImageDataset {
  const classNames = options.classNames ?? FASHION_MNIST_CLASS_NAMES;
  if (images.count !== labels.count) {
    throw new DataError(`${options.name}: images file ${images.source} has ${images.count} images ` +
      `but labels file ${labels.source} has ${labels.count} labels`);
  }
  checkLabels(labels.labels, classNames.length, `${options.name}: labels file ${labels.source}`);
  return makeDataset({
    name: options.name, images: images.pixels, labels: labels.labels,
    image: { height: images.rows, width: images.cols, channels: 1, layout: 'hwc' },
    classNames,
  });
}

/** Parses an images file and a labels file (bytes, gzipped or not) into a Dataset. */
export function readIdxDataset(imageBytes: Uint8Array, imageSource: string, labelBytes: Uint8Array,
  labelSource: string, options: IdxDatasetOptions): ImageDataset {
  return idxDataset(readIdxImages(imageBytes, imageSource), readIdxLabels(labelBytes, labelSource), options);
}
