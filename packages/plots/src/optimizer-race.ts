import { CONFIG, SCHEMA, checkLength, finiteExtent, finiteOrNull, formatNumber, spansDecades, type Numbers, type Spec } from './common.js';

export interface RacePathInput {
  readonly optimizer: string;
  /** The path's coefficients on the plane, start first. */
  readonly a: Numbers;
  readonly b: Numbers;
  /** The loss at each point. */
  readonly losses: Numbers;
}

export interface OptimizerRaceInput {
  /** The plane's grid: losses[i·betas.length + j] = L(W₀ + a_i·V₁ + b_j·V₂). */
  readonly alphas: Numbers;
  readonly betas: Numbers;
  readonly losses: Numbers;
  readonly paths: readonly RacePathInput[];
  /** What V₁ is, for the axis title (default 'V₁'). */
  readonly towardLabel?: string;
  readonly size?: number;
}

/** The signal that shows the paths up to a step (all by default): a page animates the race by setting it. */
export const RACE_SHOWN_SIGNAL = 'shown';

/**
 * The optimizer race: each rule's path over the loss of the plane W₀ + a·V₁ + b·V₂ (a heat map,
 * darker lower), every path from the same start (the white dot, W₀), each end a diamond; beside it
 * each rule's loss per step.
 */
export function optimizerRaceSpec(input: OptimizerRaceInput): Spec {
  const { alphas, betas, losses, paths } = input;
  checkLength('optimizer race grid', losses, alphas.length * betas.length);
  const half = (v: Numbers, k: number) => (v.length > 1 ? (v[Math.min(k + 1, v.length - 1)]! - v[Math.max(k - 1, 0)]!) / (k === 0 || k === v.length - 1 ? 2 : 4) : 0.5);
  const cells: { a0: number; a1: number; b0: number; b1: number; loss: number | null }[] = [];
  for (let i = 0; i < alphas.length; i++) {
    for (let j = 0; j < betas.length; j++) {
      const ha = half(alphas, i), hb = half(betas, j);
      cells.push({ a0: alphas[i]! - ha, a1: alphas[i]! + ha, b0: betas[j]! - hb, b1: betas[j]! + hb, loss: finiteOrNull(losses[i * betas.length + j]!) });
    }
  }
  const steps: { optimizer: string; step: number; a: number; b: number; loss: number | null }[] = [];
  for (const p of paths) {
    checkLength(`${p.optimizer} path`, p.b, p.a.length);
    checkLength(`${p.optimizer} losses`, p.losses, p.a.length);
    for (let t = 0; t < p.a.length; t++) steps.push({ optimizer: p.optimizer, step: t, a: p.a[t]!, b: p.b[t]!, loss: finiteOrNull(p.losses[t]!) });
  }
  const ends = paths.map((p) => ({ optimizer: p.optimizer, step: p.a.length - 1, a: p.a[p.a.length - 1]!, b: p.b[p.b.length - 1]!, loss: finiteOrNull(p.losses[p.losses.length - 1]!) }));
  const extent = finiteExtent(losses) ?? [0, 1];
  // A plane wide enough to show the basin reaches losses many times its floor at the edges: on a
  // linear scale the basin is one flat colour. Colour by log loss when the (positive) losses span
  // more than a factor of two.
  const heat = { type: spansDecades(losses, Math.log10(2)) ? 'log' as const : 'linear' as const, scheme: 'viridis', domain: extent };
  const domainA = [alphas[0]!, alphas[alphas.length - 1]!], domainB = [betas[0]!, betas[betas.length - 1]!];
  const size = input.size ?? 360;
  const order = paths.map((p) => p.optimizer);
  const color = { field: 'optimizer', type: 'nominal' as const, title: 'update rule', sort: order, scale: { domain: order, scheme: 'category10' } };
  const x = { field: 'a', type: 'quantitative' as const, title: `a (along ${input.towardLabel ?? 'V₁'})`, scale: { domain: domainA, nice: false, zero: false } };
  const y = { field: 'b', type: 'quantitative' as const, title: 'b (along a random V₂)', scale: { domain: domainB, nice: false, zero: false } };
  const best = paths.map((p) => `${p.optimizer} ${formatNumber(p.losses[p.losses.length - 1]!, 3)}`).join(', ');
  const shown = [{ filter: `datum.step <= ${RACE_SHOWN_SIGNAL}` }];
  return {
    $schema: SCHEMA,
    config: CONFIG,
    params: [{ name: RACE_SHOWN_SIGNAL, value: steps.length }],
    title: { text: 'The optimizer race on the real loss', subtitle: [`from loss ${formatNumber(paths[0]?.losses[0] ?? NaN, 4)} at W₀; after ${Math.max(0, (paths[0]?.a.length ?? 1) - 1)} steps: ${best}`] },
    hconcat: [
      {
        width: size, height: size,
        layer: [
          { data: { values: cells }, mark: { type: 'rect', clip: true },
            encoding: { x: { field: 'a0', type: 'quantitative', title: x.title, scale: x.scale }, x2: { field: 'a1' },
              y: { field: 'b0', type: 'quantitative', title: y.title, scale: y.scale }, y2: { field: 'b1' },
              // The stroke in the fill's colour: no hairline seams between cells.
              color: { field: 'loss', type: 'quantitative', title: heat.type === 'log' ? 'loss (log scale)' : 'loss', scale: heat },
              stroke: { field: 'loss', type: 'quantitative', scale: heat, legend: null } } },
          { data: { values: [{ a: 0, b: 0 }] }, mark: { type: 'point', shape: 'circle', size: 70, filled: true, color: 'white', stroke: 'black', clip: true },
            encoding: { x, y } },
          { data: { values: steps }, transform: shown, mark: { type: 'line', clip: true, strokeWidth: 2, point: { size: 12 } },
            encoding: { x, y, color, order: { field: 'step', type: 'quantitative' }, tooltip: [{ field: 'optimizer' }, { field: 'step' }, { field: 'loss', format: '.4f' }] } },
          { data: { values: ends }, transform: [{ filter: `datum.step <= ${RACE_SHOWN_SIGNAL}` }], mark: { type: 'point', clip: true, shape: 'diamond', size: 90, filled: true, stroke: 'white' },
            encoding: { x, y, color: { ...color, legend: null } } },
        ],
        resolve: { scale: { color: 'independent' } },
      },
      {
        width: size, height: Math.round(size * 0.7),
        data: { values: steps },
        transform: shown,
        mark: { type: 'line' },
        encoding: { x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { field: 'loss', type: 'quantitative', title: 'loss on the plane', scale: { zero: false } }, color },
      },
    ],
  } as Spec;
}
