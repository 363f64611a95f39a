/**
 * Node-only helpers: loading data sets from disk, the embedded data set, model files on disk.
 *
 * @module @descent/core/node
 */
// @descent/core/node: Node-only helpers (file system). Browsers use '@descent/core' and pass
// bytes to the readers in data/ themselves.
export {
  EMBEDDED_DATA_DIR, EMBEDDED_DATA_ENV, EMBEDDED_DATA_FILES, embeddedDataPath,
} from './node/embedded.js';
export {
  FASHION_MNIST_DEBIAN_PATH, loadCifar10Archive, loadCifar10Folder, loadDataset, loadIdxFolder, loadNpyFolder,
  type LoadOptions, type LoadedDataset,
} from './node/load.js';
export {
  npyTrainingBytes, openNpyFolder, openNpyRows, STREAM_ABOVE, type NpyFileRows, type StreamedFolder,
} from './node/npy-stream.js';
export { writeFileAtomic } from './node/atomic-write.js';
export { loadModel, saveModel } from './node/model-io.js';
