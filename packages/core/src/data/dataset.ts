import { DataError, ShapeError } from '../errors.js';

/** The shape of one image and the order of its bytes. */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** 'hwc' (MNIST-like, channels last) or 'chw' (CIFAR-10: all red, then green, then blue). */
  readonly layout: 'hwc' | 'chw';
}

/**
 * The most classes a data set may have: as many as its label type can address. Labels are
 * bytes (Dataset.labels is a Uint8Array), so 256. Class lists read from files (classes.txt,
 * batches.meta.txt, a pickled batches.meta) longer than this are refused before they are
 * built; widen this together with the label type.
 */
export const MAX_CLASSES = 256;

/** An image data set as read from disk: raw pixel bytes and integer labels. */
export interface Dataset {
  /** Where it came from, e.g. 'fashion-mnist/train' or 'cifar-10/data_batch_1..5'. */
  readonly name: string;
  /** n × features pixel values (0..255), one image after another. */
  readonly images: Uint8Array;
  /** n labels in [0, classNames.length). */
  readonly labels: Uint8Array;
  readonly n: number;
  /** Values per image = height·width·channels. */
  readonly features: number;
  /** One image's shape and the order of its bytes: 'hwc' (MNIST-like, channels last) or
   *  'chw' (CIFAR-10: all red, then all green, then all blue). */
  readonly image: ImageShape;
  readonly classNames: readonly string[];
}

/** The ten Fashion-MNIST classes, in label order (Zalando Research). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** The ten MNIST digit classes, in label order. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze(
  ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * Builds a Dataset from its parts after checking that they fit together: image bytes =
 * n·features, features = height·width·channels, n labels each below the class count.
 * Throws ShapeError for sizes that disagree and DataError (naming the row) for a bad label.
 */
export function makeDataset(parts: {
  name: string; images: Uint8Array; labels: Uint8Array; image: ImageShape;
  classNames: readonly string[];
}): Dataset {
  const { name, images, labels, image, classNames } = parts;
  const features = image.height * image.width * image.channels;
  const n = labels.length;
  const ds: Dataset = { name, images, labels, n, features, image: { ...image },
    classNames: Object.freeze([...classNames]) };
  checkDataset(ds);
  return ds;
}

/**
 * Checks a Dataset's invariants (see makeDataset); returns it unchanged. Use on data sets
 * that did not come from this module's readers.
 */
export function checkDataset(ds: Dataset): Dataset {
  const { name, image } = ds;
  for (const k of ['height', 'width', 'channels'] as const) {
    if (!(Number.isInteger(image[k]) && image[k] >= 1)) {
      throw new ShapeError(`${name}: image ${k} must be a positive integer, got ${image[k]}`);
    }
  }
  if (image.layout !== 'hwc' && image.layout !== 'chw') {
    throw new ShapeError(`${name}: image layout must be 'hwc' or 'chw', got '${String(image.layout)}'`);
  }
  const features = image.height * image.width * image.channels;
  if (ds.features !== features) {
    throw new ShapeError(`${name}: features is ${ds.features} but the image shape ` +
      `${image.height}×${image.width}×${image.channels} holds ${features} values`);
  }
  if (!Number.isInteger(ds.n) || ds.n < 0) {
    throw new ShapeError(`${name}: n must be a non-negative integer, got ${ds.n}`);
  }
  if (ds.labels.length !== ds.n) {
    throw new ShapeError(`${name}: ${ds.labels.length} labels for ${ds.n} images`);
  }
  if (ds.images.length !== ds.n * features) {
    throw new ShapeError(`${name}: ${ds.images.length} pixel bytes, but ${ds.n} images of ` +
      `${features} values need ${ds.n * features}`);
  }
  if (ds.classNames.length < 1) {
    throw new ShapeError(`${name}: no class names`);
  }
  checkLabels(ds.labels, ds.classNames.length, name);
  return ds;
}

/** Throws DataError naming the first label ≥ classes and its index. */
export function checkLabels(labels: ArrayLike<number>, classes: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < classes && Number.isInteger(l))) {
      throw new DataError(`${source}: label ${l} at index ${i} is out of range for ` +
        `${classes} classes (0..${classes - 1})`);
    }
  }
}

/** How many images of each class: counts[c] for c in [0, classNames.length). */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]!]! += 1;
  return counts;
}

/** The bytes of image i (a view into ds.images, not a copy). */
export function imageAt(ds: Dataset, i: number): Uint8Array {
  if (!(Number.isInteger(i) && i >= 0 && i < ds.n)) {
    throw new ShapeError(`${ds.name}: image index ${i} out of range 0..${ds.n - 1}`);
  }
  return ds.images.subarray(i * ds.features, (i + 1) * ds.features);
}
