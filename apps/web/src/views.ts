/**
 * Drawing: the Vega-Lite specs of @descent/plots (the same pictures the CLI writes as SVG)
 * rendered with vega-embed, and the class templates and sample images on canvases. Loaded with
 * import() after the page's controls are up, so the first paint does not wait for Vega.
 */
import {
  classTemplatesSpec, CONFUSION_GRID_MAX_CLASSES, confusionMatrixSpec, landscape1DSpec, landscape2DSpec, optimizerRaceSpec, RACE_SHOWN_SIGNAL, stepSizeSweepSpec, templateImages, TEMPLATES_MAX_CLASSES,
  type Spec,
} from '@descent/plots';
import embed, { type Result } from 'vega-embed';
import { compile } from 'vega-lite';
import { changeset, parse, View, type Spec as VgSpec } from 'vega';
import { accuracyRows, appendToView, liveLossSpec, LossDecimator, SUBTITLE_SIGNAL } from './live-loss.js';
import { count } from './protocol.js';
import type { ImageShape } from '@descent/core';
import type { Evaluation, Landscape1DResult, Landscape2DResult, RaceResult, Snapshot, SweepResult } from './protocol.js';

interface Pending { readonly spec: Spec; readonly key?: string | undefined }
interface Slot {
  result?: Result; key?: string | undefined; busy: boolean; pending?: Pending; done: Promise<void>;
  /** Drawn fitted to its box (autosize fit); the Vega-Lite spec it was drawn from (none: the live loss chart). */
  fitted?: boolean; spec?: Spec | undefined; observer?: ResizeObserver;
}
const slots = new WeakMap<HTMLElement, Slot>();

/**
 * Draws spec into el (SVG). Redraws are coalesced: while one is being drawn, only the latest
 * of the specs asked for meanwhile is drawn next, so a fast run never queues up pictures.
 *
 * With a `key` (a chart whose layout stays while its numbers change: the confusion matrix of a
 * run's snapshots), a spec with the key of the picture shown only replaces its data and
 * subtitle in the Vega view already there: no new picture is compiled or laid out.
 */
export function drawChart(el: HTMLElement, spec: Spec, key?: string): Promise<void> {
  let slot = slots.get(el);
  if (!slot) {
    slot = { busy: false, done: Promise.resolve() };
    slots.set(el, slot);
  }
  slot.pending = { spec, key };
  if (!slot.busy) slot.done = pump(el, slot);
  return slot.done;
}

async function pump(el: HTMLElement, slot: Slot): Promise<void> {
  slot.busy = true;
  try {
    while (slot.pending) {
      const { spec, key } = slot.pending;
      slot.pending = undefined;
      slot.spec = spec;
      const view = slot.result?.view;
      if (key !== undefined && key === slot.key && view) {
        // The picture shown was fitted (asLive): its subtitle is wrapped the same way.
        const live = liveParts(spec);
        replaceRows(view, live.values);
        view.signal(SUBTITLE_SIGNAL, slot.fitted ? wrapLines(live.subtitle, subtitleWidth(boxOf(el))) : live.subtitle);
        await view.runAsync();
        continue;
      }
      if (key !== undefined) {
        const live = asLive(spec, boxOf(el));
        await new Promise((resolve) => requestAnimationFrame(resolve)); // compiled in this frame, drawn in the next
        await embedInto(el, slot, live, key);
      } else {
        await embedInto(el, slot, forScreen(spec, boxOf(el)), key);
      }
    }
  } finally {
    slot.busy = false;
  }
  refit(el, slot); // a resize while it drew was skipped
}

async function embedInto(el: HTMLElement, slot: Slot, spec: Spec | VgSpec, key?: string): Promise<Result> {
  const host = document.createElement('div');
  const result = await embed(host, spec as Spec, { renderer: 'svg', actions: false, tooltip: true });
  slot.result?.finalize();
  el.replaceChildren(host);
  slot.result = result;
  slot.key = key;
  slot.fitted = (spec as { autosize?: { type?: string } }).autosize?.type === 'fit';
  exportBar(el);
  followBox(el, slot);
  return result;
}

/**
 * A picture fitted to its box follows the box when it changes size (a window resized, a phone
 * turned): Vega lays the same view out again at the new width (and height, where the layout sets
 * one), as vega-embed does for width 'container'; no new picture is made.
 */
function followBox(el: HTMLElement, slot: Slot): void {
  if (slot.observer) return;
  slot.observer = new ResizeObserver(() => refit(el, slot));
  slot.observer.observe(el);
}

/** Lays a fitted picture out again for its box as it is now (the box's height, or the picture's own where the box sets none). */
function refit(el: HTMLElement, slot: Slot): void {
  const view = slot.result?.view;
  const box = boxOf(el);
  if (!view || !slot.fitted || slot.busy || !(box.width > 0)) return;
  const width = Math.floor(box.width);
  // Where the box sets no height (a phone, a narrow window), the height the picture takes at this width.
  const own = slot.spec ? (forScreen(slot.spec, { width: box.width }) as { height?: unknown }).height : LIVE_HEIGHT;
  const height = box.height !== undefined ? Math.floor(box.height) : typeof own === 'number' ? own : undefined;
  if (width === view.width() && (height === undefined || height === view.height())) return;
  view.width(width);
  if (height !== undefined) view.height(height);
  void view.runAsync();
}

/** The smallest text a chart on the page draws, in CSS pixels (the CLI's pictures go down to 8). */
const MIN_FONT = 11;

/** The wide screen's layout (styles.css: the same query), where the live views' boxes have a height of their own. */
const DASHBOARD = '(min-width: 1101px) and (min-height: 720px)';

/** The box a chart is drawn into: its width, and its height where the layout sets one (else undefined: the picture's own). */
function boxOf(el: HTMLElement): { width: number; height?: number } {
  const fixed = el.closest('.views') !== null && matchMedia(DASHBOARD).matches && el.clientHeight > 120;
  return fixed ? { width: el.clientWidth, height: el.clientHeight } : { width: el.clientWidth };
}

/**
 * A picture drawn at its real size on this screen: no text under MIN_FONT px, and a single view
 * fitted to its box where the box is narrower than the picture (on a phone) or sets its height
 * (the wide screen's views), instead of a scaled-down picture. Pictures of several views (the
 * race) keep their size and the box scrolls.
 */
function forScreen(spec: Spec, box: { width: number; height?: number | undefined }): Spec {
  const out = raiseFonts(structuredClone(spec)) as Spec & { width?: unknown; height?: unknown; autosize?: unknown };
  const single = !('hconcat' in out) && !('vconcat' in out) && !('concat' in out) && !('facet' in out) && !('repeat' in out);
  if (!single || typeof out.width !== 'number' || !(box.width > 0)) return out;
  const narrow = box.width < out.width + 160;
  if (!narrow && box.height === undefined) return out;
  const square = out.width === out.height;
  out.width = Math.floor(box.width);
  if (box.height !== undefined) out.height = Math.floor(box.height);
  else if (square) out.height = Math.floor(box.width) + 40;
  out.autosize = { type: 'fit', contains: 'padding', resize: true };
  const title = (out as { title?: { subtitle?: string | string[] } }).title;
  if (title && typeof title === 'object' && title.subtitle !== undefined) title.subtitle = wrapLines(title.subtitle, subtitleWidth(box));
  if (box.height === undefined) legendsBelow(out, box.width);
  dropCrampedText(out, out.width, out.height as number);
  return out;
}

/** How wide a fitted picture's subtitle may run (on the wide screen the Save buttons sit at the box's top right, beside it). */
function subtitleWidth(box: { width: number; height?: number | undefined }): number {
  return box.width - (box.height === undefined ? 30 : 190);
}

/** Legends under the plot, where a narrow box has room for them. */
function legendsBelow(node: unknown, boxWidth: number): void {
  if (Array.isArray(node)) { for (const n of node) legendsBelow(n, boxWidth); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'legend' && v && typeof v === 'object') {
      (node as Record<string, unknown>)[k] = { ...v, orient: 'bottom', direction: 'horizontal', gradientLength: Math.min(240, boxWidth - 100) };
    } else legendsBelow(v, boxWidth);
  }
}

/**
 * A grid's per-cell numbers (the confusion matrix's counts) left out when the fitted cells are
 * narrower than three digits of MIN_FONT text, or lower than a line of it; the tooltip still
 * gives each count. (The axes, the legend and the title take about 150 px across and 130 down.)
 */
function dropCrampedText(spec: Spec, width: number, height: number): void {
  const s = spec as { layer?: { mark?: unknown }[]; data?: { values?: unknown[] }; datasets?: Record<string, unknown[]> };
  const rows = s.data?.values?.length ?? Object.values(s.datasets ?? {})[0]?.length ?? 0;
  if (!s.layer || rows === 0) return;
  const side = Math.sqrt(rows);
  if ((width - 150) / side >= 3 * MIN_FONT * 0.62 + 6 && (height - 130) / side >= MIN_FONT + 2) return;
  s.layer = s.layer.filter((l) => !(l.mark === 'text' || (typeof l.mark === 'object' && (l.mark as { type?: string }).type === 'text')));
}

/** Text broken into lines at spaces so that none is wider than `width` px (at about 6.3 px a character, the subtitles' 12 px). */
function wrapLines(text: string | string[], width: number): string[] {
  const max = Math.max(20, Math.floor(width / 6.3));
  const lines: string[] = [];
  for (const t of Array.isArray(text) ? text : [text]) {
    let line = '';
    for (const word of t.split(' ')) {
      if (line && line.length + 1 + word.length > max) { lines.push(line); line = word; }
      else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Every font size in a spec raised to MIN_FONT (marks' own sizes as well as the config's). */
function raiseFonts(node: unknown): unknown {
  if (Array.isArray(node)) { node.forEach(raiseFonts); return node; }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (/fontsize$/i.test(k) && typeof v === 'number' && v < MIN_FONT) o[k] = MIN_FONT;
      else if (typeof v === 'object') raiseFonts(v);
    }
    const mark = o['mark'];
    if (mark === 'text') o['mark'] = { type: 'text', fontSize: MIN_FONT };
    else if (mark && typeof mark === 'object' && (mark as { type?: string }).type === 'text' && (mark as { fontSize?: number }).fontSize === undefined) (mark as { fontSize?: number }).fontSize = MIN_FONT;
  }
  return node;
}

const LIVE_DATA = 'live';

/**
 * A live picture's rows replaced by new ones: row by row as modifications when there are as many
 * (the same cells with new numbers: Vega then updates the marks it has instead of making new
 * ones, which is most of a redraw's cost), else all at once.
 */
function replaceRows(view: View, values: readonly unknown[]): void {
  const current = view.data(LIVE_DATA) as Record<string, unknown>[];
  if (current.length !== values.length) { view.data(LIVE_DATA, values as object[]); return; }
  const cs = changeset();
  let changed = false;
  values.forEach((v, i) => {
    const row = v as Record<string, unknown>, tuple = current[i]!;
    for (const [k, x] of Object.entries(row)) if (tuple[k] !== x) { cs.modify(tuple, k, x); changed = true; }
  });
  if (changed) view.change(LIVE_DATA, cs);
}

/** A spec's data rows and subtitle, for replacing those of a live picture. */
function liveParts(spec: Spec): { values: unknown[]; subtitle: string | string[] } {
  const s = spec as { data?: { values?: unknown[] }; title?: { subtitle?: string | string[] } };
  return { values: s.data?.values ?? [], subtitle: s.title?.subtitle ?? '' };
}

/** A single-data spec as a Vega spec whose data ('live') and subtitle (a signal) can be replaced in its view. */
function asLive(spec: Spec, box: { width: number; height?: number }): VgSpec {
  const { values } = liveParts(spec);
  const named = forScreen({ autosize: { type: 'pad', resize: true }, ...(spec as object), datasets: { [LIVE_DATA]: values }, data: { name: LIVE_DATA } } as unknown as Spec, box);
  return withSubtitleSignal(compile(named).spec, liveParts(named).subtitle);
}

/** A compiled spec whose subtitle is the SUBTITLE_SIGNAL (Vega-Lite's subtitle takes no expression; Vega's does). */
function withSubtitleSignal(vg: VgSpec, subtitle: string | string[]): VgSpec {
  const title = typeof vg.title === 'object' && vg.title !== null && !Array.isArray(vg.title) ? vg.title as unknown as Record<string, unknown> : { text: vg.title ?? '' };
  return { ...vg, title: { ...title, subtitle: { signal: SUBTITLE_SIGNAL } } as VgSpec['title'],
    signals: [...(vg.signals ?? []), { name: SUBTITLE_SIGNAL, value: subtitle }] };
}

/** A live loss chart: points are appended as the run streams (see live-loss.ts). */
export interface LiveLoss {
  /** Appends losses and evaluations that arrived (iterations continue from the last). */
  append(losses: readonly number[], evaluations: readonly Evaluation[]): Promise<void>;
  /** Draws the last partial bucket, once the run has ended. */
  finish(): Promise<void>;
}

const TITLE_SIGNAL = 'live_title', X_DOMAIN_SIGNAL = 'live_x_domain';
/** The loss chart's height where its box sets none (phones, narrow windows). */
const LIVE_HEIGHT = 360;
const LIVE_TITLE = 'Training loss', LIVE_EMPTY = 'Start a run to see its loss.';

/** The loss charts' views: each run reuses the one in its box (which follows the box's size: followBox). */
const liveViews = new WeakSet<Result>();

/**
 * The loss chart's view in el, drawn (empty) when there is none.
 * Runs only reset its data and signals (title, subtitle, the x axis's span), so starting a run
 * draws no new picture.
 */
async function liveView(el: HTMLElement): Promise<{ view: View; result: Result }> {
  let slot = slots.get(el);
  if (!slot) { slot = { busy: false, done: Promise.resolve() }; slots.set(el, slot); }
  await slot.done;
  slot.pending = undefined;
  if (slot.result && liveViews.has(slot.result)) return { view: slot.result.view, result: slot.result };
  const box = boxOf(el);
  const vg = withSubtitleSignal(compile(liveLossSpec(Math.max(240, box.width || 700), box.height ?? LIVE_HEIGHT)).spec, LIVE_EMPTY);
  // The title and the x axis's span (the run's planned iterations) follow signals too.
  vg.title = { ...(vg.title as object), text: { signal: TITLE_SIGNAL } } as VgSpec['title'];
  vg.signals = [...(vg.signals ?? []), { name: TITLE_SIGNAL, value: LIVE_TITLE }, { name: X_DOMAIN_SIGNAL, value: [1, 2] }];
  vg.scales = (vg.scales ?? []).map((sc) => (sc.name === 'x' ? { ...sc, domain: { signal: X_DOMAIN_SIGNAL } } : sc)) as VgSpec['scales'];
  // Compiling and drawing in one task would make one long frame: the drawing waits for the next.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  slot.spec = undefined;
  const result = await embedInto(el, slot, vg, undefined);
  liveViews.add(result);
  return { view: result.view, result };
}

/** Empties the view's points and sets its title, subtitle and x span. */
async function resetView(view: View, title: string, subtitle: string | string[], planned: number): Promise<void> {
  view.change('loss', changeset().remove(() => true));
  view.change('accuracy', changeset().remove(() => true));
  view.signal(TITLE_SIGNAL, title);
  view.signal(SUBTITLE_SIGNAL, subtitle);
  view.signal(X_DOMAIN_SIGNAL, [1, Math.max(planned, 2)]);
  await view.runAsync();
}

/** The loss chart before any run, or after Reset: empty, saying how to fill it. */
export async function resetLiveLoss(el: HTMLElement): Promise<void> {
  const { view } = await liveView(el);
  await resetView(view, LIVE_TITLE, LIVE_EMPTY, 2);
}

export async function startLiveLoss(el: HTMLElement, title: string, planned: number): Promise<LiveLoss> {
  const { view, result } = await liveView(el);
  const decimator = new LossDecimator(planned);
  const subtitle = (done = false) => wrapLines(`${count(decimator.count, 'iteration')}${done ? '' : ` of ${planned}`}; smoothed: ${decimator.smoothing}`
    + (decimator.stride > 1 ? `; min and max of every ${decimator.stride} drawn` : '')
    + (decimator.nonFinite ? `; ${decimator.nonFinite} non-finite losses not drawn` : ''), subtitleWidth(boxOf(el)));
  await resetView(view, title, subtitle(), planned);
  const alive = () => slots.get(el)?.result === result;
  return {
    append: async (losses, evaluations) => {
      if (!alive()) return;
      await appendToView(view, decimator.push(losses), accuracyRows(evaluations), subtitle());
    },
    finish: async () => {
      if (!alive()) return;
      await appendToView(view, decimator.finish(), [], subtitle(true));
    },
  };
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
  if (view) await saveView(view, format, el.id.replace(/-chart$/, ''));
}

/** Saves what a Vega view draws: its own SVG, or a PNG at twice its size. */
async function saveView(view: View, format: 'svg' | 'png', name: string): Promise<void> {
  const url = format === 'svg' ? URL.createObjectURL(new Blob([await view.toSVG()], { type: 'image/svg+xml' })) : await view.toImageURL('png', 2);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  if (format === 'svg') setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The class templates as one picture (the CLI's templates.svg: @descent/plots' classTemplatesSpec),
 * drawn off screen from the snapshot's weights and saved as SVG or PNG.
 */
export async function saveTemplates(s: Snapshot, format: 'svg' | 'png'): Promise<void> {
  if (!s.image) return;
  const view = new View(parse(compile(classTemplatesSpec({ weights: s.weights, classNames: s.classNames, image: s.image })).spec), { renderer: 'none' });
  try {
    await view.runAsync();
    await saveView(view, format, 'templates');
  } finally {
    view.finalize();
  }
}

/** Drops a chart and shows a placeholder. */
export function clearChart(el: HTMLElement, text: string): void {
  document.getElementById(`${el.id}-export`)?.remove();
  const slot = slots.get(el);
  if (slot) { slot.pending = undefined; slot.result?.finalize(); slot.result = undefined; slot.key = undefined; }
  const p = document.createElement('p');
  p.className = 'placeholder';
  p.textContent = text;
  el.replaceChildren(p);
}

/** The matrix's frame before there is a model: the data's classes, no counts, and a subtitle saying what will fill it. */
export function emptyConfusionChart(classNames: readonly string[], subtitle: string): Spec | undefined {
  if (classNames.length > CONFUSION_GRID_MAX_CLASSES) return undefined;
  const spec = confusionMatrixSpec({ counts: new Float64Array(classNames.length ** 2), classNames, title: 'Confusion matrix (test split)' }) as { title: { subtitle?: string } };
  spec.title.subtitle = subtitle;
  return spec as Spec;
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
