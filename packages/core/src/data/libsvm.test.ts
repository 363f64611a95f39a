import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { encodeLibsvm } from '../testing/encoders.js';
import type { FeatureDataset } from './dataset.js';
import { MAX_LIBSVM_FEATURES, MAX_LIBSVM_LINE_BYTES, readLibsvm, scanLibsvm } from './libsvm.js';
import { recognizeDataset } from './recognize.js';

const text = (s: string) => new TextEncoder().encode(s);
const read = (s: string, source = 'f.svm') => readLibsvm([{ bytes: text(s), source, name: 'f' }]);

describe('LIBSVM files', () => {
  it('reads labels, sparse rows (stored densely), comments, qid and blank lines', () => {
    const r = read('# a comment\n+1 1:0.5 3:-2 # trailing\n\n-1 qid:7 2:1e-3\n+1\n-1\t3:4  \n');
    expect(r.labelValues).toEqual([-1, 1]);
    expect(r.features).toBe(3);
    expect(r.zeroBased).toBe(false);
    const ds = r.sets[0]!;
    expect(ds.classNames).toEqual(['-1', '1']);
    expect(Array.from(ds.labels)).toEqual([1, 0, 1, 0]);
    expect(Array.from(ds.values)).toEqual([0.5, 0, -2, 0, 0.001, 0, 0, 0, 0, 0, 0, 4].map(Math.fround));
    expect(r.notes[0]).toMatch(/the 2 label values -1, 1, in increasing order/);
  });

  it("reads 0-based indices (scikit-learn's default) when an index 0 appears, and one width and class list over train and test", () => {
    const r = readLibsvm([{ bytes: text('3 0:1 4:2\n7 1:1\n'), source: 'train', name: 'a/train' }, { bytes: text('5 6:1\n3 0:2\n'), source: 'test', name: 'a/test' }]);
    expect(r.zeroBased).toBe(true);
    expect(r.features).toBe(7);
    expect(r.labelValues).toEqual([3, 5, 7]);
    expect(Array.from(r.sets[0]!.labels)).toEqual([0, 2]);
    expect(Array.from(r.sets[1]!.labels)).toEqual([1, 0]);
    expect(r.sets[1]!.values[6]).toBe(1);
    expect(r.sets[0]!.values[4]).toBe(2);
  });

  it('round-trips what encodeLibsvm writes, 1- and 0-based', () => {
    const values = Float32Array.from([0, 1.5, 0, -3, 0.25, 0, 0, 0, 7]);
    for (const zeroBased of [false, true]) {
      const r = readLibsvm([{ bytes: encodeLibsvm(values, [2, 0, 1], 3, { zeroBased }), source: 's', name: 's' }]);
      // the last column is present in a row: the width is known from the file
      expect(Array.from(r.sets[0]!.values)).toEqual(Array.from(values));
      expect(Array.from(r.sets[0]!.labels)).toEqual([2, 0, 1]);
    }
  });

  it('refuses what it cannot read, naming the file and the line', () => {
    const cases: [string, RegExp][] = [
      ['1 1:1\n1:2 3:4\n', /f\.svm, line 2: '1:2' where the label should be/],
      ['1,2 1:1\n', /line 1: '1,2' is several labels \(multi-label data\)/],
      ['0.5 1:1\n', /line 1: the label 0\.5 is not an integer class/],
      ['abc 1:1\n', /line 1: the label 'abc' is not a number/],
      ['1 3:1 2:1\n', /line 1: index 2 after 3: indices must increase along a line/],
      ['1 3:1 3:1\n', /index 3 after 3/],
      ['1 2:x\n', /line 1: the value 'x' of index 2 is not a finite number/],
      ['1 2:nan\n', /the value 'nan' of index 2 is not a finite number/],
      ['1 2:1e39\n', /the value 1e39 of index 2 is beyond float32's range/],
      ['1 -2:1\n', /the index '-2' in '-2:1' is not a non-negative integer/],
      ['1 2\n', /'2' is not index:value/],
      [`1 ${MAX_LIBSVM_FEATURES + 1}:1\n`, /index 131073 is past the 131072 features read \(MAX_LIBSVM_FEATURES/],
      ['# only a comment\n\n', /f\.svm: no examples/],
    ];
    for (const [s, says] of cases) {
      expect(() => read(s), says.source).toThrow(DataError);
      expect(() => read(s), says.source).toThrow(says);
    }
  });

  it('checks the dense size while scanning, before anything dense is allocated: rows × width past MAX_LIBSVM_VALUES is refused at the line', () => {
    // 2049 rows × 131072 features pass 2^28 values: 1 GiB of float32, from 27 KB of text; 2048 rows are exactly 2^28
    const s = `1 ${MAX_LIBSVM_FEATURES}:1\n`.repeat(2049);
    expect(() => read(s)).toThrow(/f\.svm, line 2049: 2049 rows of up to 131072 features so far, more than the 268435456 values read when stored densely/);
    expect(scanLibsvm(text(`1 ${MAX_LIBSVM_FEATURES}:1\n`.repeat(2048)), 'f').n).toBe(2048);
    // 0-based indices up to 131072 are one column too many
    expect(() => read(`1 0:1 ${MAX_LIBSVM_FEATURES}:1\n`)).toThrow(/0-based indices up to 131072 make 131073 features, past the 131072 read/);
  });

  it('skips a UTF-8 byte-order mark and CRLF line ends; refuses UTF-16, a file of labels alone, and a line past MAX_LIBSVM_LINE_BYTES', () => {
    const r = readLibsvm([{ bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...text('+1 1:2\r\n-1 2:3\r\n')]), source: 'bom.svm', name: 'b' }]);
    expect(Array.from(r.sets[0]!.values)).toEqual([2, 0, 0, 3]);
    expect(() => readLibsvm([{ bytes: Uint8Array.from([0xff, 0xfe, 0x31, 0]), source: 'u16.svm', name: 'u' }])).toThrow(/u16\.svm: UTF-16 text/);
    expect(() => read('1\n2\n1\n')).toThrow(/f\.svm: no features in any row \(every line is a label alone\)/);
    expect(() => read('1 1:2\r-1 2:3\r')).toThrow(/f\.svm, line 1: a carriage return inside the line: old Mac line ends/);
    const long = new Uint8Array(MAX_LIBSVM_LINE_BYTES + 10).fill(0x20);
    long[0] = 0x31;
    expect(() => readLibsvm([{ bytes: long, source: 'long.svm', name: 'l' }])).toThrow(/long\.svm, line 1: longer than the 8388608 bytes a line may have/);
  });
});

describe('LIBSVM files among others (recognizeDataset)', () => {
  const values = Float32Array.from({ length: 10 * 4 }, (_, i) => ((i * 7) % 5) - 2);
  const labels = Array.from({ length: 10 }, (_, i) => (i % 3) * 2 + 1);
  const file = encodeLibsvm(values, labels, 4);

  it('a training file and a test file, told by the name (.t, test) or the role; gzipped or not', () => {
    for (const files of [
      [{ name: 'a9a', bytes: file }, { name: 'a9a.t', bytes: file }],
      [{ name: 'train.svm.gz', bytes: gzipSync(file) }, { name: 'test.svm', bytes: file }],
      [{ name: 'one.txt', bytes: file, role: 'train' as const }, { name: 'two.txt', bytes: file, role: 'test' as const }],
    ]) {
      const r = recognizeDataset(files, { seed: 1 });
      expect(r.format).toBe('libsvm');
      expect([r.train.n, r.test.n]).toEqual([10, 10]);
      expect(r.train.classNames).toEqual(['1', '3', '5']);
      expect(Array.from((r.test as FeatureDataset).values)).toEqual(Array.from(values));
    }
    expect(recognizeDataset([{ name: 'a9a', bytes: file }, { name: 'a9a.t', bytes: file }], { seed: 1 }).name).toBe('a9a');
    // Told by the bytes when the name says nothing, even where the first line is longer than the 4 KiB looked at.
    const wide = encodeLibsvm(Float32Array.from({ length: 5 * 900 }, (_, i) => 1 + (i % 13) / 7), [0, 1, 0, 1, 1], 900);
    const r = recognizeDataset([{ name: 'wide', bytes: wide }, { name: 'wide.t', bytes: gzipSync(wide) }], { seed: 1 });
    expect([r.train.features, r.test.n]).toEqual([900, 5]);
  });

  it('one file: 20 % held out as the test split (seeded), with a note; classes.txt names the label values in order', () => {
    const r = recognizeDataset([{ name: 'data.libsvm', bytes: file }, { name: 'classes.txt', bytes: text('one\nthree\nfive\n') }], { seed: 4 });
    expect([r.train.n, r.test.n]).toEqual([8, 2]);
    expect(r.notes.join('\n')).toMatch(/no test file: 2 of 10 rows \(20 %\) held out as the test split/);
    expect(r.train.classNames).toEqual(['one', 'three', 'five']);
    expect(() => recognizeDataset([{ name: 'data.libsvm', bytes: file }, { name: 'classes.txt', bytes: text('one\n') }], { seed: 4 }))
      .toThrow(/1 class names for the 3 label values found \(1, 3, 5\)/);
  });

  it('refuses two training files, and LIBSVM files mixed with other data sets', () => {
    expect(() => recognizeDataset([{ name: 'a.svm', bytes: file }, { name: 'b.svm', bytes: file }], { seed: 1 })).toThrow(/2 LIBSVM training files/);
    expect(() => recognizeDataset([{ name: 'a.svm', bytes: file }, { name: 'train-images-idx3-ubyte', bytes: Uint8Array.of(0, 0, 8, 3) }], { seed: 1 }))
      .toThrow(/both LIBSVM files .* and IDX files/);
    expect(() => recognizeDataset([{ name: 'notes.txt', bytes: text('hello world\n') }], { seed: 1 })).toThrow(/no data set found/);
  });
});
