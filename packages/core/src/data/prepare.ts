import type { DesignMatrix, PixelMatrix } from '../backend.js';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import { isFeatureDataset, type Dataset } from './dataset.js';
import { fitPreprocessing, isFeaturePreprocessing, toDesignMatrix, toPixelMatrix, type Preprocessing } from './preprocess.js';
import { splitTrainValidation, take } from './split.js';

/**
 * The most weights a model may have, D×C: 2^28 (2 GiB of float64 W, under Node's 4 GiB typed
 * arrays, with the optimizer's state of the same size beside it). Checked before any is allocated.
 */
export const MAX_WEIGHTS = 2 ** 28;

/** A DataError when D×C weights would pass MAX_WEIGHTS. */
export function checkModelSize(d: number, classes: number, name: string): void {
  if (d * classes > MAX_WEIGHTS) {
    throw new DataError(`${name}: ${d - 1} features (+ the bias) × ${classes} classes = ${d * classes} weights (${(d * classes * 8 / 2 ** 30).toFixed(1)} GiB as float64), ` +
      `more than the ${MAX_WEIGHTS} a model may have (MAX_WEIGHTS): fewer classes or smaller images`);
  }
}

export interface PrepareOptions {
  /** The split's rows are drawn from this seed's 'split' stream. */
  readonly seed: number;
  /** Validation rows held out of the training set: a count, or a fraction below 1; 0 for none. */
  readonly validation: number;
  /** Keep only the first N training rows (after the validation split), for quick runs. */
  readonly limit?: number;
  /** Fitting options (when no preprocessing is given): pixel scale (1/255) and mean subtraction (on) for images, */
  readonly scale?: number;
  readonly subtractMean?: boolean;
  /** … standardization (off: values as given) for features. */
  readonly standardize?: boolean;
  /** Use this preprocessing (a saved model's) instead of fitting one on the training rows. */
  readonly preprocessing?: Preprocessing;
}

export interface PreparedSplits {
  readonly trainSet: Dataset;
  readonly validationSet: Dataset;
  readonly preprocessing: Preprocessing;
  /**
   * Images: the three splits as bytes and preprocessing (sharing the data sets' bytes): what a
   * backend with placePixels keeps. Absent for features (held as float32 rows only).
   */
  readonly pixels?: { readonly train: PixelMatrix; readonly validation: PixelMatrix; readonly test: PixelMatrix };
  /**
   * The float32 design matrices. For images each is built on first use: a session whose backend
   * keeps pixels never builds them (CIFAR-10's training split is 614 MB as float32, 154 MB as
   * bytes). For features they are built here, and checked (every value finite after standardizing).
   */
  readonly train: DesignMatrix;
  readonly validation: DesignMatrix;
  readonly test: DesignMatrix;
}

/**
 * The one recipe every app uses from raw splits to what a backend places: split validation
 * rows off the training set (seeded), optionally keep the first `limit` training rows, fit the
 * preprocessing on those training rows only (mean image, scale), and check the three splits
 * (sizes, labels, every value finite) as pixel matrices; their float32 design matrices, with the
 * bias column, are built when first read. (Spreading the result reads them: add properties to
 * it instead, as prepareData does.)
 */
export function prepareSplits(train: Dataset, test: Dataset, options: PrepareOptions): PreparedSplits {
  checkModelSize(train.features + 1, train.classNames.length, train.name);
  if (isFeatureDataset(train) !== isFeatureDataset(test)) {
    throw new DataError(`${train.name} holds ${train.kind ?? 'images'} but ${test.name} holds ${test.kind ?? 'images'}`);
  }
  if (options.preprocessing && isFeaturePreprocessing(options.preprocessing) !== isFeatureDataset(train)) {
    throw new DataError(`${train.name} holds ${isFeatureDataset(train) ? 'features' : 'images'} but the preprocessing given is for ` +
      `${isFeatureDataset(train) ? 'images' : 'features'} (a model trained on other data?)`);
  }
  const rng = new Random(options.seed).fork('split');
  const split = options.validation > 0
    ? splitTrainValidation(train, { validation: options.validation, rng })
    : { train, validation: take(train, 0) };
  const trainSet = options.limit !== undefined && options.limit < split.train.n ? take(split.train, options.limit) : split.train;
  const preprocessing = options.preprocessing ?? fitPreprocessing(trainSet, {
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.subtractMean !== undefined ? { subtractMean: options.subtractMean } : {}),
    ...(options.standardize !== undefined ? { standardize: options.standardize } : {}),
  });
  const sets = { train: trainSet, validation: split.validation, test };
  if (isFeatureDataset(trainSet)) {
    return { trainSet, validationSet: split.validation, preprocessing, train: toDesignMatrix(trainSet, preprocessing),
      validation: toDesignMatrix(split.validation, preprocessing), test: toDesignMatrix(test, preprocessing) };
  }
  const pixels = {
    train: toPixelMatrix(trainSet, preprocessing),
    validation: toPixelMatrix(split.validation, preprocessing),
    test: toPixelMatrix(test, preprocessing),
  };
  const prepared = { trainSet, validationSet: split.validation, preprocessing, pixels } as PreparedSplits;
  for (const key of ['train', 'validation', 'test'] as const) {
    let dense: DesignMatrix | undefined;
    Object.defineProperty(prepared, key, { enumerable: true, configurable: true, get: () => (dense ??= toDesignMatrix(sets[key], preprocessing)) });
  }
  return prepared;
}
