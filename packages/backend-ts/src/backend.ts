/**
 * The pure-TypeScript ComputeBackend. 'ts' stores Wᵀ and the gradient accumulator as float32;
 * 'ts-f64' stores them as float64 and is the oracle every other backend is checked against.
 * Both keep X as float32: a DesignMatrix is float32, and every float32 reads exactly as a
 * float64, so a float64 copy would change no result and double the memory (1.2 GB for CIFAR-10).
 * Given pixels (placePixels) they keep the bytes instead and decode rows as they read them, to
 * the same float32 values: the same results, bit for bit, in a quarter of the memory.
 * Arithmetic inside a row (dot products, loss, dS) is float64 in both.
 */
import {
  BackendError, l2Penalty, PlacedSets, rowCount, validateDesignMatrix, validateObjective, validatePixelMatrix, validateRows,
  validateWeights,
} from '@descent/core';
import type {
  ComputeBackend, DesignMatrix, Evaluation, Objective, PixelMatrix, PlaceOptions, Precision, Resident, Rows, Vec,
} from '@descent/core';
import { TS_BACKEND_IDS } from './ids.js';
import { fusedEvaluate } from './kernels/evaluate.js';
import { denseRows, pixelRows, type RowReader } from './kernels/rows.js';
import { scoresKernel } from './kernels/scores.js';
import { finishGradient, transposeToClassMajor } from './kernels/transpose.js';
import type { Store } from './kernels/types.js';

interface Placed {
  /** A reader of X's rows per call (a pixel reader owns a scratch, so calls in flight never share one). */
  readonly rows: () => RowReader;
  readonly y: Int32Array;
}

class TsBackend implements ComputeBackend {
  readonly id: string;
  private readonly placed: PlacedSets<Placed>;

  constructor(readonly precision: Precision) {
    this.id = TS_BACKEND_IDS[precision];
    this.placed = new PlacedSets(this.id);
  }

  private alloc(length: number): Store {
    return this.precision === 'float32' ? new Float32Array(length) : new Float64Array(length);
  }

  private lookup(data: Resident): Placed {
    return this.placed.get(data);
  }

  async place(data: DesignMatrix): Promise<Resident> {
    this.placed.live();
    validateDesignMatrix(data);
    const x = Float32Array.from(data.x);
    const y = Int32Array.from(data.y);
    const resident: Resident = Object.freeze({ backendId: this.id, n: data.n, d: data.d, classes: data.classes, y });
    const rows = denseRows(x, data.d);
    this.placed.add(resident, { rows: () => rows, y });
    return resident;
  }

  /** Keeps the bytes (a quarter of float32 X) and decodes each block of rows as the kernels read it. */
  async placePixels(data: PixelMatrix, options: PlaceOptions = {}): Promise<Resident> {
    this.placed.live();
    validatePixelMatrix(data);
    const kept: PixelMatrix = { ...data, pixels: options.transfer ? data.pixels : Uint8Array.from(data.pixels), mean: Float32Array.from(data.mean), y: Int32Array.from(data.y) };
    const resident: Resident = Object.freeze({ backendId: this.id, n: data.n, d: data.d, classes: data.classes, y: kept.y });
    this.placed.add(resident, { rows: () => pixelRows(kept), y: kept.y });
    return resident;
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation> {
    const p = this.lookup(data);
    const { d, classes: c } = data;
    validateWeights(w, d, c);
    validateRows(rows, data.n);
    validateObjective(objective);
    const wt = this.alloc(c * d);
    transposeToClassMajor(w, d, c, wt);
    const g = wantGradient ? this.alloc(c * d) : undefined;
    const count = rowCount(rows);
    const indices = rows instanceof Int32Array ? rows : undefined;
    const total = fusedEvaluate({
      rows: p.rows(), y: p.y, d, c, wt, start: indices ? 0 : (rows as { start: number }).start, count, indices,
      loss: objective.loss, delta: objective.delta ?? 1, g,
    });
    const dataLoss = total / count;
    const regLoss = l2Penalty(w, objective.reg);
    const result = { loss: dataLoss + regLoss, dataLoss, regLoss };
    if (!g) return result;
    const gradient = this.alloc(d * c);
    finishGradient(g, d, c, 1 / count, 2 * objective.reg, w, gradient);
    return { ...result, gradient };
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> {
    const p = this.lookup(data);
    const { d, classes: c } = data;
    validateWeights(w, d, c);
    validateRows(rows, data.n);
    const wt = this.alloc(c * d);
    transposeToClassMajor(w, d, c, wt);
    const count = rowCount(rows);
    const out = this.alloc(count * c);
    const indices = rows instanceof Int32Array ? rows : undefined;
    scoresKernel(p.rows(), wt, d, c, indices ? 0 : (rows as { start: number }).start, count, indices, out);
    return out;
  }

  async release(data: Resident): Promise<void> {
    this.placed.delete(data);
  }

  async dispose(): Promise<void> {
    this.placed.dispose();
  }
}

/** A pure-TS backend computing in the given precision ('ts' for float32, 'ts-f64' for float64). */
export function createTsBackend(precision: Precision): ComputeBackend {
  if (precision !== 'float32' && precision !== 'float64') {
    throw new BackendError(`precision must be 'float32' or 'float64', got '${String(precision)}'`);
  }
  return new TsBackend(precision);
}
