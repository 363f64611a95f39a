import { CONFIG, PLOT_HEIGHT, PLOT_WIDTH, SCHEMA, checkLength, countNonFinite, finiteExtent, finiteOrNull, formatNumber, spansDecades, type Numbers, type Spec } from './common.js';

export interface Landscape1DInput {
  /** Step along the direction, a (W + a·W₁). */
  readonly alphas: Numbers;
  /** losses[i] = L(W + alphas[i]·W₁). */
  readonly losses: Numbers;
  readonly logLoss?: boolean;
  readonly title?: string;
}

/** The loss along one direction through W: a line, with W itself (a = 0) marked. */
export function landscape1DSpec(input: Landscape1DInput): Spec {
  const { alphas, losses } = input;
  checkLength('landscape1D losses', losses, alphas.length);
  const logLoss = input.logLoss ?? spansDecades(losses);
  const rows = Array.from({ length: alphas.length }, (_, i) => ({ alpha: alphas[i]!, loss: finiteOrNull(logLoss && !(losses[i]! > 0) ? NaN : losses[i]!) }));
  const origin = rows.find((r) => r.alpha === 0 && r.loss !== null);
  const bad = countNonFinite(losses);
  const x = { field: 'alpha', type: 'quantitative' as const, title: 'a (step along the random direction W₁)', scale: { nice: false } };
  const y = { field: 'loss', type: 'quantitative' as const, title: 'loss L(W + a·W₁)', scale: logLoss ? { type: 'log' as const } : { zero: false } };
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: input.title ?? 'Loss landscape along one direction',
      subtitle: [`${alphas.length} points${origin ? `; at W (a = 0) the loss is ${formatNumber(origin.loss!)}` : ''}`, ...(bad ? [`${bad} non-finite losses not drawn`] : [])] },
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      { data: { values: [{ alpha: 0 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#999' }, encoding: { x } },
      { data: { values: rows }, mark: { type: 'line', color: '#08519c', strokeWidth: 2 },
        encoding: { x, y, tooltip: [{ field: 'alpha', type: 'quantitative', format: '.3g' }, { field: 'loss', type: 'quantitative', format: '.5g' }] } },
      { data: { values: origin ? [{ ...origin, label: 'W' }] : [] },
        layer: [
          { mark: { type: 'point', filled: true, size: 90, color: '#d62728' }, encoding: { x, y } },
          { mark: { type: 'text', dy: -12, fontWeight: 'bold', color: '#d62728' }, encoding: { x, y, text: { field: 'label' } } },
        ] },
    ],
  } as Spec;
}

export interface Landscape2DInput {
  /** Coefficients of the first direction W₁. */
  readonly alphas: Numbers;
  /** Coefficients of the second direction W₂. */
  readonly betas: Numbers;
  /** Row-major alphas × betas: losses[i·betas.length + j] = L(W + alphas[i]·W₁ + betas[j]·W₂). */
  readonly losses: Numbers;
  /**
   * Colour bands (default 12): the loss is cut at that many levels and each band gets one
   * colour, so the edges between bands read like contour lines. 0: a continuous colour scale.
   */
  readonly bands?: number;
  /** Log colour scale (default: when the finite losses are positive and span ≥ 2 decades). */
  readonly logColor?: boolean;
  /** Plot side in pixels (default 480). */
  readonly size?: number;
  readonly title?: string;
}

/** Cell edges around sorted grid coordinates: midpoints between neighbours, half a step beyond the ends. */
function edges(values: Numbers): Float64Array {
  const n = values.length;
  const e = new Float64Array(n + 1);
  if (n === 1) { e[0] = values[0]! - 0.5; e[1] = values[0]! + 0.5; return e; }
  for (let i = 1; i < n; i++) e[i] = (values[i - 1]! + values[i]!) / 2;
  e[0] = values[0]! - (values[1]! - values[0]!) / 2;
  e[n] = values[n - 1]! + (values[n - 1]! - values[n - 2]!) / 2;
  return e;
}

/** `count` levels strictly inside (lo, hi), evenly spaced on a linear or log scale, rounded to 3 significant digits. */
export function bandLevels(lo: number, hi: number, count: number, log: boolean): number[] {
  const levels: number[] = [];
  for (let k = 1; k < count; k++) {
    const t = k / count;
    const v = log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
    const r = Number(v.toPrecision(3));
    if (r > lo && r < hi && (levels.length === 0 || r > levels[levels.length - 1]!)) levels.push(r);
  }
  return levels;
}

/**
 * The loss over a plane through W as a heat map (one rect per grid point, viridis: dark is
 * low), W itself marked at the origin and the lowest grid point marked too.
 */
export function landscape2DSpec(input: Landscape2DInput): Spec {
  const { alphas, betas, losses } = input;
  const na = alphas.length, nb = betas.length;
  checkLength('landscape2D losses', losses, na * nb);
  const ea = edges(alphas), eb = edges(betas);
  const logColor = input.logColor ?? spansDecades(losses);
  const rows: { a: number; b: number; a0: number; a1: number; b0: number; b1: number; loss: number | null }[] = [];
  let best = -1;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      const k = i * nb + j, v = losses[k]!;
      const ok = Number.isFinite(v) && (!logColor || v > 0);
      if (ok && (best < 0 || v < losses[best]!)) best = k;
      rows.push({ a: alphas[i]!, b: betas[j]!, a0: ea[i]!, a1: ea[i + 1]!, b0: eb[j]!, b1: eb[j + 1]!, loss: ok ? v : null });
    }
  }
  const extent = finiteExtent(rows.map((r) => r.loss ?? NaN)) ?? [0, 1];
  const bands = input.bands ?? 12;
  const levels = bands > 1 && extent[1] > extent[0] ? bandLevels(extent[0], extent[1], bands, logColor) : [];
  // Banded: each cell gets the label of its band ("lo – hi") and an ordinal viridis colour, so the
  // legend lists the bands exactly (a threshold-scale legend spaces log levels wrongly).
  const bounds = [extent[0], ...levels, extent[1]];
  const bandNames = bounds.slice(1).map((hi, k) => `${formatNumber(bounds[k]!, 3)} – ${formatNumber(hi, 3)}`);
  if (levels.length) {
    for (const r of rows as { loss: number | null; band?: string }[]) {
      if (r.loss === null) continue;
      let k = 0;
      while (k < levels.length && r.loss >= levels[k]!) k++;
      r.band = bandNames[k]!;
    }
  }
  // Whole pixels per cell (no hairline seams between cells when the grid is even), square
  // cells when both axes have the same step.
  const size = input.size ?? 480;
  const stepA = (ea[na]! - ea[0]!) / na, stepB = (eb[nb]! - eb[0]!) / nb;
  const unit = size / Math.max(na * Math.max(1, stepA / stepB), nb * Math.max(1, stepB / stepA));
  const cellA = Math.max(1, Math.round(unit * Math.max(1, stepA / stepB))), cellB = Math.max(1, Math.round(unit * Math.max(1, stepB / stepA)));
  const width = cellA * na, height = cellB * nb;
  const color = levels.length
    ? { field: 'band', type: 'ordinal' as const, title: 'loss', sort: bandNames,
      scale: { domain: bandNames, scheme: 'viridis' }, legend: { symbolType: 'square', symbolSize: 160 } }
    : { field: 'loss', type: 'quantitative' as const, title: 'loss',
      scale: logColor ? { type: 'log' as const, scheme: 'viridis' } : { type: 'linear' as const, scheme: 'viridis', zero: false },
      legend: { format: '.3~g', gradientLength: Math.min(height, 320) } };
  const x = { field: 'a0', type: 'quantitative' as const, title: 'a (along W₁)', scale: { domain: [ea[0]!, ea[na]!], nice: false, zero: false, round: true }, axis: { grid: false } };
  const y = { field: 'b0', type: 'quantitative' as const, title: 'b (along W₂)', scale: { domain: [eb[0]!, eb[nb]!], nice: false, zero: false, round: true }, axis: { grid: false } };
  const marks: { a: number; b: number; label: string }[] = [];
  const hasOrigin = ea[0]! <= 0 && 0 <= ea[na]! && eb[0]! <= 0 && 0 <= eb[nb]!;
  if (hasOrigin) marks.push({ a: 0, b: 0, label: 'W' });
  if (best >= 0) {
    const r = rows[best]!;
    if (!(hasOrigin && r.a === 0 && r.b === 0)) marks.push({ a: r.a, b: r.b, label: 'min' });
  }
  const bad = rows.filter((r) => r.loss === null).length;
  const lossAt0 = rows.find((r) => r.a === 0 && r.b === 0)?.loss;
  const subtitle = [
    `${na}×${nb} grid of L(W + a·W₁ + b·W₂); ${logColor ? 'log ' : ''}colour scale${levels.length ? `, ${levels.length + 1} bands` : ''}`
      + `; loss ${formatNumber(extent[0])} … ${formatNumber(extent[1])}`,
    ...(lossAt0 != null ? [`at W: ${formatNumber(lossAt0)}` + (best >= 0 ? `; lowest on the grid: ${formatNumber(losses[best]!)} at a = ${formatNumber(rows[best]!.a, 3)}, b = ${formatNumber(rows[best]!.b, 3)}` : '')] : []),
    ...(bad ? [`${bad} cells without a finite loss left blank`] : []),
  ];
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: input.title ?? 'Loss landscape over a plane through W', subtitle },
    width,
    height,
    layer: [
      { data: { values: rows },
        mark: { type: 'rect', strokeWidth: 0, aria: false },
        encoding: {
          x, x2: { field: 'a1' }, y, y2: { field: 'b1' },
          color,
          tooltip: [{ field: 'a', type: 'quantitative', format: '.3g' }, { field: 'b', type: 'quantitative', format: '.3g' }, { field: 'loss', type: 'quantitative', format: '.5g' }],
        } },
      { data: { values: marks },
        layer: [
          { mark: { type: 'point', shape: 'cross', size: 140, filled: true, color: 'white', stroke: 'black', strokeWidth: 1 },
            encoding: { x: { ...x, field: 'a' }, y: { ...y, field: 'b' } } },
          // W's label up-right, the minimum's down-left, so the two stay readable when close.
          { transform: [{ filter: "datum.label === 'W'" }],
            mark: { type: 'text', dx: 9, dy: -9, align: 'left', fontWeight: 'bold', color: 'white', stroke: 'black', strokeWidth: 0.4, fontSize: 13 },
            encoding: { x: { ...x, field: 'a' }, y: { ...y, field: 'b' }, text: { field: 'label' } } },
          { transform: [{ filter: "datum.label !== 'W'" }],
            mark: { type: 'text', dx: -9, dy: 16, align: 'right', fontWeight: 'bold', color: 'white', stroke: 'black', strokeWidth: 0.4, fontSize: 13 },
            encoding: { x: { ...x, field: 'a' }, y: { ...y, field: 'b' }, text: { field: 'label' } } },
        ] },
    ],
  } as Spec;
}
