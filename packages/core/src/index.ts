/**
 * Everything backend-agnostic: the backend contract, losses, gradients, optimizers, strategies, diagnostics, data readers, model files, the backend registry and the session API apps use. Runs in Node and in browsers.
 *
 * @module @descent/core
 */
// @descent/core: everything backend-agnostic, the stable public surface, named one by one so
// that what is public is a decision (internals stay unexported; test helpers and the
// conformance kit are '@descent/core/testing'; file-system loading is '@descent/core/node').
// Runs in Node and in browsers.

export {
  allRows, hasMargin, LOSS_LABELS, LOSS_NAMES, makeObjective, rowAt, rowCount, type ComputeBackend, type DesignMatrix,
  type BlockLayout, type Evaluation, type LossName, type Objective, type PixelMatrix, type PlaceOptions, type Precision, type Resident, type ResidentTrainer, type Rows, type TrainerSpec, type Vec
} from './backend.js';
export {
  bytesInMemory, forEachPiece, pickRows, type ByteRows
} from './data/byte-rows.js';
export {
  checkFeatureRows, decodeFeatureRows, featureValues, isStreamed, prepareStreamed, rowBytes, type StreamedData, type StreamedDtype, type StreamedPixels, type StreamedSet
} from './data/streamed.js';
export {
  MAX_BLOCK_BYTES, MAX_BLOCK_ROWS, MIN_BLOCK_ROWS, STREAM_BLOCK_BYTES, StreamingBackend, type StreamOptions
} from './session/streaming-backend.js';
export {
  BackendError, DataError, DescentError, OptionError, ShapeError
} from './errors.js';
export {
  Random
} from './random.js';
export {
  BackendRegistry, currentEnvironment, infoIn, MAX_THREADS, describeChoice, parseBackendSpec, shortReason, type BackendAsset,
  type BackendChoice, type BackendInfo, type BackendModule, type BackendPackage, type BackendProvider,
  type Environment, type ProbeResult, type ProbeRow, type RegistryOptions
} from './registry.js';
export {
  webglSoftwareFallback, webgpuSoftwareFallback
} from './adapters.js';
export {
  PlacedSets
} from './placed-sets.js';
export {
  readCifar10PythonBatch, readCifar10PythonMeta
} from './data/cifar10-python.js';
export {
  CIFAR10_CLASS_NAMES, CIFAR10_FEATURES, CIFAR10_IMAGE, concatDatasets, parseCifar10Meta, readCifar10Batch
} from './data/cifar10.js';
export {
  checkDataset, checkLabels, classCounts, FASHION_MNIST_CLASS_NAMES, imageAt, imageDataset, isFeatureDataset, labelArray, makeDataset,
  makeFeatureDataset, MAX_CLASSES, MNIST_CLASS_NAMES, type Dataset, type FeatureDataset, type ImageDataset, type ImageShape, type Labels
} from './data/dataset.js';
export {
  IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxDataset, readIdxImages, readIdxLabels, type IdxDatasetOptions
} from './data/idx.js';
export {
  isNpy, MAX_NPY_HEADER_BYTES, npyIntegers, readNpy, readNpyHeader, type NpyArray, type NpyData, type NpyDtype,
  type NpyHeader
} from './data/npy.js';
export {
  isZip, readZip, type ZipMember
} from './data/npz.js';
export {
  MAX_LIBSVM_FEATURES, MAX_LIBSVM_LINE_BYTES, MAX_LIBSVM_VALUES, readLibsvm, scanLibsvm, type LibsvmRead, type LibsvmRows
} from './data/libsvm.js';
export {
  checkModelSize, MAX_WEIGHTS, prepareSplits, type PreparedSplits, type PrepareOptions
} from './data/prepare.js';
export {
  addPixelSums, checkDesignMatrix, decodePixelRow, decodePixelRows, fitPreprocessing, identityFeatures, isFeaturePreprocessing, pixelPrefix,
  preprocessingFromSums, preprocessImage, preprocessingFromJSON, preprocessingToJSON, preprocessRow, scaledBytes, toDesignMatrix, toPixelMatrix,
  type FeaturePreprocessing, type FeaturePreprocessingJSON, type PixelPreprocessing, type PixelPreprocessingJSON, type Preprocessing,
  type PreprocessingJSON, type PreprocessingOptions
} from './data/preprocess.js';
export {
  HELD_OUT_TEST_FRACTION, recognizeDataset, type NamedBytes, type RecognizedDataset, type RecognizedFile,
  type RecognizeOptions
} from './data/recognize.js';
export {
  splitIndices, splitTrainValidation, subset, take, type SplitOptions
} from './data/split.js';
export {
  accuracy, argmaxRows, confusionAndTopK, confusionFromPredictions, confusionMatrix, labelsOf, predict, topKAccuracy, type ConfusionMatrix
} from './diagnostics/accuracy.js';
export {
  LANDSCAPE_CAPS, landscape1D, landscape2D, randomDirection, type Landscape1D, type Landscape2D, type LandscapeOptions
} from './diagnostics/landscape.js';
export {
  dot
} from './diagnostics/scores-loss.js';
export {
  RACE_CAPS, RACE_DEFAULTS, raceOnPlane, type RaceOptions, type RacePath
} from './diagnostics/optimizer-race.js';
export { LinearProbe } from './diagnostics/linear-probe.js';
export {
  LECTURE_STEP_SIZES, stepSizeSweep, type StepSizeSweepOptions, type StepSizeSweepResult
} from './diagnostics/step-size-sweep.js';
export {
  checkBackendGradient, type BackendGradientCheckOptions
} from './gradients/backend-check.js';
export {
  crammerSingerKinkCounter, gradientCheck, hingeKinkCounter, kinkCounterFor, readRelativeError, relativeError, type GradientCheckFloor, type GradientCheckOptions,
  type GradientCheckPrecision, type GradientCheckReport, type GradientCheckRow, type KinkCounter, type RelativeErrorLabel,
  type RelativeErrorReading
} from './gradients/check.js';
export {
  FLOOR_ROUNDOFFS, floorRoundoffs, roundingScale, unitRoundoff, type RoundingScale
} from './gradients/floor.js';
export {
  linearFiniteDifferences
} from './gradients/linear-differences.js';
export {
  numericalGradient, type FiniteDifference, type NumericalGradientOptions, type ScalarFunction
} from './gradients/numerical.js';
export {
  EvaluationSum, gatherRows, l2Penalty, linearClassifierLoss, linearScores, type LossAndGradient, type LossValue,
  type Matrix, type RowLoss
} from './losses/linear.js';
export {
  crammerSingerCompetitor, crammerSingerLoss, crammerSingerLossAndGradient, crammerSingerRowLoss, type CrammerSingerOptions
} from './losses/crammer-singer.js';
export {
  evaluateReference, LOSS_DESCRIPTIONS, rowLossOf, type ReferenceEvaluation
} from './losses/reference.js';
export {
  softmaxLoss, softmaxLossAndGradient, softmaxRowLoss, type SoftmaxOptions
} from './losses/softmax.js';
export {
  svmLoss, svmLossAndGradient, svmRowLoss, type SvmOptions
} from './losses/svm.js';
export {
  isLossName, validateDesignMatrix, validateObjective, validatePixelMatrix, validateRows, validateWeights
} from './losses/validate.js';
export {
  decodeModel, encodeModel, MODEL_CHECKSUM_COVERS, MODEL_FORMAT, MODEL_VERSION, modelChecksum, weightsChecksum, type Model
} from './model/model-file.js';
export {
  predictImage, predictRow, type Prediction
} from './model/predict.js';
export {
  AdagradOptimizer
} from './optimizers/adagrad.js';
export {
  AdamOptimizer
} from './optimizers/adam.js';
export {
  createOptimizer, isOptimizerName, OPTIMIZERS, type OptimizerInfo
} from './optimizers/index.js';
export {
  MomentumOptimizer
} from './optimizers/momentum.js';
export {
  NesterovOptimizer
} from './optimizers/nesterov.js';
export {
  DEFAULT_OPTIMIZER_OPTIONS, OPTIMIZER_NAMES, resolveOptimizerOptions, type Optimizer, type OptimizerName,
  type OptimizerOptions
} from './optimizers/optimizer.js';
export {
  RmspropOptimizer
} from './optimizers/rmsprop.js';
export {
  createSchedule, DEFAULT_SCHEDULE_OPTIONS, isScheduleName, SCHEDULE_LABELS, SCHEDULE_NAMES, type Schedule,
  type ScheduleName, type ScheduleOptions
} from './optimizers/schedules.js';
export {
  SgdOptimizer
} from './optimizers/sgd.js';
export {
  batchesPerEpoch, createSampler, isSamplerName, SAMPLER_LABELS, SAMPLER_NAMES, type Sampler, type SamplerName
} from './samplers.js';
export {
  BYTES_ABOVE, chooseXForm, prepareData, Session, X_FORMS, type XForm, type DiagnosticRows, type PlacedData, type PreparedData, type TrainHooks,
  type RacePlane, type TrainingRun, type TrainOutcome
} from './session/session.js';
export {
  DEFAULT_EPOCHS, DEFAULT_TRAIN_SETTINGS, objectiveOf, reportedSettings, trainingRecord, trainOptions,
  trainSettings, type DataSettings, type DataSummary, type RunContext, type TrainingRecord,
  type TrainSettings
} from './session/settings.js';
export {
  batchStudy, compareStrategies, defaultBatchSizes, LECTURE_SEARCH_ACCURACY, narrowRange, onRangeBorder,
  tune, type BatchStudyOptions, type BatchStudyResult, type BatchStudyRow, type PlacedSplits,
  type SearchComparisonOptions, type SearchComparisonRun, type TuneOptions, type TuneResult, type TuneTrial
} from './session/studies.js';
export {
  DEFAULT_LEARNING_RATE, effectiveBatching
} from './strategies/gradient-descent.js';
export {
  initialWeights
} from './strategies/initial-weights.js';
export {
  RunControl
} from './strategies/run-control.js';
export {
  isStrategyName, plannedIterations, train
} from './strategies/train.js';
export {
  isSearchStrategy, STRATEGIES, STRATEGY_NAMES, type ProgressEvent, type StrategyInfo, type StrategyName,
  type TrainOptions, type TrainResult, type TrainStatus
} from './strategies/types.js';
