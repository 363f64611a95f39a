/**
 * The live loss chart: one Vega view per run that points are appended to as the run streams
 * (a changeset insert, not a new picture), so a long run costs the page a few milliseconds a
 * frame. Losses are decimated as they arrive: over a run planned for P iterations each bucket
 * of ⌈P/1000⌉ iterations keeps its smallest and largest loss (the envelope stays exact), and
 * the bold curve is an exponential moving average over about P/50 iterations, the span the CLI's
 * picture smooths over.
 */
import { CONFIG, type Spec } from '@descent/plots';
import { changeset, type View } from 'vega';
import type { Evaluation } from './protocol.js';

const RAW = 'loss (each iteration)';
const SMOOTH = 'loss (smoothed)';
const TRAIN = 'train accuracy';
const VALID = 'validation accuracy';

export interface LossRow { readonly iteration: number; readonly loss: number | null; readonly series: string }
export interface AccuracyRow { readonly iteration: number; readonly accuracy: number; readonly series: string }

/** Turns losses as they arrive into the rows the chart draws. */
export class LossDecimator {
  readonly stride: number;
  private readonly alpha: number;
  private n = 0;
  private ema = NaN;
  private lo = { i: 0, v: Infinity };
  private hi = { i: 0, v: -Infinity };
  private bad = 0;

  constructor(planned: number) {
    this.stride = Math.max(1, Math.ceil(planned / 1000));
    const window = Math.max(1, Math.round(planned / 50));
    this.alpha = 2 / (window + 1);
  }

  /** Iterations seen, and how many of their losses were not finite (not drawn). */
  get count(): number { return this.n; }
  get nonFinite(): number { return this.bad; }

  /** The rows for these losses (iterations count from 1). */
  push(losses: readonly number[]): LossRow[] {
    const rows: LossRow[] = [];
    for (const v of losses) {
      const i = ++this.n;
      if (Number.isFinite(v)) {
        this.ema = Number.isNaN(this.ema) ? v : this.ema + this.alpha * (v - this.ema);
        if (v < this.lo.v) this.lo = { i, v };
        if (v > this.hi.v) this.hi = { i, v };
      } else {
        this.bad++;
      }
      if (this.stride === 1) {
        rows.push({ iteration: i, loss: Number.isFinite(v) ? v : null, series: RAW });
      } else if (i % this.stride === 0) {
        this.flushBucket(rows);
      }
      if (i % this.stride === 0 || this.stride === 1) {
        rows.push({ iteration: i, loss: Number.isFinite(this.ema) ? this.ema : null, series: SMOOTH });
      }
    }
    return rows;
  }

  /** The rows of a last, partial bucket (call once the run has ended). */
  finish(): LossRow[] {
    const rows: LossRow[] = [];
    if (this.stride > 1 && this.n % this.stride !== 0) {
      this.flushBucket(rows);
      rows.push({ iteration: this.n, loss: Number.isFinite(this.ema) ? this.ema : null, series: SMOOTH });
    }
    return rows;
  }

  private flushBucket(rows: LossRow[]): void {
    const { lo, hi } = this;
    if (Number.isFinite(lo.v)) { // else every loss of the bucket was non-finite
      const pts = lo.i === hi.i ? [lo] : lo.i < hi.i ? [lo, hi] : [hi, lo];
      for (const p of pts) rows.push({ iteration: p.i, loss: p.v, series: RAW });
    }
    this.lo = { i: 0, v: Infinity };
    this.hi = { i: 0, v: -Infinity };
  }

  get smoothing(): string {
    return `EMA over ~${Math.round(2 / this.alpha - 1)} iterations`;
  }
}

export function accuracyRows(evaluations: readonly Evaluation[]): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  for (const e of evaluations) {
    if (Number.isFinite(e.trainAccuracy)) rows.push({ iteration: e.iteration, accuracy: e.trainAccuracy, series: TRAIN });
    if (e.validationAccuracy !== undefined && Number.isFinite(e.validationAccuracy)) rows.push({ iteration: e.iteration, accuracy: e.validationAccuracy, series: VALID });
  }
  return rows;
}

export const SUBTITLE_SIGNAL = 'live_subtitle';

/**
 * The loss chart, width × height px in all, with no points. Its title and the x axis's span are
 * placeholders: views.ts binds them to signals that each run sets (the x axis spans the whole run
 * from the start, so it fills in as a progress bar does).
 */
export function liveLossSpec(width: number, height: number): Spec {
  const domain = [RAW, SMOOTH, TRAIN, VALID];
  // Four entries in a row need about 560 px; in a narrower box, two rows of two.
  const color = { field: 'series', type: 'nominal' as const, title: null,
    scale: { domain, range: ['#9ecae1', '#08519c', '#fd8d3c', '#d62728'] },
    legend: { orient: 'bottom' as const, direction: 'horizontal' as const, columns: width < 580 ? 2 : 4, symbolType: 'stroke', symbolStrokeWidth: 3, labelLimit: 200, columnPadding: 14 } };
  // Iterations are whole: no 1.5 on the axis (the empty chart's placeholder span is 1–2).
  const x = { field: 'iteration', type: 'quantitative' as const, title: 'iteration', scale: { nice: false, domain: [1, 2] }, axis: { tickMinStep: 1 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    title: { text: 'Training loss', subtitle: ' ' },
    // The whole picture (axes, title and legend included) fills width × height, laid out again as
    // points arrive and the axes' labels widen (Vega lays out once unless told to resize).
    width,
    height,
    autosize: { type: 'fit', contains: 'padding', resize: true },
    datasets: { loss: [], accuracy: [] },
    layer: [
      { data: { name: 'loss' },
        layer: [
          { transform: [{ filter: `datum.series === '${RAW}'` }],
            mark: { type: 'line', strokeWidth: 0.8, opacity: 0.8, clip: true },
            encoding: { x, y: { field: 'loss', type: 'quantitative', title: 'training loss', scale: { zero: false } }, color } },
          { transform: [{ filter: `datum.series === '${SMOOTH}'` }],
            mark: { type: 'line', strokeWidth: 2.5, clip: true },
            encoding: { x, y: { field: 'loss', type: 'quantitative' }, color,
              tooltip: [{ field: 'iteration', type: 'quantitative' }, { field: 'loss', type: 'quantitative', format: '.4g' }] } },
        ] },
      { data: { name: 'accuracy' },
        mark: { type: 'line', strokeWidth: 1.8, point: { size: 28 }, clip: true },
        encoding: { x,
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%', orient: 'right', grid: false } },
          color,
          tooltip: [{ field: 'series', type: 'nominal' }, { field: 'iteration', type: 'quantitative' }, { field: 'accuracy', type: 'quantitative', format: '.2%' }] } },
    ],
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}

/** Appends rows to the live chart's view and updates its subtitle, in one dataflow run. */
export async function appendToView(view: View, loss: readonly LossRow[], accuracy: readonly AccuracyRow[], subtitle: string | string[]): Promise<void> {
  if (loss.length > 0) view.change('loss', changeset().insert(loss as object[]));
  if (accuracy.length > 0) view.change('accuracy', changeset().insert(accuracy as object[]));
  view.signal(SUBTITLE_SIGNAL, subtitle);
  await view.runAsync();
}
