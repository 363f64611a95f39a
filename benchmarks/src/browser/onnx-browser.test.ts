/**
 * The shared conformance suite on ONNX Runtime Web in headless Chromium: onnx-wasm (the
 * browser's wasm build) and onnx-webgpu (SwiftShader adapter via --enable-unsafe-webgpu:
 * correct, far too slow to time, so it skips the CIFAR-shaped case; see the page). Every
 * spec becomes one assertion; a backend that cannot start fails with its reason.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../conformance-runner.js';
import { runInChromium } from './harness.js';

const BACKENDS = ['onnx-wasm', 'onnx-webgpu'];
// onnxruntime-web's exports hide package.json; its Node entry lives in dist/ beside the .wasm files.
const ortDist = dirname(createRequire(fileURLToPath(new URL('../../../packages/backend-onnx/package.json', import.meta.url)))
  .resolve('onnxruntime-web'));

describe('ONNX Runtime Web conformance in headless Chromium', () => {
  let results: CaseResult[] = [];
  let log = '';

  beforeAll(async () => {
    const run = await runInChromium({
      entry: fileURLToPath(new URL('./onnx.page.ts', import.meta.url)),
      staticDirs: { '/ort/': ortDist },
      query: { backends: BACKENDS.join(','), small: 'onnx-webgpu' },
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
    // Creating it failed: the single result says why (a failure, never a skip).
    const create = mine.find((r) => r.spec === 'create');
    expect(create?.message, `${id} could not start in Chromium`).toBeUndefined();
    const failed = mine.filter((r) => !r.ok);
    expect(failed.map((r) => `${r.case} / ${r.spec}: ${r.message}`), `${failed.length} of ${mine.length} specs failed on ${id}`).toEqual([]);
  });
});
