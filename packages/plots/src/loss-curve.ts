import { CONFIG, PLOT_HEIGHT, PLOT_WIDTH, SCHEMA, countNonFinite, finiteOrNull, formatNumber, spansDecades, type Numbers, type Spec } from './common.js';
import { defaultSmoothing, downsampleMinMax, evenIndices, smooth, type Smoothing } from './series.js';

export interface Evaluation {
  readonly iteration: number;
  readonly trainAccuracy: number;
  readonly validationAccuracy?: number;
}

export interface LossCurveInput {
  /** Loss of each iteration, in order (losses[i] belongs to iteration firstIteration + i). */
  readonly losses: Numbers;
  /** Accuracy measured now and then during the run. */
  readonly evaluations?: readonly Evaluation[];
  /** Default: a centred window of about 1/50 of the run (see `Smoothing`). */
  readonly smoothing?: Smoothing;
  /** Number of the first iteration (default 1, as the trainer counts). */
  readonly firstIteration?: number;
  /** At most this many points per loss series (default 2000; see `downsampleMinMax`). */
  readonly maxPoints?: number;
  /** Log scale for the loss axis (default: when the finite losses are positive and span ≥ 2 decades). */
  readonly logLoss?: boolean;
  readonly title?: string;
}

const RAW = 'loss (each iteration)';
const SMOOTH = 'loss (smoothed)';
const TRAIN = 'train accuracy';
const VALID = 'validation accuracy';

/**
 * The training loss per iteration (thin, light), smoothed (bold), and the train and
 * validation accuracy (right axis, 0–100 %). Long runs are cut to `maxPoints` per series with
 * min/max decimation, so the light curve's envelope stays exact.
 */
export function lossCurveSpec(input: LossCurveInput): Spec {
  const { losses, evaluations = [] } = input;
  const n = losses.length;
  const first = input.firstIteration ?? 1;
  const maxPoints = input.maxPoints ?? 2000;
  const smoothing = input.smoothing ?? defaultSmoothing(n);
  const smoothed = smooth(losses, smoothing);
  const logLoss = input.logLoss ?? spansDecades(losses);

  const lossRows: { iteration: number; loss: number | null; series: string }[] = [];
  for (const i of downsampleMinMax(losses, maxPoints)) {
    let v = losses[i]!;
    if (logLoss && !(v > 0)) v = NaN;
    lossRows.push({ iteration: first + i, loss: finiteOrNull(v), series: RAW });
  }
  for (const i of evenIndices(n, maxPoints)) {
    let v = smoothed[i]!;
    if (logLoss && !(v > 0)) v = NaN;
    lossRows.push({ iteration: first + i, loss: finiteOrNull(v), series: SMOOTH });
  }
  const accRows: { iteration: number; accuracy: number; series: string }[] = [];
  let hasValidation = false;
  for (const e of evaluations) {
    if (Number.isFinite(e.trainAccuracy)) accRows.push({ iteration: e.iteration, accuracy: e.trainAccuracy, series: TRAIN });
    if (e.validationAccuracy !== undefined && Number.isFinite(e.validationAccuracy)) {
      hasValidation = true;
      accRows.push({ iteration: e.iteration, accuracy: e.validationAccuracy, series: VALID });
    }
  }

  const colors: [string, string][] = [[RAW, '#9ecae1'], [SMOOTH, '#08519c']];
  if (accRows.length) colors.push([TRAIN, '#fd8d3c']);
  if (hasValidation) colors.push([VALID, '#d62728']);
  const domain = colors.map((c) => c[0]), range = colors.map((c) => c[1]);
  const color = { field: 'series', type: 'nominal' as const, title: null, scale: { domain, range },
    legend: { orient: 'bottom' as const, direction: 'horizontal' as const, symbolType: 'stroke', symbolStrokeWidth: 3, labelLimit: 200, columnPadding: 18 } };

  const bad = countNonFinite(losses);
  const subtitle = [
    `${n} ${n === 1 ? 'iteration' : 'iterations'}; smoothed: ${'ema' in smoothing ? `EMA β = ${smoothing.ema}` : `centred mean of ${smoothing.window}`}`
      + (n > maxPoints ? `; drawn from ≤ ${maxPoints} points per curve (min and max of each bucket kept)` : ''),
    ...(bad ? [`${bad} non-finite losses not drawn`] : []),
    ...(hasValidation ? [`final validation accuracy ${formatNumber(100 * lastValidation(evaluations), 3)} %`] : []),
  ];

  // The x range covers every loss and every evaluation (an evaluation before the first step is drawn).
  let lo = first, hi = first + Math.max(n - 1, 1);
  for (const r of accRows) { lo = Math.min(lo, r.iteration); hi = Math.max(hi, r.iteration); }
  const x = { field: 'iteration', type: 'quantitative' as const, title: 'iteration', scale: { nice: false, domain: [lo, hi] } };
  const lossLayer = {
    data: { values: lossRows },
    layer: [
      { transform: [{ filter: `datum.series === '${RAW}'` }],
        mark: { type: 'line' as const, strokeWidth: 0.8, opacity: 0.8, clip: true },
        encoding: { x, y: { field: 'loss', type: 'quantitative' as const, title: logLoss ? 'training loss (log scale)' : 'training loss', scale: logLoss ? { type: 'log' as const } : { zero: false } }, color } },
      { transform: [{ filter: `datum.series === '${SMOOTH}'` }],
        mark: { type: 'line' as const, strokeWidth: 2.5, clip: true },
        encoding: { x, y: { field: 'loss', type: 'quantitative' as const }, color,
          tooltip: [{ field: 'iteration', type: 'quantitative' as const }, { field: 'loss', type: 'quantitative' as const, format: '.4g' }] } },
    ],
  };
  const accLayer = {
    data: { values: accRows },
    mark: { type: 'line' as const, strokeWidth: 1.8, point: { size: 28 } },
    encoding: {
      x,
      y: { field: 'accuracy', type: 'quantitative' as const, title: 'accuracy', scale: { domain: [0, 1] },
        axis: { format: '.0%', orient: 'right' as const, grid: false } },
      color,
      tooltip: [{ field: 'series', type: 'nominal' as const }, { field: 'iteration', type: 'quantitative' as const },
        { field: 'accuracy', type: 'quantitative' as const, format: '.2%' }],
    },
  };
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: input.title ?? 'Training loss', subtitle },
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: accRows.length ? [lossLayer, accLayer] : [lossLayer],
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}

function lastValidation(evaluations: readonly Evaluation[]): number {
  for (let i = evaluations.length - 1; i >= 0; i--) {
    const v = evaluations[i]!.validationAccuracy;
    if (v !== undefined && Number.isFinite(v)) return v;
  }
  return NaN;
}
