import { prepareSplits, type Dataset, type DesignMatrix, type Preprocessing } from '@descent/core';
import { loadDataset } from '@descent/core/node';

export interface DataOptions {
  /** 'embedded', 'fashion-mnist', or a folder (or archive) of IDX files or CIFAR-10 batches. */
  readonly data: string;
  /** Validation rows held out of the training set: a count, or a fraction below 1. */
  readonly validation: number;
  /** Use only the first N training rows (after the validation split), for quick runs. */
  readonly limit?: number;
  readonly scale: number;
  readonly subtractMean: boolean;
  readonly seed: number;
  /** Use this preprocessing (a saved model's) instead of fitting one on the training split. */
  readonly preprocessing?: Preprocessing;
}

export interface PreparedData {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly image: Dataset['image'];
  readonly preprocessing: Preprocessing;
  readonly train: DesignMatrix;
  readonly validation: DesignMatrix;
  readonly test: DesignMatrix;
}

/** Load from disk, then core's recipe (prepareSplits): split, fit on training rows, design matrices. */
export async function prepareData(options: DataOptions): Promise<PreparedData> {
  const loaded = await loadDataset(options.data);
  const p = prepareSplits(loaded.train, loaded.test, {
    seed: options.seed, validation: options.validation, scale: options.scale, subtractMean: options.subtractMean,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.preprocessing ? { preprocessing: options.preprocessing } : {}),
  });
  return { name: loaded.name, classNames: p.trainSet.classNames, image: p.trainSet.image, preprocessing: p.preprocessing,
    train: p.train, validation: p.validation, test: p.test };
}
