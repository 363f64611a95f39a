import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CIFAR10_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES, classCounts, makeDataset, recognizeDataset, type Dataset,
} from '../data/index.js';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import {
  EMBEDDED_DATA_ENV, EMBEDDED_DATA_FILES, FASHION_MNIST_DEBIAN_PATH, embeddedDataPath, loadCifar10Folder,
  loadDataset, loadIdxFolder, loadNpyFolder,
} from '../node.js';
import { loadCifar10Archive } from './load.js';
import {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeLibsvm, encodeTar,
} from '../testing/encoders.js';

const DEBIAN = FASHION_MNIST_DEBIAN_PATH;
const debianInstalled = existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz'));
const skipReason = `skipped: ${DEBIAN} is not installed (apt-get install dataset-fashion-mnist)`;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'descent-data-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  for (const [f, data] of Object.entries(files)) await writeFile(join(dir, f), data);
  return dir;
}

function cifarBatch(n: number, seed: number): Dataset {
  const rng = new Random(seed);
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  const labels = Uint8Array.from({ length: n }, () => rng.int(10));
  return makeDataset({ name: `b${seed}`, images, labels, image: { height: 32, width: 32, channels: 3, layout: 'chw' },
    classNames: CIFAR10_CLASS_NAMES });
}

describe('embedded Fashion-MNIST subset', () => {
  it('is found from the source tree', () => {
    const p = embeddedDataPath();
    expect(p).toBe(fileURLToPath(new URL('../../data/fashion-mnist-subset', import.meta.url)));
    for (const f of EMBEDDED_DATA_FILES) expect(existsSync(join(p, f))).toBe(true);
    expect(existsSync(join(p, 'LICENSE'))).toBe(true);
    expect(existsSync(join(p, 'README.md'))).toBe(true);
  });

  it('loads: 10000 train / 2000 test, 28×28, 10 classes, balanced', async () => {
    for (const spec of [undefined, 'embedded', '']) {
      const d = spec === undefined ? await loadDataset() : await loadDataset(spec);
      expect(d.name).toBe('fashion-mnist-subset');
      expect(d.format).toBe('idx');
      expect(d.train).toMatchObject({ name: 'fashion-mnist-subset/train', n: 10000, features: 784,
        image: { height: 28, width: 28, channels: 1, layout: 'hwc' } });
      expect(d.test).toMatchObject({ name: 'fashion-mnist-subset/test', n: 2000, features: 784 });
      expect(d.train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
      expect(classCounts(d.train)).toEqual(new Array(10).fill(1000));
      expect(classCounts(d.test)).toEqual(new Array(10).fill(200));
    }
  });

  it('images are in class-mixed order, not sorted by class', async () => {
    const { train } = await loadDataset('embedded');
    expect(new Set(train.labels.subarray(0, 50)).size).toBeGreaterThanOrEqual(8);
  });

  it('DESCENT_EMBEDDED_DATA overrides the search, and errors clearly', async () => {
    const saved = process.env[EMBEDDED_DATA_ENV];
    try {
      process.env[EMBEDDED_DATA_ENV] = embeddedDataPath();
      expect(embeddedDataPath()).toBe(fileURLToPath(new URL('../../data/fashion-mnist-subset', import.meta.url)));
      process.env[EMBEDDED_DATA_ENV] = join(tmp, 'nowhere');
      expect(() => embeddedDataPath()).toThrow(DataError);
      expect(() => embeddedDataPath()).toThrow(/DESCENT_EMBEDDED_DATA=.*nowhere: folder .* does not exist/);
      const partial = await folder('partial-embedded', { 'train-images-idx3-ubyte.gz': new Uint8Array(1) });
      process.env[EMBEDDED_DATA_ENV] = partial;
      expect(() => embeddedDataPath()).toThrow(/lacks train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz/);
      await expect(loadDataset('embedded')).rejects.toThrow(DataError);
    } finally {
      if (saved === undefined) delete process.env[EMBEDDED_DATA_ENV];
      else process.env[EMBEDDED_DATA_ENV] = saved;
    }
  });

  it.skipIf(!debianInstalled)(`matches the documented seeded selection from the real files (${debianInstalled ? 'Debian files present' : skipReason})`, async () => {
    const [full, sub] = await Promise.all([loadDataset('fashion-mnist'), loadDataset('embedded')]);
    for (const [split, seed, perClass] of [['train', 'fashion-mnist-subset/train', 1000], ['test', 'fashion-mnist-subset/t10k', 200]] as const) {
      const src = full[split], got = sub[split];
      const perm = new Random(seed).permutation(src.n);
      const counts = new Array(10).fill(0);
      const kept: number[] = [];
      for (const i of perm) {
        const c = src.labels[i]!;
        if (counts[c] < perClass) { counts[c]++; kept.push(i); }
        if (kept.length === perClass * 10) break;
      }
      kept.sort((a, b) => a - b);
      expect(got.n).toBe(kept.length);
      kept.forEach((i, k) => {
        if (got.labels[k] !== src.labels[i]) throw new Error(`${split} row ${k}: label differs from original ${i}`);
      });
      const f = src.features;
      let same = true;
      kept.forEach((i, k) => {
        const a = src.images!.subarray(i * f, (i + 1) * f), b = got.images!.subarray(k * f, (k + 1) * f);
        for (let j = 0; j < f; j++) if (a[j] !== b[j]) { same = false; break; }
      });
      expect(same, `${split} images equal the selected originals`).toBe(true);
    }
  });
});

describe('Debian Fashion-MNIST', () => {
  it.skipIf(!debianInstalled)(`loads by alias and by path (${debianInstalled ? DEBIAN : skipReason})`, async () => {
    const d = await loadDataset('fashion-mnist');
    expect(d.name).toBe('fashion-mnist');
    expect(d.folder).toBe(DEBIAN);
    expect(d.train).toMatchObject({ name: 'fashion-mnist/train', n: 60000, features: 784 });
    expect(d.test).toMatchObject({ name: 'fashion-mnist/test', n: 10000, features: 784 });
    expect(classCounts(d.train)).toEqual(new Array(10).fill(6000));
    expect(classCounts(d.test)).toEqual(new Array(10).fill(1000));
    expect(d.train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    // Known first labels of the real files: Ankle boot, T-shirt/top, T-shirt/top, Dress.
    expect(Array.from(d.train.labels.subarray(0, 4))).toEqual([9, 0, 0, 3]);
    const byPath = await loadDataset(DEBIAN);
    expect(byPath.test.labels).toEqual(d.test.labels);
  });

  it.runIf(!debianInstalled)('the alias says how to install it when absent', async () => {
    await expect(loadDataset('fashion-mnist')).rejects.toThrow(/apt-get install dataset-fashion-mnist/);
  });
});

describe('IDX folders', () => {
  it('loads plain and gzipped files, alternative spelling, and classes.txt', async () => {
    const px = Uint8Array.from({ length: 3 * 4 }, (_, i) => i);
    const dir = await folder('idx-mixed', {
      'train-images-idx3-ubyte': encodeIdx(px, [3, 2, 2]),
      'train-labels-idx1-ubyte.gz': encodeIdx(Uint8Array.from([0, 1, 2]), [3], { gzip: true }),
      't10k-images.idx3-ubyte': encodeIdx(px.subarray(0, 4), [1, 2, 2]),
      't10k-labels.idx1-ubyte': encodeIdx(Uint8Array.from([2]), [1]),
      'classes.txt': 'cat\ndog\nbird\n',
    });
    const d = await loadDataset(dir);
    expect(d).toMatchObject({ name: 'idx-mixed', format: 'idx', folder: dir });
    expect(d.train.n).toBe(3);
    expect(d.test.n).toBe(1);
    expect(d.train.classNames).toEqual(['cat', 'dog', 'bird']);
    expect(d.train.images).toEqual(px);
    const viaIdx = await loadIdxFolder(dir, { name: 'custom', classNames: ['a', 'b', 'c', 'd'] });
    expect(viaIdx.train.name).toBe('custom/train');
    expect(viaIdx.train.classNames).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a training pair alone: a seeded 20 % held out as the test split, as on the web page', async () => {
    // Unified with the web page: the CLI used to refuse a folder without the t10k pair.
    const px = Uint8Array.from({ length: 10 * 4 }, (_, i) => i);
    const dir = await folder('idx-train-only', {
      'train-images-idx3-ubyte.gz': encodeIdx(px, [10, 2, 2], { gzip: true }),
      'train-labels-idx1-ubyte.gz': encodeIdx(Uint8Array.from({ length: 10 }, (_, i) => i % 10), [10], { gzip: true }),
      'notes.txt': 'unrelated', 'README.md': '# mine',
    });
    const d = await loadDataset(dir);
    expect(d).toMatchObject({ name: 'idx-train-only', format: 'idx', folder: dir });
    expect([d.train.n, d.test.n]).toEqual([8, 2]);
    expect(d.train.name).toBe('idx-train-only/train');
    expect(d.test.name).toBe('idx-train-only/test');
    expect(d.notes).toContain('no separate test file: 2 of 10 rows (20 %) held out as the test split');
    expect(d.notes.join('\n')).toMatch(/class names: Fashion-MNIST's, assumed/);
    // The same seed holds out the same rows; another seed others.
    expect((await loadDataset(dir)).test.labels).toEqual(d.test.labels);
    expect((await loadDataset(dir, { seed: 1 })).test.labels).toEqual(d.test.labels);
    const other = await Promise.all([2, 3, 4].map((seed) => loadDataset(dir, { seed })));
    expect(other.some((o) => Array.from(o.test.labels).join() !== Array.from(d.test.labels).join())).toBe(true);
  });

  it('a missing file of a pair is named, with what was found', async () => {
    const dir = await folder('idx-partial', {
      'train-images-idx3-ubyte.gz': encodeIdx(new Uint8Array(4), [1, 2, 2], { gzip: true }),
      'train-labels-idx1-ubyte.gz': encodeIdx(new Uint8Array(1), [1], { gzip: true }),
      't10k-images-idx3-ubyte.gz': encodeIdx(new Uint8Array(4), [1, 2, 2], { gzip: true }),
    });
    await expect(loadDataset(dir)).rejects.toThrow(DataError);
    await expect(loadDataset(dir)).rejects.toThrow(
      `${dir}: incomplete IDX data set: missing the test labels file (such as t10k-labels-idx1-ubyte[.gz]): IDX files ` +
      'come in pairs, an images file and its labels file (a training pair, and optionally a test pair named t10k-… or ' +
      'test-…); found train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz');
  });

  it('the same problem reads the same from a folder as from opened files (core recognizeDataset)', async () => {
    const files = {
      'train-images-idx3-ubyte': encodeIdx(new Uint8Array(3 * 4), [3, 2, 2]),
      'train-labels-idx1-ubyte': encodeIdx(new Uint8Array(3), [3]),
      't10k-images-idx3-ubyte': encodeIdx(new Uint8Array(2 * 9), [2, 3, 3]),
      't10k-labels-idx1-ubyte': encodeIdx(new Uint8Array(2), [2]),
    };
    const dir = await folder('idx-sizes', files);
    const problem = 'training images are 2×2 but test images are 3×3: training and test images must be the same size';
    await expect(loadDataset(dir)).rejects.toThrow(`${dir}: ${problem}`);
    const opened = Object.entries(files).map(([name, bytes]) => ({ name, bytes }));
    expect(() => recognizeDataset(opened, { seed: 1 })).toThrow(new RegExp(`^${problem}$`));
  });

  it('a truncated file is named by its full path', async () => {
    const full = encodeIdx(new Uint8Array(5 * 784).fill(7), [5, 28, 28], { gzip: true });
    const dir = await folder('idx-truncated', {
      'train-images-idx3-ubyte.gz': full.subarray(0, full.length - 10),
      'train-labels-idx1-ubyte.gz': encodeIdx(new Uint8Array(5), [5], { gzip: true }),
      't10k-images-idx3-ubyte.gz': full,
      't10k-labels-idx1-ubyte.gz': encodeIdx(new Uint8Array(5), [5], { gzip: true }),
    });
    await expect(loadDataset(dir)).rejects.toThrow(
      new RegExp(`^${join(dir, 'train-images-idx3-ubyte.gz').replace(/[.]/g, '\\.')}: corrupt gzip data: .*truncated`));
  });

  it('mismatched counts between images and labels', async () => {
    const dir = await folder('idx-counts', {
      'train-images-idx3-ubyte': encodeIdx(new Uint8Array(3 * 4), [3, 2, 2]),
      'train-labels-idx1-ubyte': encodeIdx(new Uint8Array(2), [2]),
      't10k-images-idx3-ubyte': encodeIdx(new Uint8Array(4), [1, 2, 2]),
      't10k-labels-idx1-ubyte': encodeIdx(new Uint8Array(1), [1]),
    });
    await expect(loadDataset(dir)).rejects.toThrow(/idx-counts\/train: images file .*train-images-idx3-ubyte has 3 images but labels file .*train-labels-idx1-ubyte has 2 labels/);
  });
});

describe('CIFAR-10 folders', () => {
  it('loads 2 batches of 30 + a test batch, with batches.meta.txt', async () => {
    const b1 = cifarBatch(30, 1), b2 = cifarBatch(30, 2), t = cifarBatch(20, 3);
    const names = ['plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const dir = await folder('cifar', {
      'data_batch_1.bin': encodeCifar10Batch(b1),
      'data_batch_2.bin': encodeCifar10Batch(b2),
      'test_batch.bin': encodeCifar10Batch(t),
      'batches.meta.txt': names.join('\n') + '\n\n',
      'readme.html': '<html></html>',
    });
    const d = await loadDataset(dir);
    expect(d).toMatchObject({ name: 'cifar-10', format: 'cifar-10', folder: dir });
    expect(d.train).toMatchObject({ name: 'cifar-10/data_batch_1..2', n: 60, features: 3072,
      image: { height: 32, width: 32, channels: 3, layout: 'chw' } });
    expect(d.test).toMatchObject({ name: 'cifar-10/test_batch', n: 20 });
    expect(d.train.classNames).toEqual(names);
    expect(d.train.images!.subarray(0, 30 * 3072)).toEqual(b1.images!);
    expect(d.train.images!.subarray(30 * 3072)).toEqual(b2.images!);
    expect(Array.from(d.train.labels)).toEqual([...b1.labels, ...b2.labels]);
    expect(d.test.labels).toEqual(t.labels);
  });

  it('finds a cifar-10-batches-bin folder inside the named one; default class names', async () => {
    const dir = await folder('cifar-parent/cifar-10-batches-bin', {
      'data_batch_1.bin': encodeCifar10Batch(cifarBatch(5, 4)),
      'test_batch.bin': encodeCifar10Batch(cifarBatch(4, 5)),
    });
    const d = await loadDataset(join(tmp, 'cifar-parent'));
    expect(d.folder).toBe(dir);
    expect(d.train.name).toBe('cifar-10/data_batch_1');
    expect(d.train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect((await loadCifar10Folder(dir)).test.n).toBe(4);
  });

  it('a truncated batch names the file and the record', async () => {
    const bytes = encodeCifar10Batch(cifarBatch(30, 6));
    const dir = await folder('cifar-truncated', {
      'data_batch_1.bin': encodeCifar10Batch(cifarBatch(30, 7)),
      'data_batch_2.bin': bytes.subarray(0, 12 * 3073 + 1000),
      'test_batch.bin': encodeCifar10Batch(cifarBatch(3, 8)),
    });
    await expect(loadDataset(dir)).rejects.toThrow(DataError);
    await expect(loadDataset(dir)).rejects.toThrow(
      `${join(dir, 'data_batch_2.bin')}: truncated at record 12: 37876 bytes is 12 complete 3073-byte records plus 1000 bytes`);
  });

  it('missing test batch (20 % held out), only a test batch (the same), or a gap in the numbering (refused)', async () => {
    // Unified with the web page: the CLI used to refuse a folder without test_batch.bin or without data batches.
    const b = encodeCifar10Batch(cifarBatch(10, 9));
    const noTest = await folder('cifar-no-test', { 'data_batch_1.bin': b, 'data_batch_2.bin': b });
    const d = await loadDataset(noTest);
    expect([d.name, d.train.n, d.test.n]).toEqual(['cifar-10', 16, 4]);
    expect(d.notes).toContain('no separate test file: 4 of 20 rows (20 %) held out as the test split');
    const onlyTest = await folder('cifar-only-test', { 'test_batch.bin': b });
    const t = await loadDataset(onlyTest);
    expect([t.train.n, t.test.n]).toEqual([8, 2]);
    expect(t.notes).toContain('only test files, no training file: 2 of 10 rows (20 %) held out as the test split, the other 8 used for training');
    const gap = await folder('cifar-gap', { 'data_batch_1.bin': b, 'data_batch_3.bin': b, 'test_batch.bin': b });
    await expect(loadDataset(gap)).rejects.toThrow(`${gap}: incomplete CIFAR-10 binary data set: missing data_batch_2.bin ` +
      '(data batches are numbered from 1 without gaps; found data_batch_1.bin, data_batch_3.bin, test_batch.bin)');
    const tiny = await folder('cifar-tiny', { 'data_batch_1.bin': encodeCifar10Batch(cifarBatch(2, 9)) });
    await expect(loadDataset(tiny)).rejects.toThrow(`${tiny}: only 2 rows (data_batch_1.bin) and no separate test file: ` +
      'too few to hold out 20 % as the test split');
  });
});

/** The files of a small CIFAR-10 in both versions: 5 data batches of 4 images and a test batch of 3. */
function cifarFiles() {
  const batches = [1, 2, 3, 4, 5].map((k) => cifarBatch(4, 100 + k));
  const test = cifarBatch(3, 106);
  const names = ['avion', 'auto', 'oiseau', 'chat', 'cerf', 'chien', 'grenouille', 'cheval', 'bateau', 'camion'];
  const python: Record<string, Uint8Array> = { 'batches.meta': encodeCifar10PythonMeta(names),
    readme: new TextEncoder().encode('<html></html>') };
  const binary: Record<string, Uint8Array | string> = { 'batches.meta.txt': names.join('\n') + '\n' };
  batches.forEach((b, i) => {
    python[`data_batch_${i + 1}`] = encodeCifar10PythonBatch(b, { batchLabel: `training batch ${i + 1} of 5` });
    binary[`data_batch_${i + 1}.bin`] = encodeCifar10Batch(b);
  });
  python.test_batch = encodeCifar10PythonBatch(test, { batchLabel: 'testing batch 1 of 1' });
  binary['test_batch.bin'] = encodeCifar10Batch(test);
  return { batches, test, names, python, binary };
}

/** A .tar.gz holding `files` under `dir/`, as the downloads are laid out. */
function tarGz(dir: string, files: Record<string, Uint8Array | string>): Uint8Array {
  const enc = new TextEncoder();
  return gzipSync(encodeTar(Object.entries(files).map(([f, b]) =>
    ({ path: `${dir}/${f}`, bytes: typeof b === 'string' ? enc.encode(b) : b }))));
}

function expectCifar(d: Awaited<ReturnType<typeof loadDataset>>, c: ReturnType<typeof cifarFiles>): void {
  expect(d).toMatchObject({ name: 'cifar-10', format: 'cifar-10' });
  expect(d.train).toMatchObject({ name: 'cifar-10/data_batch_1..5', n: 20, features: 3072,
    image: { height: 32, width: 32, channels: 3, layout: 'chw' } });
  expect(d.test).toMatchObject({ name: 'cifar-10/test_batch', n: 3 });
  expect(d.train.classNames).toEqual(c.names);
  const images = new Uint8Array(20 * 3072);
  c.batches.forEach((b, i) => images.set(b.images!, i * 4 * 3072));
  expect(Buffer.compare(d.train.images!, images)).toBe(0);
  expect(Array.from(d.train.labels)).toEqual(c.batches.flatMap((b) => Array.from(b.labels)));
  expect(Buffer.compare(d.test.images!, c.test.images!)).toBe(0);
  expect(d.test.labels).toEqual(c.test.labels);
}

describe('CIFAR-10 as downloaded: python version, archives', () => {
  it('a cifar-10-batches-py folder, and the folder above it', async () => {
    const c = cifarFiles();
    const dir = await folder('dl-py/cifar-10-batches-py', c.python);
    const d = await loadDataset(dir);
    expectCifar(d, c);
    expect(d.folder).toBe(dir);
    expect(d.archive).toBeUndefined();
    const above = await loadDataset(join(tmp, 'dl-py'));
    expect(above.folder).toBe(dir);
    expect(above.test.labels).toEqual(c.test.labels);
    expect((await loadCifar10Folder(dir, { classNames: CIFAR10_CLASS_NAMES })).train.classNames).toEqual(CIFAR10_CLASS_NAMES);
  });

  it('cifar-10-python.tar.gz and cifar-10-binary.tar.gz by path, read without unpacking', async () => {
    const c = cifarFiles();
    const dir = await folder('dl-archives', {
      'cifar-10-python.tar.gz': tarGz('cifar-10-batches-py', c.python),
      'cifar-10-binary.tar.gz': tarGz('cifar-10-batches-bin', c.binary),
    });
    for (const [file, inner] of [['cifar-10-python.tar.gz', 'cifar-10-batches-py'], ['cifar-10-binary.tar.gz', 'cifar-10-batches-bin']]) {
      const path = join(dir, file!);
      const d = await loadDataset(path);
      expectCifar(d, c);
      expect(d.archive).toBe(path);
      expect(d.folder).toBe(`${path}/${inner}`);
    }
    // A folder holding the downloads: the binary one is read.
    const d = await loadDataset(dir);
    expect(d.folder).toBe(`${join(dir, 'cifar-10-binary.tar.gz')}/cifar-10-batches-bin`);
  });

  it('archives are recognized by content: renamed, or an uncompressed .tar', async () => {
    const c = cifarFiles();
    const gz = tarGz('cifar-10-batches-py', c.python);
    const dir = await folder('dl-renamed', { 'download': gz, 'batches.tar': gunzip(gz) });
    expectCifar(await loadDataset(join(dir, 'download')), c);
    expectCifar(await loadCifar10Archive(join(dir, 'batches.tar')), c);
  });

  it('a truncated archive is a DataError naming it', async () => {
    const c = cifarFiles();
    const gz = tarGz('cifar-10-batches-py', c.python);
    const dir = await folder('dl-truncated', { 'cifar-10-python.tar.gz': gz.subarray(0, Math.floor(gz.length / 2)) });
    const path = join(dir, 'cifar-10-python.tar.gz');
    await expect(loadDataset(path)).rejects.toThrow(DataError);
    await expect(loadDataset(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.]/g, '\\.')}: corrupt gzip data: .*truncated`));
  });

  it('a pickle with a wrong shape names the member and the archive', async () => {
    const c = cifarFiles();
    const bad = c.python.data_batch_3!.slice();
    const s = String.fromCharCode(...bad.subarray(0, 200));
    const at = s.indexOf('M\x00\x0c\x86'); // shape (4, 3072) → (4, 3071)
    bad.set([0x4d, 0xff, 0x0b], at);
    const dir = await folder('dl-shape', {
      'cifar-10-python.tar.gz': tarGz('cifar-10-batches-py', { ...c.python, data_batch_3: bad }),
    });
    const path = join(dir, 'cifar-10-python.tar.gz');
    await expect(loadDataset(path)).rejects.toThrow(DataError);
    await expect(loadDataset(path)).rejects.toThrow(
      `cifar-10-batches-py/data_batch_3 in ${path}: 'data' has shape 4×3071, expected N×3072`);
    const plain = await folder('dl-shape-folder/cifar-10-batches-py', { ...c.python, data_batch_3: bad });
    await expect(loadDataset(plain)).rejects.toThrow(`${join(plain, 'data_batch_3')}: 'data' has shape 4×3071`);
  });

  it('an archive without CIFAR-10 batches, or missing some', async () => {
    const c = cifarFiles();
    const dir = await folder('dl-other', {
      'other.tar.gz': tarGz('stuff', { 'a.txt': 'a', 'b.txt': 'b' }),
      'partial.tar.gz': tarGz('cifar-10-batches-py', { data_batch_1: c.python.data_batch_1!, data_batch_2: c.python.data_batch_2! }),
    });
    const other = join(dir, 'other.tar.gz');
    await expect(loadDataset(other)).rejects.toThrow(
      `${other}: no data set found: stuff/a.txt (in other.tar.gz), stuff/b.txt (in other.tar.gz): not an IDX images or labels file`);
    // Unified with the web page: no test batch holds out 20 % instead of refusing.
    const partial = await loadDataset(join(dir, 'partial.tar.gz'));
    expect([partial.train.n, partial.test.n, partial.folder]).toEqual([6, 2, `${join(dir, 'partial.tar.gz')}/cifar-10-batches-py`]);
    expect(partial.notes).toContain('no separate test file: 2 of 8 rows (20 %) held out as the test split');
    const gap = await folder('dl-gap', {
      'partial.tar.gz': tarGz('cifar-10-batches-py', { data_batch_1: c.python.data_batch_1!, data_batch_3: c.python.data_batch_3! }),
    });
    await expect(loadDataset(join(gap, 'partial.tar.gz'))).rejects.toThrow(
      `${join(gap, 'partial.tar.gz')}: incomplete CIFAR-10 python data set: missing data_batch_2`);
  });
});

function gunzip(gz: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(gz));
}

describe('folder errors', () => {
  it('missing folder', async () => {
    const p = join(tmp, 'does-not-exist');
    await expect(loadDataset(p)).rejects.toThrow(DataError);
    await expect(loadDataset(p)).rejects.toThrow(`data set folder not found: ${p}; expected 'embedded', ` +
      `'fashion-mnist', a folder of IDX, CIFAR-10 or numpy files, a CIFAR-10 .tar.gz archive, or an .npz`);
    await expect(loadDataset('no-such-data-set')).rejects.toThrow(/data set folder not found: .*no-such-data-set \(from 'no-such-data-set'\)/);
  });

  it('empty folder lists what was looked for', async () => {
    const dir = await folder('empty', {});
    await expect(loadDataset(dir)).rejects.toThrow(DataError);
    await expect(loadDataset(dir)).rejects.toThrow(
      `${dir}: no data set found. Looked for IDX files (train-images-idx3-ubyte[.gz], ` +
      'train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]), ' +
      'CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin, or a ' +
      'cifar-10-batches-bin folder holding them), CIFAR-10 python batches (data_batch_1 … data_batch_5, ' +
      'test_batch, or a cifar-10-batches-py folder), numpy arrays (x_train.npy and y_train.npy, or X.npy and y.npy, or one .npz of them), ' +
      'LIBSVM files (*.svm, *.libsvm, *.svmlight) ' +
      'and the archives cifar-10-binary.tar.gz, cifar-10-python.tar.gz; the folder is empty');
  });

  it('a folder of other files names them, and says what to do with an archive', async () => {
    const dir = await folder('other', { 'notes.txt': 'x', 'mnist.zip': new Uint8Array(3) });
    await expect(loadDataset(dir)).rejects.toThrow(/the folder holds mnist\.zip, notes\.txt\. To read mnist\.zip as an \.npz of numpy arrays, pass its path \(.*mnist\.zip\); if it holds other files, extract it first/);
    const tgz = await folder('other-tgz', { 'notes.txt': 'x', 'data.tgz': new Uint8Array(3) });
    await expect(loadDataset(tgz)).rejects.toThrow(`the folder holds data.tgz, notes.txt. To read data.tgz, pass its path: ${join(tgz, 'data.tgz')}`);
  });

  it('a file instead of a folder', async () => {
    const dir = await folder('afile', { 'x.bin': new Uint8Array(1) });
    await expect(loadDataset(join(dir, 'x.bin'))).rejects.toThrow(DataError);
    await expect(loadDataset(join(dir, 'x.bin'))).rejects.toThrow(/x\.bin: truncated at record 0: 1 bytes is 0 complete 3073-byte records/);
    await writeFile(join(dir, 'notes.txt'), 'hello\n');
    await expect(loadDataset(join(dir, 'notes.txt'))).rejects.toThrow(/notes\.txt: no data set found: .* is read from their folder: pass the folder/);
  });
});

describe('a folder of numpy arrays', () => {
  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { timeout: 20_000 }).status === 0);
  it.skipIf(!python)(`reads what numpy's np.save writes, found by loadDataset (${python ?? 'no python3 with numpy: skipped'})`, async () => {
    const dir = join(tmp, 'npy-numpy');
    await mkdir(dir, { recursive: true });
    // Images N×H×W×C uint8 and int64 labels, as Keras's datasets are saved; values from a formula both sides know.
    const script = [
      'import numpy as np, sys', 'd = sys.argv[1]',
      'def imgs(n, o): return ((np.arange(n * 5 * 4 * 3).reshape(n, 5, 4, 3) * 7 + o) % 256).astype(np.uint8)',
      "np.save(d + '/x_train.npy', imgs(30, 0)); np.save(d + '/y_train.npy', np.arange(30) % 3)",
      "np.save(d + '/x_test.npy', imgs(9, 1)); np.save(d + '/y_test.npy', (np.arange(9) + 1) % 3)",
    ].join('\n');
    const r = spawnSync(python!, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const loaded of [await loadNpyFolder(dir), await loadDataset(dir)]) {
      expect(loaded.format).toBe('npy');
      expect(loaded.train.n).toBe(30);
      expect(loaded.test.n).toBe(9);
      expect(loaded.train.image).toEqual({ height: 5, width: 4, channels: 3, layout: 'hwc' });
      expect(Array.from(loaded.train.images!.subarray(0, 5))).toEqual([0, 7, 14, 21, 28]);
      expect(loaded.train.images![100]).toBe((100 * 7) % 256);
      expect(loaded.test.images![3]).toBe((3 * 7 + 1) % 256);
      expect(Array.from(loaded.train.labels.subarray(0, 4))).toEqual([0, 1, 2, 0]);
      expect(Array.from(loaded.test.labels.subarray(0, 3))).toEqual([1, 2, 0]);
      expect(loaded.train.classNames).toEqual(['0', '1', '2']);
    }
  });

  it.skipIf(!python)(`reads what numpy's np.savez and np.savez_compressed write: a file, or a folder holding one (${python ?? 'skipped'})`, async () => {
    const dir = join(tmp, 'npz-numpy');
    await mkdir(join(dir, 'in-folder'), { recursive: true });
    const script = [
      'import numpy as np, sys', 'd = sys.argv[1]',
      'def imgs(n, o): return ((np.arange(n * 6 * 6) .reshape(n, 6, 6) * 5 + o) % 256).astype(np.uint8)',
      "np.savez(d + '/plain.npz', x_train=imgs(40, 0), y_train=np.arange(40) % 4, x_test=imgs(8, 3), y_test=np.arange(8) % 4)",
      "np.savez_compressed(d + '/in-folder/small.npz', x_train=imgs(40, 0), y_train=np.arange(40) % 4, x_test=imgs(8, 3), y_test=np.arange(8) % 4)",
    ].join('\n');
    const r = spawnSync(python!, ['-c', script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const spec of [join(dir, 'plain.npz'), join(dir, 'in-folder')]) {
      const loaded = await loadDataset(spec);
      expect(loaded.format).toBe('npy');
      expect([loaded.train.n, loaded.test.n]).toEqual([40, 8]);
      expect(loaded.train.image).toEqual({ height: 6, width: 6, channels: 1, layout: 'hwc' });
      expect(loaded.train.images![77]).toBe((77 * 5) % 256);
      expect(loaded.test.images![5]).toBe((5 * 5 + 3) % 256);
      expect(Array.from(loaded.train.labels.subarray(0, 5))).toEqual([0, 1, 2, 3, 0]);
      expect(loaded.train.classNames).toEqual(['0', '1', '2', '3']);
    }
  });

  it('an array with another name is refused from the listing, before any array is read', async () => {
    // x_train.npy here is not even an .npy: it would fail if it were read.
    const dir = await folder('npy-extra', { 'x_train.npy': 'not read', 'y_train.npy': 'not read', 'x_val.npy': 'not read' });
    await expect(loadDataset(dir)).rejects.toThrow(/numpy arrays named x_val\.npy: expected x_train\.npy and y_train\.npy .* move the others out of the folder/);
  });

  it('a folder with an .npy that is not x_train/y_train says what it looked for', async () => {
    const dir = await folder('npy-wrong', { 'features.npy': new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]) });
    await expect(loadDataset(dir)).rejects.toThrow(/numpy arrays \(x_train\.npy and y_train\.npy, or X\.npy and y\.npy, or one \.npz of them\)/);
    await expect(loadNpyFolder(dir)).rejects.toThrow(/no numpy training arrays found: looked for x_train\.npy and y_train\.npy, or X\.npy and y\.npy/);
  });
});

describe('loadDataset: LIBSVM files', () => {
  const values = Float32Array.from({ length: 30 * 5 }, (_, i) => (i % 7) - 3);
  const labels = Array.from({ length: 30 }, (_, i) => (i % 2 ? 1 : -1));
  const file = encodeLibsvm(values, labels, 5);

  it('a folder of train.svm and test.svm (with classes.txt), named by the folder', async () => {
    const dir = await folder('svmdir', { 'train.svm': file, 'test.svm': encodeLibsvm(values.subarray(0, 50), labels.slice(0, 10), 5), 'classes.txt': 'neg\npos\n' });
    const d = await loadDataset(dir);
    expect(d.format).toBe('libsvm');
    expect(d.name).toBe('svmdir');
    expect([d.train.n, d.test.n, d.train.features]).toEqual([30, 10, 5]);
    expect(d.train.classNames).toEqual(['neg', 'pos']);
  });

  it('one file, with or without a test file given apart', async () => {
    const dir = await folder('svmfiles', { 'heart': file, 'heart.t': file, 'notes.md': 'x' });
    const one = await loadDataset(join(dir, 'heart'), { seed: 3 });
    expect([one.name, one.train.n, one.test.n]).toEqual(['heart', 24, 6]);
    expect(one.notes.join('\n')).toMatch(/no test file: 6 of 30 rows/);
    const two = await loadDataset(join(dir, 'heart'), { testFile: join(dir, 'heart.t') });
    expect([two.train.n, two.test.n]).toEqual([30, 30]);
    await expect(loadDataset(join(dir, 'notes.md'))).rejects.toThrow(/no data set found/);
    await expect(loadDataset(dir, { testFile: join(dir, 'heart.t') })).rejects.toThrow(/svmfiles is not a file: a separate test file goes with a training file/);
    await expect(loadDataset('embedded', { testFile: join(dir, 'heart.t') })).rejects.toThrow(/a separate test file .* 'embedded' has its own test split/);
    // make:probe's folder: probe.svm and its test file probe.svm.t
    const probe = await folder('probedir', { 'probe.svm': file, 'probe.svm.t': encodeLibsvm(values.subarray(0, 40), labels.slice(0, 8), 5) });
    const p = await loadDataset(probe);
    expect([p.train.n, p.test.n]).toEqual([30, 8]);
  });
});
