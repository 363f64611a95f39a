/**
 * Test helpers: build the page into a temporary folder, serve it with serve.mjs, and drive it
 * in Debian's headless Chromium through playwright-core (the approach of
 * benchmarks/src/browser/harness.ts: SwiftShader for WebGL, --enable-unsafe-webgpu for a
 * software WebGPU adapter, a fresh profile each time).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../build.mjs';
import { startServer } from '../serve.mjs';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];

const here = dirname(fileURLToPath(import.meta.url));
/** Screenshots and saved files the tests leave behind (gitignored). */
export const ARTIFACTS = join(here, '..', 'test-artifacts');

export interface Site {
  readonly url: string;
  readonly outdir: string;
  readonly stubs: Record<string, string>;
  close(): Promise<void>;
}

/** Builds the page (the production build) into a temporary folder and serves it. */
export async function buildAndServe(options: { omit?: string[] } = {}): Promise<Site> {
  const outdir = await mkdtemp(join(tmpdir(), 'descent-web-'));
  const built = await buildWeb({ outdir, log: () => {}, ...(options.omit ? { omit: options.omit } : {}) });
  const server = await startServer({ root: outdir });
  return {
    url: server.url, outdir, stubs: built.stubs,
    close: async () => { await server.close(); await rm(outdir, { recursive: true, force: true }); },
  };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly downloads: string;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'descent-chromium-'));
  const downloads = await mkdtemp(join(tmpdir(), 'descent-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true, downloadsPath: downloads,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context, downloads,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      await rm(downloads, { recursive: true, force: true });
    },
  };
}

export interface Watched {
  readonly page: Page;
  /** Console errors and uncaught exceptions so far. */
  readonly errors: string[];
  readonly console: string[];
}

/** Opens a page and records its console and errors. */
export async function openPage(browser: Browser, url: string): Promise<Watched> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const lines: string[] = [];
  page.on('console', (m) => {
    lines.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  await page.goto(url);
  return { page, errors, console: lines };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
