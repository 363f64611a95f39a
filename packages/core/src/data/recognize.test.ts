import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import { CIFAR10_CLASS_NAMES } from './cifar10.js';
import { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES, makeDataset, type Dataset, type ImageShape } from './dataset.js';
import { HELD_OUT_TEST_FRACTION, recognizeDataset, type NamedBytes } from './recognize.js';
import { splitTrainValidation } from './split.js';
import {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeNpz, encodeTar,
} from '../testing/encoders.js';

const text = (s: string) => new TextEncoder().encode(s);
const CIFAR_SHAPE: ImageShape = { height: 32, width: 32, channels: 3, layout: 'chw' };

function toy(n: number, seed: number, shape: ImageShape = { height: 4, width: 3, channels: 1, layout: 'hwc' }, classes = 3): Dataset {
  const rng = new Random(seed);
  const f = shape.height * shape.width * shape.channels;
  const images = new Uint8Array(n * f);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = Uint8Array.from({ length: n }, () => rng.int(classes));
  const classNames = Array.from({ length: classes }, (_, i) => `c${i}`);
  return makeDataset({ name: `toy${seed}`, images, labels, image: shape, classNames });
}

/** An IDX pair for `d`, named `${prefix}-images-idx3-ubyte` / `${prefix}-labels-idx1-ubyte`, gzipped when asked. */
function idxPair(d: Dataset, prefix: string, gzip = false): NamedBytes[] {
  const gz = gzip ? '.gz' : '';
  return [
    { name: `${prefix}-images-idx3-ubyte${gz}`, bytes: encodeIdx(d.images!, [d.n, d.image!.height, d.image!.width], { gzip }) },
    { name: `${prefix}-labels-idx1-ubyte${gz}`, bytes: encodeIdx(Uint8Array.from(d.labels), [d.n], { gzip }) },
  ];
}

const tarGz = (entries: Record<string, Uint8Array>) =>
  gzipSync(encodeTar(Object.entries(entries).map(([path, bytes]) => ({ path, bytes }))));

/** The error a call throws (a DataError), for comparing messages. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('IDX files', () => {
  const train = toy(50, 1), test = toy(20, 2);

  it('a training pair and a test pair, told apart by t10k/test in the names, gzipped or not, in any order', () => {
    const files = [...idxPair(test, 't10k', true), ...idxPair(train, 'train'), { name: 'classes.txt', bytes: text('x\ny\nz\n') }];
    const r = recognizeDataset([files[3]!, files[0]!, files[2]!, files[4]!, files[1]!], { seed: 1 });
    expect(r).toMatchObject({ name: 'idx', format: 'idx', notes: [] });
    expect(r.source).toBe('train-labels-idx1-ubyte, t10k-images-idx3-ubyte.gz, train-images-idx3-ubyte, classes.txt, t10k-labels-idx1-ubyte.gz');
    expect(r.train).toMatchObject({ name: 'idx/train', n: 50, image: { height: 4, width: 3, channels: 1, layout: 'hwc' } });
    expect(r.test).toMatchObject({ name: 'idx/test', n: 20 });
    expect(r.train.images).toEqual(train.images);
    expect(r.test.labels).toEqual(test.labels);
    expect(r.train.classNames).toEqual(['x', 'y', 'z']);
    expect(r.files.map((f) => f.name).sort()).toEqual(files.map((f) => f.name).sort());
    const other = recognizeDataset([...idxPair(train, 'mnist-train'), ...idxPair(test, 'mnist-test', true)], { seed: 1, name: 'digits' });
    expect([other.train.name, other.train.n, other.test.n]).toEqual(['digits/train', 50, 20]);
  });

  it('recognized by magic number, whatever the names; paths count by their last part', () => {
    const [img, lab] = idxPair(train, 'x', true);
    const r = recognizeDataset([{ name: 'C:\\data\\pixels.gz', bytes: img!.bytes }, { name: '/tmp/answers', bytes: lab!.bytes }], { seed: 1 });
    expect(r.train.n + r.test.n).toBe(50);
    expect(r.files).toEqual([{ name: 'C:\\data\\pixels.gz' }, { name: '/tmp/answers' }]);
  });

  it('a file named as IDX with bad bytes is read as IDX, so the reader says what is wrong', () => {
    const [, lab] = idxPair(train, 'train');
    expect(errorOf(() => recognizeDataset([{ name: 'train-images-idx3-ubyte', bytes: text('hello world') }, lab!], { seed: 1 })))
      .toMatch(/^train-images-idx3-ubyte: bad magic number 0x68656c6c/);
  });

  it('one pair only: a seeded 20 % (the seed\'s test-split stream) held out as the test split', () => {
    const files = idxPair(train, 'train', true);
    const r = recognizeDataset(files, { seed: 7 });
    const expected = splitTrainValidation({ ...train, classNames: FASHION_MNIST_CLASS_NAMES },
      { validation: HELD_OUT_TEST_FRACTION, rng: new Random(7).fork('test-split') });
    expect([r.train.n, r.test.n]).toEqual([40, 10]);
    expect([r.train.name, r.test.name]).toEqual(['idx/train', 'idx/test']);
    expect(r.test.labels).toEqual(expected.validation.labels);
    expect(r.train.images).toEqual(expected.train.images);
    expect(r.notes).toContain('no separate test file: 10 of 50 rows (20 %) held out as the test split');
    expect(recognizeDataset(files, { seed: 7 }).test.images).toEqual(r.test.images);
    expect(recognizeDataset(files, { seed: 8 }).test.images).not.toEqual(r.test.images);
    // Only a test pair: the same, said so.
    const t = recognizeDataset(idxPair(train, 't10k'), { seed: 7 });
    expect(t.test.labels).toEqual(r.test.labels);
    expect(t.notes).toContain('only test files, no training file: 10 of 50 rows (20 %) held out as the test split, the other 40 used for training');
  });

  it('too few rows to hold out a test split', () => {
    expect(errorOf(() => recognizeDataset(idxPair(toy(2, 3), 'a'), { seed: 1 }))).toBe(
      'only 2 rows (a-images-idx3-ubyte, a-labels-idx1-ubyte) and no separate test file: too few to hold out 20 % as the test split');
  });

  it('pairs: a missing partner, two training pairs, a train file with a test file', () => {
    const [ti, tl] = idxPair(train, 'train');
    const [si, sl] = idxPair(test, 't10k');
    const pairs = 'IDX files come in pairs, an images file and its labels file (a training pair, and optionally a test pair named t10k-… or test-…)';
    expect(errorOf(() => recognizeDataset([ti!], { seed: 1 }))).toBe(
      `incomplete IDX data set: missing the training labels file (such as train-labels-idx1-ubyte[.gz]): ${pairs}; found train-images-idx3-ubyte`);
    expect(errorOf(() => recognizeDataset([ti!, tl!, si!], { seed: 1 }))).toBe(
      `incomplete IDX data set: missing the test labels file (such as t10k-labels-idx1-ubyte[.gz]): ${pairs}; ` +
      'found train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte');
    expect(errorOf(() => recognizeDataset([ti!, sl!], { seed: 1 }))).toMatch(
      /^incomplete IDX data set: missing the training labels file .* and the test images file \(such as t10k-images-idx3-ubyte\[\.gz\]\)/);
    const b = idxPair(test, 'b');
    expect(errorOf(() => recognizeDataset([ti!, tl!, ...b], { seed: 1 }))).toBe(
      'more than one training images file: train-images-idx3-ubyte, b-images-idx3-ubyte (the test pair is told apart by its names: t10k-… or test-…)');
    expect(errorOf(() => recognizeDataset([ti!, tl!, si!, sl!, { ...si!, name: 'test-images-idx3-ubyte' }], { seed: 1 })))
      .toBe('more than one test images file: t10k-images-idx3-ubyte, test-images-idx3-ubyte');
  });

  it('class names: given, classes.txt, else guessed from fashion / mnist in the names, else Fashion-MNIST\'s', () => {
    const d = toy(10, 4, undefined, 10);
    const guess = (files: NamedBytes[], o: { name?: string; source?: string } = {}) => recognizeDataset(files, { seed: 1, ...o });
    const mnist = guess(idxPair(d, 'mnist-train'));
    expect(mnist.train.classNames).toEqual(MNIST_CLASS_NAMES);
    expect(mnist.notes).toContain("class names: MNIST's digits 0–9, guessed from 'mnist' in mnist-train-images-idx3-ubyte; add a classes.txt (one name per line) to name them");
    expect(guess(idxPair(d, 'fashion-mnist-train')).train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(guess(idxPair(d, 'train'), { source: '/data/mnist' }).train.classNames).toEqual(MNIST_CLASS_NAMES);
    // The name comes first, then the file names, then the source.
    expect(guess(idxPair(d, 'mnist-train'), { name: 'fashion' }).train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(guess(idxPair(d, 'mnist-train'), { source: '/data/fashion' }).train.classNames).toEqual(MNIST_CLASS_NAMES);
    const plain = guess(idxPair(d, 'train'));
    expect(plain.train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(plain.notes).toContain("class names: Fashion-MNIST's, assumed (no 'fashion' or 'mnist' in the names); add a classes.txt (one name per line) to name them");
    // Inside an archive, the archive's name counts too.
    const archived = guess([{ name: 'mnist.tar.gz', bytes: tarGz(Object.fromEntries(idxPair(d, 'train').map((f) => [`x/${f.name}`, f.bytes]))) }]);
    expect(archived.train.classNames).toEqual(MNIST_CLASS_NAMES);
    const named = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const withFile = recognizeDataset([...idxPair(d, 'mnist'), { name: 'classes.txt', bytes: text(named.join('\n')) }], { seed: 1 });
    expect(withFile.train.classNames).toEqual(named);
    expect(withFile.notes.join(' ')).not.toMatch(/class names/);
    const given = recognizeDataset([...idxPair(d, 'mnist'), { name: 'classes.txt', bytes: text('a\nb') }], { seed: 1, classNames: CIFAR10_CLASS_NAMES });
    expect(given.train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(given.notes.join(' ')).not.toMatch(/class names/);
  });

  it('training and test images of different sizes are refused', () => {
    const files = [...idxPair(train, 'train'), ...idxPair(toy(5, 9, { height: 5, width: 5, channels: 1, layout: 'hwc' }), 't10k')];
    const problem = 'training images are 4×3 but test images are 5×5: training and test images must be the same size';
    expect(errorOf(() => recognizeDataset(files, { seed: 1 }))).toBe(problem);
    expect(errorOf(() => recognizeDataset(files, { seed: 1, source: '/data/mixed' }))).toBe(`/data/mixed: ${problem}`);
  });

  it('a corrupt gzip file is named, not ignored', () => {
    const [img, lab] = idxPair(train, 'train', true);
    expect(errorOf(() => recognizeDataset([{ name: img!.name, bytes: img!.bytes.subarray(0, 40) }, lab!], { seed: 1 })))
      .toMatch(/^train-images-idx3-ubyte\.gz: corrupt gzip data: .*truncated/);
    const long = encodeIdx(toy(300, 5).images!, [300, 4, 3], { gzip: true });
    expect(errorOf(() => recognizeDataset([{ name: 'train-images-idx3-ubyte.gz', bytes: long.subarray(0, long.length - 20) }, lab!], { seed: 1 })))
      .toMatch(/^train-images-idx3-ubyte\.gz: corrupt gzip data: /);
  });

  it('an archive of IDX files is read by content, members named with the archive', () => {
    const members = Object.fromEntries([...idxPair(train, 'train', true), ...idxPair(test, 't10k', true)].map((f) => [`fashion/${f.name}`, f.bytes]));
    const r = recognizeDataset([{ name: 'download', bytes: tarGz(members) }], { seed: 1 });
    expect([r.train.n, r.test.n]).toEqual([50, 20]);
    expect(r.files).toContainEqual({ name: 'fashion/train-images-idx3-ubyte.gz', archive: 'download' });
    const bad = { ...members, 'fashion/train-labels-idx1-ubyte.gz': encodeIdx(new Uint8Array(3), [3], { gzip: true }) };
    expect(errorOf(() => recognizeDataset([{ name: 'download', bytes: tarGz(bad) }], { seed: 1 }))).toBe(
      'idx/train: images file fashion/train-images-idx3-ubyte.gz in download has 50 images but labels file ' +
      'fashion/train-labels-idx1-ubyte.gz in download has 3 labels');
  });
});

describe('CIFAR-10 batches', () => {
  const batches = [1, 2, 3].map((k) => toy(4, 10 + k, CIFAR_SHAPE, 10));
  const testBatch = toy(3, 20, CIFAR_SHAPE, 10);
  const names = ['avion', 'auto', 'oiseau', 'chat', 'cerf', 'chien', 'grenouille', 'cheval', 'bateau', 'camion'];
  const binary = (): NamedBytes[] => [
    ...batches.map((b, i) => ({ name: `data_batch_${i + 1}.bin`, bytes: encodeCifar10Batch(b) })),
    { name: 'test_batch.bin', bytes: encodeCifar10Batch(testBatch) },
  ];
  const python = (): NamedBytes[] => [
    ...batches.map((b, i) => ({ name: `data_batch_${i + 1}`, bytes: encodeCifar10PythonBatch(b) })),
    { name: 'test_batch', bytes: encodeCifar10PythonBatch(testBatch) },
  ];
  const expectSplits = (r: ReturnType<typeof recognizeDataset>) => {
    expect(r.format).toBe('cifar-10');
    expect(r.train).toMatchObject({ name: 'cifar-10/data_batch_1..3', n: 12, image: CIFAR_SHAPE });
    expect(r.test).toMatchObject({ name: 'cifar-10/test_batch', n: 3 });
    expect(Array.from(r.train.labels)).toEqual(batches.flatMap((b) => Array.from(b.labels)));
    expect(r.test.images).toEqual(testBatch.images);
  };

  it('binary batches (.bin) in numeric order, batches.meta.txt for the names', () => {
    const files = binary().reverse();
    const r = recognizeDataset([...files, { name: 'batches.meta.txt', bytes: text(names.join('\n') + '\n') }], { seed: 1 });
    expectSplits(r);
    expect(r.train.classNames).toEqual(names);
    expect(r.notes).toEqual([]);
    // data_batch_10 comes after data_batch_9, not after data_batch_1.
    const parts = Array.from({ length: 10 }, (_, i) => toy(1, 40 + i, CIFAR_SHAPE, 10));
    const many = parts.map((p, i) => ({ name: `data_batch_${i + 1}.bin`, bytes: encodeCifar10Batch(p) }));
    const m = recognizeDataset([...many.reverse(), files[0]!], { seed: 1 });
    expect(m.train.name).toBe('cifar-10/data_batch_1..10');
    expect(Array.from(m.train.images!.subarray(9 * 3072))).toEqual(Array.from(parts[9]!.images!));
    expect(m.notes).toContain("class names: CIFAR-10's, assumed (no batches.meta, batches.meta.txt or classes.txt among the files)");
  });

  it('python batches (pickles, by content), batches.meta pickle for the names', () => {
    const r = recognizeDataset([...python(), { name: 'batches.meta', bytes: encodeCifar10PythonMeta(names) }], { seed: 1 });
    expectSplits(r);
    expect(r.train.classNames).toEqual(names);
    const renamed = recognizeDataset(python().map((f, i) => ({ name: i === 3 ? 'my_test' : `part${i}`, bytes: f.bytes })), { seed: 1 });
    expect([renamed.train.name, renamed.train.n, renamed.test.n]).toEqual(['cifar-10/part0+part1+part2', 12, 3]);
    expect(renamed.train.classNames).toEqual(CIFAR10_CLASS_NAMES);
  });

  it('the .tar.gz downloads and plain .tar, by content; readme.html and ._ files skipped', () => {
    const members: Record<string, Uint8Array> = { 'cifar-10-batches-py/readme.html': text('<html>'), 'cifar-10-batches-py/._data_batch_1': text('x') };
    for (const f of python()) members[`cifar-10-batches-py/${f.name}`] = f.bytes;
    members['cifar-10-batches-py/batches.meta'] = encodeCifar10PythonMeta(names);
    const gz = tarGz(members);
    const r = recognizeDataset([{ name: 'cifar-10-python.tar.gz', bytes: gz }], { seed: 1 });
    expectSplits(r);
    expect(r.train.classNames).toEqual(names);
    expect(r.notes).toEqual([]);
    expect(r.files).toContainEqual({ name: 'cifar-10-batches-py/test_batch', archive: 'cifar-10-python.tar.gz' });
    const tar = encodeTar(Object.entries(members).map(([path, bytes]) => ({ path, bytes })));
    expectSplits(recognizeDataset([{ name: 'whatever', bytes: tar }], { seed: 1 }));
    // A reader's message names the member and the archive.
    const bad = { ...members, 'cifar-10-batches-py/data_batch_2': encodeCifar10PythonBatch(batches[1]!).subarray(0, 100) };
    expect(errorOf(() => recognizeDataset([{ name: 'dl.tar.gz', bytes: tarGz(bad) }], { seed: 1 })))
      .toMatch(/^cifar-10-batches-py\/data_batch_2 in dl\.tar\.gz: /);
  });

  it('numbering gaps, a batch given twice, two test batches: refused, the same words from anywhere', () => {
    const files = binary();
    const gap = [files[0]!, files[2]!, files[3]!];
    const problem = 'incomplete CIFAR-10 binary data set: missing data_batch_2.bin (data batches are numbered from 1 ' +
      'without gaps; found data_batch_1.bin, data_batch_3.bin, test_batch.bin)';
    expect(errorOf(() => recognizeDataset(gap, { seed: 1 }))).toBe(problem);
    expect(errorOf(() => recognizeDataset(gap.map((f) => ({ ...f, name: `/data/c/${f.name}` })), { seed: 1, source: '/data/c' })))
      .toBe(`/data/c: ${problem}`);
    expect(errorOf(() => recognizeDataset(python().slice(1), { seed: 1 }))).toMatch(/^incomplete CIFAR-10 python data set: missing data_batch_1 \(/);
    const twice = [...files, { name: 'data_batch_1.bin', bytes: tarGz({ 'data_batch_1.bin': files[0]!.bytes }) }];
    expect(errorOf(() => recognizeDataset(twice, { seed: 1 }))).toBe(
      'data_batch_1.bin is given twice: data_batch_1.bin and data_batch_1.bin (in data_batch_1.bin)');
    expect(errorOf(() => recognizeDataset([...files, { name: 'test_batch_2.bin', bytes: files[3]!.bytes }], { seed: 1 })))
      .toBe('more than one CIFAR-10 test batch: test_batch.bin, test_batch_2.bin');
  });

  it('no test batch, or only a test batch: a seeded 20 % held out', () => {
    const r = recognizeDataset(binary().slice(0, 3), { seed: 3 });
    expect([r.train.n, r.test.n, r.train.name, r.test.name]).toEqual([10, 2, 'cifar-10/train', 'cifar-10/test']);
    expect(r.notes).toContain('no separate test file: 2 of 12 rows (20 %) held out as the test split');
    const t = recognizeDataset(binary().slice(3), { seed: 3 });
    expect([t.train.n, t.test.n]).toEqual([2, 1]);
  });

  it('both versions: the binary one is read, with a note; classes.txt names the classes before batches.meta', () => {
    const r = recognizeDataset([...python(), ...binary(), { name: 'batches.meta', bytes: encodeCifar10PythonMeta(names) },
      { name: 'classes.txt', bytes: text('a\nb\nc\nd\ne\nf\ng\nh\ni\nj') }], { seed: 1 });
    expectSplits(r);
    expect(r.train.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(r.notes).toEqual([
      'class names from classes.txt; batches.meta not used',
      'both CIFAR-10 versions among the files: read the binary batches, ignored the python ones (data_batch_1, data_batch_2, data_batch_3, test_batch)',
    ]);
  });

  it('gzipped batches are read too', () => {
    const files = binary().map((f) => ({ name: `${f.name}.gz`, bytes: gzipSync(f.bytes) }));
    expectSplits(recognizeDataset(files, { seed: 1 }));
  });
});

describe('what is not a data set', () => {
  const pair = idxPair(toy(10, 1), 'train');

  it('no files, or none recognized: the files are named, with what was looked for', () => {
    expect(errorOf(() => recognizeDataset([], { seed: 1 }))).toBe('no files were given: nothing to read a data set from');
    expect(errorOf(() => recognizeDataset([{ name: 'notes.txt', bytes: text('hello') }, { name: 'mnist.zip', bytes: text('PK but not a zip') }], { seed: 1 })))
      .toBe('no data set found: notes.txt, mnist.zip: not an IDX images or labels file (no IDX magic number 0x00000803 or ' +
        '0x00000801, gzipped or not), a CIFAR-10 batch (binary data_batch_N.bin / test_batch.bin, or a python pickle), a numpy ' +
        '.npy array, a LIBSVM text file or a .tar / .tar.gz archive of them, or an .npz; mnist.zip is named .zip but is not a zip archive');
    // A zip is read as an .npz: one of other files says so.
    expect(errorOf(() => recognizeDataset([{ name: 'mnist.zip', bytes: encodeNpz({ 'train-images-idx3-ubyte': new Uint8Array(8) }) }], { seed: 1 })))
      .toBe('mnist.zip is a zip archive without .npy arrays: zip archives are read as .npz (x_train.npy, y_train.npy, … or X.npy, y.npy); ' +
        'extract mnist.zip first if it holds other files');
    expect(errorOf(() => recognizeDataset([{ name: 'cut.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }], { seed: 1 }))).toMatch(/^cut\.zip: not a readable zip archive/);
    expect(errorOf(() => recognizeDataset([{ name: 'classes.txt', bytes: text('a') }], { seed: 1, source: 'here' })))
      .toBe('here: no data set found: no IDX files, CIFAR-10 batches, numpy arrays or LIBSVM files among the files (only classes.txt)');
    expect(errorOf(() => recognizeDataset([{ name: 'x.tar', bytes: encodeTar([{ path: 'stuff/a.txt', bytes: text('a') }]) }], { seed: 1 })))
      .toMatch(/^no data set found: stuff\/a\.txt \(in x\.tar\): not an IDX/);
  });

  it('unrelated files beside a data set are ignored, with a note', () => {
    const r = recognizeDataset([...pair, { name: 'notes.txt', bytes: text('hello') }, { name: 'readme.html', bytes: text('<p>') }], { seed: 1 });
    expect(r.train.n + r.test.n).toBe(10);
    expect(r.notes).toContain('ignored a file that is not part of the data set: notes.txt');
    // …and named when the data set is incomplete.
    expect(errorOf(() => recognizeDataset([pair[0]!, { name: 'labels.dat', bytes: text('??') }], { seed: 1 })))
      .toMatch(/; found train-images-idx3-ubyte; not recognized: labels\.dat: not an IDX images or labels file/);
  });

  it('IDX files and CIFAR-10 batches together are refused', () => {
    expect(errorOf(() => recognizeDataset([...pair, { name: 'test_batch.bin', bytes: encodeCifar10Batch(toy(1, 2, CIFAR_SHAPE, 10)) }], { seed: 1 })))
      .toBe('the files hold both IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte) and CIFAR-10 batches ' +
        '(test_batch.bin): read one data set at a time');
  });
});
