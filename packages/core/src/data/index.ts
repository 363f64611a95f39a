// Data: the Dataset type, IDX (MNIST / Fashion-MNIST) and CIFAR-10 binary readers and writers,
// the CIFAR-10 python-version (pickle) reader, .tar / .tar.gz archives,
// deterministic splits, and preprocessing into the DesignMatrix a backend places.
// Everything here parses bytes (Uint8Array), never paths: file loading is in '@descent/core/node'.
export * from './dataset.js';
export { isGzip, gunzipChecked, maybeGunzip, crc32 } from './gzip.js';
export * from './idx.js';
export * from './cifar10.js';
export * from './split.js';
export * from './preprocess.js';
export * from './prepare.js';
export {
  encodeCifar10PythonBatch, encodeCifar10PythonMeta, isPickle, readCifar10PythonBatch, readCifar10PythonMeta,
} from './cifar10-python.js';
export { encodeTar, isTar, readArchive, readTar, type ArchiveEntry } from './archive.js';
