import { CONFIG, SCHEMA, checkLength, type Spec } from './common.js';

export interface ConfusionMatrixInput {
  /** counts[actual·C + predicted], C = classNames.length. */
  readonly counts: ArrayLike<number>;
  readonly classNames: readonly string[];
  readonly title?: string;
}

/**
 * Rows: the actual class; columns: the predicted class; each cell shows its count. The colour
 * is the cell's share of its row (the fraction of that class predicted as the column), so the
 * diagonal reads as per-class recall even when classes differ in size.
 */
export function confusionMatrixSpec(input: ConfusionMatrixInput): Spec {
  const names = uniqueNames(input.classNames);
  const C = names.length;
  checkLength('confusion matrix counts', input.counts, C * C);
  if (C > CONFUSION_GRID_MAX_CLASSES) return confusedPairsSpec(input, names);
  const rows: { actual: string; predicted: string; ai: number; pi: number; count: number; share: number; correct: boolean }[] = [];
  let total = 0, correct = 0;
  for (let a = 0; a < C; a++) {
    let rowTotal = 0;
    for (let p = 0; p < C; p++) rowTotal += input.counts[a * C + p]!;
    for (let p = 0; p < C; p++) {
      const count = input.counts[a * C + p]!;
      rows.push({ actual: names[a]!, predicted: names[p]!, ai: a, pi: p, count, share: rowTotal > 0 ? count / rowTotal : 0, correct: a === p });
    }
    total += rowTotal;
    correct += input.counts[a * C + a]!;
  }
  const cell = Math.max(24, Math.min(52, Math.floor(520 / C)));
  const side = cell * C;
  const fontSize = Math.max(8, Math.min(13, Math.floor(cell / 3.4)));
  // Classes in their own order, sorted by an index field: an explicit sort array compiles into
  // one nested expression per class, which overflows Vega's stack at about a thousand classes.
  const x = { field: 'predicted', type: 'nominal' as const, sort: { field: 'pi', op: 'min' as const }, title: 'predicted class',
    axis: { labelAngle: -40, labelAlign: 'right' as const, domain: false, ticks: false } };
  const y = { field: 'actual', type: 'nominal' as const, sort: { field: 'ai', op: 'min' as const }, title: 'actual class', axis: { domain: false, ticks: false } };
  return {
    $schema: SCHEMA,
    config: { ...CONFIG, scale: { bandPaddingInner: 0, bandPaddingOuter: 0 } },
    title: { text: input.title ?? 'Confusion matrix',
      subtitle: `${total} examples, accuracy ${total ? ((100 * correct) / total).toFixed(1) : '0.0'} %; colour: share of the actual class (square-root scale)` },
    width: side,
    height: side,
    data: { values: rows },
    encoding: { x, y },
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { type: 'sqrt', domain: [0, 1], range: ['#f7fbff', '#08306b'], interpolate: 'hcl' },
            legend: { format: '.0%', gradientLength: Math.min(side, 300) } },
          tooltip: [{ field: 'actual', type: 'nominal' }, { field: 'predicted', type: 'nominal' }, { field: 'count', type: 'quantitative' },
            { field: 'share', type: 'quantitative', format: '.1%' }],
        } },
      { mark: { type: 'text', fontSize, baseline: 'middle' },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.3', value: 'white' }, value: '#222' },
          opacity: { condition: { test: 'datum.count === 0', value: 0.35 }, value: 1 },
        } },
    ],
  } as Spec;
}

/**
 * Above this many classes a C×C grid is unreadable, and its picture too large to build (at
 * 1000 classes a million cells exceed the longest string JavaScript can hold): the chart shows
 * the most confused pairs instead.
 */
export const CONFUSION_GRID_MAX_CLASSES = 60;

/** How many off-diagonal pairs the many-class chart shows. */
const TOP_PAIRS = 30;

/** The `TOP_PAIRS` largest off-diagonal counts as bars, for confusion matrices of many classes. */
function confusedPairsSpec(input: ConfusionMatrixInput, names: readonly string[]): Spec {
  const C = names.length;
  let total = 0, correct = 0;
  const rowTotals = new Float64Array(C);
  // Keep the largest off-diagonal counts in one pass (a short sorted list: O(C²·TOP_PAIRS) at worst).
  const top: { a: number; p: number; count: number }[] = [];
  for (let a = 0; a < C; a++) {
    for (let p = 0; p < C; p++) {
      const count = input.counts[a * C + p]!;
      rowTotals[a] = rowTotals[a]! + count;
      if (a === p) { correct += count; continue; }
      if (count <= 0 || (top.length === TOP_PAIRS && count <= top[top.length - 1]!.count)) continue;
      let i = top.length;
      while (i > 0 && top[i - 1]!.count < count) i--;
      top.splice(i, 0, { a, p, count });
      if (top.length > TOP_PAIRS) top.pop();
    }
    total += rowTotals[a]!;
  }
  const rows = top.map((t, rank) => ({ pair: `${names[t.a]} → ${names[t.p]}`, rank, actual: names[t.a]!, predicted: names[t.p]!,
    count: t.count, share: rowTotals[t.a]! > 0 ? t.count / rowTotals[t.a]! : 0 }));
  return {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: input.title ?? `Most confused pairs (${C} classes: too many for a grid)`,
      subtitle: `${total} examples, accuracy ${total ? ((100 * correct) / total).toFixed(1) : '0.0'} %; the ${rows.length} largest counts of an actual class predicted as another` },
    width: 420,
    height: Math.max(60, 16 * rows.length),
    data: { values: rows },
    mark: { type: 'bar', color: '#3b6ea8' },
    encoding: {
      y: { field: 'pair', type: 'nominal', sort: { field: 'rank', op: 'min' }, title: 'actual → predicted' },
      x: { field: 'count', type: 'quantitative', title: 'examples' },
      tooltip: [{ field: 'actual', type: 'nominal' }, { field: 'predicted', type: 'nominal' }, { field: 'count', type: 'quantitative' },
        { field: 'share', type: 'quantitative', format: '.1%', title: 'share of the actual class' }],
    },
  } as Spec;
}

/** Class names made unique (a repeated name gets its index), so that no two rows or columns merge. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  return names.map((n, i) => ((seen.get(n) ?? 0) > 1 || n === '' ? `${n || 'class'} (${i})` : n));
}
