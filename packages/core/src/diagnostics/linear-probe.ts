import { allRows, type ComputeBackend, type Objective, type Resident, type Rows, type Vec } from '../backend.js';
import { rowLossOf } from '../losses/reference.js';
import { labelsOf } from './accuracy.js';
import { planeGridLossSums } from './plane-grid.js';
import { combine, dot, meanDataLossFromScores } from './scores-loss.js';

/**
 * Loss at W + Σ a_k·V_k for many coefficient vectors a, exploiting that scores are linear in W:
 * S(W + Σ a_k V_k) = S(W) + Σ a_k S(V_k), and ‖W + Σ a_k V_k‖² expands into dot products.
 * The backend forms each S(V) once (O(N·D·C)); every probe then costs O(N·C).
 */
export class LinearProbe {
  /** ∂L/∂S for gradientAt, allocated on its first call. */
  private dScratch: Float64Array | undefined;

  private constructor(
    private readonly base: Vec,
    private readonly dirs: readonly Vec[],
    /** Gram matrix of [W, V_1, …, V_k] for the regularizer. */
    private readonly gram: Float64Array,
    private readonly labels: Int32Array,
    private readonly classes: number,
    private readonly objective: Objective,
    private readonly scratch: Float64Array,
  ) {}

  static async create(backend: ComputeBackend, data: Resident, objective: Objective, w: Float64Array,
    directions: readonly Float64Array[], rows: Rows = allRows(data)): Promise<LinearProbe> {
    const base = await backend.scores(w, data, rows);
    const dirs: Vec[] = [];
    for (const v of directions) dirs.push(await backend.scores(v, data, rows));
    const all = [w, ...directions];
    const k = all.length;
    const gram = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
      gram[i * k + j] = gram[j * k + i] = dot(all[i]!, all[j]!);
    }
    return new LinearProbe(base, dirs, gram, labelsOf(data, rows), data.classes, objective,
      new Float64Array(base.length));
  }

  /** Penalty reg·‖W + Σ c_k V_k‖² from the Gram matrix. */
  private regLoss(coefficients: readonly number[]): number {
    const c = [1, ...this.dirs.map((_, k) => coefficients[k] ?? 0)];
    const k = c.length;
    let sq = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sq += c[i]! * c[j]! * this.gram[i * k + j]!;
    return this.objective.reg * Math.max(0, sq);
  }

  /**
   * Total loss at every point of the grid W + a_i·V₁ + b_j·V₂ (two directions), indexed
   * i·betas.length + j: the same values as at([a_i, b_j]), several times faster (plane-grid.ts).
   */
  grid(alphas: Float64Array, betas: Float64Array): Float64Array {
    if (this.dirs.length !== 2) throw new Error('grid() needs a probe made with two directions');
    const f64 = (v: Vec) => (v instanceof Float64Array ? v : Float64Array.from(v));
    const sums = planeGridLossSums(f64(this.base), f64(this.dirs[0]!), f64(this.dirs[1]!), this.labels, this.classes,
      this.objective, alphas, betas);
    const n = this.labels.length;
    for (let i = 0; i < alphas.length; i++) {
      for (let j = 0; j < betas.length; j++) sums[i * betas.length + j] = sums[i * betas.length + j]! / n + this.regLoss([alphas[i]!, betas[j]!]);
    }
    return sums;
  }

  /** The directions' count: the coefficient vector's length. */
  get dimensions(): number {
    return this.dirs.length;
  }

  /**
   * The objective at W + Σ c_k·V_k and its exact gradient with respect to the coefficients c:
   * ∂L/∂c_k = (1/N)·Σ_rows ⟨∂L_r/∂s, S(V_k)_r⟩ + 2·reg·(G·[1, c])_k, the chain rule through the
   * scores (the row losses' ∂L/∂s are the reference losses'), and the penalty's Gram expansion.
   * O(N·C·k) a call: what an optimizer restricted to the plane steps on.
   */
  gradientAt(coefficients: readonly number[]): { loss: number; gradient: Float64Array } {
    const terms: [number, Vec][] = [[1, this.base]];
    this.dirs.forEach((s, k) => terms.push([coefficients[k] ?? 0, s]));
    const scores = combine(this.scratch, terms);
    const n = this.labels.length, C = this.classes, rowLoss = rowLossOf(this.objective);
    // ∂L_i/∂s_i, written by each row loss at the row's own offset (as linearClassifierLoss takes them).
    const dScores = (this.dScratch ??= new Float64Array(n * C)), gradient = new Float64Array(this.dirs.length);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rowLoss(scores, i * C, this.labels[i]!, C, dScores);
    this.dirs.forEach((v, k) => { gradient[k] = dot(dScores, v); });
    const c = [1, ...this.dirs.map((_, k) => coefficients[k] ?? 0)], K = c.length;
    for (let k = 0; k < this.dirs.length; k++) {
      let gc = 0;
      for (let j = 0; j < K; j++) gc += this.gram[(k + 1) * K + j]! * c[j]!;
      gradient[k] = gradient[k]! / n + 2 * this.objective.reg * gc;
    }
    return { loss: sum / n + this.regLoss(coefficients), gradient };
  }

  /** Objective at W + Σ coefficients[k]·V_k: { loss, dataLoss, regLoss }. */
  at(coefficients: readonly number[]): { loss: number; dataLoss: number; regLoss: number } {
    const terms: [number, Vec][] = [[1, this.base]];
    this.dirs.forEach((s, k) => terms.push([coefficients[k] ?? 0, s]));
    const dataLoss = meanDataLossFromScores(combine(this.scratch, terms), this.labels, this.classes, this.objective);
    const regLoss = this.regLoss(coefficients);
    return { loss: dataLoss + regLoss, dataLoss, regLoss };
  }
}
