/**
 * The web page in Debian's headless Chromium (playwright-core): the production build served
 * by serve.mjs, driven like a user would. Screenshots go to apps/web/test-artifacts/.
 */
import { decodeModel, makeDataset, Random } from '@descent/core';
import { encodeCifar10Batch, encodeIdx, encodeLibsvm, encodeNpy, encodeNpz, encodeTar } from '@descent/core/testing';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPS } from '../../cli/src/caps.js';
import { BROWSER_BACKENDS } from '../src/backends.js';
import { ARTIFACTS, buildAndServe, HAVE_CHROMIUM, launch, openPage, screenshot, type Browser, type Site, type Watched } from './browser.js';
import { buildWeb } from '../build.mjs';

const TIMEOUT = 120_000;

interface PageState { losses: number[]; evaluations: { iteration: number }[] }

/** Fills the training form for a short run: 30 minibatch steps on 2000 rows (a field given null is left as it is). */
async function shortRun(page: Page, backend: string, extra: Record<string, string | null> = {}): Promise<void> {
  await page.check(`#backend-${backend}`);
  const fields: Record<string, string | null> = { '#loss': 'softmax', '#strategy': 'minibatch', '#optimizer': 'momentum', '#lr': '0.05',
    '#batch-size': '100', '#length': '30', '#length-unit': 'iterations', '#seed': '1', '#pace': '0', '#limit': '2000', ...extra };
  const open = await page.$eval('details.more', (d) => (d as HTMLDetailsElement).open);
  if (!open) await page.click('details.more summary');
  for (const [sel, value] of Object.entries(fields)) {
    if (value === null) continue;
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

/** Submits a tool's form and waits until it is done (its message no longer busy): its chart is then this use's. */
async function useTools(page: Page, ...tools: string[]): Promise<void> {
  for (const t of tools) await page.click(`#${t}-form button[type=submit]`);
  for (const t of tools) {
    await page.waitForFunction((id) => !document.querySelector(`#${id}-message`)!.hasAttribute('aria-busy'), t, { timeout: 60_000 });
  }
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
    // Each WebGPU entry that runs here runs on SwiftShader, and says so.
    for (const id of BROWSER_BACKENDS.filter((b) => b.endsWith('webgpu'))) {
      if (!(await page.isDisabled(`#backend-${id}`))) expect(await page.textContent(`#backend-why-${id}`), id).toMatch(/^runs here on a software adapter, slowly/);
    }
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

  it('the margin Δ shows for both SVMs and hides for softmax; a Crammer–Singer run lowers its loss', async () => {
    const { page, errors } = main;
    await shortRun(page, 'onnx-wasm', { '#loss': 'crammer-singer', '#delta': '2' });
    expect(await page.isVisible('#delta')).toBe(true);
    await page.selectOption('#loss', 'softmax');
    expect(await page.isVisible('#delta')).toBe(false);
    await page.selectOption('#loss', 'svm');
    expect(await page.isVisible('#delta')).toBe(true);
    await page.selectOption('#loss', 'crammer-singer');
    await startAndWait(page);
    const s = await page.evaluate(() => (globalThis as unknown as { __descent: { state: PageState } }).__descent.state);
    expect(s.losses).toHaveLength(30);
    // W starts near 0, so every row starts at its margin: the loss starts at Δ = 2.
    expect(s.losses[0]).toBeCloseTo(2, 1);
    expect(s.losses.at(-1)!).toBeLessThan(0.6 * s.losses[0]!);
    expect(await page.textContent('#run-status')).toMatch(/Done: 30 iterations .* on onnx-wasm/);
    await page.fill('#delta', '1');
    await page.selectOption('#loss', 'softmax');
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

  it('a tool used while a run is paused works at the paused weights, and the run then resumes and completes', async () => {
    const { page, errors } = main;
    const pageState = () => page.evaluate(() => {
      const s = (globalThis as unknown as { __descent: { state: PageState & { lastSummary?: { finalLoss: number } } } }).__descent.state;
      return { losses: s.losses.length, finalLoss: s.lastSummary?.finalLoss };
    });
    // The reference: the run never paused.
    await shortRun(page, 'ts', { '#length': '30', '#limit': '1500' });
    await startAndWait(page);
    const reference = (await pageState()).finalLoss;
    expect(reference).toBeGreaterThan(0);
    // A model of other rows (a tool without a run would prepare the data again for its preprocessing).
    await shortRun(page, 'ts', { '#length': '20' });
    await startAndWait(page);
    // The reference's run in slow motion: pause it and use two tools.
    await shortRun(page, 'ts', { '#length': '30', '#limit': '1500', '#pace': '100' });
    const before = await runsDone(page);
    await page.click('#start');
    // (The status, not the losses: the last run's stay until this one's first arrive.)
    await page.waitForFunction(() => Number(/^Training on ts: iteration (\d+)/.exec(document.querySelector('#run-status')!.textContent!)?.[1] ?? 0) >= 3,
      undefined, { timeout: 20_000 });
    await page.click('#pause');
    await expect.poll(() => page.textContent('#pause')).toBe('Resume');
    await page.fill('#l2-points', '11');
    await page.fill('#l2-examples', '500');
    await useTools(page, 'sweep', 'l2');
    const held = (await pageState()).losses;
    expect(held).toBeLessThan(30);
    const messages = [await page.textContent('#sweep-message'), await page.textContent('#l2-message')];
    await page.waitForSelector('#l2-chart svg', { timeout: 20_000 });
    expect((await pageState()).losses).toBe(held);
    // Resume: the run completes, exactly as if it had never been paused.
    await page.click('#pause');
    await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? '0') > n || document.querySelector('#train-message')!.textContent !== '',
      before, { timeout: 30_000 });
    expect(await page.textContent('#train-message')).toBe('');
    expect(await page.textContent('#run-status')).toMatch(/^Done: 30 iterations/);
    expect((await pageState()).finalLoss).toBe(reference);
    // The tools worked at the weights the page showed: after as many iterations as the loss chart had.
    expect(messages[0]).toMatch(new RegExp(`^at the paused run's weights \\(after ${held} iterations?\\), 1500 training rows, ts;`));
    expect(messages[1]).toMatch(new RegExp(`^at the paused run's weights \\(after ${held} iterations?\\), 500 training rows, ts;`));
    await page.fill('#l2-examples', '2000');
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('draws the 2-D loss landscape as a heat map', async () => {
    const { page, errors } = main;
    await page.check('#backend-ts');
    await page.fill('#l2-points', '31');
    await page.fill('#l2-examples', '1000');
    await useTools(page, 'l2');
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

  it('tunes (coarse to fine, the border said) and studies minibatch gradients, as the CLI does', async () => {
    const { page, errors } = main;
    await page.check('#backend-ts');
    await page.fill('#tune-trials', '3');
    await page.fill('#tune-rounds', '2');
    await page.fill('#tune-lr', '0.00001,0.0001'); // far too small: the best lies at the top of the range
    await useTools(page, 'tune');
    expect(await page.textContent('#tune-message')).toMatch(/softmax on ts, .* 2 × 3 trials of 1 epoch/);
    expect(await page.locator('#tune-result tbody tr').count()).toBe(6);
    const best = /Best on validation: learning rate ([\d.e+-]+), reg ([\d.e+-]+): validation [\d.]+ %, test [\d.]+ %/.exec((await page.textContent('#tune-result'))!);
    expect(best).not.toBeNull();
    // The border warning says exactly when a best value sits in the outer tenth (in log space) of its first range.
    const outer = (v: number, lo: number, hi: number) => { const t = Math.log(v / lo) / Math.log(hi / lo); return t < 0.1 || t > 0.9; };
    const expected = [outer(Number(best![1]), 1e-5, 1e-4) ? 'learning rate' : '', outer(Number(best![2]), 1e-6, 0.1) ? 'reg' : ''].filter(Boolean);
    const warnings = await page.$$eval('#tune-result .warning', (ps) => ps.map((p) => p.textContent!));
    expect(warnings.map((w) => /the best (learning rate|reg) /.exec(w)![1])).toEqual(expected);
    for (const w of warnings) expect(w).toMatch(/lies at the border of the (learning-rate|reg) range \[[\de.-]+, [\de.-]+\]: widen the range and tune again/);
    await page.fill('#tune-lr', '1,0.1');
    await useTools(page, 'tune');
    expect(await page.textContent('#tune-message')).toMatch(/Learning rates: expected "from,to" with 0 < from < to/);
    await page.fill('#tune-lr', '0.0001,1');
    // Caps: each size, and the whole tuning's epochs (the worker checks them too).
    await page.fill('#tune-trials', '100');
    await page.fill('#tune-epochs', '50');
    await useTools(page, 'tune');
    expect(await page.textContent('#tune-message')).toMatch(/a tuning of 2 × 100 trials × 50 epochs is 10000 epochs, more than the page runs at once \(200\)/);
    await page.fill('#tune-trials', '3');
    await page.fill('#tune-epochs', '1');
    await page.fill('#batches-trials', '4');
    await useTools(page, 'batches');
    const rows = await page.$$eval('#batches-result tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)));
    expect(rows.length).toBeGreaterThan(5);
    // Bigger batches point closer along the full gradient; the whole set is the full gradient itself.
    const cos = rows.map((r) => Number(r[1]!.split(' ')[0]));
    expect(cos.at(-1)).toBeCloseTo(1, 3);
    expect(cos.at(-1)!).toBeGreaterThan(cos[0]!);
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('no run starts while a tuning is under way, and Stop tuning ends it with the best so far', async () => {
    const { page, errors } = main;
    await page.check('#backend-ts');
    await page.fill('#tune-trials', '6');
    await page.fill('#tune-rounds', '2');
    await page.fill('#tune-epochs', '3');
    await page.fill('#tune-lr', '0.0001,1');
    await page.click('#tune-form button[type=submit]');
    await expect.poll(() => page.isDisabled('#tune-stop')).toBe(false);
    // Start is refused at once, naming the tuning, not queued behind it.
    await page.click('#start');
    await expect.poll(() => page.textContent('#train-message'), { timeout: 10_000 }).toMatch(/tuning is in progress: stop it first/);
    expect(await page.getAttribute('#tune-message', 'aria-busy')).toBe('true');
    // Stopped once a trial has ended (the panel says each as it ends), long before the twelfth.
    await expect.poll(() => page.textContent('#tune-message'), { timeout: 60_000 }).toMatch(/^Trial \d+ of 12; best validation accuracy so far [\d.]+ %/);
    await page.click('#tune-stop');
    await page.waitForFunction(() => !document.querySelector('#tune-message')!.hasAttribute('aria-busy'), undefined, { timeout: 60_000 });
    expect(await page.textContent('#tune-message')).toMatch(/stopped after \d+ trials? of 12\./);
    expect(await page.textContent('#tune-result')).toMatch(/Best on validation: learning rate/);
    expect(await page.isDisabled('#tune-stop')).toBe(true);
    await page.fill('#tune-trials', '3');
    await page.fill('#tune-epochs', '1');
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('races the six update rules on the real loss; a slider restarts the race at once', async () => {
    const { page, errors } = main;
    await page.check('#backend-ts');
    await useTools(page, 'race');
    await page.waitForSelector('#race-chart svg', { timeout: 60_000 });
    /** Each rule's final loss and the common start, from the message. */
    const ends = async () => {
      const text = (await page.textContent('#race-message'))!;
      const m = /from ([\d.]+) to (.*); [\d.]+ s\.$/.exec(text);
      expect(m, text).not.toBeNull();
      const finals = Object.fromEntries(m![2]!.split(', ').map((e) => [e.split(' ')[0]!, Number(e.split(' ')[1])]));
      return { start: Number(m![1]), finals };
    };
    const first = await ends();
    expect(Object.keys(first.finals)).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    for (const [name, loss] of Object.entries(first.finals)) expect(loss, name).toBeLessThan(first.start);
    // Six paths and their losses per step drawn (one line each, on both charts).
    expect(await page.locator('#race-chart svg .mark-line.role-mark path').count()).toBe(12);
    // A bigger step: the race runs again by itself, from the same start, with other ends.
    await page.$eval('#race-lr', (el) => { (el as HTMLInputElement).value = '-0.7'; el.dispatchEvent(new Event('input', { bubbles: true })); });
    await expect.poll(async () => (await ends()).finals['sgd'], { timeout: 30_000 }).not.toBe(first.finals['sgd']);
    expect((await ends()).start).toBe(first.start);
    // A race too large for the page is refused, naming its size, and the chart stays.
    await page.fill('#race-steps', '2000');
    await page.fill('#race-examples', '9000');
    await useTools(page, 'race');
    expect(await page.textContent('#race-message')).toMatch(/a race of 2000 steps on \d+ training rows of 10 classes is more than the page races at once/);
    await page.fill('#race-steps', '60');
    await page.fill('#race-examples', '1000');
    expect(await page.textContent('#race-lr-value')).toBe('0.2');
    // With a model, V₁ points at its weights: a = 1 reaches them, and every rule gets far below W₀'s loss.
    await shortRun(page, 'ts', { '#length': '60' });
    await startAndWait(page);
    await page.$eval('#race-lr', (el) => { (el as HTMLInputElement).value = '-1.3'; });
    await useTools(page, 'race');
    expect(await page.textContent('#race-chart svg')).toContain('toward the current weights');
    const toward = await ends();
    for (const [name, loss] of Object.entries(toward.finals)) expect(loss, name).toBeLessThan(toward.start - 0.5);
    await page.locator('#race-chart').scrollIntoViewIfNeeded();
    await page.locator('#race-chart').screenshot({ path: join(ARTIFACTS, '03b-optimizer-race.png') });
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('runs the step-size sweep, the 1-D slice and the gradient check', async () => {
    const { page, errors } = main;
    await useTools(page, 'sweep', 'l1', 'gc');
    await page.waitForSelector('#sweep-chart svg', { timeout: 60_000 });
    await page.waitForSelector('#l1-chart svg', { timeout: 60_000 });
    await page.waitForSelector('#gc-result table', { timeout: 60_000 });
    expect(await page.locator('#gc-result tbody tr').count()).toBe(20);
    expect(await page.textContent('#gc-result .gc-summary')).toMatch(/^Verdict: good — /);
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
        /Could not open tampered\.json: tampered\.json: the file does not match its checksum \(over everything but checksum, training and createdAt\): it is corrupt or was edited; a prediction from it could not be trusted — the current model is unchanged\./],
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
    // Wait for these files' data, not the previous test's "Loaded …" message (still shown until the page reacts to the new files).
    await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Loaded')
      && document.querySelector('#data-summary')!.textContent!.startsWith('idx:'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#data-summary')).toMatch(/^idx: 1440 training, 160 validation and 400 test images, 28×28, 10 classes/);
    expect(await page.textContent('#data-notes')).toMatch(/400 of 2000 rows \(20 %\) held out as the test split/);
    await page.click('#data-embedded');
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('fashion-mnist-subset'), undefined, { timeout: 30_000 });
  }, TIMEOUT);

  it('opens an .npz of numpy arrays (as Keras saves mnist.npz), here of a thousand classes, and trains on it', async () => {
    const { page, errors } = main;
    const rng = new Random(5);
    const n = 3000, labels = Int32Array.from({ length: n }, (_, i) => i % 1000);
    const images = Uint8Array.from({ length: n * 36 }, (_, k) => (labels[Math.floor(k / 36)]! * (k % 36 + 7) + rng.int(20)) % 256);
    const npz = encodeNpz({ 'x_train.npy': encodeNpy(images.subarray(0, 2500 * 36), [2500, 6, 6]), 'y_train.npy': encodeNpy(labels.subarray(0, 2500)),
      'x_test.npy': encodeNpy(images.subarray(2500 * 36), [500, 6, 6]), 'y_test.npy': encodeNpy(labels.subarray(2500)) }, { compressed: true });
    await page.setInputFiles('#data-files', [{ name: 'shapes.npz', mimeType: 'application/zip', buffer: Buffer.from(npz) }]);
    await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Loaded')
      && document.querySelector('#data-summary')!.textContent!.startsWith('npy:'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#data-summary')).toMatch(/^npy: 2250 training, 250 validation and 500 test images, 6×6, 1000 classes/);
    // A thousand classes on the page: it trains, and draws the first 100 templates (the list says so).
    await shortRun(page, 'ts', { '#limit': null, '#length': '20' });
    await startAndWait(page);
    await expect.poll(() => page.locator('#templates li').count()).toBe(100);
    expect(await page.getAttribute('#templates', 'title')).toBe('the first 100 of 1000 classes');
    expect(errors).toEqual([]);
    await page.click('#data-embedded');
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('fashion-mnist-subset'), undefined, { timeout: 30_000 });
  }, TIMEOUT);

  it('opens LIBSVM files of features (train and test), trains on them, and draws no pictures of features', async () => {
    const { page, errors } = main;
    const rng = new Random(6);
    const rows = (n: number) => {
      const y = Int32Array.from({ length: n }, () => rng.int(3));
      const x = Float32Array.from({ length: n * 8 }, (_, k) => (k % 8 === y[Math.floor(k / 8)]! ? 2 : 0) + rng.normal());
      return encodeLibsvm(x, Array.from(y, (v) => v * 2 - 1), 8);
    };
    await page.setInputFiles('#data-files', [{ name: 'blobs.svm', mimeType: 'text/plain', buffer: Buffer.from(rows(900)) },
      { name: 'blobs.svm.t', mimeType: 'text/plain', buffer: Buffer.from(rows(300)) }]);
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('blobs:'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#data-summary')).toMatch(/^blobs: 810 training, 90 validation and 300 test rows, 8 features, 3 classes/);
    expect(await page.locator('#samples li').count()).toBe(0);
    await shortRun(page, 'ts', { '#limit': null, '#length': '60' });
    await startAndWait(page);
    expect(await page.locator('#templates li').count()).toBe(0);
    expect(await page.getAttribute('#templates', 'title')).toBe('a model of features has no image templates');
    const accuracy = await page.evaluate(() => (globalThis as unknown as { __descent: { state: { snapshot?: { confusion: { accuracy: number } } } } }).__descent.state.snapshot!.confusion.accuracy);
    expect(accuracy).toBeGreaterThan(0.7);
    expect(errors).toEqual([]);
    await page.click('#data-embedded');
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('fashion-mnist-subset'), undefined, { timeout: 30_000 });
  }, TIMEOUT);

  // Bit for bit on the TypeScript backends; within float32 rounding on the others (a GPU or a
  // threaded kernel may sum in another order from one run to the next). A backend on a software
  // GPU adapter takes about a minute a run here: the per-backend run above covers it.
  it.for([...BROWSER_BACKENDS])('a link reproduces a run on %s: the settings and the backend that ran are in the address', { timeout: TIMEOUT }, async (id, ctx) => {
    const { page } = main;
    const why = await page.textContent(`#backend-why-${id}`);
    if (await page.isDisabled(`#backend-${id}`)) { ctx.skip(`${id} does not run here: ${why}`); return; }
    if (/software adapter/.test(why ?? '')) { ctx.skip(`${id} runs here on a software adapter only, slowly: ${why}`); return; }
    await shortRun(page, id, { '#lr': '0.07', '#seed': '9', '#length': '25', '#limit': '1500' });
    await startAndWait(page);
    const url = page.url();
    const q = new URL(url).searchParams;
    expect([q.get('backend'), q.get('seed'), q.get('lr'), q.get('length'), q.get('limit')]).toEqual([id, '9', '0.07', '25', '1500']);
    const lossesOf = (p: Page) => p.evaluate(() => (globalThis as unknown as { __descent: { state: { losses: number[] } } }).__descent.state.losses);
    const losses = await lossesOf(page);
    expect(losses).toHaveLength(25);
    const other = await openPage(browser, url);
    try {
      await other.page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
      expect(await other.page.inputValue('#seed')).toBe('9');
      expect(await other.page.isChecked(`#backend-${id}`)).toBe(true);
      await other.page.selectOption('#pace', '0'); // slow motion is not part of a run
      await startAndWait(other.page);
      const again = await lossesOf(other.page);
      if (id === 'ts' || id === 'ts-f64') expect(again).toEqual(losses);
      else {
        expect(again).toHaveLength(losses.length);
        again.forEach((l, i) => expect(Math.abs(l - losses[i]!), `iteration ${i + 1}: ${l} against ${losses[i]}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(losses[i]!))));
      }
      expect(other.errors).toEqual([]);
    } finally {
      await other.page.close();
    }
  });

  it('a chart, and the class templates, save as SVG and PNG, as drawn', async () => {
    const { page, errors } = main;
    await shortRun(page, 'ts', { '#length': '20' });
    await startAndWait(page);
    await page.waitForSelector('#confusion-chart-export');
    for (const [chart, format] of [['loss', 'svg'], ['loss', 'png'], ['confusion', 'svg'], ['templates', 'svg'], ['templates', 'png']] as const) {
      const bar = chart === 'templates' ? '#templates-export' : `#${chart}-chart-export`;
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${bar} button[data-format=${format}]`)]);
      expect(download.suggestedFilename()).toBe(`${chart}.${format}`);
      const path = join(ARTIFACTS, `export-${chart}.${format}`);
      await download.saveAs(path);
      const bytes = await readFile(path);
      if (format === 'svg') expect(bytes.toString('utf8')).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
      else expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]); // PNG's signature
      expect(bytes.length).toBeGreaterThan(1000);
    }
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('a link is the user\'s input: unknown names and values a menu lacks are named, bad numbers meet the form\'s checks', async () => {
    const other = await openPage(browser, `${site.url}?strategy=evil&lr=%3Cb%3Ebold%3C%2Fb%3E&x=1&backend=nope`);
    try {
      await other.page.waitForSelector('body[data-probed=true]', { timeout: TIMEOUT });
      expect(await other.page.textContent('#train-message')).toMatch(/The link's backend \(nope\) does not run here; choose another\./);
      await other.page.waitForFunction(() => document.querySelector('#backend-auto') !== null);
      expect(await other.page.isChecked('#backend-auto')).toBe(true);
      expect(await other.page.inputValue('#strategy')).not.toBe('evil');
      await other.page.click('#start');
      // A number field takes no markup: the browser empties it, and the form says so.
      expect(await other.page.inputValue('#lr')).toBe('');
      await expect.poll(() => other.page.textContent('#train-message')).toMatch(/^Learning rate is empty: it must be a number > 0$/);
      expect(other.errors).toEqual([]);
    } finally {
      await other.page.close();
    }
  }, TIMEOUT);

  it('a large data set trains on the “Training rows” the page shows: the form, the summary and the model file agree', async () => {
    const { page, errors } = main;
    // 25000 8×8 images in one IDX pair: 5000 held out as test, 2000 validation, 18000 training rows, above the default's threshold.
    const n = 25000;
    const rng = new Random(3);
    const labels = new Uint8Array(n);
    const images = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) {
      labels[i] = rng.int(10);
      for (let j = 0; j < 64; j++) images[i * 64 + j] = Math.min(255, Math.floor(rng.float() * 80) + (j % 10 === labels[i] ? 170 : 0));
    }
    await page.setInputFiles('#data-files', [
      { name: 'big-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: Buffer.from(encodeIdx(images, [n, 8, 8], { gzip: true })) },
      { name: 'big-labels-idx1-ubyte', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeIdx(labels, [n])) },
    ]);
    // Wait for these files' data, not the previous test's "Loaded …" message (still shown until the page reacts to the new files).
    await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Loaded')
      && document.querySelector('#data-summary')!.textContent!.startsWith('idx:'), undefined, { timeout: 30_000 });
    expect(await page.textContent('#data-notes')).toMatch(/training on the first 10000 training rows/);

    const savedModel = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#model-save')]);
      const path = join(ARTIFACTS, 'model-limit.json');
      await download.saveAs(path);
      const m = decodeModel(await readFile(path, 'utf8'), 'model-limit.json');
      const t = m.training as { settings: { limit: number | null }; data: { train: number; validation: number } };
      return { limit: t.settings.limit, train: t.data.train, validation: t.data.validation };
    };
    // A run with "Training rows" as the page has it: the model file and the summary agree.
    await shortRun(page, 'ts', { '#limit': null, '#length': '20' });
    await startAndWait(page);
    const trained = await savedModel();
    expect(trained.train).toBe(Number(/^idx: (\d+)/.exec((await page.textContent('#data-summary'))!)?.[1]));
    expect(trained).toEqual({ limit: 10000, train: 10000, validation: 2000 });
    // …and the form: the field shows the default.
    expect(await page.inputValue('#limit')).toBe('10000');
    expect(await page.textContent('#data-summary')).toMatch(/^idx: 10000 \(of 18000\) training, 2000 validation and 5000 test images, 8×8/);
    expect(await page.textContent('#data-notes')).toMatch(/training on the first 10000 training rows of 18000, the default for a data set this large/);
    // Emptied: all the rows, and the summary says so.
    await page.fill('#limit', '');
    await startAndWait(page);
    expect(await savedModel()).toEqual({ limit: null, train: 18000, validation: 2000 });
    expect(await page.textContent('#data-summary')).toMatch(/^idx: 18000 training, 2000 validation and 5000 test images/);
    expect(await page.textContent('#data-notes')).not.toMatch(/training on the first/);

    // The embedded subset is small: "Training rows" is emptied again.
    await page.click('#data-embedded');
    await page.waitForFunction(() => document.querySelector('#data-summary')!.textContent!.startsWith('fashion-mnist-subset'), undefined, { timeout: 30_000 });
    expect(await page.inputValue('#limit')).toBe('');
    expect(errors).toEqual([]);
  }, TIMEOUT);

  it('a truncated .gz or .tar.gz upload gets the gzip reader\'s message, as in the CLI', async () => {
    const { page } = main;
    const images = await readFile(join(site.outdir, 'data/fashion-mnist-subset/t10k-images-idx3-ubyte.gz'));
    const labels = await readFile(join(site.outdir, 'data/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz'));
    const rng = new Random(4);
    const cifar = makeDataset({ name: 'c', images: Uint8Array.from({ length: 20 * 3072 }, () => rng.int(256)), labels: Uint8Array.from({ length: 20 }, (_, i) => i % 10),
      image: { height: 32, width: 32, channels: 3, layout: 'chw' }, classNames: Array.from({ length: 10 }, (_, i) => `c${i}`) });
    const tar = gzipSync(encodeTar([{ path: 'cifar-10-batches-bin/data_batch_1.bin', bytes: encodeCifar10Batch(cifar) },
      { path: 'cifar-10-batches-bin/test_batch.bin', bytes: encodeCifar10Batch(cifar) }]));
    const cases: [{ name: string; mimeType: string; buffer: Buffer }[], RegExp][] = [
      [[{ name: 't10k-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: images.subarray(0, 5000) },
        { name: 't10k-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: labels }],
      /^Could not load t10k-images-idx3-ubyte\.gz, t10k-labels-idx1-ubyte\.gz: t10k-images-idx3-ubyte\.gz: corrupt gzip data: truncated \(the compressed data ends early\) — still using fashion-mnist-subset\.$/],
      [[{ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: tar.subarray(0, tar.length >> 1) }],
        /^Could not load cifar-10-binary\.tar\.gz: cifar-10-binary\.tar\.gz: corrupt gzip data: truncated/],
    ];
    for (const [files, message] of cases) {
      await page.evaluate(() => { document.querySelector('#data-message')!.textContent = ''; });
      await page.setInputFiles('#data-files', files);
      await page.waitForFunction(() => document.querySelector('#data-message')!.textContent!.startsWith('Could not load'), undefined, { timeout: 10_000 });
      expect(await page.textContent('#data-message')).toMatch(message);
      expect(await page.textContent('#data-message')).not.toMatch(/IDX magic/);
    }
  }, TIMEOUT);

  it('an empty or partial number gets a message naming its field, not “0”', async () => {
    const { page } = main;
    await shortRun(page, 'ts');
    const typeInto = async (sel: string, text: string) => {
      await page.fill(sel, '');
      await page.focus(sel);
      await page.keyboard.type(text);
    };
    const cases: [string, string, string, RegExp][] = [
      ['#lr', '1e', '#train-message', /^Learning rate must be a number > 0; what is typed there is not a number$/],
      ['#lr', '', '#train-message', /^Learning rate is empty: it must be a number > 0$/],
      ['#reg', '-', '#train-message', /^Regularization \(reg\) must be a number ≥ 0; what is typed there is not a number$/],
      ['#reg', '', '#train-message', /^Regularization \(reg\) is empty: it must be a number ≥ 0$/],
      ['#limit', '2e', '#train-message', /^Training rows must be a whole number ≥ 1; what is typed there is not a number$/],
      ['#seed', '1.5', '#train-message', /^Seed must be an integer; got “1.5”$/],
    ];
    for (const [sel, text, message, expected] of cases) {
      const was = await page.inputValue(sel);
      await typeInto(sel, text);
      await page.click('#start');
      await expect.poll(() => page.textContent(message)).toMatch(expected);
      expect(await page.textContent('#run-status')).not.toMatch(/^Starting/);
      await page.fill(sel, was);
    }
    // A tool's fields, and the training form's fields a tool reads.
    await typeInto('#l1-range', '1e');
    await page.click('#l1-form button[type=submit]');
    await expect.poll(() => page.textContent('#l1-message')).toMatch(/^Range ± must be a number > 0, at most 10000; what is typed there is not a number$/);
    await page.fill('#l1-range', '1');
    await typeInto('#reg', '1e');
    await page.click('#sweep-form button[type=submit]');
    await expect.poll(() => page.textContent('#sweep-message')).toMatch(/^Regularization \(reg\) must be a number ≥ 0; what is typed there is not a number$/);
    await page.fill('#reg', '0.0001');
  }, TIMEOUT);

  it('the landscapes refuse more points than the CLI allows, naming the field', async () => {
    const { page } = main;
    await page.fill('#l1-points', String(CAPS.points1D + 1));
    await page.click('#l1-form button[type=submit]');
    await expect.poll(() => page.textContent('#l1-message')).toBe(`Points must be a whole number from 2 to ${CAPS.points1D}; got “${CAPS.points1D + 1}”`);
    await page.fill('#l2-points', String(CAPS.points2D + 1));
    await page.click('#l2-form button[type=submit]');
    await expect.poll(() => page.textContent('#l2-message')).toBe(`Points per axis must be a whole number from 2 to ${CAPS.points2D}; got “${CAPS.points2D + 1}”`);
    await page.fill('#l1-points', '51');
    await page.fill('#l2-points', '51');
  }, TIMEOUT);

  it('a one-iteration run says “1 iteration”', async () => {
    const { page } = main;
    await shortRun(page, 'ts', { '#length': '1' });
    await startAndWait(page);
    expect(await page.textContent('#run-status')).toMatch(/^Done: 1 iteration \(/);
  }, TIMEOUT);

  it('keyboard focus shows on “Open data files…” and “Open model…”', async () => {
    const { page } = main;
    for (const [from, input] of [['#data-embedded', 'data-files'], ['input[name=backend]:checked', 'model-file']] as const) {
      await page.focus(from);
      let focused = '';
      for (let i = 0; i < 6 && focused !== input; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id ?? '');
      }
      expect(focused).toBe(input);
      const outline = await page.$eval(`label[for=${input}]`, (l) => {
        const s = getComputedStyle(l);
        return { style: s.outlineStyle, width: s.outlineWidth };
      });
      expect(outline, `the outline of the label of #${input}`).toEqual({ style: 'solid', width: '3px' });
      await page.locator(`label[for=${input}]`).screenshot({ path: join(ARTIFACTS, `08-focus-${input}.png`) });
    }
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
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
    // Tab from the learning rate (the run bar's last field) to Start and press Enter: a run starts and finishes.
    await page.fill('#length', '20');
    await page.selectOption('#length-unit', 'iterations');
    await page.focus('#lr');
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
