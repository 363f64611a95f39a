/**
 * The conformance kit: prove a ComputeBackend against the float64 reference (agreement, whole runs, contract checks), and the encoders tests use for fixture files.
 *
 * @module @descent/core/testing
 */
// @descent/core/testing: the conformance kit. Whoever writes a ComputeBackend proves it here:
//
//   - the agreement suite: every seeded case (the lecture's 3×3 example, CIFAR- and
//     Fashion-MNIST-shaped batches, hinge ties, softmax at ±1e4, absent classes, repeated rows)
//     against the float64 reference, within tolerances from the backend's declared precision;
//   - the whole-run cases: seeded minibatch SGD and Adam runs against the same runs on a float64
//     reference backend built on core's own reference math;
//   - the contract checks: bad input, released and disposed data, lifecycle;
//
// from plain code (`runConformance`, which returns results and never throws) or as tests of
// any framework (`describeConformance(vitest, …)`; core imports no test framework). Also the
// tolerance helpers, the reference backend, and the encoders tests use to make fixture files.
// Runs in Node and in browsers, like core's main entry.
export {
  Check, ConformanceSession, SUITES, isBackendPackage, packageTargets,
  type CaseResult, type ConformanceOptions, type ConformanceSpec, type ConformanceTarget, type PackageTargets,
  type Spec, type SuiteName,
} from './runner.js';
export {
  conformanceSpecs, formatConformance, runConformance, summarizeConformance, type ConformanceSummary,
} from './conformance.js';
export { describeConformance, type TestApi, type TestFunction } from './describe.js';
export { CONTRACT_CASES } from './contract.js';
export {
  conformanceCases, objectiveLabel, rowsLabel, trainingCases, type ConformanceCase, type TrainingCase,
} from './cases.js';
export {
  PRECISION_RTOL, compareClose, expectClose, toleranceFor, type CloseOptions, type Comparison, type Tolerance,
} from './tolerance.js';
export { REFERENCE_BACKEND_ID, createReferenceBackend } from './reference-backend.js';
export {
  encodeCifar10Batch, encodeCifar10PythonBatch, encodeCifar10PythonMeta, encodeIdx, encodeIdxDataset, encodeNpy, encodeNpyHeader, encodeLibsvm, encodeNpz, encodeTar,
} from './encoders.js';
