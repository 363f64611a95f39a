/**
 * Recognizing a data set from files: the one set of rules behind the CLI's `--data` (through
 * '@descent/core/node', which only finds the candidate files by name and reads them) and the
 * web page's "Open data files…". Bytes in, no file system, so it runs in browsers too.
 *
 * The rules, in order:
 * - .tar and .tar.gz archives (told apart by their bytes, whatever their names) are replaced by
 *   the files they hold; readme.html, .DS_Store and macOS '._' files are skipped silently. Zip
 *   archives (.npz: np.savez, Keras's mnist.npz) are replaced by their .npy members and classes.txt.
 * - classes.txt names the classes (one per line), else batches.meta (CIFAR-10 python: a pickle)
 *   or batches.meta.txt (CIFAR-10 binary: text); `options.classNames` overrides both.
 * - Each other file is told by its bytes (gzipped files by the bytes they decompress to): a
 *   python pickle is a CIFAR-10 python batch; a name ending in .bin is a CIFAR-10 binary batch;
 *   IDX magic number 0x00000803 is an images file, 0x00000801 a labels file. A file whose bytes
 *   say nothing but whose name does (…idx3-ubyte, …idx1-ubyte, data_batch_N, test_batch) is read
 *   as that, so the reader says what is wrong with it. Anything else is ignored, with a note, when
 *   a data set is found among the rest.
 * - Training or test is told by the name: 't10k' or 'test' (at the start or after a non-letter)
 *   is test. IDX files come in pairs (images + labels); a training pair and optionally a test
 *   pair. CIFAR-10 data_batch_1 … data_batch_k (numbered from 1 without gaps) are the training
 *   rows, one test batch the test rows. When both CIFAR-10 versions are given the binary is read.
 * - One set of rows only (an IDX pair, or CIFAR-10 batches with no test batch or only one): a
 *   seeded 20 % (the seed's 'test-split' stream) is held out as the test split, and a note says so.
 * - Class names not given by a file: CIFAR-10's for CIFAR-10; for IDX, Fashion-MNIST's when
 *   'fashion' is in the data set's name, the file names or the source, MNIST's digits when 'mnist'
 *   is, else Fashion-MNIST's; a note says which was assumed.
 * - numpy arrays (.npy, told by their magic string) are named by the Keras convention: x_train
 *   and y_train (images and labels), optionally x_test and y_test; or X and y, one set of rows.
 *   Images are uint8 N×H×W×C (channels last), N×H×W or N×F; arrays of any other number type are
 *   features (N×F, float32 as read); labels integers, N or N×1. Class
 *   names not given by classes.txt are the label values '0' … 'k−1' (k = the largest label + 1),
 *   with a note.
 * - LIBSVM / svmlight text files (label index:value …), told by a name ending in .svm, .libsvm or
 *   .svmlight (gzipped or not) or, for other names, by a first example line of that form: one
 *   training file and optionally one test file (a name with 'test', or LIBSVM's own '.t' suffix as
 *   in a9a.t, or NamedBytes.role 'test'). Their features are read densely (see readLibsvm: one width
 *   and one class list over both files, classes the label values in increasing order).
 * - Training and test images of different sizes are refused.
 * Every problem is a DataError: about one file, it starts with that file's name as given (or
 * 'member in archive'); about the set as a whole, with `options.source` when given.
 */
import { Gunzip } from 'fflate';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import { isTar, readArchive } from './archive.js';
import { CIFAR10_CLASS_NAMES, concatDatasets, parseCifar10Meta, readCifar10Batch } from './cifar10.js';
import { isPickle, readCifar10PythonBatch, readCifar10PythonMeta } from './cifar10-python.js';
import { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES, type Dataset, type ImageDataset, type ImageShape } from './dataset.js';
import { gunzipChecked, isGzip } from './gzip.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxDataset } from './idx.js';
import { isNpy, readNpy } from './npy.js';
import { isZip, readZip } from './npz.js';
import { labelValueNames, npyDataset, npyLabels, npyRows } from './npy-dataset.js';
import { readLibsvm } from './libsvm.js';
import { splitTrainValidation } from './split.js';

/** A file's name (a bare name or a path: only its last part is looked at) and its bytes. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Whether the file holds the training or the test rows, when its name does not say (a LIBSVM file given as --test-data). */
  readonly role?: 'train' | 'test';
}

export interface RecognizeOptions {
  /** Seeds the 'test-split' stream that picks the held-out test rows when there is no test file. */
  readonly seed: number;
  /** The data set's name (default 'idx' or 'cifar-10'); its splits are `${name}/train`, `${name}/test`. */
  readonly name?: string;
  /** Class names to use instead of those found (classes.txt, batches.meta) or assumed. */
  readonly classNames?: readonly string[];
  /** Where the files came from (a folder, an archive): starts the messages about the set as a whole. */
  readonly source?: string;
}

/** A file the data set was read from: its name as given, or its path inside `archive`. */
export interface RecognizedFile {
  readonly name: string;
  /** The name (as given) of the archive the file was found in, if any. */
  readonly archive?: string;
}

/** A data set recognized from files: training and test splits, and how the files were read. */
export interface RecognizedDataset {
  readonly name: string;
  readonly format: 'idx' | 'cifar-10' | 'npy' | 'libsvm';
  /** `options.source`, else the names of the files given. */
  readonly source: string;
  readonly train: Dataset;
  readonly test: Dataset;
  /** What was assumed or decided while reading (class names assumed, rows held out, files ignored). */
  readonly notes: readonly string[];
  /** The files the splits and the class names were read from. */
  readonly files: readonly RecognizedFile[];
}

/** Fraction of the rows held out as the test split when the files hold one set of rows only. */
export const HELD_OUT_TEST_FRACTION = 0.2;

type Kind = 'images' | 'labels' | 'cifar-binary' | 'cifar-python' | 'npy' | 'libsvm' | 'classes' | 'meta' | 'unknown';

interface Item {
  /** The last part of the name: what the rules look at. */
  readonly base: string;
  /** How messages about this file name it: the name as given, or 'member in archive'. */
  readonly label: string;
  /** How lists name it: the base name, or 'member (in archive)'. */
  readonly short: string;
  readonly file: RecognizedFile;
  readonly bytes: Uint8Array;
  readonly gzipped: boolean;
  readonly kind: Kind;
  /** Named as a test file (t10k…, test…). */
  readonly test: boolean;
}

const baseName = (name: string) => name.replace(/^.*[\\/]/, '');
const isTestName = (base: string) => /(^|[^a-z])(t10k|test)/i.test(base);
const SKIPPED = /^(readme\.html|\.ds_store|\._.*)$/i;
const MAX_ARCHIVE_DEPTH = 3;
const IDX_SLOTS = [
  { test: false, kind: 'images', text: 'training images', stem: 'train-images-idx3-ubyte' },
  { test: false, kind: 'labels', text: 'training labels', stem: 'train-labels-idx1-ubyte' },
  { test: true, kind: 'images', text: 'test images', stem: 't10k-images-idx3-ubyte' },
  { test: true, kind: 'labels', text: 'test labels', stem: 't10k-labels-idx1-ubyte' },
] as const;

/** The first `want` decompressed bytes of a gzip file, without decompressing all of it. A file
 *  that decompresses to fewer bytes, or fails early, is decompressed with the checked reader,
 *  which names the problem. */
function gunzipHead(bytes: Uint8Array, source: string, want: number): Uint8Array {
  const head = new Uint8Array(want);
  let got = 0;
  try {
    const g = new Gunzip((chunk) => {
      const k = Math.min(chunk.length, want - got);
      if (k > 0) head.set(chunk.subarray(0, k), got);
      got += k;
    });
    for (let p = 0; p < bytes.length && got < want; p += 16384) g.push(bytes.subarray(p, Math.min(bytes.length, p + 16384)), false);
  } catch {
    got = -1;
  }
  return got === want ? head : gunzipChecked(bytes, source);
}

function u32(b: Uint8Array): number {
  return b.length < 4 ? -1 : ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** What a file is: by its name for the names files, else by its (decompressed) bytes, then its name. */
function kindOf(base: string, head: Uint8Array): Kind {
  const stem = base.replace(/\.gz$/i, '');
  if (isPickle(head)) return 'cifar-python';
  if (isNpy(head)) return 'npy';
  if (/\.bin$/i.test(stem)) return 'cifar-binary';
  const magic = u32(head);
  if (magic === IDX_IMAGES_MAGIC) return 'images';
  if (magic === IDX_LABELS_MAGIC) return 'labels';
  if (/idx3-ubyte$/i.test(stem)) return 'images';
  if (/idx1-ubyte$/i.test(stem)) return 'labels';
  if (/^(data_batch_\d+|test_batch)$/i.test(stem)) return 'cifar-python';
  if (LIBSVM_NAME.test(stem) || looksLikeLibsvm(head)) return 'libsvm';
  return 'unknown';
}

const LIBSVM_NAME = /\.(svm|libsvm|svmlight)$/i;

/**
 * A first example line "label index:value …" (after comments and blank lines) in the file's first
 * 4 KiB; a line longer than that is judged by its complete tokens.
 */
function looksLikeLibsvm(head: Uint8Array): boolean {
  const cut = head.length >= 4096;
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const lines = new TextDecoder('latin1').decode(head.subarray(bom, 4096)).split('\n');
  for (let k = 0; k < lines.length; k++) {
    let line = lines[k]!.replace(/#.*$/, '').trim();
    if (k === lines.length - 1 && cut) line = line.replace(/[ \t]+\S*$/, ''); // the last token may be cut short
    if (line === '') continue;
    return /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?([ \t]+qid:\d+)?([ \t]+\d+:[^ \t:]+)+$/.test(line);
  }
  return false;
}

/** Every file, archives replaced by their members (recursively), each with its kind. */
function collect(files: readonly NamedBytes[], out: Item[], depth: number, archive?: { label: string; short: string; name: string }): void {
  for (const f of files) {
    const base = baseName(f.name);
    if (base === '' || SKIPPED.test(base) || (archive && f.bytes.length === 0)) continue;
    const label = archive ? `${f.name} in ${archive.label}` : f.name;
    const short = archive ? `${f.name} (in ${archive.short})` : base;
    const file: RecognizedFile = archive ? { name: f.name, archive: archive.name } : { name: f.name };
    const test = f.role !== undefined ? f.role === 'test' : isTestName(base) || /\.t(\.gz)?$/i.test(base);
    const item = (kind: Kind, gzipped = false): Item => ({ base, label, short, file, bytes: f.bytes, gzipped, kind, test });
    if (/^classes\.txt$/i.test(base)) { out.push(item('classes')); continue; }
    if (/^batches\.meta(\.txt)?$/i.test(base)) { out.push(item('meta')); continue; }
    const gzipped = isGzip(f.bytes);
    const head = gzipped ? gunzipHead(f.bytes, label, 4096) : f.bytes;
    if (isTar(head)) {
      if (depth >= MAX_ARCHIVE_DEPTH) { out.push(item('unknown', gzipped)); continue; }
      const members = readArchive(f.bytes, label).map((e) => ({ name: e.path, bytes: e.bytes }));
      collect(members, out, depth + 1, { label, short, name: archive ? label : f.name });
      continue;
    }
    if (!gzipped && isZip(head)) {
      // An .npz: its .npy members (and a classes.txt) are the files; nothing else in it is inflated.
      if (depth >= MAX_ARCHIVE_DEPTH) { out.push(item('unknown')); continue; }
      const members = readZip(f.bytes, label, (p) => /\.npy$/i.test(baseName(p)) || /^classes\.txt$/i.test(baseName(p)))
        .map((e) => ({ name: e.path, bytes: e.bytes }));
      if (members.length === 0) {
        throw new DataError(`${label} is a zip archive without .npy arrays: zip archives are read as .npz (x_train.npy, y_train.npy, … or X.npy, y.npy); ` +
          `extract ${short} first if it holds other files`);
      }
      collect(members, out, depth + 1, { label, short, name: archive ? label : f.name });
      continue;
    }
    out.push(item(kindOf(base, head), gzipped));
  }
}

function list(items: readonly Item[], max = 12): string {
  const shown = items.slice(0, max).map((i) => i.short).join(', ');
  return items.length > max ? `${shown}, … (${items.length} files)` : shown;
}

/**
 * Recognizes an IDX (MNIST / Fashion-MNIST layout) or CIFAR-10 (binary or python version) data
 * set among `files` and reads its training and test splits; see this module's comment for the
 * rules. Throws DataError for anything that is not one data set, naming the file and the problem.
 */
export function recognizeDataset(files: readonly NamedBytes[], options: RecognizeOptions): RecognizedDataset {
  const at = options.source !== undefined && options.source !== '' ? `${options.source}: ` : '';
  if (files.length === 0) throw new DataError(`${at}no files were given: nothing to read a data set from`);
  const items: Item[] = [];
  collect(files, items, 0);
  const idx = items.filter((i) => i.kind === 'images' || i.kind === 'labels');
  const binary = items.filter((i) => i.kind === 'cifar-binary');
  const python = items.filter((i) => i.kind === 'cifar-python');
  const npy = items.filter((i) => i.kind === 'npy');
  const libsvm = items.filter((i) => i.kind === 'libsvm');
  const unknown = items.filter((i) => i.kind === 'unknown');
  const source = at ? options.source! : [...new Set(files.map((f) => baseName(f.name)))].join(', ');
  const unknownText = (u: readonly Item[]) => {
    const zip = u.find((i) => /\.zip$/i.test(i.base));
    return `${list(u)}: not an IDX images or labels file (no IDX magic number 0x00000803 or 0x00000801, gzipped or ` +
      'not), a CIFAR-10 batch (binary data_batch_N.bin / test_batch.bin, or a python pickle), a numpy .npy array, a LIBSVM text file or a .tar / .tar.gz ' +
      `archive of them, or an .npz${zip ? `; ${zip.short} is named .zip but is not a zip archive` : ''}`;
  };

  if (idx.length > 0 && binary.length + python.length > 0) {
    throw new DataError(`${at}the files hold both IDX files (${list(idx)}) and CIFAR-10 batches ` +
      `(${list([...binary, ...python])}): read one data set at a time`);
  }
  if (npy.length > 0 && idx.length + binary.length + python.length > 0) {
    throw new DataError(`${at}the files hold both numpy arrays (${list(npy)}) and ${idx.length > 0 ? 'IDX files' : 'CIFAR-10 batches'}: read one data set at a time`);
  }
  if (libsvm.length > 0 && idx.length + binary.length + python.length + npy.length > 0) {
    throw new DataError(`${at}the files hold both LIBSVM files (${list(libsvm)}) and ${npy.length > 0 ? 'numpy arrays' : idx.length > 0 ? 'IDX files' : 'CIFAR-10 batches'}: read one data set at a time`);
  }
  if (npy.length > 0) return recognizeNpy(npy, items, unknown, options, at, files);
  if (libsvm.length > 0) return recognizeLibsvm(libsvm, items, unknown, options, at, files);
  if (idx.length === 0 && binary.length + python.length === 0) {
    if (unknown.length > 0) throw new DataError(`${at}no data set found: ${unknownText(unknown)}`);
    throw new DataError(`${at}no data set found: no IDX files, CIFAR-10 batches, numpy arrays or LIBSVM files among the files` +
      (items.length > 0 ? ` (only ${list(items)})` : ' (none left after skipping readme.html and the like)'));
  }

  const notes: string[] = [];
  const used: Item[] = [];
  const format = idx.length > 0 ? 'idx' as const : 'cifar-10' as const;
  const name = options.name ?? format;
  const cifarKind = binary.length > 0 ? 'binary' as const : 'python' as const;

  // Class names: given, or a names file, or assumed (with a note).
  const classesFiles = items.filter((i) => i.kind === 'classes');
  if (classesFiles.length > 1) throw new DataError(`${at}more than one classes.txt: ${list(classesFiles)}`);
  // batches.meta.txt belongs to the binary version, batches.meta to the python one: the read version's first.
  const metaRank = (i: Item) => (/\.txt$/i.test(i.base) === (cifarKind === 'binary') ? 0 : 1);
  const metas = items.filter((i) => i.kind === 'meta').sort((a, b) => metaRank(a) - metaRank(b));
  let classNames = options.classNames;
  if (!classNames) {
    const namesFile = classesFiles[0] ?? metas[0];
    if (namesFile) {
      const bytes = namesFile.bytes;
      classNames = isPickle(bytes) ? readCifar10PythonMeta(bytes, namesFile.label)
        : parseCifar10Meta(new TextDecoder().decode(bytes), namesFile.label);
      used.push(namesFile);
      if (namesFile === classesFiles[0] && metas.length > 0) {
        notes.push(`class names from ${namesFile.short}; ${list(metas)} not used`);
      }
    }
  }
  if (!classNames && format === 'cifar-10') {
    classNames = CIFAR10_CLASS_NAMES;
    notes.push("class names: CIFAR-10's, assumed (no batches.meta, batches.meta.txt or classes.txt among the files)");
  }
  const guessHints = () => [options.name, ...idx.map((i) => i.base),
    ...idx.map((i) => (i.file.archive !== undefined ? baseName(i.file.archive) : undefined)), options.source]
    .filter((h): h is string => h !== undefined && h !== '');
  if (!classNames) {
    const hint = guessHints().find((h) => /fashion|mnist/i.test(h));
    const fashion = hint === undefined || /fashion/i.test(hint);
    classNames = fashion ? FASHION_MNIST_CLASS_NAMES : MNIST_CLASS_NAMES;
    const what = fashion ? "Fashion-MNIST's" : "MNIST's digits 0–9";
    const why = hint === undefined ? "assumed (no 'fashion' or 'mnist' in the names)"
      : `guessed from '${fashion ? 'fashion' : 'mnist'}' in ${hint}`;
    notes.push(`class names: ${what}, ${why}; add a classes.txt (one name per line) to name them`);
  }
  const names = classNames;

  const holdOut = (all: ImageDataset, testNamed: boolean): { train: ImageDataset; test: ImageDataset } => {
    if (all.n < 3) {
      throw new DataError(`${at}only ${all.n} row${all.n === 1 ? '' : 's'} (${list(used.filter((i) => i.kind !== 'classes' && i.kind !== 'meta'))}) ` +
        `and no separate ${testNamed ? 'training' : 'test'} file: too few to hold out ${HELD_OUT_TEST_FRACTION * 100} % as the test split`);
    }
    const split = splitTrainValidation(all, { validation: HELD_OUT_TEST_FRACTION, rng: new Random(options.seed).fork('test-split') });
    const held = `${split.validation.n} of ${all.n} rows (${HELD_OUT_TEST_FRACTION * 100} %) held out as the test split`;
    notes.push(testNamed ? `only test files, no training file: ${held}, the other ${split.train.n} used for training`
      : `no separate test file: ${held}`);
    return { train: { ...split.train, name: `${name}/train` }, test: { ...split.validation, name: `${name}/test` } };
  };
  const sameSize = (train: ImageDataset, test: ImageDataset) => {
    const a = train.image, b = test.image;
    if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
      const dims = (s: ImageShape) => `${s.height}×${s.width}${s.channels > 1 ? `×${s.channels}` : ''}`;
      throw new DataError(`${at}training images are ${dims(a)} but test images are ${dims(b)}: ` +
        'training and test images must be the same size');
    }
  };
  const result = (split: { train: ImageDataset; test: ImageDataset }): RecognizedDataset => {
    if (unknown.length > 0) {
      notes.push(`ignored ${unknown.length === 1 ? 'a file that is' : `${unknown.length} files that are`} not part of the data set: ${list(unknown)}`);
    }
    return { name, format, source, train: split.train, test: split.test, notes, files: used.map((i) => i.file) };
  };
  const unrecognized = unknown.length > 0 ? `; not recognized: ${unknownText(unknown)}` : '';

  if (format === 'idx') {
    const slots = IDX_SLOTS.map((s) => ({ ...s, items: idx.filter((i) => i.kind === s.kind && i.test === s.test) }));
    const testGiven = slots.some((s) => s.test && s.items.length > 0);
    for (const s of slots) {
      if (s.items.length > 1) {
        throw new DataError(`${at}more than one ${s.text} file: ${list(s.items)}` +
          (!s.test && !testGiven ? ' (the test pair is told apart by its names: t10k-… or test-…)' : ''));
      }
    }
    const [ti, tl, si, sl] = slots.map((s) => s.items[0]);
    const missing = slots.filter((s) => s.items.length === 0 && slots.some((o) => o.test === s.test && o.items.length > 0))
      .map((s) => `the ${s.text} file (such as ${s.stem}[.gz])`);
    if (missing.length > 0) {
      throw new DataError(`${at}incomplete IDX data set: missing ${missing.join(' and ')}: IDX files come in pairs, ` +
        `an images file and its labels file (a training pair, and optionally a test pair named t10k-… or test-…); ` +
        `found ${list(idx)}${unrecognized}`);
    }
    const read = (img: Item, lab: Item, dsName: string) => {
      used.push(img, lab);
      return readIdxDataset(img.bytes, img.label, lab.bytes, lab.label, { name: dsName, classNames: names });
    };
    if (ti && tl && si && sl) {
      const train = read(ti, tl, `${name}/train`);
      const test = read(si, sl, `${name}/test`);
      sameSize(train, test);
      return result({ train, test });
    }
    const testNamed = !ti;
    return result(holdOut(testNamed ? read(si!, sl!, name) : read(ti!, tl!, name), testNamed));
  }

  // CIFAR-10: one version, its data batches numbered from 1 without gaps, at most one test batch.
  const batches = cifarKind === 'binary' ? binary : python;
  if (binary.length > 0 && python.length > 0) {
    notes.push(`both CIFAR-10 versions among the files: read the binary batches, ignored the python ones (${list(python)})`);
  }
  const ext = cifarKind === 'binary' ? '.bin' : '';
  const stem = (i: Item) => i.base.replace(/\.gz$/i, '').replace(/\.bin$/i, '');
  const seen = new Map<string, Item>();
  for (const b of batches) {
    const other = seen.get(stem(b));
    if (other) throw new DataError(`${at}${stem(b)}${ext} is given twice: ${other.short} and ${b.short}`);
    seen.set(stem(b), b);
  }
  const tests = batches.filter((i) => i.test);
  const trains = batches.filter((i) => !i.test).sort((a, b) => a.base.localeCompare(b.base, 'en', { numeric: true }));
  if (tests.length > 1) throw new DataError(`${at}more than one CIFAR-10 test batch: ${list(tests)}`);
  const numbers = trains.map((i) => /^data_batch_(\d+)$/i.exec(stem(i))?.[1]).filter((m): m is string => m !== undefined).map(Number);
  const last = numbers.length > 0 ? Math.max(...numbers) : 0;
  const gaps: string[] = [];
  for (let k = 1; k <= last; k++) if (!numbers.includes(k)) gaps.push(`data_batch_${k}${ext}`);
  if (gaps.length > 0) {
    throw new DataError(`${at}incomplete CIFAR-10 ${cifarKind} data set: missing ${gaps.join(', ')} ` +
      `(data batches are numbered from 1 without gaps; found ${list(batches)})`);
  }
  const readBatch = (i: Item, dsName?: string) => {
    used.push(i);
    const bytes = i.gzipped ? gunzipChecked(i.bytes, i.label) : i.bytes;
    const o = dsName === undefined ? { classNames: names } : { classNames: names, name: dsName };
    return cifarKind === 'binary' ? readCifar10Batch(bytes, i.label, o) : readCifar10PythonBatch(bytes, i.label, o);
  };
  const trainName = numbers.length === trains.length && trains.length > 0
    ? `data_batch_${last === 1 ? '1' : `1..${last}`}` : trains.map(stem).join('+');
  const test = tests[0];
  if (trains.length > 0 && test) {
    const train = concatDatasets(trains.map((i) => readBatch(i)), `${name}/${trainName}`);
    const testSet = readBatch(test, `${name}/${stem(test)}`);
    sameSize(train, testSet);
    return result({ train, test: testSet });
  }
  if (trains.length > 0) return result(holdOut(concatDatasets(trains.map((i) => readBatch(i)), name), false));
  return result(holdOut(readBatch(test!, name), true));
}

/** The .npy names read, by the Keras convention, and one set of rows as X and y. */
const NPY_SLOTS = { xTrain: 'x_train', yTrain: 'y_train', xTest: 'x_test', yTest: 'y_test', x: 'x', y: 'y' } as const;

/** A data set of numpy arrays (see the module comment); `npy` are the .npy files found. */
function recognizeNpy(npy: readonly Item[], items: readonly Item[], unknown: readonly Item[], options: RecognizeOptions, at: string,
  files: readonly NamedBytes[]): RecognizedDataset {
  const stemOf = (i: Item) => i.base.replace(/\.gz$/i, '').replace(/\.npy$/i, '').toLowerCase();
  const slot = (stem: string): Item | undefined => {
    const found = npy.filter((i) => stemOf(i) === stem);
    if (found.length > 1) throw new DataError(`${at}more than one ${stem}.npy: ${list(found)}`);
    return found[0];
  };
  const [xTrain, yTrain, xTest, yTest, x, y] = Object.values(NPY_SLOTS).map(slot);
  const named = new Set<Item>([xTrain, yTrain, xTest, yTest, x, y].filter((i): i is Item => i !== undefined));
  const others = npy.filter((i) => !named.has(i));
  const expected = 'x_train.npy and y_train.npy (images or features, and labels; optionally x_test.npy and y_test.npy), or X.npy and y.npy';
  if (others.length > 0) throw new DataError(`${at}numpy arrays named ${list(others)}: expected ${expected}`);
  const pairs: [Item | undefined, Item | undefined, string][] = [[xTrain, yTrain, 'training'], [xTest, yTest, 'test'], [x, y, 'X/y']];
  for (const [a, b, what] of pairs) {
    if ((a === undefined) !== (b === undefined)) {
      throw new DataError(`${at}incomplete numpy data set: ${(a ?? b)!.short} without its ${a ? 'labels' : 'images'} (${what}): expected ${expected}`);
    }
  }
  if ((xTrain || xTest) && x) throw new DataError(`${at}both ${x.short} and ${(xTrain ?? xTest)!.short}: give x_train/y_train (and x_test/y_test), or X/y, not both`);
  if (!xTrain && !x) throw new DataError(`${at}no training arrays among ${list(npy)}: expected ${expected}`);

  const notes: string[] = [];
  const used: Item[] = [];
  const name = options.name ?? 'npy';
  const source = at ? options.source! : [...new Set(files.map((f) => baseName(f.name)))].join(', ');
  const read = (i: Item) => {
    used.push(i);
    return readNpy(i.gzipped ? gunzipChecked(i.bytes, i.label) : i.bytes, i.label);
  };
  const load = (img: Item, lab: Item) => {
    const images = read(img);
    const { n } = npyRows(images);
    return { images, labels: npyLabels(read(lab), n, img.label), labelsSource: lab.label };
  };
  const sets = (x ? [load(x, y!)] : [load(xTrain!, yTrain!), ...(xTest ? [load(xTest, yTest!)] : [])]);
  for (const s of sets) {
    const dtype = s.images.header.dtype;
    if (dtype !== 'uint8' && dtype !== 'float32' && dtype !== 'float64') {
      notes.push(`${s.images.source} holds ${dtype}: read as features (images must be uint8 pixel bytes)`);
    }
  }

  const classesFiles = items.filter((i) => i.kind === 'classes');
  if (classesFiles.length > 1) throw new DataError(`${at}more than one classes.txt: ${list(classesFiles)}`);
  let classNames = options.classNames;
  let namesSource = 'the classNames option';
  if (!classNames && classesFiles[0]) {
    classNames = parseCifar10Meta(new TextDecoder().decode(classesFiles[0].bytes), classesFiles[0].label);
    namesSource = classesFiles[0].short;
    used.push(classesFiles[0]);
  }
  if (!classNames) {
    const found = labelValueNames(sets.map((s) => s.labels));
    classNames = found.classNames;
    notes.push(found.note);
  }
  const names = classNames;
  const dataset = (s: (typeof sets)[number], dsName: string) => npyDataset(dsName, s.images, s.labels, s.labelsSource, names, namesSource);
  let train: Dataset, test: Dataset;
  if (sets.length === 2) {
    train = dataset(sets[0]!, `${name}/train`);
    test = dataset(sets[1]!, `${name}/test`);
    if (train.kind !== test.kind) {
      throw new DataError(`${at}the training arrays hold ${train.kind ?? 'images'} but the test arrays hold ${test.kind ?? 'images'} (uint8 arrays are images, other numbers features)`);
    }
    const a = train.image, b = test.image;
    if (a && b && (a.height !== b.height || a.width !== b.width || a.channels !== b.channels)) {
      throw new DataError(`${at}training images are ${a.height}×${a.width}×${a.channels} but test images are ${b.height}×${b.width}×${b.channels}: ` +
        'training and test images must be the same size');
    }
    if (train.features !== test.features) {
      throw new DataError(`${at}training rows have ${train.features} features but test rows have ${test.features}: they must have the same`);
    }
  } else {
    const all = dataset(sets[0]!, name);
    if (all.n < 3) throw new DataError(`${at}only ${all.n} row${all.n === 1 ? '' : 's'} and no test arrays: too few to hold out ${HELD_OUT_TEST_FRACTION * 100} % as the test split`);
    const split = splitTrainValidation(all, { validation: HELD_OUT_TEST_FRACTION, rng: new Random(options.seed).fork('test-split') });
    notes.push(`no test arrays: ${split.validation.n} of ${all.n} rows (${HELD_OUT_TEST_FRACTION * 100} %) held out as the test split`);
    train = { ...split.train, name: `${name}/train` };
    test = { ...split.validation, name: `${name}/test` };
  }
  if (unknown.length > 0) {
    notes.push(`ignored ${unknown.length === 1 ? 'a file that is' : `${unknown.length} files that are`} not part of the data set: ${list(unknown)}`);
  }
  return { name, format: 'npy', source, train, test, notes, files: used.map((i) => i.file) };
}

/** A data set of LIBSVM files (see the module comment): one training file, at most one test file. */
function recognizeLibsvm(found: readonly Item[], items: readonly Item[], unknown: readonly Item[], options: RecognizeOptions, at: string,
  files: readonly NamedBytes[]): RecognizedDataset {
  const trains = found.filter((i) => !i.test), tests = found.filter((i) => i.test);
  if (trains.length > 1) throw new DataError(`${at}${trains.length} LIBSVM training files (${list(trains)}): give one training file and at most one test file`);
  if (tests.length > 1) throw new DataError(`${at}${tests.length} LIBSVM test files (${list(tests)}): give one training file and at most one test file`);
  const notes: string[] = [];
  const used: Item[] = [...trains, ...tests];
  const first = trains[0] ?? tests[0]!;
  const name = options.name ?? first.base.replace(/\.gz$/i, '').replace(/\.(svm|libsvm|svmlight|txt|t)$/i, '');
  const source = at ? options.source! : [...new Set(files.map((f) => baseName(f.name)))].join(', ');
  const classesFiles = items.filter((i) => i.kind === 'classes');
  if (classesFiles.length > 1) throw new DataError(`${at}more than one classes.txt: ${list(classesFiles)}`);
  let classNames = options.classNames;
  if (!classNames && classesFiles[0]) {
    classNames = parseCifar10Meta(new TextDecoder().decode(classesFiles[0].bytes), classesFiles[0].label);
    used.push(classesFiles[0]);
  }
  const read = readLibsvm(used.filter((i) => i.kind === 'libsvm').map((i) => ({ bytes: i.gzipped ? gunzipChecked(i.bytes, i.label) : i.bytes,
    source: i.label, name: i.test ? `${name}/test` : `${name}/train` })), classNames ? { classNames } : {});
  notes.push(...read.notes);
  let train: Dataset, test: Dataset;
  if (trains.length === 1 && tests.length === 1) {
    [train, test] = read.sets as [Dataset, Dataset];
  } else {
    const all = read.sets[0]!;
    if (all.n < 3) throw new DataError(`${at}only ${all.n} row${all.n === 1 ? '' : 's'} in ${first.short} and no test file: too few to hold out ${HELD_OUT_TEST_FRACTION * 100} % as the test split`);
    const split = splitTrainValidation(all, { validation: HELD_OUT_TEST_FRACTION, rng: new Random(options.seed).fork('test-split') });
    notes.push(`${trains.length === 0 ? `only a test file, no training file: ${first.short} split` : 'no test file'}: ${split.validation.n} of ${all.n} rows (${HELD_OUT_TEST_FRACTION * 100} %) held out as the test split`);
    train = { ...split.train, name: `${name}/train` };
    test = { ...split.validation, name: `${name}/test` };
  }
  if (unknown.length > 0) {
    notes.push(`ignored ${unknown.length === 1 ? 'a file that is' : `${unknown.length} files that are`} not part of the data set: ${list(unknown)}`);
  }
  return { name, format: 'libsvm', source, train, test, notes, files: used.map((i) => i.file) };
}
