/**
 * Drawing: the Vega-Lite specs of @descent/plots (the same pictures the CLI writes as SVG)
 * rendered with vega-embed, and the class templates and sample images on canvases. Loaded with
 * import() after the page's controls are up, so the first paint does not wait for Vega.
 */
import {
  confusionMatrixSpec, landscape1DSpec, landscape2DSpec, lossCurveSpec, optimizerRaceSpec, RACE_SHOWN_SIGNAL, stepSizeSweepSpec, templateImages, TEMPLATES_MAX_CLASSES,
  type Spec,
} from '@descent/plots';
import embed, { type Result } from 'vega-embed';
import type { ImageShape } from '@descent/core';
import type { Evaluation, Landscape1DResult, Landscape2DResult, RaceResult, Snapshot, SweepResult } from './protocol.js';

interface Slot { result?: Result; busy: boolean; pending?: Spec; done: Promise<void> }
const slots = new WeakMap<HTMLElement, Slot>();

/**
 * Draws spec into el (SVG). Redraws are coalesced: while one is being drawn, only the latest
 * of the specs asked for meanwhile is drawn next, so a fast run never queues up pictures.
 */
export function drawChart(el: HTMLElement, spec: Spec): Promise<void> {
  let slot = slots.get(el);
  if (!slot) {
    slot = { busy: false, done: Promise.resolve() };
    slots.set(el, slot);
  }
  slot.pending = spec;
  if (!slot.busy) slot.done = pump(el, slot);
  return slot.done;
}

async function pump(el: HTMLElement, slot: Slot): Promise<void> {
  slot.busy = true;
  try {
    while (slot.pending) {
      const spec = slot.pending;
      slot.pending = undefined;
      const host = document.createElement('div');
      const result = await embed(host, spec, { renderer: 'svg', actions: false, tooltip: true });
      slot.result?.finalize();
      el.replaceChildren(host);
      slot.result = result;
      exportBar(el);
    }
  } finally {
    slot.busy = false;
  }
}

/**
 * "Save SVG" and "Save PNG" beside a chart (after it: the chart itself is one image to assistive
 * technology), saving the chart as drawn now: Vega's own SVG, or a PNG at twice its size.
 */
function exportBar(el: HTMLElement): void {
  if (!el.id || document.getElementById(`${el.id}-export`)) return;
  const bar = document.createElement('div');
  bar.id = `${el.id}-export`;
  bar.className = 'chart-export';
  for (const format of ['svg', 'png'] as const) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset['format'] = format;
    button.textContent = `Save ${format.toUpperCase()}`;
    button.setAttribute('aria-label', `Save “${el.getAttribute('aria-label') ?? el.id}” as ${format.toUpperCase()}`);
    button.addEventListener('click', () => void saveChart(el, format));
    bar.append(button);
  }
  el.after(bar);
}

async function saveChart(el: HTMLElement, format: 'svg' | 'png'): Promise<void> {
  const view = slots.get(el)?.result?.view;
  if (!view) return;
  const url = format === 'svg' ? URL.createObjectURL(new Blob([await view.toSVG()], { type: 'image/svg+xml' })) : await view.toImageURL('png', 2);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${el.id.replace(/-chart$/, '')}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  if (format === 'svg') setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Drops a chart and shows a placeholder. */
export function clearChart(el: HTMLElement, text: string): void {
  document.getElementById(`${el.id}-export`)?.remove();
  const slot = slots.get(el);
  if (slot) { slot.pending = undefined; slot.result?.finalize(); slot.result = undefined; }
  const p = document.createElement('p');
  p.className = 'placeholder';
  p.textContent = text;
  el.replaceChildren(p);
}

export function lossChart(losses: ArrayLike<number>, evaluations: readonly Evaluation[], title?: string): Spec {
  return lossCurveSpec({ losses, evaluations, ...(title ? { title } : {}) });
}

export function confusionChart(s: Snapshot): Spec {
  return confusionMatrixSpec({ counts: s.confusion.counts, classNames: s.classNames, title: 'Confusion matrix (test split)' });
}

export function sweepChart(r: SweepResult): Spec {
  return stepSizeSweepSpec({ rows: r.rows, initialLoss: r.initialLoss, best: r.best });
}

export function landscape1DChart(r: Landscape1DResult): Spec {
  return landscape1DSpec({ alphas: r.alphas, losses: r.losses });
}

let animation = 0;

/**
 * Plays the race drawn in el: its paths grow step by step over `ms` (the chart's 'shown' signal,
 * one signal update a frame: no redraw of the spec). A new call ends the one before.
 */
export async function animateRace(el: HTMLElement, steps: number, ms = 1500): Promise<void> {
  const view = slots.get(el)?.result?.view;
  if (!view) return;
  const token = ++animation;
  const t0 = performance.now();
  for (;;) {
    // Ended by a newer animation, or by a redraw (the view finalized for another chart).
    if (token !== animation || slots.get(el)?.result?.view !== view) return;
    const t = Math.min(steps, Math.floor(((performance.now() - t0) / ms) * steps));
    await view.signal(RACE_SHOWN_SIGNAL, t).runAsync();
    if (t >= steps) return;
    await new Promise((done) => requestAnimationFrame(done));
  }
}

export function raceChart(r: RaceResult): Spec {
  return optimizerRaceSpec({ alphas: r.alphas, betas: r.betas, losses: r.losses, paths: r.paths,
    towardLabel: r.toward ? 'V₁ = W − W₀, toward the current weights' : 'a random V₁' });
}

export function landscape2DChart(r: Landscape2DResult): Spec {
  return landscape2DSpec({ alphas: r.alphas, betas: r.betas, losses: r.losses });
}

/** Paints hwc bytes (1 or 3 channels) onto a canvas of the image's size. */
function paint(canvas: HTMLCanvasElement, pixels: Uint8Array, height: number, width: number, channels: number): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const o = i * channels;
    img.data[i * 4] = pixels[o]!;
    img.data[i * 4 + 1] = pixels[channels === 3 ? o + 1 : o]!;
    img.data[i * 4 + 2] = pixels[channels === 3 ? o + 2 : o]!;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** One image of a data set (its own layout) onto a canvas. */
export function paintImage(canvas: HTMLCanvasElement, pixels: Uint8Array, shape: ImageShape): void {
  const { height: H, width: W, channels: K } = shape;
  let hwc = pixels;
  if (shape.layout === 'chw' && K > 1) {
    hwc = new Uint8Array(pixels.length);
    for (let k = 0; k < K; k++) for (let p = 0; p < H * W; p++) hwc[p * K + k] = pixels[k * H * W + p]!;
  }
  paint(canvas, hwc, H, W, K === 3 ? 3 : 1);
}

/**
 * The class templates of the snapshot's weights (templateImages from @descent/plots) as canvases:
 * the first TEMPLATES_MAX_CLASSES, as the SVG picture draws them (a thousand canvases is no picture).
 */
export function drawTemplates(list: HTMLOListElement, s: Snapshot): void {
  if (!s.image) { // a model of features: its weights are no picture
    list.replaceChildren();
    list.title = 'a model of features has no image templates';
    return;
  }
  const t = templateImages({ weights: s.weights, classNames: s.classNames, image: s.image, limit: TEMPLATES_MAX_CLASSES });
  const all = s.classNames.length, pixels = t.pixels;
  list.title = all > pixels.length ? `the first ${pixels.length} of ${all} classes` : '';
  if (list.children.length !== pixels.length) {
    list.replaceChildren(...pixels.map((_, c) => {
      const li = document.createElement('li');
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `template of class ${s.classNames[c]}`);
      const cap = document.createElement('span');
      cap.textContent = s.classNames[c] ?? `class ${c}`;
      li.append(canvas, cap);
      return li;
    }));
  }
  pixels.forEach((p, c) => paint(list.children[c]!.querySelector('canvas')!, p, t.height, t.width, t.channels));
}
