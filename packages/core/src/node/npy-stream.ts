/**
 * A numpy folder read where it lies, for training larger than memory: the image (uint8) or
 * feature (float32, float64) arrays stay on disk and are read by row ranges at their offsets
 * (ByteRows); the labels, 4 bytes a row once read, are held. The folder's rules are loadNpyFolder's (the same names, class names, held-out
 * test rows); the arrays must be uncompressed .npy (a .npy.gz cannot be read at an offset).
 */
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { readSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkRead, pickRows, type ByteRows } from '../data/byte-rows.js';
import { parseCifar10Meta } from '../data/cifar10.js';
import { gunzipChecked } from '../data/gzip.js';
import { MAX_NPY_HEADER_BYTES, readNpy, readNpyHeader, type NpyHeader } from '../data/npy.js';
import { labelValueNames, npyLabels, npyRows } from '../data/npy-dataset.js';
import { HELD_OUT_TEST_FRACTION } from '../data/recognize.js';
import { splitIndices } from '../data/split.js';
import type { StreamedDtype, StreamedSet } from '../data/streamed.js';
import { checkLabels, type ImageShape } from '../data/dataset.js';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import { listFolder, NPY_ARRAYS } from './load.js';

/** A numpy folder opened for streaming: its splits, notes, and close() for the open files. */
export interface StreamedFolder {
  readonly name: string;
  readonly format: 'npy';
  readonly folder: string;
  readonly train: StreamedSet;
  readonly test: StreamedSet;
  readonly notes: readonly string[];
  /** The image files' total size in bytes. */
  readonly bytes: number;
  close(): Promise<void>;
}

/** An uncompressed .npy file of uint8 images or float features as rows (ByteRows: features = bytes per row), read at their offsets; close() when done. */
export interface NpyFileRows extends ByteRows {
  readonly header: NpyHeader;
  /** uint8 arrays: the images' shape. */
  readonly image?: ImageShape | undefined;
  /** float32 and float64 arrays: features, N×F (trailing sizes flattened). */
  readonly values?: { readonly dtype: StreamedDtype; readonly features: number } | undefined;
  close(): Promise<void>;
}

/** Opens an .npy of uint8 images (N×H×W×C, N×H×W or N×F) or float32/float64 features (N×F) for reading rows; only its header is read now. */
export async function openNpyRows(path: string): Promise<NpyFileRows> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new DataError(`cannot open ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const size = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(size, MAX_NPY_HEADER_BYTES + 12));
    await readFully(handle, head, 0, path);
    const header = readNpyHeader(head, path, size);
    const found = npyRows({ source: path, header });
    if (found.kind === 'features' && header.dtype !== 'float32' && header.dtype !== 'float64') {
      throw new DataError(`${path}: ${header.dtype} features are not streamed: stream uint8 images or float32/float64 features (array.astype(np.float32))`);
    }
    const n = found.n, features = found.features * header.itemSize; // bytes per row
    const kind = found.kind === 'images' ? { image: found.image } : { values: { dtype: header.dtype as StreamedDtype, features: found.features } };
    const base = header.dataOffset, fd = handle.fd;
    const what = basename(path);
    return {
      header, ...kind, n, features,
      async read(start, count, into) {
        checkRead(n, features, start, count, into, what);
        await readFully(handle, into.subarray(0, count * features), base + start * features, path);
      },
      readSync(start, count, into) {
        checkRead(n, features, start, count, into, what);
        const part = into.subarray(0, count * features);
        let done = 0;
        while (done < part.length) {
          const got = readSync(fd, part, done, part.length - done, base + start * features + done);
          if (got === 0) throw new DataError(`${path}: the file ended while reading rows ${start}..${start + count - 1} (was it truncated after it was opened?)`);
          done += got;
        }
      },
      close: () => handle.close(),
    };
  } catch (e) {
    await handle.close().catch(() => undefined); // the first error is the one to report
    throw e;
  }
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < into.length) {
    let got: number;
    try {
      ({ bytesRead: got } = await handle.read(into, done, into.length - done, position + done));
    } catch (e) {
      throw new DataError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
    }
    if (got === 0) throw new DataError(`${path}: the file ended at byte ${position + done} (was it truncated after it was opened?)`);
    done += got;
  }
}

/** The most bytes a label file may have when read whole: 1 GiB (an int64 per row for 134 M rows). */
const MAX_LABEL_FILE_BYTES = 2 ** 30;

/**
 * Opens a numpy folder for streaming (see the module comment): x_train.npy and y_train.npy
 * (and x_test.npy, y_test.npy), or X.npy and y.npy with a seeded 20 % held out as the test split
 * (`seed`, default 1: the rows loadNpyFolder holds out); classes.txt names the classes, else the
 * label values do.
 */
export async function openNpyFolder(dir: string, options: { seed?: number; classNames?: readonly string[] } = {}): Promise<StreamedFolder> {
  const folder = resolve(dir);
  if (/\.(npz|zip)$/i.test(folder) && (await stat(folder).catch(() => undefined))?.isFile()) {
    throw new DataError(`${folder} is an .npz: its arrays cannot be read at an offset (a zip's members may be compressed), so it is not streamed; ` +
      `read it without --stream, or save the arrays as .npy files in a folder (np.save) to stream them`);
  }
  const entries = await listFolder(folder, dir);
  const find = (stem: string) => entries.find((e) => e.toLowerCase() === `${stem}.npy`);
  const zipped = entries.filter((e) => /^(x_train|x_test|x)\.npy\.gz$/i.test(e));
  if (zipped.length > 0) {
    throw new DataError(`${folder}: ${zipped.join(', ')} ${zipped.length === 1 ? 'is' : 'are'} gzipped: streaming reads rows where they lie, ` +
      `which a compressed file does not allow; gunzip ${zipped.length === 1 ? 'it' : 'them'} first (gunzip -k ${zipped[0]})`);
  }
  const others = entries.filter((e) => /\.npy(\.gz)?$/i.test(e) && !NPY_ARRAYS.test(e));
  if (others.length > 0) {
    throw new DataError(`${folder}: numpy arrays named ${others.slice(0, 12).join(', ')}: expected x_train.npy and y_train.npy ` +
      '(optionally x_test.npy and y_test.npy), or X.npy and y.npy; move the others out of the folder');
  }
  const [xTrain, xTest, x] = ['x_train', 'x_test', 'x'].map(find);
  const labelsOf = (stem: string) => find(stem) ?? entries.find((e) => e.toLowerCase() === `${stem}.npy.gz`);
  const pairs: [string | undefined, string | undefined, string][] = [[xTrain, labelsOf('y_train'), 'x_train'], [xTest, labelsOf('y_test'), 'x_test'], [x, labelsOf('y'), 'X']];
  for (const [images, labels, stem] of pairs) {
    if (images && !labels) throw new DataError(`${folder}: ${images} without its labels (${stem === 'X' ? 'y' : stem.replace('x', 'y')}.npy)`);
  }
  if ((xTrain || xTest) && x) throw new DataError(`${folder}: both ${x} and ${xTrain ?? xTest}: give x_train/y_train (and x_test/y_test), or X/y, not both`);
  if (!xTrain && !x) {
    throw new DataError(`${folder}: no uncompressed training images to stream: looked for x_train.npy (with y_train.npy) or X.npy (with y.npy); ` +
      `the folder holds ${entries.slice(0, 12).join(', ') || 'nothing'}`);
  }
  const opened: NpyFileRows[] = [];
  const close = async () => { for (const f of opened) await f.close().catch(() => undefined); };
  try {
    const load = async (images: string, labelsName: string) => {
      const rows = await openNpyRows(join(folder, images));
      opened.push(rows);
      const labelsPath = join(folder, labelsName);
      const size = (await stat(labelsPath)).size;
      if (size > MAX_LABEL_FILE_BYTES) throw new DataError(`${labelsPath}: ${size} bytes is more than the ${MAX_LABEL_FILE_BYTES} a label file may have`);
      let bytes: Uint8Array = new Uint8Array(await readFile(labelsPath));
      if (/\.gz$/i.test(labelsName)) bytes = gunzipChecked(bytes, labelsPath);
      return { rows, labelsPath, labels: npyLabels(readNpy(bytes, labelsPath), rows.n, join(folder, images)) };
    };
    const sets = x ? [await load(x, labelsOf('y')!)] : [await load(xTrain!, labelsOf('y_train')!), ...(xTest ? [await load(xTest, labelsOf('y_test')!)] : [])];
    const notes: string[] = [];
    let classNames = options.classNames;
    const names = entries.find((e) => e === 'classes.txt');
    if (!classNames && names) classNames = parseCifar10Meta(await readFile(join(folder, names), 'utf8'), join(folder, names));
    if (!classNames) {
      const found = labelValueNames(sets.map((s) => s.labels));
      classNames = found.classNames;
      notes.push(found.note);
    }
    // Labels beyond the classes named, found here with the file and the row, not when a block is placed.
    for (const s of sets) checkLabels(s.labels, classNames.length, s.labelsPath);
    const name = basename(folder);
    const set = (setName: string, rows: ByteRows, labels: Int32Array, of: NpyFileRows): StreamedSet =>
      ({ name: setName, rows, labels, ...(of.image ? { image: of.image } : { values: of.values }), classNames: classNames! });
    let train: StreamedSet, test: StreamedSet;
    if (sets.length === 2) {
      const [ra, rb] = [sets[0]!.rows, sets[1]!.rows];
      if (!ra.image !== !rb.image) {
        throw new DataError(`${folder}: the training array holds ${ra.image ? 'images' : 'features'} but the test array holds ${rb.image ? 'images' : 'features'} (uint8 arrays are images, float arrays features)`);
      }
      const [a, b] = [ra.image, rb.image];
      if (a && b && (a.height !== b.height || a.width !== b.width || a.channels !== b.channels)) {
        throw new DataError(`${folder}: training images are ${a.height}×${a.width}×${a.channels} but test images are ${b.height}×${b.width}×${b.channels}: ` +
          'training and test images must be the same size');
      }
      if (ra.values && rb.values && ra.values.features !== rb.values.features) {
        throw new DataError(`${folder}: training rows have ${ra.values.features} features but test rows have ${rb.values.features}: they must have the same`);
      }
      train = set(`${name}/train`, ra, sets[0]!.labels, ra);
      test = set(`${name}/test`, rb, sets[1]!.labels, rb);
    } else {
      const all = sets[0]!;
      if (all.rows.n < 3) throw new DataError(`${folder}: only ${all.rows.n} rows and no test arrays: too few to hold out ${HELD_OUT_TEST_FRACTION * 100} % as the test split`);
      // loadNpyFolder's rows: the same permutation from the same seed.
      const split = splitIndices(all.rows.n, { validation: HELD_OUT_TEST_FRACTION, rng: new Random(options.seed ?? 1).fork('test-split') }, name);
      notes.push(`no test arrays: ${split.validationIndices.length} of ${all.rows.n} rows (${HELD_OUT_TEST_FRACTION * 100} %) held out as the test split`);
      const pickLabels = (idx: Int32Array) => Int32Array.from(idx, (i) => all.labels[i]!);
      train = set(`${name}/train`, pickRows(all.rows, split.trainIndices), pickLabels(split.trainIndices), all.rows);
      test = set(`${name}/test`, pickRows(all.rows, split.validationIndices), pickLabels(split.validationIndices), all.rows);
    }
    const bytes = opened.reduce((sum, f) => sum + f.header.dataBytes, 0);
    return { name, format: 'npy', folder, train, test, notes, bytes, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Image bytes above which the CLI streams a numpy folder unless told (1 GiB: a third of Node's largest typed array). */
export const STREAM_ABOVE = 2 ** 30;

/**
 * The size of a folder's uncompressed numpy training images (x_train.npy or X.npy, named in any
 * case, as openNpyFolder and loadNpyFolder match them), or undefined when it has none or is not
 * a folder.
 */
export async function npyTrainingBytes(dir: string): Promise<number | undefined> {
  let entries: string[];
  try {
    entries = await readdir(resolve(dir));
  } catch {
    return undefined;
  }
  const name = entries.find((e) => /^(x_train|x)\.npy$/i.test(e));
  if (name === undefined) return undefined;
  try {
    const s = await stat(join(resolve(dir), name));
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}
