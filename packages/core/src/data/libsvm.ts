/**
 * LIBSVM / svmlight text files (what LIBLINEAR, LIBSVM and scikit-learn's load_svmlight_file
 * read): one example per line,
 *
 *   <label> <index>:<value> <index>:<value> … [# comment]
 *
 * indices increasing within a line, features left out are 0, an optional `qid:<n>` after the
 * label (ranking data: read and ignored). Indices are 1-based as LIBSVM writes them, or 0-based as
 * scikit-learn's dump_svmlight_file writes them by default: as load_svmlight_file's
 * zero_based='auto', any index 0 among the files makes them all 0-based.
 *
 * The rows are stored densely (a linear classifier's X·W reads every column), so the width is
 * capped: at most MAX_LIBSVM_FEATURES columns and MAX_LIBSVM_VALUES dense values over the files,
 * checked once the files are scanned and before the dense rows are allocated. Labels are any
 * integers (−1/+1, 1…k, 0…k−1, class ids): the classes are the label values found, in increasing
 * order. Every problem is a DataError naming the file and the line.
 */
import { DataError } from '../errors.js';
import { labelArray, makeFeatureDataset, MAX_CLASSES, type FeatureDataset } from './dataset.js';

/** The most feature columns a LIBSVM data set may have (its largest index): 2^17 = 131072. */
export const MAX_LIBSVM_FEATURES = 2 ** 17;

/** The most dense values (rows × columns, over all files) read: 2^28, 1 GiB of float32. */
export const MAX_LIBSVM_VALUES = 2 ** 28;

/** One file scanned: its rows in compressed sparse form, labels as written. */
export interface LibsvmRows {
  readonly source: string;
  readonly n: number;
  /** Label values as written, one per row (integers). */
  readonly labels: Float64Array;
  /** The distinct label values, increasing. */
  readonly labelValues: readonly number[];
  /** Row i's entries are [rowStart[i], rowStart[i + 1]) of index and value. */
  readonly rowStart: Int32Array;
  /** Indices as written (1-based or 0-based: see readLibsvm). */
  readonly index: Int32Array;
  /** Values as float32 (what a design matrix holds). */
  readonly value: Float32Array;
  /** The largest index written (−1 for a file without entries). */
  readonly maxIndex: number;
  /** Whether an index 0 was written. */
  readonly hasZero: boolean;
}

/** The most bytes one line may have: 8 MiB (a full-width row of 131072 entries of up to 60 characters). */
export const MAX_LIBSVM_LINE_BYTES = 8 * 2 ** 20;

/** A growable typed buffer (the entries of a file whose count is not known ahead). */
class Grow<T extends Int32Array | Float32Array | Float64Array> {
  length = 0;
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INDEX = /^\d+$/;
const TOKEN = /[^ \t\r\v\f]+/g;

/**
 * Scans one LIBSVM file's bytes (ASCII or UTF-8 text; a byte-order mark is skipped) into sparse
 * rows, checking every token as it comes: a line (at most MAX_LIBSVM_LINE_BYTES) is read token by
 * token, never split whole, and the dense size the rows so far imply (rows × width, against
 * MAX_LIBSVM_VALUES) and the label count (against MAX_CLASSES) are checked after every line, so
 * hostile text fails early, in memory bounded by what it declares.
 */
export function scanLibsvm(bytes: Uint8Array, source: string): LibsvmRows {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new DataError(`${source}: UTF-16 text: save LIBSVM files as ASCII or UTF-8`);
  }
  const labels = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  const rowStart = new Grow(new Int32Array(1024), (n) => new Int32Array(n));
  const index = new Grow(new Int32Array(4096), (n) => new Int32Array(n));
  const value = new Grow(new Float32Array(4096), (n) => new Float32Array(n));
  const labelValues = new Set<number>();
  const decoder = new TextDecoder('latin1');
  let maxIndex = -1, hasZero = false, line = 0;
  let p = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (p < bytes.length) {
    let end = bytes.indexOf(10, p);
    if (end < 0) end = bytes.length;
    line++;
    const fail = (what: string): never => { throw new DataError(`${source}, line ${line}: ${what}`); };
    if (end - p > MAX_LIBSVM_LINE_BYTES) fail(`longer than the ${MAX_LIBSVM_LINE_BYTES} bytes a line may have (MAX_LIBSVM_LINE_BYTES)`);
    let text = decoder.decode(bytes.subarray(p, end));
    p = end + 1;
    const cr = text.indexOf('\r');
    if (cr >= 0 && cr < text.length - 1 && text.slice(cr + 1).trim() !== '') {
      fail("a carriage return inside the line: old Mac line ends (\\r alone)? save the file with \\n (or \\r\\n) line ends");
    }
    const hash = text.indexOf('#');
    if (hash >= 0) text = text.slice(0, hash);
    TOKEN.lastIndex = 0;
    const first = TOKEN.exec(text);
    if (!first) continue; // blank, or a comment
    const label = first[0];
    if (label.includes(':')) fail(`'${label.slice(0, 40)}' where the label should be (a line is "label index:value …")`);
    if (label.includes(',')) fail(`'${label.slice(0, 40)}' is several labels (multi-label data): descent reads one class per row`);
    if (!NUMBER.test(label)) fail(`the label '${label.slice(0, 40)}' is not a number`);
    const y = Number(label);
    if (!Number.isInteger(y) || Math.abs(y) > 2 ** 31) {
      fail(`the label ${label} is not an integer class: descent classifies (a fractional label looks like a regression target)`);
    }
    labelValues.add(y);
    if (labelValues.size > MAX_CLASSES) fail(`more than ${MAX_CLASSES} distinct labels, the classes a data set may have (MAX_CLASSES)`);
    rowStart.push(index.length);
    labels.push(y);
    let last = -1;
    for (let t = 1, m = TOKEN.exec(text); m; t++, m = TOKEN.exec(text)) {
      const tok = m[0];
      const colon = tok.indexOf(':');
      if (colon < 0) fail(`'${tok.slice(0, 40)}' is not index:value`);
      const k = tok.slice(0, colon), v = tok.slice(colon + 1);
      if (k === 'qid' && t === 1) {
        if (!INDEX.test(v)) fail(`qid:${v.slice(0, 40)} is not a query id`);
        continue;
      }
      if (!INDEX.test(k)) fail(`the index '${k.slice(0, 40)}' in '${tok.slice(0, 60)}' is not a non-negative integer`);
      const i = Number(k);
      if (i > MAX_LIBSVM_FEATURES) fail(`index ${k} is past the ${MAX_LIBSVM_FEATURES} features read (MAX_LIBSVM_FEATURES: rows are stored densely)`);
      if (i <= last) fail(`index ${i} after ${last}: indices must increase along a line`);
      if (!NUMBER.test(v)) fail(`the value '${v.slice(0, 40)}' of index ${i} is not a finite number`);
      const x = Number(v);
      if (!Number.isFinite(x) || !Number.isFinite(Math.fround(x))) fail(`the value ${v} of index ${i} is beyond float32's range`);
      last = i;
      if (i === 0) hasZero = true;
      if (i > maxIndex) maxIndex = i;
      index.push(i);
      value.push(x);
    }
    const width = maxIndex + (hasZero ? 1 : 0); // 1-based unless an index 0 was seen
    if (labels.length * width > MAX_LIBSVM_VALUES) {
      fail(`${labels.length} rows of up to ${width} features so far, more than the ${MAX_LIBSVM_VALUES} values read when stored densely ` +
        "(MAX_LIBSVM_VALUES, 1 GiB of float32): descent's models read every column; reduce the features (or the rows) first");
    }
  }
  const n = labels.length;
  rowStart.push(index.length);
  return { source, n, labels: labels.done(), labelValues: [...labelValues].sort((a, b) => a - b), rowStart: rowStart.done(),
    index: index.done(), value: value.done(), maxIndex, hasZero };
}

export interface LibsvmRead {
  /** The files as features data sets, in the order given, over the same columns and classes. */
  readonly sets: FeatureDataset[];
  /** The label values the classes stand for, in class order (increasing). */
  readonly labelValues: number[];
  readonly features: number;
  readonly zeroBased: boolean;
  readonly notes: string[];
}

/**
 * Reads LIBSVM files as features data sets sharing one width (the largest index over all of
 * them, as load_svmlight_files does) and one class list (every label value found, increasing),
 * with class names `classNames` when given (one per label value), else the label values.
 */
export function readLibsvm(files: readonly { bytes: Uint8Array; source: string; name: string }[],
  options: { classNames?: readonly string[] } = {}): LibsvmRead {
  const scanned = files.map((f) => scanLibsvm(f.bytes, f.source));
  for (const s of scanned) if (s.n === 0) throw new DataError(`${s.source}: no examples (every line is empty or a comment)`);
  const zeroBased = scanned.some((s) => s.hasZero);
  const maxIndex = Math.max(...scanned.map((s) => s.maxIndex));
  const names = scanned.map((s) => s.source).join(' and ');
  if (maxIndex < 0) throw new DataError(`${names}: no features in any row (every line is a label alone)`);
  const features = zeroBased ? maxIndex + 1 : maxIndex;
  if (features > MAX_LIBSVM_FEATURES) {
    throw new DataError(`${names}: 0-based indices up to ${maxIndex} make ${features} features, past the ${MAX_LIBSVM_FEATURES} read (MAX_LIBSVM_FEATURES)`);
  }
  const rows = scanned.reduce((a, s) => a + s.n, 0);
  if (rows * features > MAX_LIBSVM_VALUES) {
    throw new DataError(`${names}: ${rows} rows × ${features} features = ${rows * features} values stored densely, ` +
      `more than the ${MAX_LIBSVM_VALUES} read (MAX_LIBSVM_VALUES, 1 GiB of float32): descent's models read every column; ` +
      'reduce the features (or the rows) first');
  }
  const values = [...new Set(scanned.flatMap((s) => s.labelValues))].sort((a, b) => a - b);
  if (values.length > MAX_CLASSES) {
    throw new DataError(`${names}: ${values.length} distinct labels, more classes than the ${MAX_CLASSES} a data set may have (MAX_CLASSES)`);
  }
  const notes: string[] = [];
  let classNames = options.classNames;
  if (classNames && classNames.length !== values.length) {
    throw new DataError(`${classNames.length} class names for the ${values.length} label values found (${values.slice(0, 12).join(', ')}${values.length > 12 ? ', …' : ''}): one name per label value, in increasing order`);
  }
  if (!classNames) {
    classNames = values.map(String);
    notes.push(`classes: the ${values.length} label values ${values.length <= 12 ? values.join(', ') : `${values.slice(0, 6).join(', ')}, … ${values.at(-1)}`}, in increasing order`);
  }
  if (zeroBased) notes.push("feature indices start at 0 (an index 0 was found; scikit-learn's dump_svmlight_file writes them so)");
  const classOf = new Map(values.map((v, c) => [v, c]));
  const shift = zeroBased ? 0 : 1;
  const sets = scanned.map((s, k) => {
    const x = new Float32Array(s.n * features);
    for (let i = 0; i < s.n; i++) {
      for (let e = s.rowStart[i]!; e < s.rowStart[i + 1]!; e++) x[i * features + s.index[e]! - shift] = s.value[e]!;
    }
    const labels = labelArray(Array.from(s.labels, (v) => classOf.get(v)!));
    // The scanner checked every value (finite, within float32's range); the rest are zeros.
    return makeFeatureDataset({ name: files[k]!.name, values: x, labels, features, classNames: classNames! }, { valuesChecked: true });
  });
  return { sets, labelValues: values, features, zeroBased, notes };
}
