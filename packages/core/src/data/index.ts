// Data: the Dataset type, IDX (MNIST / Fashion-MNIST) and CIFAR-10 binary readers, numpy .npy,
// the CIFAR-10 python-version (pickle) reader, .tar / .tar.gz archives,
// deterministic splits, and preprocessing into the DesignMatrix a backend places.
// recognizeDataset tells a data set apart among files (the rules the CLI and the web page share).
// Everything here parses bytes (Uint8Array), never paths: file loading is in '@descent/core/node'.
// The writers of these formats (encodeIdx, encodeTar, …) make test fixtures: '@descent/core/testing'.
export * from './dataset.js';
export { isGzip, gunzipChecked, maybeGunzip, crc32, MAX_INFLATED_BYTES, type GunzipLimit, type GunzipOptions } from './gzip.js';
export * from './idx.js';
export * from './cifar10.js';
export * from './split.js';
export * from './preprocess.js';
export * from './prepare.js';
export { isPickle, readCifar10PythonBatch, readCifar10PythonMeta } from './cifar10-python.js';
export { isTar, readArchive, readTar, type ArchiveEntry } from './archive.js';
export {
  isNpy, MAX_NPY_HEADER_BYTES, npyIntegers, readNpy, readNpyHeader, typedData,
  type NpyArray, type NpyData, type NpyDtype, type NpyHeader,
} from './npy.js';
export { isZip, readZip, type ZipMember } from './npz.js';
export {
  HELD_OUT_TEST_FRACTION, recognizeDataset,
  type NamedBytes, type RecognizeOptions, type RecognizedDataset, type RecognizedFile,
} from './recognize.js';
export { MAX_LIBSVM_FEATURES, MAX_LIBSVM_LINE_BYTES, MAX_LIBSVM_VALUES, readLibsvm, scanLibsvm, type LibsvmRead, type LibsvmRows } from './libsvm.js';
