import {
  fitPreprocessing, Random, splitTrainValidation, take, toDesignMatrix,
  type Dataset, type DesignMatrix, type Preprocessing,
} from '@descent/core';
import { loadDataset } from '@descent/core/node';

export interface DataOptions {
  /** 'embedded', 'fashion-mnist', or a folder of IDX files or CIFAR-10 batches. */
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

/** Load, split off validation, fit preprocessing on the training split, build design matrices. */
export async function prepareData(options: DataOptions): Promise<PreparedData> {
  const loaded = await loadDataset(options.data);
  const rng = new Random(options.seed).fork('split');
  const split = options.validation > 0
    ? splitTrainValidation(loaded.train, { validation: options.validation, rng })
    : { train: loaded.train, validation: take(loaded.train, 0) };
  const trainSet = options.limit !== undefined && options.limit < split.train.n ? take(split.train, options.limit) : split.train;
  const preprocessing = options.preprocessing
    ?? fitPreprocessing(trainSet, { subtractMean: options.subtractMean, scale: options.scale });
  return {
    name: loaded.name,
    classNames: trainSet.classNames,
    image: trainSet.image,
    preprocessing,
    train: toDesignMatrix(trainSet, preprocessing),
    validation: toDesignMatrix(split.validation, preprocessing),
    test: toDesignMatrix(loaded.test, preprocessing),
  };
}
