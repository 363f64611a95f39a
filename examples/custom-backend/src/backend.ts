/**
 * A complete ComputeBackend in plain JavaScript loops, float64: scores S = X·W, each of core's
 * losses (the SVM, softmax, the Crammer–Singer SVM) averaged over the selected rows plus reg·ΣW², and its analytic gradient
 * (1/B)·Xᵀ·dS + 2·reg·W. core's validators check every argument (errors that say where), and
 * core's PlacedSets keeps the placed data sets (refusing released, foreign and post-dispose ones).
 */
import {
  OptionError, PlacedSets, rowAt, rowCount, validateDesignMatrix, validateObjective, validateRows, validateWeights,
} from '@descent/core';
import type { ComputeBackend, DesignMatrix, Evaluation, Objective, Resident, Rows } from '@descent/core';

export const JS_BACKEND_ID = 'example-js';

interface Held {
  readonly x: Float64Array;
  readonly y: Int32Array;
}

export class JsBackend implements ComputeBackend {
  readonly id = JS_BACKEND_ID;
  readonly precision = 'float64';
  private readonly placed = new PlacedSets<Held>(JS_BACKEND_ID);

  async place(data: DesignMatrix): Promise<Resident> {
    this.placed.live();
    validateDesignMatrix(data);
    // Our own copies: the caller may reuse its arrays.
    const held: Held = { x: Float64Array.from(data.x), y: Int32Array.from(data.y) };
    const resident: Resident = { backendId: this.id, n: data.n, d: data.d, classes: data.classes, y: Int32Array.from(data.y) };
    this.placed.add(resident, held);
    return resident;
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective, wantGradient: boolean): Promise<Evaluation> {
    const { x, y } = this.held(w, data, rows);
    validateObjective(objective);
    const { d, classes: c } = data;
    const count = rowCount(rows), delta = objective.delta ?? 1;
    const gradient = wantGradient ? new Float64Array(d * c) : undefined;
    const s = new Float64Array(c), ds = new Float64Array(c); // one row's scores and ∂L_i/∂s
    let total = 0;
    for (let i = 0; i < count; i++) {
      const r = rowAt(rows, i), label = y[r]!;
      scoreRow(x, r * d, w, d, c, s);
      ds.fill(0);
      switch (objective.loss) {
        case 'svm':
          for (let j = 0; j < c; j++) {
            const margin = s[j]! - s[label]! + delta;
            if (j !== label && margin > 0) { total += margin; ds[j] = 1; ds[label]! -= 1; }
          }
          break;
        case 'crammer-singer': {
          // Only the strongest wrong class counts; the lowest index wins a tie (core's rule).
          let k = -1;
          for (let j = 0; j < c; j++) if (j !== label && (k < 0 || s[j]! > s[k]!)) k = j;
          const margin = k < 0 ? 0 : s[k]! - s[label]! + delta;
          if (margin > 0) { total += margin; ds[k] = 1; ds[label] = -1; }
          break;
        }
        case 'softmax': {
          let max = -Infinity;
          for (let j = 0; j < c; j++) max = Math.max(max, s[j]!);
          let sum = 0;
          for (let j = 0; j < c; j++) sum += Math.exp(s[j]! - max);
          const logSum = max + Math.log(sum);
          total += logSum - s[label]!;
          for (let j = 0; j < c; j++) ds[j] = Math.exp(s[j]! - logSum);
          ds[label]! -= 1;
          break;
        }
        default:
          // A loss this backend was not written for: refuse it rather than compute another.
          throw new OptionError(`backend '${this.id}' does not implement the loss '${(objective as Objective).loss}'`);
      }
      if (gradient) {
        for (let k = 0; k < d; k++) {
          const xk = x[r * d + k]!;
          for (let j = 0; j < c; j++) gradient[k * c + j]! += xk * ds[j]!;
        }
      }
    }
    let squares = 0;
    for (const v of w) squares += v * v;
    const dataLoss = total / count, regLoss = objective.reg * squares;
    if (!gradient) return { loss: dataLoss + regLoss, dataLoss, regLoss };
    for (let k = 0; k < gradient.length; k++) gradient[k] = gradient[k]! / count + 2 * objective.reg * w[k]!;
    return { loss: dataLoss + regLoss, dataLoss, regLoss, gradient };
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Float64Array> {
    const { x } = this.held(w, data, rows);
    const { d, classes: c } = data;
    const out = new Float64Array(rowCount(rows) * c);
    for (let i = 0; i < rowCount(rows); i++) scoreRow(x, rowAt(rows, i) * d, w, d, c, out.subarray(i * c, (i + 1) * c));
    return out;
  }

  async release(data: Resident): Promise<void> {
    this.placed.delete(data);
  }

  async dispose(): Promise<void> {
    this.placed.dispose();
  }

  /** The placed data set, after checking W and the row selection against it. */
  private held(w: Float64Array, data: Resident, rows: Rows): Held {
    const held = this.placed.get(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    return held;
  }
}

/** out = x[offset … offset+d) · W (d×c, row-major). */
function scoreRow(x: Float64Array, offset: number, w: Float64Array, d: number, c: number, out: Float64Array): void {
  out.fill(0);
  for (let k = 0; k < d; k++) {
    const xk = x[offset + k]!;
    for (let j = 0; j < c; j++) out[j]! += xk * w[k * c + j]!;
  }
}
