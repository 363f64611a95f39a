/**
 * The vitest body every browser conformance test shares: run a page in headless Chromium,
 * then one assertion per backend: it started (a backend that cannot start fails with its
 * reason, never skips), and every spec passed.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../conformance-runner.js';
import { runInChromium } from './harness.js';

export interface BrowserSuite {
  readonly title: string;
  /** The page module, relative to this folder (e.g. './tfjs.page.ts'). */
  readonly page: string;
  readonly backends: readonly string[];
  /** Backends that skip the CIFAR-shaped case (slow software adapters). */
  readonly small?: readonly string[];
  readonly staticDirs?: Record<string, string>;
}

export function describeBrowserConformance(suite: BrowserSuite): void {
  describe(suite.title, () => {
    let results: CaseResult[] = [];
    let log = '';

    beforeAll(async () => {
      const run = await runInChromium({
        entry: fileURLToPath(new URL(suite.page, import.meta.url)),
        ...(suite.staticDirs ? { staticDirs: suite.staticDirs } : {}),
        query: { backends: suite.backends.join(','), ...(suite.small ? { small: suite.small.join(',') } : {}) },
        timeoutMs: 170_000,
      });
      log = `page errors: ${run.pageErrors.join(' | ') || 'none'}; console: ${run.console.slice(-20).join(' | ')}`;
      const r = run.result as { results?: CaseResult[]; error?: string };
      if (!r.results) throw new Error(`the page failed: ${r.error}; ${log}`);
      results = r.results;
    }, 180_000);

    it.each(suite.backends)('%s ran every spec and passed', (id) => {
      const mine = results.filter((r) => r.backend === id);
      expect(mine.length, `no results for ${id}; ${log}`).toBeGreaterThan(0);
      const create = mine.find((r) => r.spec === 'create');
      expect(create?.message, `${id} could not start in Chromium`).toBeUndefined();
      const failed = mine.filter((r) => !r.ok);
      expect(failed.map((r) => `${r.case} / ${r.spec}: ${r.message}`), `${failed.length} of ${mine.length} specs failed on ${id}`).toEqual([]);
    });
  });
}
