/**
 * Makes docs/web-screenshot.png (the README's picture of the page). Not part of the normal
 * run: `DESCENT_SCREENSHOT=1 npx vitest run apps/web/test/readme-screenshot.test.ts`.
 */
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { buildAndServe, CHROMIUM, CHROMIUM_ARGS } from './browser.js';

const OUT = join(import.meta.dirname, '..', '..', '..', 'docs', 'web-screenshot.png');

it.runIf(process.env['DESCENT_SCREENSHOT'])('writes docs/web-screenshot.png', async () => {
  const site = await buildAndServe();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: Number(process.env['DESCENT_SCREENSHOT_SCALE'] ?? 1) });
    await page.goto(site.url);
    await page.waitForSelector('body[data-probed=true]', { timeout: 120_000 });
    await page.click('#start');
    await page.waitForFunction(() => document.body.dataset['runs'] === '1', undefined, { timeout: 120_000 });
    await page.click('#l2-form button[type=submit]');
    await page.waitForSelector('#l2-chart svg', { timeout: 60_000 });
    await page.fill('#gc-samples', '8');
    await page.click('#gc-form button[type=submit]');
    await page.waitForSelector('#gc-result table', { timeout: 60_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: OUT, fullPage: true });
    
    console.log(`wrote ${OUT}: ${(await stat(OUT)).size} bytes`);
  } finally {
    await browser.close();
    await site.close();
  }
}, 300_000);
