/**
 * The shared conformance suite on tfjs in headless Chromium: tfjs-webgl (SwiftShader) and
 * tfjs-webgpu (SwiftShader adapter via --enable-unsafe-webgpu), plus tfjs-cpu and tfjs-wasm
 * as a browser build. Every spec becomes one assertion; a backend that cannot start fails
 * with its reason. All specs run on all four (measured: webgl 19 s, webgpu 24 s on SwiftShader,
 * cpu and wasm under 1 s each); the page's ?small= can drop the CIFAR-shaped case if that grows.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../conformance-runner.js';
import { runInChromium } from './harness.js';

const BACKENDS = ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-cpu', 'tfjs-wasm'];
const wasmDir = join(dirname(createRequire(fileURLToPath(new URL('../../../packages/backend-tfjs/package.json', import.meta.url)))
  .resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

describe('tfjs conformance in headless Chromium', () => {
  let results: CaseResult[] = [];
  let log = '';

  beforeAll(async () => {
    const run = await runInChromium({
      entry: fileURLToPath(new URL('./tfjs.page.ts', import.meta.url)),
      staticDirs: { '/tfjs-wasm/': wasmDir },
      query: { backends: BACKENDS.join(',') },
      timeoutMs: 170_000,
    });
    log = `page errors: ${run.pageErrors.join(' | ') || 'none'}; console: ${run.console.slice(-20).join(' | ')}`;
    const r = run.result as { results?: CaseResult[]; error?: string };
    if (!r.results) throw new Error(`the page failed: ${r.error}; ${log}`);
    results = r.results;
  }, 180_000);

  it.each(BACKENDS)('%s ran every spec and passed', (id) => {
    const mine = results.filter((r) => r.backend === id);
    expect(mine.length, `no results for ${id}; ${log}`).toBeGreaterThan(0);
    const failed = mine.filter((r) => !r.ok);
    expect(failed.map((r) => r.message), `${failed.length} of ${mine.length} specs failed on ${id}`).toEqual([]);
    // Creating it failed: the single result says why (never reported as a pass).
    expect(mine.some((r) => r.spec === 'create')).toBe(false);
  });
});
