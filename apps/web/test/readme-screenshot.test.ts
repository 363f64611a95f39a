/**
 * Makes the README's pictures of the page: docs/web-screenshot.png (the playground at 1280×800,
 * a run under way) and docs/web-lecture.png (the lecture view, its first sections run). Not part
 * of the normal run: `DESCENT_SCREENSHOT=1 npx vitest run apps/web/test/readme-screenshot.test.ts`.
 */
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { buildAndServe, CHROMIUM, CHROMIUM_ARGS } from './browser.js';

const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs');

it.runIf(process.env['DESCENT_SCREENSHOT'])('writes docs/web-screenshot.png and docs/web-lecture.png', async () => {
  const site = await buildAndServe();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const scale = Number(process.env['DESCENT_SCREENSHOT_SCALE'] ?? 1);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: scale });
    await page.goto(site.url);
    await page.waitForSelector('body[data-probed=true]', { timeout: 120_000 });
    // A run in slow motion, caught part way: the playground as one screen while it trains.
    await page.selectOption('#backend-select', 'ts');
    await page.selectOption('#length-unit', 'iterations');
    await page.fill('#length', '400');
    await page.selectOption('#pace', '20');
    await page.click('#start');
    await page.waitForFunction(() => (globalThis as unknown as { __descent: { state: { losses: number[] } } }).__descent.state.losses.length >= 240,
      undefined, { timeout: 120_000, polling: 100 });
    await page.click('#pause');
    await page.waitForTimeout(700);
    const playground = join(DOCS, 'web-screenshot.png');
    await page.screenshot({ path: playground });
    await page.click('#stop');
    await page.waitForSelector('body[data-run=idle]', { timeout: 60_000 });

    await page.goto(`${site.url}#lecture`);
    await page.waitForSelector('body[data-probed=true]', { timeout: 120_000 });
    for (const id of ['random', 'local', 'gradient']) {
      await page.click(`#lecture-${id}-run`);
      await page.waitForFunction((id) => !document.querySelector(`#lecture-${id}-message`)!.hasAttribute('aria-busy'), id, { timeout: 300_000 });
    }
    const lecture = join(DOCS, 'web-lecture.png');
    await page.evaluate(() => scrollTo(0, 0));
    const box = await page.locator('#lecture-gradient').boundingBox();
    await page.screenshot({ path: lecture, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil((box?.y ?? 900) + (box?.height ?? 0) + 16) } });
    for (const f of [playground, lecture]) {
      expect((await stat(f)).size).toBeGreaterThan(10_000);
      console.log(`wrote ${f}: ${(await stat(f)).size} bytes`);
    }
  } finally {
    await browser.close();
    await site.close();
  }
}, 600_000);
