import type { Config, TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification: what `renderSvg` draws here and what vega-embed draws on a web page. */
export type Spec = TopLevelSpec;

/** Numbers as the library's producers hand them over. */
export type Numbers = ArrayLike<number>;

/** Width of the plotting area of the single-panel charts: the whole picture comes to about 700 px. */
export const PLOT_WIDTH = 560;
export const PLOT_HEIGHT = 340;

/** Shared look: sizes readable at ~700 px, white background (SVG files are opened on their own). */
export const CONFIG: Config = {
  background: 'white',
  padding: 12,
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#bbb' },
};

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A finite number, or null (Vega-Lite leaves nulls out of a line instead of drawing them at 0). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Smallest and largest finite values; undefined when there are none. */
export function finiteExtent(values: Numbers): [number, number] | undefined {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** True when the finite values are all positive and span at least `decades` powers of ten. */
export function spansDecades(values: Numbers, decades = 2): boolean {
  const e = finiteExtent(values);
  return e !== undefined && e[0] > 0 && e[1] / e[0] >= 10 ** decades;
}

export function countNonFinite(values: Numbers): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) n++;
  return n;
}

/** Compact number text for labels: 2.303, 0.0123, 1.2e-7. */
export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(Math.max(0, digits - 2)).split('e');
  return `${m!.includes('.') ? m!.replace(/\.?0+$/, '') : m}e${e!.replace('+', '')}`;
}

export function checkLength(name: string, values: { length: number }, expected: number): void {
  if (values.length !== expected) throw new RangeError(`${name}: expected ${expected} values, got ${values.length}`);
}
