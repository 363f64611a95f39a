/**
 * Finite differences of the objective for every coordinate of W in O(N) each, instead of the
 * textbook O(N·D·C) re-evaluation, by the linearity of the scores (docs/architecture.md):
 * W + t·E_ij changes only score column j, by t·X[:, i]. Each probe is still an evaluation of
 * the loss *definition* at the perturbed point — no derivative formula is used — written as
 * the exact change of each row's loss so that nothing cancels catastrophically:
 *
 *   softmax: L_r(t) − L_r(0) = log1p(p_rj · expm1(t·x_ri)) − [j = y_r]·t·x_ri
 *   svm, j ≠ y_r: max(0, m_rj + t·x_ri) − max(0, m_rj),          m_rj = s_rj − s_ry + Δ
 *   svm, j = y_r: Σ_{k≠y_r} max(0, m_rk − t·x_ri) − max(0, m_rk)
 *   crammer-singer, with m_r = the largest margin over k ≠ y_r (class k_r, lowest index on ties)
 *     and m'_r the largest over k ∉ {y_r, k_r}:
 *     j = y_r:  max(0, m_r − t·x_ri) − max(0, m_r)
 *     j = k_r:  max(0, max(m_r + t·x_ri, m'_r)) − max(0, m_r)
 *     else:     max(0, max(m_rj + t·x_ri, m_r)) − max(0, m_r)
 *   (each hinge difference taken without cancellation: see hingeChange)
 *   penalty: reg·((w + t)² − w²) = reg·(2wt + t²)
 *
 * so L(W + tE) − L(W) = (1/N)·Σ_r (L_r(t) − L_r(0)) + reg·(2wt + t²), and
 * centered: (ΔL(h) − ΔL(−h)) / 2h, forward: ΔL(h) / h.
 */
import type { Objective } from '../backend.js';
import { OptionError } from '../errors.js';
import { scoresOfValidated, validateLossArguments, type Matrix } from '../losses/linear.js';
import type { FiniteDifference } from './numerical.js';

/**
 * max(0, m + dx) − max(0, m), written so that nothing cancels: dx itself while the hinge stays
 * active, 0 while it stays inactive, and the one-sided value when the probe crosses the kink.
 * (The naive subtraction loses ~1e-16 per term, which the 1/h of a finite difference turns
 * into spurious relative errors on tiny gradient entries.)
 */
function hingeChange(m: number, dx: number): number {
  const moved = m + dx;
  if (m > 0) return moved > 0 ? dx : -m;
  return moved > 0 ? moved : 0;
}

export function linearFiniteDifferences(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, objective: Objective): (coordinates: Int32Array, h: number, method: FiniteDifference) => Float64Array {
  validateLossArguments(x, y, w, n, d, c, objective.reg, objective.delta);
  const s = scoresOfValidated(x, w, n, d, c);
  const delta = objective.delta ?? 1;
  // softmax: p[r, j]; the hinges: margins m[r, k] = s_rk − s_ry + Δ.
  const aux = new Float64Array(n * c);
  // crammer-singer: per row the competitor k_r (−1 when C = 1) and the runner-up margin m'_r.
  const cs = objective.loss === 'crammer-singer';
  const top = cs ? new Int32Array(n).fill(-1) : undefined;
  const second = cs ? new Float64Array(n).fill(-Infinity) : undefined;
  for (let r = 0; r < n; r++) {
    const o = r * c;
    if (objective.loss === 'softmax') {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, s[o + k]!);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += (aux[o + k] = Math.exp(s[o + k]! - max));
      for (let k = 0; k < c; k++) aux[o + k]! /= sum;
    } else {
      const sy = s[o + y[r]!]!;
      for (let k = 0; k < c; k++) aux[o + k] = s[o + k]! - sy + delta;
      if (cs) {
        const label = y[r]!;
        for (let k = 0; k < c; k++) {
          if (k === label) continue;
          const best = top![r]!;
          if (best < 0 || aux[o + k]! > aux[o + best]!) {
            if (best >= 0) second![r] = aux[o + best]!;
            top![r] = k;
          } else if (aux[o + k]! > second![r]!) second![r] = aux[o + k]!;
        }
      }
    }
  }

  /** Σ_r (L_r(t) − L_r(0)) for coordinate (i, j). */
  const rowLossChange = (i: number, j: number, t: number): number => {
    let total = 0;
    for (let r = 0; r < n; r++) {
      const dx = t * x[r * d + i]!;
      if (dx === 0) continue;
      const o = r * c;
      const label = y[r]!;
      if (objective.loss === 'softmax') {
        total += Math.log1p(aux[o + j]! * Math.expm1(dx)) - (j === label ? dx : 0);
      } else if (cs) {
        const k = top![r]!;
        if (k < 0) continue;
        const m = aux[o + k]!;
        if (j === label) total += hingeChange(m, -dx);
        else if (j === k) total += m + dx >= second![r]! ? hingeChange(m, dx) : hingeChange(m, second![r]! - m);
        else if (aux[o + j]! + dx > m) total += hingeChange(m, aux[o + j]! - m + dx);
      } else if (j !== label) {
        total += hingeChange(aux[o + j]!, dx);
      } else {
        for (let k = 0; k < c; k++) if (k !== label) total += hingeChange(aux[o + k]!, -dx);
      }
    }
    return total;
  };
  const lossChange = (index: number, t: number): number => {
    const wk = w[index]!;
    return rowLossChange(Math.floor(index / c), index % c, t) / n + objective.reg * (2 * wk * t + t * t);
  };

  return (coordinates, h, method) => {
    if (!(h > 0 && Number.isFinite(h))) throw new OptionError(`h must be a positive number, got ${h}`);
    const out = new Float64Array(coordinates.length);
    for (let k = 0; k < coordinates.length; k++) {
      const index = coordinates[k]!;
      if (!(index >= 0 && index < w.length)) throw new OptionError(`coordinate ${index} is outside W (${d}×${c})`);
      out[k] = method === 'centered'
        ? (lossChange(index, h) - lossChange(index, -h)) / (2 * h)
        : lossChange(index, h) / h;
    }
    return out;
  };
}
