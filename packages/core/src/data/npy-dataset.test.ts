import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { Random } from '../random.js';
import { encodeNpy, encodeNpyHeader } from '../testing/encoders.js';
import { HELD_OUT_TEST_FRACTION, recognizeDataset, type NamedBytes } from './recognize.js';

const text = (s: string) => new TextEncoder().encode(s);

/** n images of H×W×C random bytes and labels 0 … classes−1, as .npy bytes (labels as int64, as numpy writes them). */
function arrays(n: number, shape: number[], classes: number, seed: number, labelType: 'int64' | 'uint8' | 'int32' = 'int64') {
  const rng = new Random(seed);
  const f = shape.reduce((a, b) => a * b, 1);
  const images = Uint8Array.from({ length: n * f }, () => rng.int(256));
  const labels = Int32Array.from({ length: n }, () => rng.int(classes));
  const encoded = labelType === 'int64' ? encodeNpy(BigInt64Array.from(labels, BigInt))
    : labelType === 'uint8' ? encodeNpy(Uint8Array.from(labels)) : encodeNpy(labels);
  return { images, labels, x: encodeNpy(images, [n, ...shape]), y: encoded };
}

function recognize(files: NamedBytes[]) {
  return recognizeDataset(files, { seed: 1, source: 'folder' });
}

describe('numpy arrays as a data set', () => {
  it('reads x_train/y_train and x_test/y_test (N×H×W×C uint8, int64 labels) with class names from classes.txt', () => {
    const tr = arrays(50, [4, 5, 3], 4, 1), te = arrays(20, [4, 5, 3], 4, 2);
    const r = recognize([{ name: 'x_train.npy', bytes: tr.x }, { name: 'y_train.npy', bytes: tr.y },
      { name: 'x_test.npy', bytes: te.x }, { name: 'y_test.npy', bytes: te.y }, { name: 'classes.txt', bytes: text('a\nb\nc\nd\n') }]);
    expect(r.format).toBe('npy');
    expect(r.train.n).toBe(50);
    expect(r.test.n).toBe(20);
    expect(r.train.image).toEqual({ height: 4, width: 5, channels: 3, layout: 'hwc' });
    expect(r.train.features).toBe(60);
    expect(Array.from(r.train.images!)).toEqual(Array.from(tr.images!));
    expect(Array.from(r.train.labels)).toEqual(Array.from(tr.labels));
    expect(Array.from(r.test.labels)).toEqual(Array.from(te.labels));
    expect(r.train.classNames).toEqual(['a', 'b', 'c', 'd']);
    expect(r.notes).toEqual([]);
  });

  it('X/y (N×H×W grey, uint8 labels) holds out 20 %, and names the classes by their values', () => {
    const all = arrays(100, [6, 6], 3, 3, 'uint8');
    const r = recognize([{ name: 'X.npy', bytes: all.x }, { name: 'y.npy', bytes: all.y }]);
    expect(r.train.n + r.test.n).toBe(100);
    expect(r.test.n).toBe(100 * HELD_OUT_TEST_FRACTION);
    expect(r.train.image).toEqual({ height: 6, width: 6, channels: 1, layout: 'hwc' });
    expect(r.train.classNames).toEqual(['0', '1', '2']);
    expect(r.notes.join(' ')).toMatch(/class names: the label values 0 … 2/);
    expect(r.notes.join(' ')).toMatch(/20 of 100 rows .* held out as the test split/);
  });

  it('flat rows N×F and N×1 int32 labels read as one row of F pixels', () => {
    const all = arrays(30, [10], 2, 4, 'int32');
    const y = encodeNpy(all.labels, [30, 1]);
    const r = recognize([{ name: 'x_train.npy', bytes: all.x }, { name: 'y_train.npy', bytes: y }]);
    expect(r.train.image).toEqual({ height: 1, width: 10, channels: 1, layout: 'hwc' });
  });

  it('refuses what it cannot read, saying which file and what to do', () => {
    const a = arrays(10, [3, 3], 2, 5);
    const cases: [NamedBytes[], RegExp][] = [
      [[{ name: 'x_train.npy', bytes: a.x }], /x_train\.npy without its labels/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: a.y }, { name: 'extra.npy', bytes: a.y }], /numpy arrays named extra\.npy: expected x_train\.npy and y_train\.npy/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(new Float32Array(10)) }, { name: 'y_train.npy', bytes: a.y }], /x_train\.npy: features of shape \(10\): expected N×F/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(Float32Array.from({ length: 30 }, (_, i) => (i === 17 ? Number.NaN : i)), [10, 3]) }, { name: 'y_train.npy', bytes: a.y }],
        /x_train\.npy: value NaN at row 5, feature 2 is not finite/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(Float64Array.from({ length: 30 }, (_, i) => (i === 4 ? 1e300 : i)), [10, 3]) }, { name: 'y_train.npy', bytes: a.y }],
        /x_train\.npy: value 1e\+300 at row 1, feature 1 is beyond float32's range/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: a.y }, { name: 'x_test.npy', bytes: encodeNpy(new Float32Array(36), [4, 9]) },
        { name: 'y_test.npy', bytes: arrays(4, [2, 2], 2, 6).y }], /the training arrays hold images but the test arrays hold features/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(new Float32Array(30), [10, 3]) }, { name: 'y_train.npy', bytes: a.y }, { name: 'x_test.npy', bytes: encodeNpy(new Float32Array(16), [4, 4]) },
        { name: 'y_test.npy', bytes: arrays(4, [2, 2], 2, 6).y }], /training rows have 3 features but test rows have 4/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: encodeNpy(new Int32Array(9)) }], /y_train\.npy holds 9 labels but x_train\.npy holds 10 images/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: encodeNpy(Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 5000)) }], /label \[9\] is 5000, outside \[0, 4095\]/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: encodeNpy(new Float64Array(10)) }], /labels? must be integers/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: a.y }, { name: 'classes.txt', bytes: text('only\n') }], /y_train\.npy: label 1 at row \d+ is outside the 1 classes named by classes\.txt/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(new Uint8Array(0), [0, 3, 3]) }, { name: 'y_train.npy', bytes: encodeNpy(new Int32Array(0)) }], /x_train\.npy: holds no images/],
      [[{ name: 'x_train.npy', bytes: encodeNpy(new Uint8Array(0), [10, 0, 3]) }, { name: 'y_train.npy', bytes: a.y }], /x_train\.npy: images of shape \(10, 0, 3\) have no pixels/],
      [[{ name: 'x_train.npy', bytes: a.x.subarray(0, a.x.length - 5) }, { name: 'y_train.npy', bytes: a.y }], /x_train\.npy: truncated \.npy file: shape \(10, 3, 3\) of \|u1 needs 90 bytes of data, the file has 85/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: a.y }, { name: 'x_test.npy', bytes: arrays(4, [2, 2], 2, 6).x },
        { name: 'y_test.npy', bytes: arrays(4, [2, 2], 2, 6).y }], /training images are 3×3×1 but test images are 2×2×1/],
      [[{ name: 'x_train.npy', bytes: a.x }, { name: 'y_train.npy', bytes: a.y }, { name: 'train-images-idx3-ubyte', bytes: new Uint8Array([0, 0, 8, 3]) }], /both numpy arrays .* and IDX files/],
      [[{ name: 'x_train.npy', bytes: concat(encodeNpyHeader('<u1', [10, 3, 3, 5]), new Uint8Array(450)) }, { name: 'y_train.npy', bytes: a.y }], /expected N×H×W×C with 1 to 4 channels last/],
    ];
    for (const [files, says] of cases) {
      expect(() => recognize(files), says.source).toThrow(DataError);
      expect(() => recognize(files), says.source).toThrow(says);
    }
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
