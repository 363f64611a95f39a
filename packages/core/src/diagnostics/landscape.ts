import { allRows, type ComputeBackend, type Objective, type Resident, type Rows } from '../backend.js';
import { OptionError } from '../errors.js';
import type { Random } from '../random.js';
import { LinearProbe } from './linear-probe.js';

export interface LandscapeOptions {
  readonly rows?: Rows;
  /** Coefficient range [from, to] on each axis (default [-1, 1]). */
  readonly range?: readonly [number, number];
  /** Points per axis (default 51). */
  readonly points?: number;
  /** Directions to use instead of random ones (one for 1-D, two for 2-D). */
  readonly directions?: readonly Float64Array[];
  /**
   * How random directions are scaled: 'weights' (default) gives each direction the Frobenius
   * norm of W, so a = 1 is a move as large as the weights themselves (unit norm when W = 0);
   * 'unit' gives norm 1; 'none' keeps the raw N(0, 1) draw.
   */
  readonly normalize?: 'weights' | 'unit' | 'none';
  /** Evaluate each point with a full backend evaluation instead of by linearity (slow; for checks). */
  readonly exact?: boolean;
}

export interface Landscape1D {
  readonly alphas: Float64Array;
  readonly losses: Float64Array;
  readonly direction: Float64Array;
}

export interface Landscape2D {
  readonly alphas: Float64Array;
  readonly betas: Float64Array;
  /** losses[i·betas.length + j] = L(W + alphas[i]·W₁ + betas[j]·W₂) */
  readonly losses: Float64Array;
  readonly directions: readonly [Float64Array, Float64Array];
}

/**
 * The largest landscapes drawn, for every caller (the CLI's options and the web page's fields
 * use these): each stays within seconds and a few MB.
 */
export const LANDSCAPE_CAPS = Object.freeze({
  /** Points along a 1-D slice. */
  points1D: 10_001,
  /** Points per axis of a 2-D landscape (501² losses, about 2 MB). */
  points2D: 501,
  /** |from| and |to| of the coefficient range. */
  range: 1e4,
} as const);

function axis(range: readonly [number, number], points: number, dims: 1 | 2): Float64Array {
  const cap = dims === 1 ? LANDSCAPE_CAPS.points1D : LANDSCAPE_CAPS.points2D;
  if (!(Number.isInteger(points) && points >= 2 && points <= cap)) {
    throw new OptionError(`points per axis must be an integer from 2 to ${cap} (LANDSCAPE_CAPS, ${dims}-D); got ${points}`);
  }
  const [a, b] = range;
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new OptionError(`range must be two finite numbers, from < to; got [${a}, ${b}]`);
  if (Math.max(Math.abs(a), Math.abs(b)) > LANDSCAPE_CAPS.range) {
    throw new OptionError(`range must lie within ±${LANDSCAPE_CAPS.range} (LANDSCAPE_CAPS); got [${a}, ${b}]`);
  }
  return Float64Array.from({ length: points }, (_, i) => a + ((b - a) * i) / (points - 1));
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** A random N(0,1) direction shaped like W, scaled as `normalize` says. */
export function randomDirection(w: Float64Array, rng: Random, normalize: LandscapeOptions['normalize'] = 'weights'): Float64Array {
  const v = rng.fillNormal(new Float64Array(w.length)) as Float64Array;
  if (normalize === 'none') return v;
  const target = normalize === 'weights' && norm(w) > 0 ? norm(w) : 1;
  const k = target / norm(v);
  for (let i = 0; i < v.length; i++) v[i]! *= k;
  return v;
}

async function exactLoss(backend: ComputeBackend, data: Resident, objective: Objective, rows: Rows,
  w: Float64Array, terms: readonly [number, Float64Array][]): Promise<number> {
  const p = Float64Array.from(w);
  for (const [a, v] of terms) for (let i = 0; i < p.length; i++) p[i]! += a * v[i]!;
  return (await backend.evaluate(p, data, rows, objective, false)).loss;
}

/** L(W + a·W₁) for a along an axis: the lecture's one-dimensional slice. */
export async function landscape1D(backend: ComputeBackend, data: Resident, objective: Objective,
  w: Float64Array, rng: Random, options: LandscapeOptions = {}): Promise<Landscape1D> {
  const rows = options.rows ?? allRows(data);
  const alphas = axis(options.range ?? [-1, 1], options.points ?? 51, 1);
  const direction = options.directions?.[0] ?? randomDirection(w, rng, options.normalize);
  if (direction.length !== w.length) throw new OptionError(`direction has ${direction.length} values, W has ${w.length}`);
  const losses = new Float64Array(alphas.length);
  if (options.exact) {
    for (let i = 0; i < alphas.length; i++) losses[i] = await exactLoss(backend, data, objective, rows, w, [[alphas[i]!, direction]]);
  } else {
    const probe = await LinearProbe.create(backend, data, objective, w, [direction], rows);
    for (let i = 0; i < alphas.length; i++) losses[i] = probe.at([alphas[i]!]).loss;
  }
  return { alphas, losses, direction };
}

/** L(W + a·W₁ + b·W₂) over a grid: the lecture's two-dimensional slice (a heat map). */
export async function landscape2D(backend: ComputeBackend, data: Resident, objective: Objective,
  w: Float64Array, rng: Random, options: LandscapeOptions = {}): Promise<Landscape2D> {
  const rows = options.rows ?? allRows(data);
  const alphas = axis(options.range ?? [-1, 1], options.points ?? 51, 2);
  const betas = alphas;
  const d1 = options.directions?.[0] ?? randomDirection(w, rng, options.normalize);
  const d2 = options.directions?.[1] ?? randomDirection(w, rng, options.normalize);
  for (const d of [d1, d2]) if (d.length !== w.length) throw new OptionError(`direction has ${d.length} values, W has ${w.length}`);
  if (!options.exact) {
    const probe = await LinearProbe.create(backend, data, objective, w, [d1, d2], rows);
    return { alphas, betas, losses: probe.grid(alphas, betas), directions: [d1, d2] };
  }
  const losses = new Float64Array(alphas.length * betas.length);
  for (let i = 0; i < alphas.length; i++) {
    for (let j = 0; j < betas.length; j++) {
      losses[i * betas.length + j] = await exactLoss(backend, data, objective, rows, w, [[alphas[i]!, d1], [betas[j]!, d2]]);
    }
  }
  return { alphas, betas, losses, directions: [d1, d2] };
}
