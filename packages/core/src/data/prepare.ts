import type { DesignMatrix } from '../backend.js';
import { Random } from '../random.js';
import type { Dataset } from './dataset.js';
import { fitPreprocessing, toDesignMatrix, type Preprocessing } from './preprocess.js';
import { splitTrainValidation, take } from './split.js';

export interface PrepareOptions {
  /** The split's rows are drawn from this seed's 'split' stream. */
  readonly seed: number;
  /** Validation rows held out of the training set: a count, or a fraction below 1; 0 for none. */
  readonly validation: number;
  /** Keep only the first N training rows (after the validation split), for quick runs. */
  readonly limit?: number;
  /** Fitting options (when no preprocessing is given): pixel scale (1/255) and mean subtraction (on). */
  readonly scale?: number;
  readonly subtractMean?: boolean;
  /** Use this preprocessing (a saved model's) instead of fitting one on the training rows. */
  readonly preprocessing?: Preprocessing;
}

export interface PreparedSplits {
  readonly trainSet: Dataset;
  readonly validationSet: Dataset;
  readonly preprocessing: Preprocessing;
  readonly train: DesignMatrix;
  readonly validation: DesignMatrix;
  readonly test: DesignMatrix;
}

/**
 * The one recipe every app uses from raw splits to what a backend places: split validation
 * rows off the training set (seeded), optionally keep the first `limit` training rows, fit the
 * preprocessing on those training rows only (mean image, scale), and build the three design
 * matrices with the bias column.
 */
export function prepareSplits(train: Dataset, test: Dataset, options: PrepareOptions): PreparedSplits {
  const rng = new Random(options.seed).fork('split');
  const split = options.validation > 0
    ? splitTrainValidation(train, { validation: options.validation, rng })
    : { train, validation: take(train, 0) };
  const trainSet = options.limit !== undefined && options.limit < split.train.n ? take(split.train, options.limit) : split.train;
  const preprocessing = options.preprocessing ?? fitPreprocessing(trainSet, {
    ...(options.scale !== undefined ? { scale: options.scale } : {}),
    ...(options.subtractMean !== undefined ? { subtractMean: options.subtractMean } : {}),
  });
  return {
    trainSet, validationSet: split.validation, preprocessing,
    train: toDesignMatrix(trainSet, preprocessing),
    validation: toDesignMatrix(split.validation, preprocessing),
    test: toDesignMatrix(test, preprocessing),
  };
}
