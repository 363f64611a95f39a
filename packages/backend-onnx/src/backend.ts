/**
 * The ONNX Runtime ComputeBackend. place() keeps the data set resident in the runtime; each
 * (objective, gradient?, all rows or selected rows) and the scores graph is built on first
 * use, compiled into one session, and reused until release()/dispose(). Computation is
 * float32 throughout (W is rounded on the way in); loss and gradient come from the graphs in
 * ./graphs.
 */
import {
  BackendError, EvaluationSum, hasMargin, PlacedSets, resolveOptimizerOptions, rowAt, rowCount, validateDesignMatrix, validateObjective,
  validatePixelMatrix, validateRows, validateWeights,
} from '@descent/core';
import type {
  ComputeBackend, DesignMatrix, Evaluation, Objective, PixelMatrix, PlaceOptions, Resident, ResidentTrainer, Rows, TrainerSpec, Vec,
} from '@descent/core';
import type { GraphData, Selection } from './graphs/batch.js';
import { GRAPH_UPDATE_RULES, objectiveGraph, stepScalars, type UpdateRule } from './graphs/objective.js';
import { scoresGraph } from './graphs/scores.js';
import type { GraphBuilder } from './onnx/builder.js';
import type { ResidencyPlan } from './residency.js';
import { messageOf } from './runtime/errors.js';
import type { LoadedRuntime, OrtSession, OrtTensor } from './runtime/types.js';

/**
 * Rows per run when a pixel data set is evaluated over many rows: each run casts its rows to
 * float32 (CHUNK×F×4 bytes, 25 MB at CIFAR-10's F), so no N×D float32 X is ever built.
 */
export const PIXEL_CHUNK_ROWS = 2048;

interface Placed {
  readonly data: GraphData & { readonly y: Int32Array };
  /** Session per graph key, created on first use. */
  readonly sessions: Map<string, Promise<OrtSession>>;
  /** X (or P, for pixels) and Y as runtime tensors when a graph takes them as inputs (fed to every run). */
  readonly fed?: { readonly name: 'X' | 'P'; readonly data: OrtTensor; readonly Y: OrtTensor };
  /**
   * A float32 W buffer to reuse (converting W into a fresh array every step cost ~0.2 ms of a
   * ~1 ms minibatch step: Float32Array.from). Taken for a run and put back after it, so runs
   * in flight at once never share one.
   */
  spareW?: Float32Array;
}

export class OnnxBackend implements ComputeBackend {
  readonly precision = 'float32' as const;
  private readonly placed: PlacedSets<Placed>;

  constructor(readonly id: string, private readonly runtime: LoadedRuntime, readonly residency: ResidencyPlan) {
    this.placed = new PlacedSets(id);
  }

  private live(): void {
    this.placed.live();
  }

  private lookup(data: Resident): Placed {
    return this.placed.get(data);
  }

  async place(data: DesignMatrix): Promise<Resident> {
    this.live();
    validateDesignMatrix(data);
    const x = Float32Array.from(data.x);
    const y = Int32Array.from(data.y);
    const { n, d, classes: c } = data;
    const { Tensor } = this.runtime.ort;
    const fed = this.residency.all === 'input' || this.residency.rows === 'input'
      ? { name: 'X' as const, data: new Tensor('float32', x, [n, d]), Y: new Tensor('int32', y, [n]) } : undefined;
    const resident: Resident = Object.freeze({ backendId: this.id, n, d, classes: c, y: Int32Array.from(y) });
    this.placed.add(resident, { data: { n, d, c, x, y }, sessions: new Map(), fed });
    return resident;
  }

  /**
   * Keeps the bytes (a quarter of float32 X): graphs gather the rows they need and fold scale,
   * mean and bias into their products (batch.ts), within float32 rounding of the float32 path.
   */
  async placePixels(data: PixelMatrix, options: PlaceOptions = {}): Promise<Resident> {
    this.live();
    validatePixelMatrix(data);
    const values = options.transfer ? data.pixels : Uint8Array.from(data.pixels);
    const y = Int32Array.from(data.y);
    const { n, d, classes: c, features } = data;
    const { Tensor } = this.runtime.ort;
    const fed = this.residency.rows === 'input'
      ? { name: 'P' as const, data: new Tensor('uint8', values, [n, features]), Y: new Tensor('int32', y, [n]) } : undefined;
    const resident: Resident = Object.freeze({ backendId: this.id, n, d, classes: c, y: Int32Array.from(y) });
    const pixels = { values, features, scale: data.scale, mean: Float32Array.from(data.mean) };
    this.placed.add(resident, { data: { n, d, c, y, pixels }, sessions: new Map(), fed });
    return resident;
  }

  private session(p: Placed, key: string, build: () => GraphBuilder): Promise<OrtSession> {
    let s = p.sessions.get(key);
    if (!s) {
      s = (async () => {
        const model = build().encode();
        try {
          return await this.runtime.ort.InferenceSession.create(model, this.runtime.sessionOptions);
        } catch (e) {
          throw new BackendError(`backend '${this.id}': ${this.runtime.packageName} could not load graph '${key}' `
            + `(${p.data.n}×${p.data.d}×${p.data.c}): ${messageOf(e)}`, { cause: e });
        }
      })();
      s.catch(() => p.sessions.delete(key));
      p.sessions.set(key, s);
    }
    return s;
  }

  /** Feeds for the data (labels too when asked) and rows; 'all' when the rows are every row in order. */
  private selection(p: Placed, rows: Rows, labels: boolean): { selection: Selection; feeds: Record<string, OrtTensor> } {
    const { Tensor } = this.runtime.ort;
    const feeds: Record<string, OrtTensor> = {};
    const every = !(rows instanceof Int32Array) && rows.start === 0 && rows.count === p.data.n;
    const selection: Selection = every && !p.data.pixels ? 'all' : 'rows';
    if (p.fed && this.residency[selection] === 'input') {
      feeds[p.fed.name] = p.fed.data;
      if (labels) feeds['Y'] = p.fed.Y;
    }
    if (selection === 'all') return { selection, feeds };
    const indices = rows instanceof Int32Array ? rows
      : Int32Array.from({ length: rows.count }, (_, i) => rows.start + i);
    feeds['rows'] = new Tensor('int32', indices, [indices.length]);
    return { selection: 'rows', feeds };
  }

  private async run(session: OrtSession, feeds: Record<string, OrtTensor>, fetches: string[]): Promise<Record<string, OrtTensor>> {
    try {
      return await session.run(feeds, fetches);
    } catch (e) {
      throw new BackendError(`backend '${this.id}': run of ${fetches.join(', ')} failed: ${messageOf(e)}`, { cause: e });
    }
  }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation> {
    const p = this.lookup(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    validateObjective(objective);
    if (p.data.pixels && rowCount(rows) > PIXEL_CHUNK_ROWS) return this.evaluateInChunks(p, w, data, rows, objective, wantGradient);
    const { selection, feeds } = this.selection(p, rows, true);
    const spec = { loss: objective.loss, wantGradient, residency: this.residency[selection], selection, scatter: this.runtime.scatters };
    const session = await this.session(p, `${objective.loss}-${wantGradient ? 'gradient' : 'loss'}-${selection}`,
      () => objectiveGraph(spec, p.data));
    const w32 = this.takeW(p, w);
    this.feedObjective(feeds, w32, data, objective);
    const fetches = ['loss', 'data_loss', 'reg_loss', ...(wantGradient ? ['gradient'] : [])];
    let out: Record<string, OrtTensor>;
    try {
      out = await this.run(session, feeds, fetches);
    } finally {
      p.spareW = w32;
    }
    const scalar = (name: string): number => (out[name]!.data as Float32Array)[0]!;
    const result = { loss: scalar('loss'), dataLoss: scalar('data_loss'), regLoss: scalar('reg_loss') };
    if (!wantGradient) return result;
    return { ...result, gradient: out['gradient']!.data as Float32Array };
  }

  /**
   * A pixel data set over many rows: the data loss and its gradient per chunk of rows (reg 0),
   * weighted by the chunk's rows and summed in float64; the penalty added once, on the host.
   */
  private async evaluateInChunks(p: Placed, w: Float64Array, data: Resident, rows: Rows, objective: Objective,
    wantGradient: boolean): Promise<Evaluation> {
    const part = { ...objective, reg: 0 };
    const sum = new EvaluationSum(w, objective.reg, wantGradient);
    for (const chunk of chunksOf(rows, rowCount(rows))) sum.add(await this.evaluate(w, data, chunk, part, wantGradient), chunk.length);
    return sum.result();
  }

  async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> {
    const p = this.lookup(data);
    validateWeights(w, data.d, data.classes);
    validateRows(rows, data.n);
    const count = rowCount(rows);
    if (p.data.pixels && count > PIXEL_CHUNK_ROWS) {
      const out = new Float32Array(count * data.classes);
      let at = 0;
      for (const chunk of chunksOf(rows, count)) {
        out.set(await this.scores(w, data, chunk), at);
        at += chunk.length * data.classes;
      }
      return out;
    }
    const { selection, feeds } = this.selection(p, rows, false);
    const session = await this.session(p, `scores-${selection}`, () => scoresGraph(this.residency[selection], selection, p.data));
    const w32 = this.takeW(p, w);
    feeds['W'] = new this.runtime.ort.Tensor('float32', w32, [data.d, data.classes]);
    try {
      const out = await this.run(session, feeds, ['scores']);
      return out['scores']!.data as Float32Array;
    } finally {
      p.spareW = w32;
    }
  }

  /**
   * A trainer for the rules the graphs apply (GRAPH_UPDATE_RULES) on minibatches: W and the
   * velocity stay float32 arrays that each run takes without a copy and hands back new, so a
   * step moves no D×C array through JavaScript and rounds nothing (measured on the linear probe,
   * 2049×1000 weights: see docs/architecture.md). Declines full-batch runs (an all-rows graph
   * would hold a second copy of X, for a saving that is small beside a full pass), pixel
   * batches the backend would split, and onnxruntime-web (below). Steps must not overlap.
   */
  async createTrainer(data: Resident, spec: TrainerSpec): Promise<ResidentTrainer | undefined> {
    const p = this.lookup(data);
    validateWeights(spec.weights, data.d, data.classes);
    validateObjective(spec.objective);
    if (!(Number.isInteger(spec.batchSize) && spec.batchSize >= 1)) {
      throw new BackendError(`backend '${this.id}': batchSize must be a positive integer, got ${spec.batchSize}`);
    }
    const options = resolveOptimizerOptions(spec.optimizerOptions);
    const rule = spec.optimizer as UpdateRule;
    // onnxruntime-web copies every input into wasm memory (W too, either way) and keeps a copy of
    // X in every session: a trainer graph per rule would hold more copies of X and save none.
    if (this.runtime.packageName === 'onnxruntime-web') return undefined;
    if (!GRAPH_UPDATE_RULES.includes(rule) || spec.batchSize >= data.n) return undefined;
    if (p.data.pixels && spec.batchSize > PIXEL_CHUNK_ROWS) return undefined;
    const { Tensor } = this.runtime.ort;
    const { objective } = spec, dims = [data.d, data.classes];
    const mu = rule === 'sgd' ? undefined : options.momentum;
    // W now, the W the last step started from, the one before: what the divergence guard may return.
    let ws: (Float32Array<ArrayBufferLike> | undefined)[] = [Float32Array.from(spec.weights), undefined, undefined];
    let v: Float32Array<ArrayBufferLike> | undefined = mu === undefined ? undefined : new Float32Array(spec.weights.length);
    let disposed = false, busy = false;
    // The softmax graph's minus_ones column, kept for the next batch of the same size.
    let ones = new Float32Array(0);
    const minusOnes = (b: number): Float32Array => (ones.length === b ? ones : (ones = new Float32Array(b).fill(-1)));
    // Its sessions are the placed set's, like every graph's: the next run (a sweep, tune) reuses them.
    const stepOnce = async (rows: Rows, lr: number): Promise<number> => {
      this.lookup(data);
      validateRows(rows, data.n);
      if (!(lr >= 0 && Number.isFinite(lr))) throw new BackendError(`backend '${this.id}': learning rate must be a finite number >= 0, got ${lr}`);
      if (p.data.pixels && rowCount(rows) > PIXEL_CHUNK_ROWS) {
        throw new BackendError(`backend '${this.id}': a trainer step takes at most ${PIXEL_CHUNK_ROWS} rows of a pixel data set, got ${rowCount(rows)}`);
      }
      const { selection, feeds } = this.selection(p, rows, false);
      const session = await this.session(p, `${objective.loss}-${rule}-step-${selection}`, () => objectiveGraph(
        { loss: objective.loss, wantGradient: true, update: rule, residency: this.residency[selection], selection, scatter: this.runtime.scatters },
        p.data));
      const b = rowCount(rows);
      feeds['label'] = new Tensor('int32', labelsOf(p.data.y, rows, b), [b, 1]);
      this.feedObjective(feeds, ws[0]!, data, objective, false);
      for (const [name, value] of Object.entries(stepScalars(rule, lr, b, objective.reg, mu))) feeds[name] = new Tensor('float32', Float32Array.of(value), []);
      if (v) feeds['V'] = new Tensor('float32', v, dims);
      // The graph says whether its loss takes the column (softmax, where the provider scatters).
      if (session.inputNames.includes('minus_ones')) feeds['minus_ones'] = new Tensor('float32', minusOnes(b), [b, 1]);
      const out = await this.run(session, feeds, ['data_loss', 'w_sum_squares', 'W_next', ...(v ? ['V_next'] : [])]);
      ws = [out['W_next']!.data as Float32Array, ws[0], ws[1]];
      if (v) v = out['V_next']!.data as Float32Array;
      const scalar = (name: string): number => (out[name]!.data as Float32Array)[0]!;
      // NaN or ±∞ in W makes ΣW² so, and reg·ΣW² with it (0·∞ is NaN): the loss the guard reads.
      return scalar('data_loss') + objective.reg * scalar('w_sum_squares');
    };
    return {
      step: async (rows: Rows, lr: number): Promise<number> => {
        if (disposed) throw new BackendError(`backend '${this.id}': this trainer was disposed`);
        // One at a time: two steps in flight would both start from the same W and lose an update.
        if (busy) throw new BackendError(`backend '${this.id}': a trainer step is already running (await each step before the next)`);
        busy = true;
        try {
          return await stepOnce(rows, lr);
        } finally {
          busy = false;
        }
      },
      weights: (back = 0) => {
        const w = ws[back];
        return w && Float64Array.from(w);
      },
      dispose: async () => {
        disposed = true;
        ws = [];
        v = undefined;
      },
    };
  }

  /**
   * An objective graph's inputs besides the data: W (float32, D×C), reg (not a trainer graph's:
   * its host adds reg·ΣW²) and, for the hinges, Δ.
   */
  private feedObjective(feeds: Record<string, OrtTensor>, w32: Float32Array<ArrayBufferLike>, data: Resident, objective: Objective,
    reg = true): void {
    const { Tensor } = this.runtime.ort;
    feeds['W'] = new Tensor('float32', w32, [data.d, data.classes]);
    if (reg) feeds['reg'] = new Tensor('float32', Float32Array.of(objective.reg), []);
    if (hasMargin(objective.loss)) feeds['delta'] = new Tensor('float32', Float32Array.of(objective.delta ?? 1), []);
  }

  /** W rounded to float32, in the placed set's spare buffer when no run holds it. */
  private takeW(p: Placed, w: Float64Array): Float32Array {
    const buffer = p.spareW ?? new Float32Array(w.length);
    p.spareW = undefined;
    buffer.set(w);
    return buffer;
  }

  async release(data: Resident): Promise<void> {
    const p = this.placed.delete(data);
    if (!p) return;
    await this.free(p);
  }

  private async free(p: Placed): Promise<void> {
    const sessions = await Promise.allSettled(p.sessions.values());
    for (const s of sessions) if (s.status === 'fulfilled') await s.value.release();
    p.fed?.data.dispose();
    p.fed?.Y.dispose();
  }

  async dispose(): Promise<void> {
    if (this.placed.isDisposed) return;
    for (const p of this.placed.dispose()) await this.free(p);
  }
}

/** The labels of the selected rows, in order. */
function labelsOf(y: Int32Array, rows: Rows, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = y[rowAt(rows, i)]!;
  return out;
}

/** The selection in consecutive pieces of at most PIXEL_CHUNK_ROWS rows, as index lists. */
function* chunksOf(rows: Rows, count: number): Generator<Int32Array> {
  for (let start = 0; start < count; start += PIXEL_CHUNK_ROWS) {
    const k = Math.min(PIXEL_CHUNK_ROWS, count - start);
    yield Int32Array.from({ length: k }, (_, i) => rowAt(rows, start + i));
  }
}
