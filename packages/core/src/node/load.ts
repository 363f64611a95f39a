/**
 * Loading data sets from disk (Node only): the embedded subset, a folder of IDX files
 * (MNIST / Fashion-MNIST layout), or a folder of CIFAR-10 binary batches.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import {
  CIFAR10_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES, concatDatasets, parseCifar10Meta,
  readCifar10Batch, readIdxDataset, type Dataset,
} from '../data/index.js';
import { EMBEDDED_DATA_DIR, embeddedDataPath } from './embedded.js';

/** Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_PATH = '/usr/share/datasets/fashion-mnist';

/** A data set with its training and test splits, as found on disk. */
export interface LoadedDataset {
  /** 'fashion-mnist-subset' (embedded), 'cifar-10', or an IDX folder's name (e.g. 'fashion-mnist'). */
  readonly name: string;
  readonly format: 'idx' | 'cifar-10';
  /** Absolute path of the folder the files came from. */
  readonly folder: string;
  readonly train: Dataset;
  readonly test: Dataset;
}

export interface LoadOptions {
  /** Class names to use instead of those found or guessed (see loadIdxFolder, loadCifar10Folder). */
  classNames?: readonly string[];
}

/**
 * Loads a data set by name or folder:
 * - 'embedded' (or '', the default): the embedded Fashion-MNIST subset (10000 train, 2000 test);
 * - 'fashion-mnist': Debian's Fashion-MNIST in /usr/share/datasets/fashion-mnist (to load a
 *   local folder of that name, write './fashion-mnist');
 * - a folder holding IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 *   t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]);
 * - a folder holding CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin,
 *   test_batch.bin, optional batches.meta.txt), or the folder above 'cifar-10-batches-bin'.
 * Every failure is a DataError saying what was looked for and what was found.
 */
export async function loadDataset(spec = 'embedded', options: LoadOptions = {}): Promise<LoadedDataset> {
  const s = spec.trim();
  if (s === '' || s === 'embedded') {
    const dir = embeddedDataPath();
    return loadIdxFolder(dir, { ...options, name: EMBEDDED_DATA_DIR,
      classNames: options.classNames ?? FASHION_MNIST_CLASS_NAMES });
  }
  if (s === 'fashion-mnist') {
    if (!(await isDirectory(FASHION_MNIST_DEBIAN_PATH))) {
      throw new DataError(`Fashion-MNIST is not installed: ${FASHION_MNIST_DEBIAN_PATH} does not exist. ` +
        'Install it with `apt-get install dataset-fashion-mnist`, or pass a folder that holds its IDX files');
    }
    return loadIdxFolder(FASHION_MNIST_DEBIAN_PATH, { ...options, name: 'fashion-mnist',
      classNames: options.classNames ?? FASHION_MNIST_CLASS_NAMES });
  }
  return loadFolder(resolve(s), s, options);
}

const IDX_PARTS = [
  { split: 'train', kind: 'images', stem: 'train-images-idx3-ubyte', alt: 'train-images.idx3-ubyte' },
  { split: 'train', kind: 'labels', stem: 'train-labels-idx1-ubyte', alt: 'train-labels.idx1-ubyte' },
  { split: 'test', kind: 'images', stem: 't10k-images-idx3-ubyte', alt: 't10k-images.idx3-ubyte' },
  { split: 'test', kind: 'labels', stem: 't10k-labels-idx1-ubyte', alt: 't10k-labels.idx1-ubyte' },
] as const;
const IDX_LOOKED_FOR = IDX_PARTS.map((p) => `${p.stem}[.gz]`).join(', ');
const CIFAR_DIR = 'cifar-10-batches-bin';
const CIFAR_BATCH = /^data_batch_(\d+)\.bin$/;

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function listFolder(dir: string, spec: string): Promise<string[]> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DataError(`data set folder not found: ${dir}` + (spec !== dir ? ` (from '${spec}')` : '') +
        `; expected 'embedded', 'fashion-mnist', or a folder of IDX or CIFAR-10 binary files`, { cause: e });
    }
    throw new DataError(`cannot read data set folder ${dir}: ${(e as Error).message}`, { cause: e });
  }
  if (!st.isDirectory()) {
    throw new DataError(`${dir} is a file, not a folder: pass the folder that holds the data set's files`);
  }
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    throw new DataError(`cannot list data set folder ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new DataError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function loadFolder(dir: string, spec: string, options: LoadOptions): Promise<LoadedDataset> {
  const entries = await listFolder(dir, spec);
  const names = new Set(entries);
  if (IDX_PARTS.some((p) => [p.stem, p.alt].some((s) => names.has(s) || names.has(`${s}.gz`)))) {
    return loadIdxFolder(dir, options);
  }
  if (names.has('test_batch.bin') || entries.some((e) => CIFAR_BATCH.test(e))) {
    return loadCifar10Folder(dir, options);
  }
  if (names.has(CIFAR_DIR) && (await isDirectory(join(dir, CIFAR_DIR)))) {
    return loadCifar10Folder(join(dir, CIFAR_DIR), options);
  }
  const archive = entries.find((e) => /\.(tar\.gz|tgz|tar|zip)$/i.test(e));
  const held = entries.length === 0 ? 'the folder is empty'
    : `the folder holds ${entries.slice(0, 12).join(', ')}${entries.length > 12 ? `, … (${entries.length} entries)` : ''}`;
  throw new DataError(`${dir}: no data set found. Looked for IDX files (${IDX_LOOKED_FOR}) and ` +
    `CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin, or a ` +
    `${CIFAR_DIR} folder holding them); ${held}` +
    (archive ? `. Extract ${archive} first` : ''));
}

/**
 * Loads the four IDX files of a folder (each gzipped or not; the 'train-images.idx3-ubyte'
 * spelling is accepted too). Class names: options.classNames, else a 'classes.txt' in the
 * folder (one per line), else Fashion-MNIST's when the folder's name contains 'fashion', MNIST's
 * digits when it contains 'mnist', and Fashion-MNIST's otherwise.
 */
export async function loadIdxFolder(dir: string, options: LoadOptions & { name?: string } = {}):
  Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = new Set(await listFolder(folder, dir));
  const found: string[] = [];
  const missing: string[] = [];
  for (const p of IDX_PARTS) {
    const hit = [p.stem, `${p.stem}.gz`, p.alt, `${p.alt}.gz`].find((s) => entries.has(s));
    if (hit) found.push(hit);
    else missing.push(`${p.stem}[.gz]`);
  }
  if (missing.length > 0) {
    throw new DataError(`${folder}: incomplete IDX data set: missing ${missing.join(', ')}` +
      (found.length > 0 ? ` (found ${found.join(', ')})` : ''));
  }
  const name = options.name ?? basename(folder);
  let classNames = options.classNames;
  if (!classNames && entries.has('classes.txt')) {
    const text = new TextDecoder().decode(await readBytes(join(folder, 'classes.txt')));
    classNames = parseCifar10Meta(text, join(folder, 'classes.txt'));
  }
  classNames ??= /fashion/i.test(name) ? FASHION_MNIST_CLASS_NAMES
    : /mnist/i.test(name) ? MNIST_CLASS_NAMES : FASHION_MNIST_CLASS_NAMES;
  const paths = found.map((f) => join(folder, f));
  const [trI, trL, teI, teL] = await Promise.all(paths.map(readBytes)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const train = readIdxDataset(trI, paths[0]!, trL, paths[1]!, { name: `${name}/train`, classNames });
  const test = readIdxDataset(teI, paths[2]!, teL, paths[3]!, { name: `${name}/test`, classNames });
  if (train.features !== test.features) {
    throw new DataError(`${folder}: training images are ${train.image.height}×${train.image.width} but ` +
      `test images are ${test.image.height}×${test.image.width}`);
  }
  return { name, format: 'idx', folder, train, test };
}

/**
 * Loads CIFAR-10 binary batches from a folder: data_batch_1.bin … data_batch_k.bin (numbered
 * from 1 without gaps; the real set has k = 5) joined as the training split, test_batch.bin as
 * the test split. Class names: options.classNames, else batches.meta.txt, else CIFAR-10's.
 */
export async function loadCifar10Folder(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = await listFolder(folder, dir);
  const numbers = entries.map((e) => CIFAR_BATCH.exec(e)?.[1]).filter((m): m is string => m !== undefined)
    .map(Number).sort((a, b) => a - b);
  const problems: string[] = [];
  if (numbers.length === 0) problems.push('missing data_batch_1.bin … data_batch_5.bin');
  else {
    const gaps: string[] = [];
    for (let k = 1; k <= numbers[numbers.length - 1]!; k++) if (!numbers.includes(k)) gaps.push(`data_batch_${k}.bin`);
    if (gaps.length > 0) problems.push(`missing ${gaps.join(', ')}`);
  }
  if (!entries.includes('test_batch.bin')) problems.push('missing test_batch.bin');
  if (problems.length > 0) {
    throw new DataError(`${folder}: incomplete CIFAR-10 binary data set: ${problems.join('; ')}`);
  }
  let classNames = options.classNames;
  if (!classNames && entries.includes('batches.meta.txt')) {
    const p = join(folder, 'batches.meta.txt');
    classNames = parseCifar10Meta(new TextDecoder().decode(await readBytes(p)), p);
  }
  classNames ??= CIFAR10_CLASS_NAMES;
  const batchFiles = numbers.map((k) => join(folder, `data_batch_${k}.bin`));
  const testFile = join(folder, 'test_batch.bin');
  const bytes = await Promise.all([...batchFiles, testFile].map(readBytes));
  const batches = batchFiles.map((p, i) => readCifar10Batch(bytes[i]!, p, { classNames }));
  const last = numbers[numbers.length - 1]!;
  const train = concatDatasets(batches, `cifar-10/data_batch_${last === 1 ? '1' : `1..${last}`}`);
  const test = readCifar10Batch(bytes[bytes.length - 1]!, testFile, { classNames, name: 'cifar-10/test_batch' });
  return { name: 'cifar-10', format: 'cifar-10', folder, train, test };
}
