/**
 * The tfjs ComputeBackend: one implementation in tfjs ops, run on whichever tfjs backend its
 * descent id names. X and y are uploaded once at place() and stay until release(); each call
 * uploads only W (and the row indices), computes inside tf.tidy, and reads back one tensor.
 * Every call holds the global tfjs engine (engine.ts), so tfjs backends used together serialize.
 */
import { BackendError, PlacedSets, validateDesignMatrix, validateObjective, validateRows, validateWeights } from '@descent/core';
import type { ComputeBackend, DesignMatrix, Evaluation, Objective, Resident, Rows } from '@descent/core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { withEngine } from './engine.js';
import type { Runtime } from './engine.js';
import { isTfjsBackendId, TFJS_BACKEND_IDS, TFJS_BACKENDS } from './ids.js';
import type { TfjsBackendId } from './ids.js';
import { GRADIENT_MODES, objectiveTensors } from './ops/objective.js';
import type { GradientMode } from './ops/objective.js';
import { openRuntime } from './open.js';
import { selectRows } from './rows.js';
import type { PlacedTensors } from './rows.js';

export interface TfjsBackendOptions {
  /** 'analytic' (default): gradients written with ops; 'autodiff': tf.valueAndGrad of the loss. */
  readonly gradient?: GradientMode;
}

/** A descent backend on tfjs, with what tfjs reports about it. */
export interface TfjsComputeBackend extends ComputeBackend {
  readonly gradientMode: GradientMode;
  /** Bits per float the tfjs backend reports (tf.backend().floatPrecision()). */
  readonly floatBits: number;
}

class TfjsBackend implements TfjsComputeBackend {
  readonly precision = 'float32';
  private readonly placed: PlacedSets<PlacedTensors>;

  constructor(readonly id: TfjsBackendId, private readonly runtime: Runtime, readonly floatBits: number,
    readonly gradientMode: GradientMode) {
    this.placed = new PlacedSets(id);
  }

  private lookup(data: Resident): PlacedTensors {
    return this.placed.get(data);
  }

  async place(data: DesignMatrix): Promise<Resident> {
    this.placed.live();
    validateDesignMatrix(data);
    const { tf } = this.runtime;
    // Copies: tfjs may keep a typed array it is given, and the caller still owns data.x.
    const x = data.x.slice();
    const y = Int32Array.from(data.y);
    const hostRows = this.runtime.backendName === 'cpu' || this.runtime.backendName === 'wasm';
    const placed: PlacedTensors = await withEngine(this.runtime, () => ({
      x: tf.tensor2d(x, [data.n, data.d], 'float32'),
      y: tf.tensor1d(y, 'int32'),
      // tfjs-cpu keeps x itself (no second copy); tfjs-wasm copied it into its heap.
      ...(hostRows ? { host: { x, y, d: data.d } } : {}),
    }));
    const resident: Resident = Object.freeze({ backendId: this.id, n: data.n, d: data.d, classes: data.classes,
      y: Int32Array.from(data.y) });
    this.placed.add(resident, placed);
    return resident;
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation> {
    const placed = this.lookup(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    validateObjective(objective);
    const { tf } = this.runtime;
    // One read-back: [dataLoss, regLoss, gradient…].
    const values = await withEngine(this.runtime, () => read(tf.tidy(() => {
      const out = objectiveTensors(tf, selectRows(tf, placed, rows), this.weights(w, data), objective,
        wantGradient ? this.gradientMode : undefined);
      const losses = tf.stack([out.dataLoss, out.regLoss]);
      return out.gradient ? tf.concat([losses, tf.reshape(out.gradient, [-1])]) : losses;
    })));
    const dataLoss = values[0]!, regLoss = values[1]!;
    const result = { loss: dataLoss + regLoss, dataLoss, regLoss };
    return wantGradient ? { ...result, gradient: values.slice(2) } : result;
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Float32Array> {
    const placed = this.lookup(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    const { tf } = this.runtime;
    return withEngine(this.runtime, () => read(tf.tidy(() => tf.matMul(selectRows(tf, placed, rows).x, this.weights(w, data)))));
  }

  async release(data: Resident): Promise<void> {
    const p = this.placed.delete(data);
    if (!p) return;
    await withEngine(this.runtime, () => this.runtime.tf.dispose([p.x, p.y]));
  }

  async dispose(): Promise<void> {
    if (this.placed.isDisposed) return;
    const tensors = this.placed.dispose().flatMap((p) => [p.x, p.y]);
    await withEngine(this.runtime, () => this.runtime.tf.dispose(tensors));
  }

  /** W (float64 on the host) rounded to float32, D×C. */
  private weights(w: Float64Array, data: Resident): Tensor2D {
    return this.runtime.tf.tensor2d(Float32Array.from(w), [data.d, data.classes], 'float32');
  }
}

/** Reads a tensor back as float32 and frees it. */
async function read(t: { data(): Promise<unknown>; dispose(): void }): Promise<Float32Array> {
  try {
    return await t.data() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** A descent backend on the tfjs backend `id` names; fails, saying why, where that cannot run. */
export async function createTfjsBackend(id: string, options: TfjsBackendOptions = {}): Promise<TfjsComputeBackend> {
  if (!isTfjsBackendId(id)) {
    throw new BackendError(`unknown tfjs backend '${id}'; known: ${TFJS_BACKEND_IDS.join(', ')}`);
  }
  const gradient = options.gradient ?? 'analytic';
  if (!(GRADIENT_MODES as readonly string[]).includes(gradient)) {
    throw new BackendError(`gradient must be one of ${GRADIENT_MODES.join(', ')}, got '${String(gradient)}'`);
  }
  const { runtime, floatBits } = await openRuntime(TFJS_BACKENDS[id]);
  return new TfjsBackend(id, runtime, floatBits, gradient);
}
