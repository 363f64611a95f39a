import { describe, expect, it } from 'vitest';
import { compileSpec, renderSvg } from './render.js';
import { lossCurveSpec } from './loss-curve.js';
import { stepSizeSweepSpec } from './step-size-sweep.js';
import { landscape1DSpec, landscape2DSpec } from './landscape.js';
import { confusionMatrixSpec } from './confusion-matrix.js';
import { classTemplatesSpec } from './class-templates.js';
import { optimizerRaceSpec } from './optimizer-race.js';
import type { Spec } from './common.js';
import { markCounts, markPaths, texts } from './test-helpers.js';

async function draw(spec: Spec): Promise<{ svg: string; text: string[] }> {
  expect(compileSpec(spec).warnings).toEqual([]);
  // The spec is plain JSON (what a web page hands to vega-embed).
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  const svg = await renderSvg(spec);
  expect(svg).toMatch(/^<svg [^>]*width="\d+" height="\d+"/);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  return { svg, text: texts(svg) };
}

/** Number of points in the path of the `k`-th line mark (M + L commands). */
function linePoints(svg: string, k: number): number {
  const open = [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>/g)][k]!;
  const body = svg.slice(open.index! + open[0].length, svg.indexOf('</g>', open.index!));
  return [...body.matchAll(/<path\b[^>]*\bd="([^"]*)"/g)].reduce((s, m) => s + (m[1]!.match(/[ML]/g) ?? []).length, 0);
}

describe('lossCurveSpec', () => {
  it('draws raw and smoothed loss and both accuracies, downsampled for a long run', async () => {
    const n = 50_000;
    const losses = Float64Array.from({ length: n }, (_, i) => 0.4 + 2 * Math.exp(-i / 5000) + 0.3 * (((i * 2654435761) >>> 0) / 2 ** 32));
    const evaluations = Array.from({ length: 11 }, (_, k) => ({ iteration: 1 + k * 5000, trainAccuracy: 0.1 + 0.07 * k, validationAccuracy: 0.1 + 0.06 * k }));
    const { svg, text } = await draw(lossCurveSpec({ losses, evaluations, title: 'Softmax on Fashion-MNIST' }));
    expect(text).toContain('Softmax on Fashion-MNIST');
    for (const t of ['iteration', 'training loss', 'accuracy', 'loss (each iteration)', 'loss (smoothed)', 'train accuracy', 'validation accuracy']) {
      expect(text).toContain(t);
    }
    expect(text.some((t) => t.includes('50000 iterations') && t.includes('≤ 2000 points'))).toBe(true);
    // Four lines: raw, smoothed, train and validation accuracy.
    expect(markCounts(svg, 'line')).toEqual([1, 1, 1, 1]);
    const raw = linePoints(svg, 0), smoothed = linePoints(svg, 1);
    expect(raw).toBeLessThanOrEqual(2000);
    expect(raw).toBeGreaterThan(1900);
    expect(smoothed).toBe(2000);
    expect(linePoints(svg, 2)).toBe(11);
    expect(linePoints(svg, 3)).toBe(11);
    expect(markCounts(svg, 'symbol')).toContain(22);
  });

  it('draws a short run whole, without accuracy, and skips non-finite losses', async () => {
    const losses = [2.3, 2.1, NaN, 1.9, 1.7, Infinity, 1.6];
    const spec = lossCurveSpec({ losses, smoothing: { ema: 0.5 } });
    const { svg, text } = await draw(spec);
    expect(text).toContain('Training loss');
    expect(text.some((t) => t.includes('2 non-finite losses not drawn'))).toBe(true);
    expect(text).not.toContain('train accuracy');
    expect(markCounts(svg, 'line')).toEqual([1, 1]);
    expect(linePoints(svg, 0)).toBe(5);
  });

  it('says "1 iteration" for a one-step run', async () => {
    const { text } = await draw(lossCurveSpec({ losses: [2.3] }));
    expect(text.some((t) => t.startsWith('1 iteration;'))).toBe(true);
    expect(text.some((t) => t.includes('1 iterations'))).toBe(false);
  });
});

describe('stepSizeSweepSpec', () => {
  it('draws one point per finite size, the initial loss as a rule and the best marked', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ size: 10 ** (i - 10), loss: i < 5 ? 2.3 - 0.05 * i : 2.3 * 10 ** (i - 4) }));
    rows[9] = { size: 0.1, loss: Infinity };
    const { svg, text } = await draw(stepSizeSweepSpec({ rows, initialLoss: 2.3026, best: rows[4]! }));
    expect(text).toContain('Step-size sweep: loss after one gradient step');
    expect(text).toContain('step size (log scale)');
    expect(text).toContain('loss after one step');
    expect(text).toContain('initial loss 2.303');
    expect(text).toContain('best 1e-6');
    expect(text.some((t) => t.includes('not drawn (loss not finite): 0.1'))).toBe(true);
    expect(text).toContain('1e-10');
    expect(linePoints(svg, 0)).toBe(9);
    expect(markCounts(svg, 'rule').reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('landscapes', () => {
  const grid = (n: number) => Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));

  it('1-D: a line through every point, W marked at a = 0', async () => {
    const alphas = grid(21);
    const { svg, text } = await draw(landscape1DSpec({ alphas, losses: alphas.map((a) => 1 + a * a) }));
    expect(text).toContain('Loss landscape along one direction');
    expect(text).toContain('W');
    expect(text.some((t) => t.includes('at W (a = 0) the loss is 1'))).toBe(true);
    expect(linePoints(svg, 0)).toBe(21);
  });

  it('2-D: one rect per grid cell, whole-pixel cells, W and the minimum marked', async () => {
    const alphas = grid(51), betas = grid(51);
    const losses = new Float64Array(51 * 51);
    for (let i = 0; i < 51; i++) for (let j = 0; j < 51; j++) losses[i * 51 + j] = 1 + (alphas[i]! - 0.2) ** 2 + 2 * betas[j]! ** 2;
    const { svg, text } = await draw(landscape2DSpec({ alphas, betas, losses }));
    expect(text).toContain('Loss landscape over a plane through W');
    expect(text).toContain('a (along W₁)');
    expect(text).toContain('b (along W₂)');
    expect(text).toContain('W');
    expect(text).toContain('min');
    expect(markCounts(svg, 'rect')).toEqual([51 * 51]);
    // Whole-pixel 9×9 cells on whole-pixel positions (no seams between cells).
    const cells = markPaths(svg, 'rect');
    expect(cells.every((d) => /^M\d+,\d+h9v9h-9Z$/.test(d))).toBe(true);
    // 12 colour bands, listed in the legend.
    expect(text.filter((t) => / – /.test(t)).length).toBe(12);
  });

  it('2-D: a log colour scale when the loss spans decades; a continuous scale on request', async () => {
    const alphas = grid(11), betas = grid(7);
    const losses = Float64Array.from({ length: 77 }, (_, k) => 10 ** (k / 20));
    const banded = await draw(landscape2DSpec({ alphas, betas, losses }));
    expect(banded.text.some((t) => t.includes('log colour scale'))).toBe(true);
    expect(markCounts(banded.svg, 'rect')).toEqual([77]);
    const smooth = await draw(landscape2DSpec({ alphas, betas, losses, bands: 0 }));
    expect(markCounts(smooth.svg, 'rect')).toEqual([77]);
  });
});

describe('optimizerRaceSpec', () => {
  it('draws the plane as cells, each rule\'s path and its loss per step, W₀ and the ends marked', async () => {
    const alphas = Float64Array.of(-1, 0, 1), betas = Float64Array.of(-1, 0, 1, 2);
    const losses = Float64Array.from({ length: 12 }, (_, k) => 1 + k / 20);
    const paths = ['sgd', 'adam'].map((optimizer, k) => ({ optimizer, a: Float64Array.of(0, 0.2, 0.3 + k), b: Float64Array.of(0, -0.1, -0.2),
      losses: Float64Array.of(2, 1.5, 1.2 - k / 10) }));
    const { svg, text } = await draw(optimizerRaceSpec({ alphas, betas, losses, paths, towardLabel: 'V₁ toward W' }));
    expect(markCounts(svg, 'rect')).toEqual([12]);
    expect(markCounts(svg, 'line')).toEqual([1, 1, 1, 1]); // each rule's path, then each rule's losses per step
    expect(markCounts(svg, 'symbol')).toEqual([1, 6, 2]); // W₀, the paths' points, the ends
    expect(text).toContain('a (along V₁ toward W)');
    expect(text.join(' ')).toMatch(/from loss 2 at W₀; after 2 steps: sgd 1\.2, adam 1\.1/);
    // 1 … 1.55: within a factor of two, a linear colour scale.
    expect(text).toContain('loss');
    expect(text).not.toContain('loss (log scale)');
  });

  it('colours the plane by log loss when its losses span more than a factor of two, so the basin is not one flat colour', async () => {
    const alphas = Float64Array.of(-1, 0, 1), betas = Float64Array.of(-1, 0, 1);
    const losses = Float64Array.from({ length: 9 }, (_, k) => 0.5 * 3 ** k); // 0.5 … 3280
    const paths = [{ optimizer: 'sgd', a: Float64Array.of(0, 0.1), b: Float64Array.of(0, 0.1), losses: Float64Array.of(2, 1) }];
    const spec = optimizerRaceSpec({ alphas, betas, losses, paths });
    expect(JSON.stringify(spec)).toMatch(/"color":\{"field":"loss","type":"quantitative","title":"loss \(log scale\)","scale":\{"type":"log"/);
    const { text } = await draw(spec);
    expect(text).toContain('loss (log scale)');
  });
});

describe('confusionMatrixSpec', () => {
  it('draws C×C cells with their counts', async () => {
    const classNames = ['cat', 'dog', 'frog'];
    const counts = Int32Array.from([50, 3, 0, 7, 40, 1, 0, 2, 60]);
    const { svg, text } = await draw(confusionMatrixSpec({ counts, classNames }));
    expect(text).toContain('Confusion matrix');
    expect(text).toContain('predicted class');
    expect(text).toContain('actual class');
    for (const name of classNames) expect(text.filter((t) => t === name).length).toBe(2);
    expect(markCounts(svg, 'rect')).toEqual([9]);
    expect(markCounts(svg, 'text')).toEqual([9]);
    const cells = [...svg.matchAll(/<g class="mark-text role-mark[^"]*"[^>]*>(.*?)<\/g>/g)][0]![1]!;
    expect(texts(cells).sort()).toEqual(['0', '0', '1', '2', '3', '40', '50', '60', '7']);
    expect(text.some((t) => t.includes('163 examples, accuracy 92.0 %'))).toBe(true);
  });

  it('with a thousand classes draws the most confused pairs, not a million cells (which overflowed Vega)', async () => {
    const C = 1000;
    const classNames = Array.from({ length: C }, (_, i) => `class ${i}`);
    const counts = new Int32Array(C * C);
    for (let i = 0; i < C; i++) {
      counts[i * C + i] = 5;
      counts[i * C + ((i * 7 + 3) % C)] = 1 + (i % 4);
    }
    counts[12 * C + 13] = 40;
    const t0 = performance.now();
    const { svg, text } = await draw(confusionMatrixSpec({ counts, classNames }));
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(text.some((t) => t.includes('Most confused pairs (1000 classes: too many for a grid)'))).toBe(true);
    expect(markCounts(svg, 'rect')).toEqual([30]);
    expect(text).toContain('class 12 → class 13');
    expect(text.some((t) => t.includes('7540 examples, accuracy 66.3 %'))).toBe(true);
  });
});

describe('classTemplatesSpec at a thousand classes', () => {
  it('renders the first 100 panels in class order (no explicit sort array: its expression overflowed Vega)', async () => {
    const C = 1000;
    const classNames = Array.from({ length: C }, (_, i) => `c${i}`);
    const weights = Float64Array.from({ length: (2 * 2 + 1) * C }, (_, i) => Math.sin(i));
    const spec = classTemplatesSpec({ weights, classes: C, classNames, image: { height: 2, width: 2, channels: 1, layout: 'hwc' } });
    expect(JSON.stringify(spec).length).toBeLessThan(2_000_000);
    const { svg, text } = await draw(spec);
    expect(markCounts(svg, 'rect').reduce((a, b) => a + b, 0)).toBe(4 * 100);
    const headers = text.filter((t) => /^c\d+$/.test(t));
    expect(headers).toHaveLength(100);
    expect(headers.slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
    expect(headers.at(-1)).toBe('c99');
  }, 60_000);
});
