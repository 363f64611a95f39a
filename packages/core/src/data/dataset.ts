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
  readonly image: { readonly height: number; readonly width: number; readonly channels: number;
    readonly layout: 'hwc' | 'chw' };
  readonly classNames: readonly string[];
}
