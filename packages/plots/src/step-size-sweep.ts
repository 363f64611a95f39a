import { CONFIG, PLOT_HEIGHT, PLOT_WIDTH, SCHEMA, formatNumber, spansDecades, type Spec } from './common.js';

export interface StepSizeSweepInput {
  /** Loss after one gradient step of each size. */
  readonly rows: readonly { readonly size: number; readonly loss: number }[];
  /** Loss before the step. */
  readonly initialLoss: number;
  /** The size with the lowest loss after one step. */
  readonly best: { readonly size: number; readonly loss: number };
  /** Log scale for the loss axis (default: when the finite losses span ≥ 1 decade, as they do once a step overshoots). */
  readonly logLoss?: boolean;
  readonly title?: string;
}

/**
 * Loss after one step, L(W − s·∇L), against the step size s on a log axis; the loss before
 * the step as a dashed rule; the best size marked. Sizes whose loss is not finite (the step
 * diverged) are named in the subtitle, not drawn.
 */
export function stepSizeSweepSpec(input: StepSizeSweepInput): Spec {
  const { initialLoss, best } = input;
  const good = input.rows.filter((r) => r.size > 0 && Number.isFinite(r.loss));
  const bad = input.rows.filter((r) => !(r.size > 0 && Number.isFinite(r.loss)));
  const logLoss = input.logLoss ?? spansDecades([...good.map((r) => r.loss), initialLoss], 1);
  const subtitle = [`best step size ${formatNumber(best.size, 3)}: loss ${formatNumber(initialLoss)} → ${formatNumber(best.loss)}`,
    ...(bad.length ? [`not drawn (loss not finite): ${bad.map((r) => formatNumber(r.size, 3)).join(', ')}`] : [])];
  const x = { field: 'size', type: 'quantitative' as const, title: 'step size (log scale)',
    scale: { type: 'log' as const, nice: false, padding: 12 }, axis: { format: '.0e', grid: true } };
  const y = { field: 'loss', type: 'quantitative' as const, title: 'loss after one step',
    scale: logLoss ? { type: 'log' as const } : { zero: false } };
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: input.title ?? 'Step-size sweep: loss after one gradient step', subtitle },
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      { data: { values: [{ loss: initialLoss, label: `initial loss ${formatNumber(initialLoss)}` }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [6, 4], color: '#666' }, encoding: { y } },
          { mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: '#444', x: 0 },
            encoding: { y, text: { field: 'label' } } },
        ] },
      { data: { values: good.map((r) => ({ size: r.size, loss: r.loss })) },
        mark: { type: 'line', point: { size: 40 }, color: '#08519c' },
        encoding: { x, y, tooltip: [{ field: 'size', type: 'quantitative', format: '.1e' }, { field: 'loss', type: 'quantitative', format: '.5g' }] } },
      { data: { values: Number.isFinite(best.loss) ? [{ size: best.size, loss: best.loss, label: `best ${formatNumber(best.size, 3)}` }] : [] },
        layer: [
          { mark: { type: 'point', shape: 'diamond', size: 220, filled: true, color: '#d62728' }, encoding: { x, y } },
          { mark: { type: 'text', dy: -16, fontWeight: 'bold', color: '#d62728' }, encoding: { x, y, text: { field: 'label' } } },
        ] },
    ],
  } as Spec;
}
