import { allRows, rowAt, rowCount, type ComputeBackend, type Resident, type Rows, type Vec } from '../backend.js';

/** Rows scored per backend call: bounds the host memory of a pass over a large set. */
const CHUNK = 8192;

/** argmax of each row of a count×C score matrix (first maximum wins ties). */
export function argmaxRows(scores: Vec, classes: number): Int32Array {
  const n = scores.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * classes;
    let best = 0;
    let bestScore = scores[o]!;
    for (let j = 1; j < classes; j++) {
      const s = scores[o + j]!;
      if (s > bestScore) { bestScore = s; best = j; }
    }
    out[i] = best;
  }
  return out;
}

/** Labels of the selected rows, in selection order. */
export function labelsOf(data: Resident, rows: Rows): Int32Array {
  if (!(rows instanceof Int32Array)) return data.y.subarray(rows.start, rows.start + rows.count);
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = data.y[rows[i]!]!;
  return out;
}

/** Predicted class of every selected row, scored in chunks. */
export async function predict(backend: ComputeBackend, w: Float64Array, data: Resident,
  rows: Rows = allRows(data)): Promise<Int32Array> {
  const out = new Int32Array(rowCount(rows));
  await eachScoreChunk(backend, w, data, rows, (scores, _, at) => out.set(argmaxRows(scores, data.classes), at));
  return out;
}

/** Fraction of selected rows whose argmax score is the label. */
export async function accuracy(backend: ComputeBackend, w: Float64Array, data: Resident,
  rows: Rows = allRows(data)): Promise<number> {
  const predicted = await predict(backend, w, data, rows);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === data.y[rowAt(rows, i)]) correct++;
  return predicted.length === 0 ? 0 : correct / predicted.length;
}

/** Whether the row's label is among its k highest scores, ties broken as argmax breaks them (the first class first). */
function inTopK(scores: Vec, o: number, classes: number, label: number, k: number): boolean {
  const own = scores[o + label]!;
  let above = 0;
  for (let j = 0; j < classes && above < k; j++) {
    const v = scores[o + j]!;
    if (v > own || (v === own && j < label)) above++;
  }
  return above < k;
}

/** Scores of the selected rows, chunk by chunk (bounded host memory), each chunk with its first position. */
async function eachScoreChunk(backend: ComputeBackend, w: Float64Array, data: Resident, rows: Rows,
  visit: (scores: Vec, chunk: Rows, at: number) => void): Promise<void> {
  const count = rowCount(rows);
  for (let s = 0; s < count; s += CHUNK) {
    const n = Math.min(CHUNK, count - s);
    const chunk: Rows = rows instanceof Int32Array ? rows.subarray(s, s + n) : { start: rows.start + s, count: n };
    visit(await backend.scores(w, data, chunk), chunk, s);
  }
}

/**
 * Fraction of selected rows whose label is among the k highest scores (top-k accuracy; k = 1 is
 * accuracy). A tie at the k-th score counts the label in only when it is no later than the
 * classes tied before it, as argmax breaks ties (the first maximum wins).
 */
export async function topKAccuracy(backend: ComputeBackend, w: Float64Array, data: Resident, k: number,
  rows: Rows = allRows(data)): Promise<number> {
  const count = rowCount(rows), c = data.classes;
  let hits = 0;
  await eachScoreChunk(backend, w, data, rows, (scores, chunk) => {
    for (let i = 0; i < rowCount(chunk); i++) if (inTopK(scores, i * c, c, data.y[rowAt(chunk, i)]!, k)) hits++;
  });
  return count === 0 ? 0 : hits / count;
}

export interface ConfusionMatrix {
  readonly classes: number;
  /** counts[actual·C + predicted] */
  readonly counts: Int32Array;
  readonly total: number;
  readonly accuracy: number;
  /** Per class: correct ÷ examples of that class (NaN for a class with no examples). */
  readonly recall: Float64Array;
  /** Per class: correct ÷ predictions of that class (NaN when never predicted). */
  readonly precision: Float64Array;
}

export function confusionFromPredictions(actual: ArrayLike<number>, predicted: ArrayLike<number>,
  classes: number): ConfusionMatrix {
  const counts = new Int32Array(classes * classes);
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, p = predicted[i]!;
    counts[a * classes + p]!++;
    if (a === p) correct++;
  }
  const recall = new Float64Array(classes);
  const precision = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    let row = 0, col = 0;
    for (let j = 0; j < classes; j++) { row += counts[k * classes + j]!; col += counts[j * classes + k]!; }
    recall[k] = counts[k * classes + k]! / row;
    precision[k] = counts[k * classes + k]! / col;
  }
  return { classes, counts, total: actual.length, accuracy: actual.length ? correct / actual.length : 0, recall, precision };
}

export async function confusionMatrix(backend: ComputeBackend, w: Float64Array, data: Resident,
  rows: Rows = allRows(data)): Promise<ConfusionMatrix> {
  const predicted = await predict(backend, w, data, rows);
  return confusionFromPredictions(labelsOf(data, rows), predicted, data.classes);
}

/** The confusion matrix and top-k accuracy from one pass over the scores (a streamed split is read once). */
export async function confusionAndTopK(backend: ComputeBackend, w: Float64Array, data: Resident, k: number,
  rows: Rows = allRows(data)): Promise<{ confusion: ConfusionMatrix; topK: number }> {
  const count = rowCount(rows), c = data.classes;
  const predicted = new Int32Array(count);
  let hits = 0;
  await eachScoreChunk(backend, w, data, rows, (scores, chunk, at) => {
    predicted.set(argmaxRows(scores, c), at);
    for (let i = 0; i < rowCount(chunk); i++) if (inTopK(scores, i * c, c, data.y[rowAt(chunk, i)]!, k)) hits++;
  });
  return { confusion: confusionFromPredictions(labelsOf(data, rows), predicted, c), topK: count === 0 ? 0 : hits / count };
}
