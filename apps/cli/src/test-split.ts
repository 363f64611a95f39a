import { bytesInMemory, type ByteRows, type Dataset, type ImageShape } from '@descent/core';
import { loadDataset, openNpyFolder } from '@descent/core/node';
import { streams } from './session.js';

/** A data set's test split as evaluate and predict read it: its rows of bytes, labels and names. */
export interface TestSplit {
  readonly name: string;
  readonly rows: ByteRows;
  readonly labels: Int32Array;
  readonly image: ImageShape;
  readonly classNames: readonly string[];
  /** The split in memory; absent when its rows are read from disk as needed (a numpy folder past 1 GiB of training images, or --stream). */
  readonly dataset?: Dataset;
  close(): Promise<void>;
}

/**
 * The test split of --data: loaded into memory as train does, or, for a numpy folder that train
 * would stream, opened where it lies (its training images are never read). `seed` holds out the
 * same test rows as train's --seed where the files have no test split.
 */
export async function openTestSplit(spec: string, options: { seed: number; stream?: boolean }): Promise<TestSplit> {
  if (await streams({ data: spec, ...(options.stream ? { stream: true } : {}) })) {
    const folder = await openNpyFolder(spec, { seed: options.seed });
    const t = folder.test;
    return { name: folder.name, rows: t.rows, labels: t.labels, image: t.image, classNames: t.classNames, close: () => folder.close() };
  }
  const { test, name } = await loadDataset(spec, { seed: options.seed });
  return { name, rows: bytesInMemory(test.images, test.features), labels: Int32Array.from(test.labels), image: test.image,
    classNames: test.classNames, dataset: test, close: async () => undefined };
}
