import {
  featureValues, isFeatureDataset, isFeaturePreprocessing, OptionError, type ByteRows, type Dataset, type ImageShape, type Model, type StreamedDtype,
} from '@descent/core';
import { loadDataset, openNpyFolder } from '@descent/core/node';
import { streams } from './session.js';

/** A data set's test split as evaluate and predict read it: its rows, labels and names. */
export interface TestSplit {
  readonly name: string;
  readonly n: number;
  /** Values per row (pixels of an image, or features). */
  readonly features: number;
  readonly labels: Int32Array;
  /** The images' shape; absent for features. */
  readonly image?: ImageShape;
  readonly classNames: readonly string[];
  /** The split in memory; absent when its rows are image bytes read from disk as needed (a numpy folder past 1 GiB of training images, or --stream). */
  readonly dataset?: Dataset;
  /** The rows on disk, when not in memory: image bytes, or feature values of `values.dtype`. */
  readonly rows?: ByteRows;
  readonly values?: { readonly dtype: StreamedDtype; readonly features: number } | undefined;
  close(): Promise<void>;
}

/**
 * The test split of --data: loaded into memory as train does, or, for a numpy folder that train
 * would stream, opened where it lies (its training images are never read). `seed` holds out the
 * same test rows as train's --seed where the files have no test split.
 */
export async function openTestSplit(spec: string, options: { seed: number; stream?: boolean; testData?: string }): Promise<TestSplit> {
  if (await streams({ data: spec, ...(options.stream ? { stream: true } : {}) })) {
    if (options.testData !== undefined) throw new OptionError('--test-data reads a test file (LIBSVM); a streamed numpy folder holds its own x_test.npy');
    const folder = await openNpyFolder(spec, { seed: options.seed });
    const t = folder.test;
    return { name: folder.name, n: t.rows.n, features: t.values ? t.values.features : t.rows.features, rows: t.rows, labels: t.labels,
      ...(t.image ? { image: t.image } : { values: t.values }), classNames: t.classNames, close: () => folder.close() };
  }
  const { test, name } = await loadDataset(spec, { seed: options.seed, ...(options.testData !== undefined ? { testFile: options.testData } : {}) });
  return { name, n: test.n, features: test.features, labels: Int32Array.from(test.labels), ...(test.image ? { image: test.image } : {}),
    classNames: test.classNames, dataset: test, close: async () => undefined };
}

/** Rows [start, start + count) of the split: image bytes, or float32 feature values. */
export async function readTestRows(t: TestSplit, start: number, count: number): Promise<Uint8Array | Float32Array> {
  const f = t.features, d = t.dataset;
  if (d) return isFeatureDataset(d) ? d.values.subarray(start * f, (start + count) * f) : d.images.subarray(start * f, (start + count) * f);
  const bytes = new Uint8Array(count * t.rows!.features);
  await t.rows!.read(start, count, bytes);
  return t.values ? featureValues(bytes, t.values.dtype) : bytes;
}

/** That the model reads this split: the same kind of rows (images or features), as many values a row. */
export function checkModelFits(modelPath: string, model: Model, test: TestSplit): void {
  const modelKind = isFeaturePreprocessing(model.preprocessing) ? 'features' : 'images';
  const dataKind = test.image ? 'images' : 'features';
  if (modelKind !== dataKind) throw new OptionError(`${modelPath} is a model of ${modelKind}; ${test.name} holds ${dataKind}`);
  if (test.features !== model.preprocessing.features) {
    throw new OptionError(`${modelPath} was trained on ${modelKind} of ${model.preprocessing.features} values a row; ${test.name} has ${test.features}` +
      (modelKind === 'features' ? " (a LIBSVM file's width is its largest index: give the files train was given, --data and --test-data)" : ''));
  }
  const named = (names: readonly string[]) => `${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`;
  if (test.classNames.length !== model.classNames.length) {
    throw new OptionError(`${test.name} has ${test.classNames.length} classes; ${modelPath} has ${model.classNames.length}`);
  }
  // Features' classes are often label values (LIBSVM, numpy): the same count of other values would make every accuracy wrong.
  const differ = modelKind === 'features' ? model.classNames.findIndex((c, i) => c !== test.classNames[i]) : -1;
  if (differ >= 0) {
    throw new OptionError(`${test.name}'s classes (${named(test.classNames)}) are not ${modelPath}'s (${named(model.classNames)}): class ${differ} is ` +
      `'${test.classNames[differ]}' here and '${model.classNames[differ]}' in the model`);
  }
}
