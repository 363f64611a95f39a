/**
 * Issue 13, the web page as a playground, in headless Chromium: at 1280×800 the play button and
 * the loss chart are in view without scrolling, on load and during a run; on a phone no chart
 * or page text is under 11 px and nothing overflows sideways; a run at full speed leaves the
 * page smooth, measured through the Long Animation Frames timeline; Step takes one iteration at
 * a time; and the lecture view reproduces the lecture's experiments in its order.
 *
 * The form is filled through the DOM (value set, input and change dispatched), not by clicking,
 * so the tests do not depend on which panels are folded and never scroll the page themselves.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAndServe, HAVE_CHROMIUM, launch, openPage, screenshot, type Browser, type Site } from './browser.js';

const TIMEOUT = 120_000;
/** The smoothness window, from the run's first progress event. */
const WINDOW_MS = 20_000;
const RUNS = 3;

/** What the tests read of the page's globals: its state, and a mark the smoothness test leaves. */
interface PageGlobals { __descent: { state: { losses: number[] } }; __before?: unknown }

/** Opens the page at a viewport size and waits until its data is in and its backends are probed. */
async function openAt(browser: Browser, url: string, width: number, height: number) {
  const watched = await openPage(browser, url);
  await watched.page.setViewportSize({ width, height });
  await watched.page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT });
  await watched.page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
  return watched;
}

/** Chooses a backend whether the page offers a menu (#backend-select) or a list of radios, folded or not. */
async function chooseBackend(page: Page, id: string): Promise<void> {
  if (await page.$('#backend-select')) {
    await page.selectOption('#backend-select', id);
    return;
  }
  await page.$eval(`#backend-${id}`, (e) => {
    const radio = e as HTMLInputElement;
    if (radio.disabled) throw new Error(`#${radio.id} is disabled`);
    radio.checked = true;
    radio.dispatchEvent(new Event('input', { bubbles: true }));
    radio.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** Sets form fields as a user's edit would (value, then input and change), visible or not; a value a select lacks is an error. */
async function setFields(page: Page, fields: Record<string, string>): Promise<void> {
  for (const [sel, value] of Object.entries(fields)) {
    const set = await page.$eval(sel, (e, v) => {
      const el = e as HTMLInputElement | HTMLSelectElement;
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return el.value;
    }, value);
    expect(set, `${sel} takes ${value}`).toBe(value);
  }
}

/** Clicks a button through the DOM: Playwright's click would scroll it into view first. */
async function press(page: Page, sel: string): Promise<void> {
  await page.$eval(sel, (b) => (b as HTMLButtonElement).click());
}

/** Why each element is not entirely inside the viewport at the current scroll position (none: all are). */
async function outOfView(page: Page, sels: string[]): Promise<string[]> {
  return page.evaluate((sels) => sels.flatMap((sel) => {
    const el = document.querySelector(sel);
    if (!el) return [`${sel} is missing`];
    const r = el.getBoundingClientRect();
    const box = `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) || r.width === 0 || r.height === 0) return [`${sel} is not shown (${box})`];
    const inside = r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
    return inside ? [] : [`${sel} at ${box} is not inside ${innerWidth}×${innerHeight}`];
  }), sels);
}

async function runEnded(page: Page): Promise<void> {
  await page.waitForSelector('body[data-run=idle]', { timeout: 60_000 });
}

/** This machine's CPU time so far (Linux /proc/stat, in ticks): busy, idle and stolen by the host; undefined elsewhere. */
function cpuTicks(): { busy: number; idle: number; steal: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal! };
}

/** What the machine did meanwhile, as shares of its CPU time: the page's frames depend on it. */
function cpuShares(before: ReturnType<typeof cpuTicks>, after: ReturnType<typeof cpuTicks>): string {
  if (!before || !after) return 'CPU shares unknown';
  const busy = after.busy - before.busy, idle = after.idle - before.idle, steal = after.steal - before.steal;
  const all = busy + idle + steal;
  return `CPU ${(100 * busy / all).toFixed(0)} % busy, ${(100 * steal / all).toFixed(1)} % stolen by the host`;
}

/** Nearest-rank percentile of xs (0 for none). */
function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

const median = (xs: readonly number[]) => percentile(xs, 0.5);

interface Small { where: string; text: string; px: number }

/** Small text grouped by where it is and its size, with a few samples: a chart's tick labels would otherwise list one by one. */
function grouped(small: readonly Small[]): string[] {
  const groups = new Map<string, string[]>();
  for (const s of small) {
    const key = `${s.where} at ${s.px.toFixed(1)} px`;
    groups.set(key, [...(groups.get(key) ?? []), s.text]);
  }
  return [...groups].map(([key, texts]) => `${key}: ${texts.length} (${texts.slice(0, 3).map((t) => `"${t.slice(0, 30)}"`).join(', ')}${texts.length > 3 ? ', …' : ''})`);
}

interface Smoothness {
  frames: number;
  intervals: number[];
  long: { duration: number; blocking: number; render: number; script: string }[];
  losses: number;
  /** The machine's CPU shares meanwhile (cpuShares). */
  cpu: string;
}

describe.skipIf(!HAVE_CHROMIUM)('the web page as a playground (issue 13)', () => {
  let site: Site;
  let browser: Browser;

  beforeAll(async () => {
    site = await buildAndServe();
    browser = await launch();
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('at 1280×800 the play button and the loss chart are entirely in view on load and during a run', async () => {
    const { page, errors } = await openAt(browser, site.url, 1280, 800);
    // On load: once the data is in and the probes' notes are shown, the page as it settles.
    // Soft: a failure on load still measures the run, so one pass reports both.
    expect.soft(await page.evaluate(() => scrollY), 'scrolled on load').toBe(0);
    expect.soft(await outOfView(page, ['#start', '#loss-chart']), 'on load').toEqual([]);

    // A slow run far longer than the test: the page as it looks while it trains.
    await chooseBackend(page, 'ts');
    await setFields(page, { '#strategy': 'minibatch', '#length-unit': 'iterations', '#length': '100000', '#pace': '20', '#limit': '2000' });
    await press(page, '#start');
    await page.waitForSelector('body[data-run=running]', { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#loss-chart svg, #loss-chart canvas') !== null || document.querySelector('#train-message')!.textContent !== '',
      undefined, { timeout: 60_000 });
    expect(await page.textContent('#train-message'), 'the run reported an error').toBe('');
    expect.soft(await page.evaluate(() => scrollY), 'scrolled during the run').toBe(0);
    expect.soft(await outOfView(page, ['#start', '#loss-chart']), 'during the run').toEqual([]);
    await screenshot(page, '10-desktop-1280x800', false);
    // Let a few snapshots stream in: the matrix is updated in place (its cells modified, not redrawn).
    await page.waitForTimeout(2500);

    await press(page, '#stop');
    await runEnded(page);
    // The matrix drawn is the final model's, cell for cell: its counts are the snapshot's, in the data's order.
    const counts = () => page.evaluate(() => ({
      drawn: [...document.querySelectorAll('#confusion-chart svg .mark-text.role-mark text')].map((t) => Number(t.textContent)),
      model: Array.from((globalThis as unknown as { __descent: { state: { snapshot: { confusion: { counts: ArrayLike<number> } } } } }).__descent.state.snapshot.confusion.counts),
    }));
    await expect.poll(async () => { const c = await counts(); return c.drawn.join(' ') === c.model.join(' '); }, { timeout: 5_000 }).toBe(true);
    expect((await counts()).drawn).toHaveLength(100);
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT);

  it('at 390×844 no chart or page text is under 11 px and nothing overflows sideways', async () => {
    const { page, errors } = await openAt(browser, site.url, 390, 844);
    await chooseBackend(page, 'ts');
    await setFields(page, { '#strategy': 'minibatch', '#batch-size': '100', '#length-unit': 'iterations', '#length': '30', '#pace': '0', '#limit': '2000' });
    await press(page, '#start');
    await page.waitForFunction(() => Number(document.body.dataset['runs'] ?? '0') > 0 || document.querySelector('#train-message')!.textContent !== '',
      undefined, { timeout: TIMEOUT });
    expect(await page.textContent('#train-message'), 'the run reported an error').toBe('');
    await page.waitForFunction(() => document.querySelector('#loss-chart svg') !== null && document.querySelector('#confusion-chart svg') !== null,
      undefined, { timeout: 30_000 });
    // The charts' last redraws are asynchronous (Vega): let them settle.
    await page.waitForTimeout(500);

    // Chart text as rendered: its font size times the scale from its own units to CSS px (the
    // screen CTM covers the viewBox and any group transform; hypot keeps rotated axis titles).
    const chartText = await page.$$eval('.chart svg text', (texts) => texts.flatMap((t) => {
      const text = t as SVGTextElement;
      const label = text.textContent?.trim() ?? '';
      const r = text.getBoundingClientRect();
      const m = text.getScreenCTM();
      if (!label || r.width === 0 || r.height === 0 || !m) return [];
      const px = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
      // (a rotated label's hypot is 11·0.99999…: rounding, not a smaller letter)
      return px < 11 - 1e-6 ? [{ where: `#${text.closest('.chart')!.id}`, text: label, px }] : [];
    }));
    expect.soft(grouped(chartText), 'chart text under 11 px').toEqual([]);

    // Page text: each shown element with text of its own, and each form control (its value is text).
    const pageText = await page.evaluate(() => [...document.body.querySelectorAll('*')].flatMap((el) => {
      if (el.closest('svg') || el.closest('.visually-hidden') || el.matches('option, optgroup, script, style')) return [];
      const control = el.matches('select, textarea, input:not([type=checkbox], [type=radio], [type=file], [type=range], [type=color], [type=hidden])');
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (!control && !own) return [];
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return [];
      const px = parseFloat(getComputedStyle(el).fontSize);
      const where = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`;
      return px < 11 ? [{ where, text: control ? (el as HTMLInputElement).value : el.textContent!.trim(), px }] : [];
    }));
    expect.soft(grouped(pageText), 'page text under 11 px').toEqual([]);

    const widths = await page.evaluate(() => ({ html: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect.soft(widths.html, 'the page is wider than the phone').toBeLessThanOrEqual(390);
    expect.soft(widths.body, 'the body is wider than the phone').toBeLessThanOrEqual(390);
    await screenshot(page, '11-phone-390x844');
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT);

  // A timing test on a shared machine: a spell of contention (the host's other guests, another
  // job) makes frames late whatever the page does (a failing run at 4f4f33d had a 128 ms frame
  // in which no script ran), so it gets one more try; each run logs the machine's CPU shares,
  // and a page that blocks its main thread fails both tries.
  it(`a full-speed run on ts keeps frames smooth: p95 ≤ 50 ms and none over 100 ms (median of ${RUNS} runs of ${WINDOW_MS / 1000} s)`, { retry: 1, timeout: 3 * TIMEOUT }, async () => {
    const { page, errors } = await openAt(browser, site.url, 1280, 800);
    const supported = await page.evaluate(() => PerformanceObserver.supportedEntryTypes as string[]);
    expect(supported, 'this Chromium has no Long Animation Frames API (PerformanceObserver type long-animation-frame)').toContain('long-animation-frame');
    await chooseBackend(page, 'ts');
    // Far longer than the window, on all the training rows, at the strategy's default batch size.
    await setFields(page, { '#strategy': 'minibatch', '#batch-size': '', '#length-unit': 'iterations', '#length': '1000000', '#pace': '0', '#limit': '' });

    const runs: Smoothness[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The previous run's losses stay in the state until the new run starts: remember them to tell them apart.
      await page.evaluate(() => { const g = globalThis as unknown as PageGlobals; g.__before = g.__descent.state.losses; });
      await press(page, '#start');
      await page.waitForFunction(() => {
        const g = globalThis as unknown as PageGlobals;
        const losses = g.__descent.state.losses;
        return (losses !== g.__before && losses.length > 0) || document.querySelector('#train-message')!.textContent !== '';
      }, undefined, { timeout: 60_000, polling: 'raf' });
      expect(await page.textContent('#train-message'), 'the run was refused or failed').toBe('');

      // From the first progress event: every long animation frame (over 50 ms, with the scripts
      // that ran in it) and every frame's interval, as requestAnimationFrame sees them.
      const before = cpuTicks();
      runs.push({ ...await page.evaluate(async (windowMs) => {
        const long: PerformanceEntry[] = [];
        const observer = new PerformanceObserver((list) => { long.push(...list.getEntries()); });
        observer.observe({ type: 'long-animation-frame', buffered: false });
        const intervals: number[] = [];
        const t0 = performance.now();
        await new Promise<void>((done) => {
          let last = -1;
          const frame = (t: number) => {
            if (last >= 0) intervals.push(t - last);
            last = t;
            if (t - t0 < windowMs) requestAnimationFrame(frame);
            else done();
          };
          requestAnimationFrame(frame);
        });
        long.push(...observer.takeRecords());
        observer.disconnect();
        type Script = { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number };
        type Loaf = PerformanceEntry & { blockingDuration: number; renderStart: number; scripts: Script[] };
        return {
          frames: intervals.length + 1, intervals,
          long: (long as Loaf[]).map((e) => {
            const top = [...e.scripts].sort((a, b) => b.duration - a.duration)[0];
            return {
              duration: e.duration, blocking: e.blockingDuration,
              // Style, layout and paint: from the rendering's start to the frame's end.
              render: e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : 0,
              script: top ? `${top.invoker} ${top.sourceURL.split('/').pop()}${top.sourceFunctionName ? `:${top.sourceFunctionName}` : ''} ${Math.round(top.duration)} ms` : 'no script',
            };
          }),
          losses: (globalThis as unknown as PageGlobals).__descent.state.losses.length,
        };
      }, WINDOW_MS), cpu: cpuShares(before, cpuTicks()) });
      await press(page, '#stop');
      await runEnded(page);
    }

    // A frame's length as one sees it is the interval between animation frames; the Long Animation
    // Frames entries say which frames took over 50 ms and what ran in them.
    const figures = runs.map((r) => {
      const longest = Math.max(0, ...r.long.map((l) => l.duration));
      const p95 = percentile(r.intervals, 0.95);
      const worst = [...r.long].sort((a, b) => b.duration - a.duration).slice(0, 3)
        .map((l) => `${Math.round(l.duration)} ms (blocking ${Math.round(l.blocking)}, render ${Math.round(l.render)}) ${l.script}`);
      return { frames: r.frames, longCount: r.long.length, longest, p95, maxInterval: Math.max(0, ...r.intervals), losses: r.losses, worst, cpu: r.cpu };
    });
    for (const [i, f] of figures.entries()) {
      console.log(`smoothness run ${i + 1}: ${f.frames} frames, ${f.longCount} long (LoAF, ${(100 * f.longCount / f.frames).toFixed(1)} %), longest ${f.longest.toFixed(0)} ms, `
        + `p95 interval ${f.p95.toFixed(1)} ms, max interval ${f.maxInterval.toFixed(0)} ms, ${f.losses} iterations, ${f.cpu}; worst: ${f.worst.join(' | ') || 'none'}`);
    }
    expect.soft(median(figures.map((f) => f.p95)), 'median p95 frame interval (ms)').toBeLessThanOrEqual(50);
    expect.soft(median(figures.map((f) => f.longest)), 'median longest animation frame (ms)').toBeLessThanOrEqual(100);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the live charts follow their boxes when the window is resized (laid out again, not scaled)', async () => {
    const { page, errors } = await openAt(browser, site.url, 1280, 800);
    // Each fitted chart's picture spans its box, within a pixel or two of rounding.
    const fits = () => page.evaluate(() => ['loss-chart', 'confusion-chart'].map((id) => {
      const box = document.getElementById(id)!;
      const svg = box.querySelector('svg');
      return { id, box: box.clientWidth, svg: svg ? Number(svg.getAttribute('width')) : -1 };
    }));
    await page.waitForFunction(() => document.querySelector('#loss-chart svg') && document.querySelector('#confusion-chart svg'), undefined, { timeout: 30_000 });
    for (const f of await fits()) expect(Math.abs(f.svg - f.box), `${f.id} at 1280: ${JSON.stringify(f)}`).toBeLessThanOrEqual(2);
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect.poll(async () => (await fits()).every((f) => Math.abs(f.svg - f.box) <= 2), { timeout: 10_000 }).toBe(true);
    const wide = await fits();
    expect(wide[0]!.box).toBeGreaterThan(600);
    // Out of the screen-filling layout (a narrow window): the charts take their own height again, not the grid's.
    await page.setViewportSize({ width: 700, height: 900 });
    await expect.poll(async () => (await fits()).every((f) => Math.abs(f.svg - f.box) <= 2), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.$eval('#loss-chart svg', (e) => Number(e.getAttribute('height'))), { timeout: 10_000 }).toBe(360);
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT);

  it('Step takes one iteration at a time: from an idle page it starts a run paused, then each press is one step', async () => {
    const { page, errors } = await openAt(browser, site.url, 1280, 800);
    await chooseBackend(page, 'ts');
    await setFields(page, { '#strategy': 'minibatch', '#batch-size': '100', '#length-unit': 'iterations', '#length': '50', '#pace': '0', '#limit': '2000' });
    const losses = () => page.evaluate(() => (globalThis as unknown as PageGlobals).__descent.state.losses.length);
    await page.click('#step');
    await page.waitForSelector('body[data-run=paused]', { timeout: 60_000 });
    await expect.poll(losses, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.isDisabled('#step')).toBe(false);
    await page.click('#step');
    await expect.poll(losses, { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.isDisabled('#step')).toBe(false);
    expect(await page.textContent('#run-status')).toMatch(/^Paused on ts: iteration 2 of 50/);
    // Resume: the run takes its remaining 48 steps and ends.
    await page.click('#pause');
    await page.waitForFunction(() => document.body.dataset['runs'] === '1', undefined, { timeout: 60_000 });
    expect(await losses()).toBe(50);
    // A run whose last step is a Step ends with its summary, not a "Paused" line; focus stays on Step.
    await setFields(page, { '#length': '2' });
    await page.focus('#step');
    await page.keyboard.press('Space');
    await page.waitForSelector('body[data-run=paused]', { timeout: 60_000 });
    // The focus is back once the step is done (the button may be enabled a moment before, by the paused state).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 30_000 }).toBe('step');
    await expect.poll(() => page.isDisabled('#step')).toBe(false);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.body.dataset['runs'] === '2', undefined, { timeout: 60_000 });
    await expect.poll(() => page.textContent('#run-status')).toMatch(/^Done: 2 iterations/);
    await page.waitForTimeout(300);
    expect(await page.textContent('#run-status')).toMatch(/^Done: 2 iterations/);
    // Stop pressed while a run is still starting ends it before its first step: the page is not left stopping.
    await page.click('#step');
    await page.click('#stop', { timeout: 5_000 }).catch(() => undefined); // enabled once the run is on its way
    await page.waitForFunction(() => document.body.dataset['runs'] === '3', undefined, { timeout: 60_000 });
    expect(await page.getAttribute('body', 'data-run')).toBe('idle');
    expect(await page.textContent('#run-status')).toMatch(/^(Stopped|Done): /);
    expect(errors).toEqual([]);
    await page.close();
  }, TIMEOUT);

  it("the lecture view runs each section's experiment on the embedded data beside the lecture's own figure, in the lecture's order", async () => {
    const { page, errors } = await openAt(browser, `${site.url}#lecture`, 1280, 800);
    expect(await page.isVisible('#lecture')).toBe(true);
    expect(await page.isVisible('#loss-chart')).toBe(false);
    // Each section's own figure from the lecture (CIFAR-10), shown before anything runs.
    const lectureFigure: Record<string, RegExp> = {
      random: /15\.5 % test accuracy/, local: /21\.4 % test accuracy/, gradient: /better than both searches/,
      numerical: /30,730 \+ 1 loss evaluations/, step: /2\.200718.*1\.647802 at 1e-6/, minibatch: /256 examples of ILSVRC's 1\.2 million/,
    };
    for (const [id, figure] of Object.entries(lectureFigure)) {
      expect(await page.textContent(`#lecture-${id} [data-lecture]`), id).toMatch(figure);
      await page.click(`#lecture-${id}-run`);
      await page.waitForFunction((id) => !document.querySelector(`#lecture-${id}-message`)!.hasAttribute('aria-busy'), id, { timeout: TIMEOUT });
      expect(await page.textContent(`#lecture-${id}-message`), `${id}: the experiment failed`).toBe('');
      expect(await page.textContent(`#lecture-${id}-ours`), id).not.toMatch(/Not run yet/);
    }
    const accuracy = (id: string) => page.$eval(`#lecture-${id}-ours [data-accuracy]`, (e) => Number((e as HTMLElement).dataset['accuracy']));
    const [random, local, gradient] = [await accuracy('random'), await accuracy('local'), await accuracy('gradient')];
    console.log(`lecture on the embedded data: random search ${random}, random local search ${local}, gradient descent ${gradient}`);
    expect(random).toBeLessThan(local);
    expect(local).toBeLessThan(gradient);
    expect(gradient).toBeGreaterThan(0.7);
    expect(await page.textContent('#lecture-gradient-ours')).toMatch(/random search .* < random local search .* < following the gradient/);
    // Numbers beside numbers: the step-size table has the lecture's column and ours; the check's error is float64-small.
    expect(await page.$$eval('#lecture-step-ours tbody tr', (rows) => rows.length)).toBe(10);
    expect(Number(await page.$eval('#lecture-numerical-ours [data-relative-error]', (e) => (e as HTMLElement).dataset['relativeError']))).toBeLessThan(1e-3);
    expect(Number(await page.$eval('#lecture-minibatch-ours [data-cosine]', (e) => (e as HTMLElement).dataset['cosine']))).toBeGreaterThan(0.5);
    await screenshot(page, '12-lecture');
    // The views under the bar start where the header and the bar end, wherever the page is scrolled.
    const top = await page.evaluate(() => [getComputedStyle(document.documentElement).getPropertyValue('--top'),
      document.querySelector<HTMLElement>('header.top')!.offsetHeight + document.getElementById('train-form')!.offsetHeight]);
    expect(top[0]).toBe(`${top[1]}px`);
    // A section's way on leads to its tool in the playground, scrolled into view.
    await page.click('#lecture-numerical-playground');
    await page.waitForSelector('body[data-mode=playground]');
    const [gc, barBottom] = await page.evaluate(() => [document.getElementById('gc-title')!.getBoundingClientRect().top,
      document.getElementById('train-form')!.getBoundingClientRect().bottom]);
    expect(gc, 'the tool is below the sticky bar, not under it').toBeGreaterThanOrEqual(barBottom!);
    expect(gc).toBeLessThan(800);
    await page.evaluate(() => { location.hash = 'lecture'; });
    await page.waitForSelector('body[data-mode=lecture]');
    // The hand-over: the playground, with the last run's settings in the form and its model in the views.
    await page.click('#lecture-gradient-playground');
    await page.waitForSelector('body[data-mode=playground]');
    expect(await page.isVisible('#loss-chart svg')).toBe(true);
    expect(await page.inputValue('#strategy')).toBe('gd');
    expect(await page.textContent('#model-summary')).toMatch(/^Trained on .*: gd, svm/);
    expect(errors).toEqual([]);
    await page.close();
  }, 3 * TIMEOUT);
});
