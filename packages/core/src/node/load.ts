/**
 * Loading data sets from disk (Node only): the embedded subset, a folder of IDX files
 * (MNIST / Fashion-MNIST layout), a folder of CIFAR-10 batches (binary or python version), or
 * the CIFAR-10 downloads cifar-10-binary.tar.gz / cifar-10-python.tar.gz read as they are.
 * This module only finds the candidate files by their names (it never reads every file of a
 * big folder) and reads them; what they are and how they make a data set is decided by core's
 * recognizeDataset, the rules the web page uses for files a user opens.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import {
  FASHION_MNIST_CLASS_NAMES, isGzip, isTar, isZip, recognizeDataset,
  type Dataset, type NamedBytes, type RecognizeOptions,
} from '../data/index.js';
import { EMBEDDED_DATA_DIR, embeddedDataPath } from './embedded.js';

/** Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_PATH = '/usr/share/datasets/fashion-mnist';

/** A data set with its training and test splits, as found on disk. */
export interface LoadedDataset {
  /** 'fashion-mnist-subset' (embedded), 'cifar-10', or an IDX folder's name (e.g. 'fashion-mnist'). */
  readonly name: string;
  readonly format: 'idx' | 'cifar-10' | 'npy' | 'libsvm';
  /** Absolute path of the folder the files came from; for an archive, the archive's path joined
   *  with the folder inside it (e.g. /data/cifar-10-python.tar.gz/cifar-10-batches-py). */
  readonly folder: string;
  /** Absolute path of the .tar.gz / .tar archive the files were read from, if any. */
  readonly archive?: string;
  readonly train: Dataset;
  readonly test: Dataset;
  /** How the files were read: class names assumed, test rows held out, … (see recognizeDataset). */
  readonly notes: readonly string[];
}

export interface LoadOptions {
  /** Class names to use instead of those found or guessed (see loadIdxFolder, loadCifar10Folder). */
  classNames?: readonly string[];
  /** Seeds the choice of test rows held out when the files hold no test split (default 1, as on the web page). */
  seed?: number;
  /** A file holding the test rows (a LIBSVM file such as a9a.t), read with the data set's file. */
  testFile?: string;
}

/** The seed of the held-out test rows when none is given: the web page's, so both hold out the same rows. */
const DEFAULT_SEED = 1;

/**
 * Loads a data set by name or folder:
 * - 'embedded' (or '', the default): the embedded Fashion-MNIST subset (10000 train, 2000 test);
 * - 'fashion-mnist': Debian's Fashion-MNIST in /usr/share/datasets/fashion-mnist (to load a
 *   local folder of that name, write './fashion-mnist');
 * - a folder holding IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
 *   and optionally t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]);
 * - a folder holding CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin,
 *   test_batch.bin, optional batches.meta.txt), or python batches (data_batch_1 … data_batch_5,
 *   test_batch, optional batches.meta: pickles), or the folder above 'cifar-10-batches-bin' /
 *   'cifar-10-batches-py', or a folder holding cifar-10-binary.tar.gz / cifar-10-python.tar.gz;
 * - a folder of numpy arrays: x_train.npy, y_train.npy and optionally x_test.npy, y_test.npy
 *   (or X.npy and y.npy), with an optional classes.txt (see loadNpyFolder);
 * - a CIFAR-10 archive (.tar.gz or .tar, recognized by its bytes, whatever its name), read
 *   without unpacking it on disk (see loadCifar10Archive);
 * - an .npz of numpy arrays (np.savez / np.savez_compressed, Keras's mnist.npz), or a folder
 *   holding one, named as a numpy folder's arrays are;
 * - a LIBSVM / svmlight text file (label index:value …), with `options.testFile` its test file,
 *   or a folder holding train.svm and test.svm (or any .svm, .libsvm, .svmlight files).
 * The files found are read by core's recognizeDataset, the web page's rules: without a test
 * split (no t10k pair, no test batch) a seeded 20 % of the rows (`options.seed`, default 1) is
 * held out as the test split; `notes` says so, and which class names were assumed.
 * Every failure is a DataError saying what was looked for and what was found.
 */
export async function loadDataset(spec = 'embedded', options: LoadOptions = {}): Promise<LoadedDataset> {
  const s = spec.trim();
  if (options.testFile !== undefined && (s === '' || s === 'embedded' || s === 'fashion-mnist')) {
    throw new DataError(`a separate test file (${options.testFile}) goes with a training file of the same kind (LIBSVM); '${s || 'embedded'}' has its own test split`);
  }
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
  if (options.testFile !== undefined) return loadFiles(path, resolve(options.testFile), options);
  if (await isFile(path)) return loadFile(path, options);
  return loadFolder(path, s, options);
}

/** One file: an archive (CIFAR-10 download, .npz), else a data file recognized by its bytes and name (LIBSVM). */
async function loadFile(path: string, options: LoadOptions): Promise<LoadedDataset> {
  const bytes = await readBytes(path);
  if (isGzip(bytes) || isTar(bytes) || isZip(bytes)) return loadCifar10Archive(path, options, bytes);
  try {
    return fromFiles(dirname(path), [{ name: path, bytes }], options, path);
  } catch (e) {
    if (e instanceof DataError && /no data set found/.test(e.message)) {
      throw new DataError(`${e.message}. A data set of several files (IDX, CIFAR-10 batches, numpy arrays) is read from their folder: pass the folder`, { cause: e });
    }
    throw e;
  }
}

/** A training file and a test file given apart (--data and --test-data). */
async function loadFiles(trainPath: string, testPath: string, options: LoadOptions): Promise<LoadedDataset> {
  for (const p of [trainPath, testPath]) {
    if (!(await isFile(p))) throw new DataError(`${p} is not a file: a separate test file goes with a training file (LIBSVM text files)`);
  }
  const files: NamedBytes[] = [{ name: trainPath, bytes: await readBytes(trainPath), role: 'train' }, { name: testPath, bytes: await readBytes(testPath), role: 'test' }];
  return fromFiles(dirname(trainPath), files, options, `${trainPath} and ${testPath}`);
}

function fromFiles(folder: string, files: NamedBytes[], options: LoadOptions, source: string): LoadedDataset {
  const r = recognizeDataset(files, recognizeOptions(options, source));
  return { name: r.name, format: r.format, folder, train: r.train, test: r.test, notes: r.notes };
}

/** The IDX files looked for by name (the test pair is optional; recognizeDataset decides). */
const IDX_PARTS = [
  { stem: 'train-images-idx3-ubyte', alt: 'train-images.idx3-ubyte' },
  { stem: 'train-labels-idx1-ubyte', alt: 'train-labels.idx1-ubyte' },
  { stem: 't10k-images-idx3-ubyte', alt: 't10k-images.idx3-ubyte' },
  { stem: 't10k-labels-idx1-ubyte', alt: 't10k-labels.idx1-ubyte' },
] as const;
const IDX_LOOKED_FOR = IDX_PARTS.map((p) => `${p.stem}[.gz]`).join(', ');
const CIFAR_DIR = 'cifar-10-batches-bin';
const CIFAR_PY_DIR = 'cifar-10-batches-py';
const CIFAR_ARCHIVES = ['cifar-10-binary.tar.gz', 'cifar-10-python.tar.gz'];
/** Files that name the classes, read along with a data set's files when present. */
const NAMES_FILES: readonly string[] = ['classes.txt'];

/** The two CIFAR-10 versions: file names of the batches and the metadata. */
const CIFAR_KINDS = {
  binary: { batch: /^data_batch_(\d+)\.bin$/, test: 'test_batch.bin', meta: 'batches.meta.txt' },
  python: { batch: /^data_batch_(\d+)$/, test: 'test_batch', meta: 'batches.meta' },
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

export async function listFolder(dir: string, spec: string): Promise<string[]> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DataError(`data set folder not found: ${dir}` + (spec !== dir ? ` (from '${spec}')` : '') +
        `; expected 'embedded', 'fashion-mnist', a folder of IDX, CIFAR-10 or numpy files, a CIFAR-10 .tar.gz archive, or an .npz`, { cause: e });
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

/** What a folder holds, for messages. */
function held(entries: readonly string[]): string {
  return entries.length === 0 ? 'the folder is empty'
    : `the folder holds ${entries.slice(0, 12).join(', ')}${entries.length > 12 ? `, … (${entries.length} entries)` : ''}`;
}

async function loadFolder(dir: string, spec: string, options: LoadOptions): Promise<LoadedDataset> {
  const entries = await listFolder(dir, spec);
  const names = new Set(entries);
  if (IDX_PARTS.some((p) => [p.stem, p.alt].some((s) => names.has(s) || names.has(`${s}.gz`)))) {
    return loadIdxFolder(dir, options);
  }
  if (cifarKind(entries)) return loadCifar10Folder(dir, options);
  if (entries.some((e) => NPY_TRAINING.test(e))) return loadNpyFolder(dir, options);
  const svm = entries.filter((e) => /\.(svm|libsvm|svmlight)(\.t)?(\.gz)?$/i.test(e));
  if (svm.length > 0) {
    const r = recognizeDataset(await readFiles(dir, [...svm, ...entries.filter((e) => NAMES_FILES.includes(e))]),
      recognizeOptions({ ...options, name: basename(dir) }, dir));
    return { name: r.name, format: r.format, folder: dir, train: r.train, test: r.test, notes: r.notes };
  }
  const npz = entries.filter((e) => /\.npz$/i.test(e));
  if (npz.length === 1) return loadCifar10Archive(join(dir, npz[0]!), options);
  if (npz.length > 1) throw new DataError(`${dir}: ${npz.length} .npz archives (${npz.slice(0, 6).join(', ')}): pass the one to read`);
  for (const sub of [CIFAR_DIR, CIFAR_PY_DIR]) {
    if (names.has(sub) && (await isDirectory(join(dir, sub)))) return loadCifar10Folder(join(dir, sub), options);
  }
  const download = CIFAR_ARCHIVES.find((a) => names.has(a));
  if (download) return loadCifar10Archive(join(dir, download), options);
  const archive = entries.find((e) => /\.(tar\.gz|tgz|tar|zip)$/i.test(e));
  throw new DataError(`${dir}: no data set found. Looked for IDX files (${IDX_LOOKED_FOR}), ` +
    `CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin, or a ` +
    `${CIFAR_DIR} folder holding them), CIFAR-10 python batches (data_batch_1 … data_batch_5, ` +
    `test_batch, or a ${CIFAR_PY_DIR} folder), numpy arrays (x_train.npy and y_train.npy, or X.npy and y.npy, or one .npz of them), ` +
    'LIBSVM files (*.svm, *.libsvm, *.svmlight) ' +
    `and the archives ${CIFAR_ARCHIVES.join(', ')}; ${held(entries)}` +
    (archive ? (/\.zip$/i.test(archive) ? `. To read ${archive} as an .npz of numpy arrays, pass its path (${join(dir, archive)}); if it holds other files, extract it first`
      : `. To read ${archive}, pass its path: ${join(dir, archive)}`) : ''));
}

/** The files of `names` (in `folder`) read into memory, named by their full paths. */
async function readFiles(folder: string, names: readonly string[]): Promise<NamedBytes[]> {
  return Promise.all(names.map(async (n) => ({ name: join(folder, n), bytes: await readBytes(join(folder, n)) })));
}

function recognizeOptions(options: LoadOptions & { name?: string }, source: string): RecognizeOptions {
  return {
    seed: options.seed ?? DEFAULT_SEED, source,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.classNames ? { classNames: options.classNames } : {}),
  };
}

/**
 * Loads the IDX files of a folder (each gzipped or not; the 'train-images.idx3-ubyte' spelling
 * is accepted too): the training pair, and the test pair (t10k-…) if there is one; without it a
 * seeded 20 % of the training rows is held out as the test split (see recognizeDataset). Class
 * names: options.classNames, else a 'classes.txt' in the folder (one per line), else
 * Fashion-MNIST's when the name contains 'fashion', MNIST's digits when it contains 'mnist',
 * and Fashion-MNIST's otherwise. Other files in the folder are not read.
 */
export async function loadIdxFolder(dir: string, options: LoadOptions & { name?: string } = {}):
  Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = await listFolder(folder, dir);
  const names = new Set(entries);
  const found: string[] = [];
  for (const p of IDX_PARTS) {
    const hit = [p.stem, `${p.stem}.gz`, p.alt, `${p.alt}.gz`].find((s) => names.has(s));
    if (hit) found.push(hit);
  }
  if (found.length === 0) {
    throw new DataError(`${folder}: no IDX files found: looked for ${IDX_LOOKED_FOR}; ${held(entries)}`);
  }
  const extra = NAMES_FILES.filter((n) => names.has(n));
  const files = await readFiles(folder, [...found, ...extra]);
  const r = recognizeDataset(files, recognizeOptions({ ...options, name: options.name ?? basename(folder) }, folder));
  return { name: r.name, format: r.format, folder, train: r.train, test: r.test, notes: r.notes };
}

/** The training images of a numpy folder: x_train.npy, or X.npy for one set of rows (gzipped or not). */
const NPY_TRAINING = /^(x_train|x)\.npy(\.gz)?$/i;
/** The arrays a numpy folder may hold (recognizeDataset's names). */
export const NPY_ARRAYS = /^(x_train|y_train|x_test|y_test|x|y)\.npy(\.gz)?$/i;

/**
 * Loads a folder of numpy arrays (np.save's .npy): x_train.npy and y_train.npy, optionally
 * x_test.npy and y_test.npy, or X.npy and y.npy (a seeded 20 % held out as the test split);
 * images uint8 N×H×W×C, N×H×W or N×F, labels integers; class names from classes.txt, else the
 * label values (see recognizeDataset). Every other .npy in the folder is refused by name.
 */
export async function loadNpyFolder(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = await listFolder(folder, dir);
  if (!entries.some((e) => NPY_TRAINING.test(e))) {
    throw new DataError(`${folder}: no numpy training arrays found: looked for x_train.npy and y_train.npy, or X.npy and y.npy; ${held(entries)}`);
  }
  // Names are checked on the listing, so no other array is read only to be refused.
  const others = entries.filter((e) => /\.npy(\.gz)?$/i.test(e) && !NPY_ARRAYS.test(e));
  if (others.length > 0) {
    throw new DataError(`${folder}: numpy arrays named ${others.slice(0, 12).join(', ')}${others.length > 12 ? ', …' : ''}: expected x_train.npy and ` +
      'y_train.npy (images and labels; optionally x_test.npy and y_test.npy), or X.npy and y.npy; move the others out of the folder');
  }
  const picked = entries.filter((e) => NPY_ARRAYS.test(e) || NAMES_FILES.includes(e));
  const r = recognizeDataset(await readFiles(folder, picked), recognizeOptions({ ...options, name: basename(folder) }, folder));
  return { name: r.name, format: r.format, folder, train: r.train, test: r.test, notes: r.notes };
}

/**
 * Loads CIFAR-10 batches from a folder, the binary version (data_batch_1.bin … data_batch_k.bin,
 * test_batch.bin, optional batches.meta.txt) or the python version (data_batch_1 …
 * data_batch_k, test_batch, optional batches.meta: pickles), told apart by the names (binary
 * first when the folder holds both). The data batches (numbered from 1 without gaps; the real set
 * has k = 5) are joined as the training split, the test batch is the test split; without a test
 * batch a seeded 20 % is held out (see recognizeDataset). Class names: options.classNames, else
 * classes.txt, else the metadata file, else CIFAR-10's. Other files in the folder are not read.
 */
export async function loadCifar10Folder(dir: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const folder = resolve(dir);
  const entries = await listFolder(folder, dir);
  const kind = cifarKind(entries);
  if (!kind) {
    throw new DataError(`${folder}: no CIFAR-10 batches found: looked for data_batch_1.bin … data_batch_5.bin and ` +
      `test_batch.bin (binary version) or data_batch_1 … data_batch_5 and test_batch (python version); ${held(entries)}`);
  }
  const k = CIFAR_KINDS[kind];
  const picked = entries.filter((e) => k.batch.test(e) || e === k.test || e === k.meta || NAMES_FILES.includes(e));
  const r = recognizeDataset(await readFiles(folder, picked), recognizeOptions(options, folder));
  return { name: r.name, format: r.format, folder, train: r.train, test: r.test, notes: r.notes };
}

/**
 * Loads a data set from an archive without unpacking it on disk: cifar-10-binary.tar.gz or
 * cifar-10-python.tar.gz as downloaded (or a .tar of either, or an archive of IDX files),
 * recognized by their bytes, not by the name (see recognizeDataset). `folder` is the archive's
 * path joined with the folder inside it that held the files (e.g.
 * /data/cifar-10-python.tar.gz/cifar-10-batches-py). Errors name the archive and the member.
 */
export async function loadCifar10Archive(path: string, options: LoadOptions = {}, read?: Uint8Array): Promise<LoadedDataset> {
  const archive = resolve(path);
  const bytes = read ?? await readBytes(archive);
  if (!isGzip(bytes) && !isTar(bytes) && !isZip(bytes)) {
    throw new DataError(`${archive} is a file, not a folder or an archive (it is neither gzip-compressed, ` +
      "nor a tar archive, nor a zip archive such as an .npz): pass the folder that holds the data set's files, " +
      'cifar-10-binary.tar.gz / cifar-10-python.tar.gz as downloaded, or an .npz of numpy arrays');
  }
  // An .npz is named by its file (Keras's mnist.npz: 'mnist'); a CIFAR-10 download keeps 'cifar-10'.
  const named = isZip(bytes) && !('name' in options) ? { ...options, name: basename(archive).replace(/\.(npz|zip)$/i, '') } : options;
  const r = recognizeDataset([{ name: archive, bytes }], recognizeOptions(named, archive));
  // The folder inside the archive that held the data files (the names file may sit elsewhere).
  const member = r.files.find((f) => f.archive !== undefined && !NAMES_FILES.includes(basename(f.name)))?.name ?? '';
  const inner = member.includes('/') ? member.slice(0, member.lastIndexOf('/')) : '';
  return { name: r.name, format: r.format, folder: inner ? `${archive}/${inner}` : archive, archive,
    train: r.train, test: r.test, notes: r.notes };
}
