/**
 * Data sets in the browser: the embedded Fashion-MNIST subset (fetched from the build's
 * data/ folder) or files the user opened, told apart by their names and bytes, parsed with
 * core's readers. Then core's prepareSplits, the recipe the CLI uses too: split off validation
 * rows with the seed's 'split' stream, fit the preprocessing on the training rows only, and
 * build the design matrices.
 */
import {
  CIFAR10_CLASS_NAMES, concatDatasets, DataError, FASHION_MNIST_CLASS_NAMES,
  IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, isPickle, isTar, maybeGunzip, MNIST_CLASS_NAMES, parseCifar10Meta, prepareSplits,
  Random, readArchive, readCifar10Batch, readCifar10PythonBatch, readCifar10PythonMeta, readIdxDataset, splitTrainValidation,
  type Dataset, type Preprocessing, type PreparedSplits,
} from '@descent/core';

/** The four files of the embedded subset, as packages/core/data/fashion-mnist-subset holds them. */
export const EMBEDDED_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz', trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz', testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export const EMBEDDED_NAME = 'fashion-mnist-subset';

/** A data set with training and test splits, before validation is split off. */
export interface RawData {
  readonly name: string;
  readonly source: string;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly notes: readonly string[];
}

export interface NamedBytes { readonly name: string; readonly bytes: Uint8Array }

/** Fraction of the rows held out as the test split when the user opened no test file. */
export const HELD_OUT_TEST = 0.2;

export function embeddedData(files: Record<keyof typeof EMBEDDED_FILES, Uint8Array>): RawData {
  const opts = { classNames: FASHION_MNIST_CLASS_NAMES };
  const train = readIdxDataset(files.trainImages, EMBEDDED_FILES.trainImages, files.trainLabels, EMBEDDED_FILES.trainLabels,
    { ...opts, name: `${EMBEDDED_NAME}/train` });
  const test = readIdxDataset(files.testImages, EMBEDDED_FILES.testImages, files.testLabels, EMBEDDED_FILES.testLabels,
    { ...opts, name: `${EMBEDDED_NAME}/test` });
  return { name: EMBEDDED_NAME, source: 'embedded Fashion-MNIST subset (packages/core/data/fashion-mnist-subset)', train, test, notes: [] };
}

function baseName(name: string): string {
  return name.replace(/^.*[\\/]/, '');
}

/** IDX kind from the magic number (after gunzip), or undefined. */
function idxKind(bytes: Uint8Array, name: string): 'images' | 'labels' | undefined {
  let raw: Uint8Array;
  try {
    raw = maybeGunzip(bytes, name).bytes;
  } catch {
    return undefined;
  }
  if (raw.length < 4) return undefined;
  const magic = ((raw[0]! << 24) | (raw[1]! << 16) | (raw[2]! << 8) | raw[3]!) >>> 0;
  return magic === IDX_IMAGES_MAGIC ? 'images' : magic === IDX_LABELS_MAGIC ? 'labels' : undefined;
}

const isTestName = (n: string) => /(^|[^a-z])(t10k|test)/i.test(n);

/** A .tar or .tar.gz (told apart by content: gzip, then a tar header) is replaced by its files. */
function expandArchives(files: readonly NamedBytes[]): NamedBytes[] {
  return files.flatMap((f) => {
    let tar = isTar(f.bytes);
    if (!tar && f.bytes[0] === 0x1f && f.bytes[1] === 0x8b) {
      try {
        tar = isTar(maybeGunzip(f.bytes, f.name).bytes);
      } catch {
        tar = false; // not readable as gzip: the IDX reader below names the problem
      }
    }
    if (!tar) return [f];
    return readArchive(f.bytes, f.name)
      .filter((e) => e.bytes.length > 0)
      .map((e) => ({ name: `${baseName(e.path)}`, bytes: e.bytes }));
  });
}

/**
 * Reads files the user opened: IDX images + labels (gzipped or not; a train pair and a test
 * pair, or one pair whose last 20 % become the test split), or CIFAR-10 batches as the course
 * ships them: binary (data_batch_*.bin, test_batch.bin, optional batches.meta.txt) or python
 * pickles (data_batch_*, test_batch, optional batches.meta), loose or inside their .tar.gz.
 * Optional classes.txt: class names one per line. Every problem is a DataError naming the file.
 */
export function userData(files: readonly NamedBytes[], seed: number): RawData {
  if (files.length === 0) throw new DataError('no files were opened');
  const named = expandArchives(files.map((f) => ({ ...f, name: baseName(f.name) })))
    .filter((f) => !/^(readme\.html|\.ds_store)$/i.test(f.name));
  const classesTxt = named.find((f) => /^classes\.txt$/i.test(f.name));
  const meta = named.find((f) => /^batches\.meta(\.txt)?$/i.test(f.name));
  const rest = named.filter((f) => f !== classesTxt && f !== meta);
  const namesFrom = (f: NamedBytes | undefined) => (!f ? undefined : isPickle(f.bytes)
    ? readCifar10PythonMeta(f.bytes, f.name) : parseCifar10Meta(new TextDecoder().decode(f.bytes), f.name));

  const isCifar = (f: NamedBytes) => /\.bin$/i.test(f.name) || isPickle(f.bytes);
  const cifar = rest.filter(isCifar);
  const idx = rest.filter((f) => !isCifar(f)).map((f) => ({ ...f, kind: idxKind(f.bytes, f.name) }));
  const unknown = idx.filter((f) => f.kind === undefined);
  if (cifar.length > 0 && idx.length > 0) {
    throw new DataError(`open either IDX files or CIFAR-10 .bin batches, not both (got ${rest.map((f) => f.name).join(', ')})`);
  }
  if (cifar.length > 0) return cifarData(cifar, namesFrom(meta) ?? namesFrom(classesTxt), seed);
  if (unknown.length > 0) {
    throw new DataError(`${unknown.map((f) => f.name).join(', ')}: not an IDX images or labels file (no IDX magic number 0x00000803 or ` +
      `0x00000801, gzipped or not) and not a CIFAR-10 .bin batch; open IDX pairs such as train-images-idx3-ubyte.gz + ` +
      `train-labels-idx1-ubyte.gz, or CIFAR-10 data_batch_*.bin / test_batch.bin`);
  }
  return idxData(idx as (NamedBytes & { kind: 'images' | 'labels' })[], namesFrom(classesTxt), seed);
}

function idxData(files: readonly (NamedBytes & { kind: 'images' | 'labels' })[], names: readonly string[] | undefined,
  seed: number): RawData {
  const images = files.filter((f) => f.kind === 'images');
  const labels = files.filter((f) => f.kind === 'labels');
  if (images.length === 0 || labels.length === 0 || images.length !== labels.length || images.length > 2) {
    throw new DataError(`IDX files come in pairs (an images file and its labels file; at most a train pair and a test pair): got ` +
      `${images.length} images file(s) and ${labels.length} labels file(s) (${files.map((f) => f.name).join(', ')})`);
  }
  const all = files.map((f) => f.name).join(' ');
  const classNames = names ?? (/fashion/i.test(all) ? FASHION_MNIST_CLASS_NAMES : /mnist/i.test(all) ? MNIST_CLASS_NAMES : FASHION_MNIST_CLASS_NAMES);
  const notes: string[] = [];
  if (!names) notes.push(`class names: ${classNames === MNIST_CLASS_NAMES ? 'MNIST digits' : 'Fashion-MNIST'} (add a classes.txt to name them)`);
  const pick = (list: readonly NamedBytes[], test: boolean) => list.find((f) => isTestName(f.name) === test);
  const read = (img: NamedBytes, lab: NamedBytes, split: string) =>
    readIdxDataset(img.bytes, img.name, lab.bytes, lab.name, { name: `idx/${split}`, classNames });
  if (images.length === 2) {
    const ti = pick(images, false), tl = pick(labels, false), si = pick(images, true), sl = pick(labels, true);
    if (!ti || !tl || !si || !sl) {
      throw new DataError(`two IDX pairs, but the test pair is not told apart by its names (t10k-… or test-…): ${all}`);
    }
    const train = read(ti, tl, 'train');
    const test = read(si, sl, 'test');
    if (train.features !== test.features) {
      throw new DataError(`training images are ${train.image.height}×${train.image.width} but test images are ${test.image.height}×${test.image.width}`);
    }
    return { name: 'idx', source: all, train, test, notes };
  }
  const one = read(images[0]!, labels[0]!, 'all');
  return { name: 'idx', source: all, ...holdOutTest(one, seed, notes), notes };
}

function cifarData(files: readonly NamedBytes[], names: readonly string[] | undefined, seed: number): RawData {
  const classNames = names ?? CIFAR10_CLASS_NAMES;
  const notes: string[] = [];
  const read = (f: NamedBytes) => (isPickle(f.bytes)
    ? readCifar10PythonBatch(f.bytes, f.name, { classNames }) : readCifar10Batch(f.bytes, f.name, { classNames }));
  const tests = files.filter((f) => isTestName(f.name));
  const trains = files.filter((f) => !isTestName(f.name)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  if (tests.length > 1) throw new DataError(`more than one test batch: ${tests.map((f) => f.name).join(', ')}`);
  const all = files.map((f) => f.name).join(' ');
  if (trains.length > 0 && tests.length === 1) {
    const train = concatDatasets(trains.map(read), `cifar-10/${trains.map((f) => f.name).join('+')}`);
    return { name: 'cifar-10', source: all, train, test: read(tests[0]!), notes };
  }
  const one = concatDatasets(files.map(read), `cifar-10/${files.map((f) => f.name).join('+')}`);
  return { name: 'cifar-10', source: all, ...holdOutTest(one, seed, notes), notes };
}

/** One set of rows only: a seeded 20 % becomes the test split. */
function holdOutTest(ds: Dataset, seed: number, notes: string[]): { train: Dataset; test: Dataset } {
  if (ds.n < 3) throw new DataError(`${ds.name}: ${ds.n} rows are too few to split into training and test rows`);
  const split = splitTrainValidation(ds, { validation: HELD_OUT_TEST, rng: new Random(seed).fork('test-split') });
  notes.push(`no separate test file: ${split.validation.n} of ${ds.n} rows (${HELD_OUT_TEST * 100} %) held out as the test split`);
  return { train: split.train, test: split.validation };
}

/** The raw splits and what a backend places: core's prepareSplits, the recipe the CLI uses too. */
export interface Prepared extends PreparedSplits {
  readonly raw: RawData;
  readonly seed: number;
  readonly validationSpec: number;
  readonly limit: number | undefined;
}

export function prepare(raw: RawData, options: { seed: number; validation: number; limit?: number;
  preprocessing?: Preprocessing }): Prepared {
  const p = prepareSplits(raw.train, raw.test, options);
  return { ...p, raw, seed: options.seed, validationSpec: options.validation, limit: options.limit };
}

/** Test rows shown as sample images: the first `count` (spread over the classes when possible). */
export function sampleRows(test: Dataset, count: number): number[] {
  const perClass = new Map<number, number[]>();
  for (let i = 0; i < test.n && i < 5000; i++) {
    const l = test.labels[i]!;
    const list = perClass.get(l) ?? [];
    if (list.length < count) list.push(i);
    perClass.set(l, list);
  }
  const out: number[] = [];
  const classes = [...perClass.keys()].sort((a, b) => a - b);
  for (let k = 0; out.length < Math.min(count, test.n); k++) {
    let added = false;
    for (const c of classes) {
      const list = perClass.get(c)!;
      if (k < list.length && out.length < count) { out.push(list[k]!); added = true; }
    }
    if (!added) break;
  }
  return out.sort((a, b) => a - b);
}
