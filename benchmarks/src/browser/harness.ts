/**
 * A headless-Chromium harness for tests and benchmarks that must run in a real browser page
 * (WebGL, WebGPU, browser wasm). Generic: it knows nothing about tfjs or ONNX.
 *
 *   const { result, console, pageErrors } = await runInChromium({
 *     entry: fileURLToPath(new URL('./my.page.ts', import.meta.url)),
 *     staticDirs: { '/ort/': '/abs/path/node_modules/onnxruntime-web/dist' },   // optional
 *     query: { backends: 'webgpu' },                                             // optional
 *     timeoutMs: 120_000,
 *   });
 *
 * 1. Bundles `entry` (a TypeScript module) with esbuild for the browser, resolving @descent/*
 *    to their TypeScript sources through the packages' "source" export condition (as vitest).
 * 2. Serves it from the project's loopback static server (scripts/static-server.mjs, the one
 *    apps/web/serve.mjs uses) on 127.0.0.1 (random port): '/' is a page that loads the bundle
 *    as a module, '/entry.js' the bundle, and each staticDirs prefix a directory (wasm files
 *    and the like). Sent with COOP/COEP, so the page is cross-origin isolated
 *    (SharedArrayBuffer, wasm threads).
 * 3. Opens the page in Debian's Chromium through playwright-core (headless, SwiftShader for
 *    WebGL, --enable-unsafe-webgpu for a software WebGPU adapter, a fresh profile).
 * 4. Waits until the page sets `globalThis.__descentResult` (any structured-cloneable value)
 *    and returns it with the page's console lines and uncaught errors. The page should catch
 *    its own errors and put them in its result; a page that never sets it fails after
 *    timeoutMs with its console and errors in the message.
 * The browser, its profile and the server are always closed and removed.
 */
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../../scripts/static-server.mjs';

export interface ChromiumRun {
  /** Absolute path of the page's TypeScript entry module. */
  readonly entry: string;
  /** URL prefix (starting and ending with '/') → directory served under it. */
  readonly staticDirs?: Readonly<Record<string, string>>;
  /** Query parameters of the page URL (the page reads them from location.search). */
  readonly query?: Readonly<Record<string, string>>;
  /** How long to wait for __descentResult (default 120 s). */
  readonly timeoutMs?: number;
  /** Chromium binary (default /usr/bin/chromium, or $CHROMIUM_PATH). */
  readonly executablePath?: string;
}

export interface ChromiumResult {
  readonly result: unknown;
  /** Console messages, as "type: text". */
  readonly console: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];

/** Bundles entry for the browser: one ES module, @descent/* from source. */
export async function bundlePage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022',
    conditions: ['source'], sourcemap: 'inline', logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

export async function runInChromium(run: ChromiumRun): Promise<ChromiumResult> {
  const bundle = await bundlePage(run.entry);
  const server = await startStaticServer({
    files: { '/': { type: 'text/html; charset=utf-8', body: PAGE }, '/entry.js': { type: 'text/javascript; charset=utf-8', body: bundle } },
    mounts: run.staticDirs ?? {}, index: null,
  });
  const profile = await mkdtemp(join(tmpdir(), 'descent-chromium-'));
  const consoleLines: string[] = [];
  const pageErrors: string[] = [];
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: run.executablePath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
    });
    try {
      const page = await context.newPage();
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
      const query = new URLSearchParams(run.query ?? {}).toString();
      await page.goto(`${server.url}${query ? `?${query}` : ''}`);
      const timeout = run.timeoutMs ?? 120_000;
      try {
        await page.waitForFunction(() => (globalThis as { __descentResult?: unknown }).__descentResult !== undefined,
          undefined, { timeout, polling: 250 });
      } catch (e) {
        throw new Error(`the page did not set __descentResult within ${timeout} ms (${(e as Error).message.split('\n')[0]});`
          + ` page errors: ${pageErrors.join(' | ') || 'none'}; last console lines: ${consoleLines.slice(-10).join(' | ') || 'none'}`);
      }
      const result = await page.evaluate(() => (globalThis as { __descentResult?: unknown }).__descentResult);
      return { result, console: consoleLines, pageErrors };
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>descent</title><script type="module" src="/entry.js"></script>';
