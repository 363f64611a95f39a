/**
 * The web page in Debian's headless Chromium (playwright-core): the production build served
 * by serve.mjs, driven like a user would. Screenshots go to apps/web/test-artifacts/.
 */
import { decodeModel } from '@descent/core';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_BACKENDS } from '../src/backends.js';
import { ARTIFACTS, buildAndServe, HAVE_CHROMIUM, launch, openPage, screenshot, type Browser, type Site, type Watched } from './browser.js';
import { buildWeb } from '../build.mjs';

const TIMEOUT = 120_000;

interface PageState { losses: number[]; evaluations: { iteration: number }[] }

/** Fills the training form for a short run: 30 minibatch steps on 2000 rows. */
async function shortRun(page: Page, backend: string, extra: Record<string, string> = {}): Promise<void> {
  await page.check(`#backend-${backend}`);
  const fields: Record<string, string> = { '#loss': 'softmax', '#strategy': 'minibatch', '#optimizer': 'momentum', '#lr': '0.05',
    '#batch-size': '100', '#length': '30', '#length-unit': 'iterations', '#seed': '1', '#pace': '0', '#limit': '2000', ...extra };
  const open = await page.$eval('details.more', (d) => (d as HTMLDetailsElement).open);
  if (!open) await page.click('details.more summary');
  for (const [sel, value] of Object.entries(fields)) {
    const tag = await page.$eval(sel, (e) => e.tagName);
    if (tag === 'SELECT') await page.selectOption(sel, value);
    else await page.fill(sel, value);
  }
}

async function runsDone(page: Page): Promise<number> {
  return Number(await page.evaluate(() => document.body.dataset['runs'] ?? '0'));
}

async function startAndWait(page: Page, timeout = TIMEOUT): Promise<void> {
  const before = await runsDone(page);
  await page.click('#start');
  await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? '0') > n || document.querySelector('#train-message')!.textContent !== '',
    before, { timeout, polling: 100 });
  const message = await page.textContent('#train-message');
  expect(message, 'the run reported an error').toBe('');
}

async function predictions(page: Page): Promise<{ index: string; predicted: string; probability: string }[]> {
  return page.$$eval('#samples li', (lis) => lis.map((li) => {
    const p = li.querySelector<HTMLElement>('.pred');
    return { index: li.dataset['index'] ?? '', predicted: p?.dataset['predicted'] ?? '', probability: p?.dataset['probability'] ?? '' };
  }));
}

describe.skipIf(!HAVE_CHROMIUM)('the web page in headless Chromium', () => {
  let site: Site;
  let browser: Browser;
  let main: Watched;

  beforeAll(async () => {
    site = await buildAndServe();
    browser = await launch();
    main = await openPage(browser, site.url);
    await main.page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT });
    await main.page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
  }, 2 * TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('loads without console errors, lists every browser backend and shows the sample images', async () => {
    const { page, errors } = main;
    await screenshot(page, '01-loaded');
    expect(errors).toEqual([]);
    for (const id of BROWSER_BACKENDS) {
      const why = await page.textContent(`#backend-why-${id}`);
      const disabled = await page.isDisabled(`#backend-${id}`);
      // Each is probed: runs here, or disabled with the probe's reason.
      expect(why, id).toMatch(disabled ? /^unavailable: .+/ : /^runs here/);
    }
    expect(await page.textContent('#data-summary')).toMatch(/fashion-mnist-subset: 9000 training, 1000 validation and 2000 test images/);
    // 'auto' is the default, and says what it picks: here WebGPU and WebGL run on SwiftShader
    // (software adapters, far slower), so the fastest CPU backend, onnx-wasm.
    expect(await page.isChecked('#backend-auto')).toBe(true);
    expect(await page.textContent('#backend-why-auto')).toMatch(/^picks onnx-wasm here \(passed over .*tfjs-webgpu.*\)/);
    expect(await page.textContent('#backend-why-tfjs-webgpu')).toMatch(/^runs here on a software adapter, slowly/);
    expect(await page.locator('#samples canvas').count()).toBe(16);
  });

  it('the first page load pulls neither TensorFlow.js nor ONNX Runtime nor any backend code (they load on demand)', async () => {
    const outdir = `${site.outdir}-meta`;
    const { metafile } = await buildWeb({ outdir, log: () => {} });
    await rm(outdir, { recursive: true, force: true });
    const outputs = metafile.outputs as Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
    const staticGraph = (entry: string) => {
      const seen = new Set<string>();
      const walk = (k: string) => {
        if (seen.has(k) || !outputs[k]) return;
        seen.add(k);
        for (const i of outputs[k]!.imports) if (i.kind === 'import-statement') walk(i.path);
      };
      walk(Object.keys(outputs).find((k) => k.endsWith(`/${entry}`))!);
      return [...seen].flatMap((k) => Object.keys(outputs[k]!.inputs));
    };
    for (const entry of ['main.js', 'worker.js']) {
      const inputs = staticGraph(entry);
      expect(inputs.length).toBeGreaterThan(0);
      // The backend packages' light ids entries (names, descriptions, priorities) are in; nothing else of them.
      expect(inputs.filter((i) => /@tensorflow|onnxruntime|backend-(ts|tfjs|onnx)\/(?!src\/ids\.ts$)/.test(i)), entry).toEqual([]);
      expect(inputs.some((i) => /backend-onnx\/src\/ids\.ts$/.test(i)), entry).toBe(true);
    }
    // …and they are in the build, in chunks of their own.
    const all = Object.values(outputs).flatMap((o) => Object.keys(o.inputs));
    expect(all.some((i) => i.includes('@tensorflow/tfjs-core'))).toBe(true);
    expect(all.some((i) => i.includes('onnxruntime-web'))).toBe(true);
  });

  // One short run per backend that runs here; a backend the menu shows disabled is skipped with its reason.
  it.for([...BROWSER_BACKENDS])('a short training run on %s lowers the loss and the chart shows it', { timeout: 3 * TIMEOUT }, async (id, ctx) => {
    const { page, errors } = main;
    if (await page.isDisabled(`#backend-${id}`)) {
      ctx.skip(`${id} does not run here: ${await page.textContent(`#backend-why-${id}`)}`);
      return;
    }
    await shortRun(page, id);
    await startAndWait(page);
    const s = await page.evaluate(() => (globalThis as unknown as { __descent: { state: PageState } }).__descent.state);
    expect(s.losses).toHaveLength(30);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(s.losses.slice(-5)), `losses: ${s.losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(0.8 * mean(s.losses.slice(0, 5)));
    // The chart is of this run: its title names the backend and its subtitle counts the iterations.
    await page.waitForFunction((b) => {
      const t = document.querySelector('#loss-chart svg')?.textContent ?? '';
      return t.includes(`Training loss — ${b}`) && t.includes('30 iterations');
    }, id, { timeout: 20_000 });
    const lines = await page.locator('#loss-chart svg .mark-line path').count();
    expect(lines).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#run-status')).toMatch(new RegExp(`Done: 30 iterations .* on ${id.replace('-', '\\-')}`));
    await page.locator('#loss-chart').scrollIntoViewIfNeeded();
    await page.locator('#loss-chart').screenshot({ path: join(ARTIFACTS, `02-loss-${id}.png`) });
    expect(errors).toEqual([]);
  });

  it("a run on 'auto' trains on the backend auto picked", async () => {
    const { page, errors } = main;
    await shortRun(page, 'auto');
    await startAndWait(page);
    expect(await page.evaluate(() => (globalThis as unknown as { __descent: { state: { runBackend: string } } }).__descent.state.runBackend)).toBe('onnx-wasm');
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('pauses and resumes a run, which then completes', async () => {
    const { page } = main;
    await shortRun(page, 'ts', { '#pace': '100', '#length': '40' });
    const before = await runsDone(page);
    await page.click('#start');
    await page.waitForFunction(() => ((globalThis as unknown as { __descent: { state: PageState } }).__descent.state.losses.length >= 3), undefined, { timeout: 20_000 });
    await page.click('#pause');
    await expect.poll(() => page.textContent('#pause')).toBe('Resume');
    await page.waitForTimeout(400);
    const held = await page.evaluate(() => (globalThis as unknown as { __descent: { state: PageState } }).__descent.state.losses.length);
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => (globalThis as unknown as { __descent: { state: PageState } }).__descent.state.losses.length)).toBe(held);
    expect(held).toBeLessThan(40);
    expect(await page.textContent('#run-status')).toMatch(/^Paused on ts: iteration \d+ of 40/);
    await page.click('#pause');
    await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? '0') > n, before, { timeout: 30_000 });
    expect(await page.textContent('#run-status')).toMatch(/^Done: 40 iterations/);

    // Stop ends a run early and keeps what it learned; Reset during a run stops it and drops the model.
    await page.click('#start');
    await page.waitForFunction(() => ((globalThis as unknown as { __descent: { state: PageState } }).__descent.state.losses.length >= 3), undefined, { timeout: 20_000 });
    await page.click('#stop');
    await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? '0') > n + 1, before, { timeout: 30_000 });
    expect(await page.textContent('#run-status')).toMatch(/^Stopped: \d+ iterations/);
    expect(await page.isDisabled('#model-save')).toBe(false);
    await page.click('#start');
    await page.waitForFunction(() => ((globalThis as unknown as { __descent: { state: PageState } }).__descent.state.losses.length >= 3), undefined, { timeout: 20_000 });
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#run-status')!.textContent === 'Reset: no model.', undefined, { timeout: 30_000 });
    expect(await page.isDisabled('#model-save')).toBe(true);
    expect(await page.isDisabled('#start')).toBe(false);
    expect(await page.locator('#templates canvas').count()).toBe(0);
  }, TIMEOUT);

  it('draws the 2-D loss landscape as a heat map', async () => {
    const { page, errors } = main;
    await page.check('#backend-ts');
    await page.fill('#l2-points', '31');
    await page.fill('#l2-examples', '1000');
    await page.click('#l2-form button[type=submit]');
    await page.waitForSelector('#l2-chart svg', { timeout: 60_000 });
    // One rect per grid point.
    const cells = await page.locator('#l2-chart svg .mark-rect.role-mark path').count();
    expect(cells).toBe(31 * 31);
    const fills = await page.$$eval('#l2-chart svg .mark-rect.role-mark path', (ps) => new Set(ps.map((p) => p.getAttribute('fill'))).size);
    expect(fills, 'a heat map has several colours').toBeGreaterThan(4);
    expect(await page.textContent('#l2-message')).toMatch(/^at (the current model|a random W)/);
    await page.locator('#l2-chart').scrollIntoViewIfNeeded();
    await page.locator('#l2-chart').screenshot({ path: join(ARTIFACTS, '03-landscape-2d.png') });
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('runs the step-size sweep, the 1-D slice and the gradient check', async () => {
    const { page, errors } = main;
    await page.click('#sweep-form button[type=submit]');
    await page.click('#l1-form button[type=submit]');
    await page.click('#gc-form button[type=submit]');
    await page.waitForSelector('#sweep-chart svg', { timeout: 60_000 });
    await page.waitForSelector('#l1-chart svg', { timeout: 60_000 });
    await page.waitForSelector('#gc-result table', { timeout: 60_000 });
    expect(await page.locator('#gc-result tbody tr').count()).toBe(20);
    expect(await page.textContent('#gc-result .gc-summary')).toMatch(/^Verdict: (good|ok-kinked|suspect|wrong)/);
    expect(await page.textContent('#sweep-chart svg')).toMatch(/best step size/);
    await page.locator('section[aria-labelledby=tools-title]').screenshot({ path: join(ARTIFACTS, '04-tools.png') });
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('a saved model re-opens with the same predictions (in the CLI format)', async () => {
    const { page } = main;
    await shortRun(page, 'ts', { '#length': '60' });
    await startAndWait(page);
    const saved = await predictions(page);
    expect(saved.filter((p) => p.predicted !== '')).toHaveLength(16);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#model-save')]);
    expect(download.suggestedFilename()).toBe('model.json');
    const path = join(ARTIFACTS, 'model.json');
    await download.saveAs(path);
    // The CLI's reader accepts it.
    const model = decodeModel(await readFile(path, 'utf8'), 'model.json');
    expect(model.weights).toHaveLength(785 * 10);
    await page.click('#reset');
    await expect.poll(async () => (await predictions(page)).filter((p) => p.predicted !== '').length).toBe(0);
    await page.setInputFiles('#model-file', path);
    await page.waitForFunction(() => document.querySelector('#model-message')!.textContent!.startsWith('Opened'), undefined, { timeout: 30_000 });
    expect(await predictions(page)).toEqual(saved);
    expect(await page.textContent('#model-summary')).toMatch(/^Opened model\.json: softmax/);
  }, TIMEOUT);

  it('a malformed file shows a clear message and keeps the current model and data', async () => {
    const { page } = main;
    const before = await predictions(page);
    const good = await readFile(join(ARTIFACTS, 'model.json'), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated.json', good.slice(0, good.length / 2), /Could not open truncated\.json: truncated\.json is truncated: it ends after \d+ characters, inside the JSON/],
      ['tampered.json', good.replace(/"values":\[(-?)(\d)/, (_m, s: string, d: string) => `"values":[${s}${(Number(d) + 1) % 10}`),
        /Could not open tampered\.json: tampered\.json: the file does not match its checksum \(over classes classNames image preprocessing weights objective\): it is corrupt or was edited; a prediction from it could not be trusted — the current model is unchanged\./],
      ['notes.json', '{"hello": 1}', /notes\.json: not a descent model file/],
    ];
    for (const [name, text, message] of cases) {
      const path = join(ARTIFACTS, name);
      await writeFile(path, text);
      await page.setInputFiles('#model-file', path);
      await page.waitForFunction(() => document.querySelector('#model-message')!.textContent !== '', undefined, { timeout: 10_000 });
      expect(await page.textContent('#model-message')).toMatch(message);
      expect(await page.getAttribute('#model-message', 'role')).toBe('alert');
      expect(await predictions(page)).toEqual(before);
      expect(await page.isDisabled('#model-save')).toBe(false);
    }
    await page.locator('section[aria-labelledby=model-title]').screenshot({ path: join(ARTIFACTS, '05-malformed-model.png') });

    // A truncated data file: a clear message, and the data set (and model) in use stay.
    const summary = await page.textContent('#data-summary');
    const images = await readFile(join(site.outdir, 'data/fashion-mnist-subset/t10k-images-idx3-ubyte.gz'));
    const labels = await readFile(join(site.outdir, 'data/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz'));
    await page.setInputFiles('#data-files', [
      { name: 't10k-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: images.subarray(0, 5000) },
      { name: 't10k-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: labels },
    ]);
    await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Could not load'), undefined, { timeout: 10_000 });
    expect(await page.textContent('#data-message')).toMatch(/t10k-images-idx3-ubyte\.gz.*still using fashion-mnist-subset/);
    expect(await page.textContent('#data-summary')).toBe(summary);
    expect(await predictions(page)).toEqual(before);
  }, TIMEOUT);

  it('opens the user\'s own IDX files from disk', async () => {
    const { page } = main;
    const dir = join(site.outdir, 'data/fashion-mnist-subset');
    await page.setInputFiles('#data-files', ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((f) => join(dir, f)));
    await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Loaded'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#data-summary')).toMatch(/^idx: 1440 training, 160 validation and 400 test images, 28×28, 10 classes/);
    expect(await page.textContent('#data-notes')).toMatch(/400 of 2000 rows \(20 %\) held out as the test split/);
    await page.click('#data-embedded');
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('fashion-mnist-subset'), undefined, { timeout: 30_000 });
  }, TIMEOUT);

  it('is usable by keyboard, every control has a label, and it fits a phone\'s width', async () => {
    const phone = await openPage(browser, site.url);
    const { page, errors } = phone;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT });
    // Every form control has an accessible name from a <label> (or aria-label).
    const unlabelled = await page.$$eval('input, select, textarea', (els) => els.filter((e) => {
      const el = e as HTMLInputElement;
      return !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label');
    }).map((e) => e.id || e.outerHTML));
    expect(unlabelled).toEqual([]);
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Tab to Start and press Enter: a run starts and finishes.
    await page.fill('#length', '20');
    await page.selectOption('#length-unit', 'iterations');
    await page.focus('#seed');
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'start'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('start');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset['runs'] === '1', undefined, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector('#loss-chart svg') !== null && document.querySelector('#confusion-chart svg') !== null,
      undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
    await screenshot(page, '06-phone-390');
    expect(errors).toEqual([]);
    await page.close();
  }, 2 * TIMEOUT);

  it('a backend package missing from the build shows its backends disabled with the reason, and the page still works', async () => {
    const partial = await buildAndServe({ omit: ['@descent/backend-onnx'] });
    const w = await openPage(browser, partial.url);
    try {
      await w.page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
      for (const id of ['onnx-wasm', 'onnx-webgpu']) {
        expect(await w.page.isDisabled(`#backend-${id}`)).toBe(true);
        expect(await w.page.textContent(`#backend-why-${id}`)).toMatch(/^unavailable: failed to load: @descent\/backend-onnx is not part of this build/);
      }
      expect(await w.page.isDisabled('#backend-ts')).toBe(false);
      await w.page.locator('#backends').screenshot({ path: join(ARTIFACTS, '07-menu-without-onnx.png') });
      expect(w.errors).toEqual([]);
    } finally {
      await w.page.close();
      await partial.close();
    }
  }, TIMEOUT);
});
