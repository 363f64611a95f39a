/**
 * Loading data sets from disk (Node only): the embedded subset, a folder of IDX files
 * (MNIST / Fashion-MNIST layout), a folder of CIFAR-10 batches (binary or python version), or
 * the CIFAR-10 downloads cifar-10-binary.tar.gz / cifar-10-python.tar.gz read as they are.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import {
  CIFAR10_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES, concatDatasets, isGzip, isTar,
  parseCifar10Meta, readArchive, readCifar10Batch, readCifar10PythonBatch, readCifar10PythonMeta, readIdxDataset,
  type Dataset,
} from '../data/index.js';
import { EMBEDDED_DATA_DIR, embeddedDataPath } from './embedded.js';

/** Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_PATH = '/usr/share/datasets/fashion-mnist';

/** A data set with its training and test splits, as found on disk. */
export interface LoadedDataset {
  /** 'fashion-mnist-subset' (embedded), 'cifar-10', or an IDX folder's name (e.g. 'fashion-mnist'). */
  readonly name: string;
  readonly format: 'idx' | 'cifar-10';
  /** Absolute path of the folder the files came from; for an archive, the archive's path joined
   *  with the folder inside it (e.g. /data/cifar-10-python.tar.gz/cifar-10-batches-py). */
  readonly folder: string;
  /** Absolute path of the .tar.gz / .tar archive the files were read from, if any. */
  readonly archive?: string;
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
 *   test_batch.bin, optional batches.meta.txt), or python batches (data_batch_1 … data_batch_5,
 *   test_batch, optional batches.meta: pickles), or the folder above 'cifar-10-batches-bin' /
 *   'cifar-10-batches-py', or a folder holding cifar-10-binary.tar.gz / cifar-10-python.tar.gz;
 * - a CIFAR-10 archive (.tar.gz or .tar, recognized by its bytes, whatever its name), read
 *   without unpacking it on disk (see loadCifar10Archive).
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
  const path = resolve(s);
  if (await isFile(path)) return loadCifar10Archive(path, options);
  return loadFolder(path, s, options);
}

const IDX_PARTS = [
  { split: 'train', kind: 'images', stem: 'train-images-idx3-ubyte', alt: 'train-images.idx3-ubyte' },
  { split: 'train', kind: 'labels', stem: 'train-labels-idx1-ubyte', alt: 'train-labels.idx1-ubyte' },
  { split: 'test', kind: 'images', stem: 't10k-images-idx3-ubyte', alt: 't10k-images.idx3-ubyte' },
  { split: 'test', kind: 'labels', stem: 't10k-labels-idx1-ubyte', alt: 't10k-labels.idx1-ubyte' },
] as const;
const IDX_LOOKED_FOR = IDX_PARTS.map((p) => `${p.stem}[.gz]`).join(', ');
const CIFAR_DIR = 'cifar-10-batches-bin';
const CIFAR_PY_DIR = 'cifar-10-batches-py';
const CIFAR_ARCHIVES = ['cifar-10-binary.tar.gz', 'cifar-10-python.tar.gz'];

/** The two CIFAR-10 versions: file names of the batches and the metadata, and their readers. */
const CIFAR_KINDS = {
  binary: { batch: /^data_batch_(\d+)\.bin$/, test: 'test_batch.bin', meta: 'batches.meta.txt', ext: '.bin' },
  python: { batch: /^data_batch_(\d+)$/, test: 'test_batch', meta: 'batches.meta', ext: '' },
} as const;
type CifarKind = keyof typeof CIFAR_KINDS;

/** Which CIFAR-10 version the names are, if any (binary first when a folder holds both). */
function cifarKind(names: readonly string[]): CifarKind | undefined {
  for (const kind of ['binary', 'python'] as const) {
    const k = CIFAR_KINDS[kind];
    if (names.includes(k.test) || names.some((n) => k.batch.test(n))) return kind;
  }
  return undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

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
        `; expected 'embedded', 'fashion-mnist', a folder of IDX or CIFAR-10 files, or a CIFAR-10 .tar.gz archive`, { cause: e });
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
  if (cifarKind(entries)) return loadCifar10Folder(dir, options);
  for (const sub of [CIFAR_DIR, CIFAR_PY_DIR]) {
    if (names.has(sub) && (await isDirectory(join(dir, sub)))) return loadCifar10Folder(join(dir, sub), options);
  }
  const download = CIFAR_ARCHIVES.find((a) => names.has(a));
  if (download) return loadCifar10Archive(join(dir, download), options);
  const archive = entries.find((e) => /\.(tar\.gz|tgz|tar|zip)$/i.test(e));
  const held = entries.length === 0 ? 'the folder is empty'
    : `the folder holds ${entries.slice(0, 12).join(', ')}${entries.length > 12 ? `, … (${entries.length} entries)` : ''}`;
  throw new DataError(`${dir}: no data set found. Looked for IDX files (${IDX_LOOKED_FOR}), ` +
    `CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin, or a ` +
    `${CIFAR_DIR} folder holding them), CIFAR-10 python batches (data_batch_1 … data_batch_5, ` +
    `test_batch, or a ${CIFAR_PY_DIR} folder) and the archives ${CIFAR_ARCHIVES.join(', ')}; ${held}` +
    (archive ? (/\.zip$/i.test(archive) ? `. Extract ${archive} first`
      : `. To read ${archive}, pass its path: ${join(dir, archive)}`) : ''));
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
 * Loads CIFAR-10 batches from a folder, the binary version (data_batch_1.bin … data_batch_k.bin,
 * test_batch.bin, optional batches.meta.txt) or the python version (data_batch_1 …
 * data_batch_k, test_batch, optional batches.meta: pickles), told apart by the names. The data
 * batches (numbered from 1 without gaps; the real set has k = 5) are joined as the training
 * split, the test batch is the test split. Class names: options.classNames, else the metadata
 * file, else CIFAR-10's.
 */
export async function loadCifar10Folder(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = await listFolder(folder, dir);
  const { train, test } = await readCifar10Files(entries, (name) => readBytes(join(folder, name)),
    (name) => join(folder, name), folder, options);
  return { name: 'cifar-10', format: 'cifar-10', folder, train, test };
}

/**
 * Loads CIFAR-10 from an archive without unpacking it on disk: cifar-10-binary.tar.gz or
 * cifar-10-python.tar.gz as downloaded (or a .tar of either), recognized by their bytes, not
 * by the name. The batches are taken from the folder inside the archive that holds them
 * (cifar-10-batches-bin or cifar-10-batches-py). Errors name the archive and the member.
 */
export async function loadCifar10Archive(path: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const archive = resolve(path);
  const bytes = await readBytes(archive);
  if (!isGzip(bytes) && !isTar(bytes)) {
    throw new DataError(`${archive} is a file, not a folder or a CIFAR-10 archive (it is neither gzip-compressed ` +
      "nor a tar archive): pass the folder that holds the data set's files, or cifar-10-binary.tar.gz / " +
      'cifar-10-python.tar.gz as downloaded');
  }
  const entries = readArchive(bytes, archive);
  const dirs = new Map<string, Map<string, Uint8Array>>();
  for (const e of entries) {
    const slash = e.path.lastIndexOf('/');
    const d = slash < 0 ? '' : e.path.slice(0, slash);
    if (!dirs.has(d)) dirs.set(d, new Map());
    dirs.get(d)!.set(e.path.slice(slash + 1), e.bytes);
  }
  const found = [...dirs.keys()].sort().find((d) => cifarKind([...dirs.get(d)!.keys()]) !== undefined);
  if (found === undefined) {
    const held = entries.length === 0 ? 'it holds no files'
      : `it holds ${entries.slice(0, 8).map((e) => e.path).join(', ')}${entries.length > 8 ? `, … (${entries.length} files)` : ''}`;
    throw new DataError(`${archive}: no CIFAR-10 batches in the archive (looked for data_batch_1.bin … ` +
      `test_batch.bin or data_batch_1 … test_batch, as in ${CIFAR_DIR} / ${CIFAR_PY_DIR}); ${held}`);
  }
  const files = dirs.get(found)!;
  const member = (name: string) => (found ? `${found}/${name}` : name);
  const { train, test } = await readCifar10Files([...files.keys()].sort(), async (name) => files.get(name)!,
    (name) => `${member(name)} in ${archive}`, found ? `${archive}: ${found}` : archive, options);
  return { name: 'cifar-10', format: 'cifar-10', folder: found ? `${archive}/${found}` : archive, archive, train, test };
}

/** Reads the batches of one CIFAR-10 version from a list of names; `where` says where a file is (for errors). */
async function readCifar10Files(names: readonly string[], read: (name: string) => Promise<Uint8Array>,
  where: (name: string) => string, folder: string, options: LoadOptions): Promise<{ train: Dataset; test: Dataset }> {
  const kind = cifarKind(names) ?? 'binary';
  const k = CIFAR_KINDS[kind];
  const numbers = names.map((e) => k.batch.exec(e)?.[1]).filter((m): m is string => m !== undefined)
    .map(Number).sort((a, b) => a - b);
  const problems: string[] = [];
  if (numbers.length === 0) problems.push(`missing data_batch_1${k.ext} … data_batch_5${k.ext}`);
  else {
    const gaps: string[] = [];
    for (let i = 1; i <= numbers[numbers.length - 1]!; i++) if (!numbers.includes(i)) gaps.push(`data_batch_${i}${k.ext}`);
    if (gaps.length > 0) problems.push(`missing ${gaps.join(', ')}`);
  }
  if (!names.includes(k.test)) problems.push(`missing ${k.test}`);
  if (problems.length > 0) {
    throw new DataError(`${folder}: incomplete CIFAR-10 ${kind} data set: ${problems.join('; ')}`);
  }
  let classNames = options.classNames;
  if (!classNames && names.includes(k.meta)) {
    const bytes = await read(k.meta);
    classNames = kind === 'binary' ? parseCifar10Meta(new TextDecoder().decode(bytes), where(k.meta))
      : readCifar10PythonMeta(bytes, where(k.meta));
  }
  classNames ??= CIFAR10_CLASS_NAMES;
  const batchNames = numbers.map((i) => `data_batch_${i}${k.ext}`);
  const readBatch = kind === 'binary' ? readCifar10Batch : readCifar10PythonBatch;
  const bytes = await Promise.all([...batchNames, k.test].map(read));
  const batches = batchNames.map((n, i) => readBatch(bytes[i]!, where(n), { classNames }));
  const last = numbers[numbers.length - 1]!;
  const train = concatDatasets(batches, `cifar-10/data_batch_${last === 1 ? '1' : `1..${last}`}`);
  const test = readBatch(bytes[bytes.length - 1]!, where(k.test), { classNames, name: 'cifar-10/test_batch' });
  return { train, test };
}
