/**
 * Data sets in the browser: the embedded Fashion-MNIST subset (fetched from the build's
 * data/ folder) or files the user opened, both read by core's recognizeDataset — the rules the
 * CLI's --data uses too (told apart by their bytes and names, archives expanded, one set of rows
 * → a seeded 20 % held out as the test split). Then core's prepareSplits, the recipe the CLI
 * uses too: split off validation rows with the seed's 'split' stream, fit the preprocessing on
 * the training rows only, and build the design matrices.
 */
import {
  FASHION_MNIST_CLASS_NAMES, HELD_OUT_TEST_FRACTION, prepareData, recognizeDataset,
  type Dataset, type NamedBytes, type PreparedData, type Preprocessing, type RecognizedDataset,
} from '@descent/core';

export type { NamedBytes } from '@descent/core';

/** The four files of the embedded subset, as packages/core/data/fashion-mnist-subset holds them. */
export const EMBEDDED_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz', trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz', testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export const EMBEDDED_NAME = 'fashion-mnist-subset';

/** A data set with training and test splits, before validation is split off (core's RecognizedDataset fits). */
export type RawData = Pick<RecognizedDataset, 'name' | 'source' | 'train' | 'test' | 'notes'>;

/** Fraction of the rows held out as the test split when the user opened no test file. */
export const HELD_OUT_TEST = HELD_OUT_TEST_FRACTION;

export function embeddedData(files: Record<keyof typeof EMBEDDED_FILES, Uint8Array>): RawData {
  const named = (Object.keys(EMBEDDED_FILES) as (keyof typeof EMBEDDED_FILES)[])
    .map((k) => ({ name: EMBEDDED_FILES[k], bytes: files[k] }));
  return recognizeDataset(named, { seed: 1, name: EMBEDDED_NAME, classNames: FASHION_MNIST_CLASS_NAMES,
    source: 'embedded Fashion-MNIST subset (packages/core/data/fashion-mnist-subset)' });
}

/**
 * Reads files the user opened (see core's recognizeDataset for the rules): IDX images + labels
 * (gzipped or not; a train pair and a test pair, or one pair of which a seeded 20 % becomes the
 * test split), or CIFAR-10 batches as the course ships them: binary (data_batch_*.bin,
 * test_batch.bin, optional batches.meta.txt) or python pickles (data_batch_*, test_batch,
 * optional batches.meta), loose or inside their .tar.gz. Optional classes.txt: class names one
 * per line. Other files are ignored with a note. Every problem is a DataError naming the file.
 */
export function userData(files: readonly NamedBytes[], seed: number): RawData {
  return recognizeDataset(files, { seed });
}

/** The raw splits and what a backend places: core's prepareData, the recipe the CLI uses too. */
export interface Prepared extends PreparedData {
  readonly raw: RawData;
  readonly seed: number;
  readonly validationSpec: number;
  readonly limit: number | undefined;
}

export function prepare(raw: RawData, options: { seed: number; validation: number; limit?: number;
  preprocessing?: Preprocessing }): Prepared {
  const p = prepareData(raw, options);
  // Added, not spread: spreading would build the float32 design matrices (core's prepareSplits).
  return Object.assign(p, { raw, seed: options.seed, validationSpec: options.validation, limit: options.limit });
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
