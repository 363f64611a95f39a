/**
 * The body every conformance page shares (bundled into the page by harness.ts): run the suite
 * on each backend named in ?backends= (or the page's defaults), skipping the CIFAR-shaped case
 * on those named in ?small= (slow software adapters), and publish
 * globalThis.__descentResult = { results: CaseResult[] } or { error }.
 */
import type { ComputeBackend } from '@descent/core';
import { runConformance } from '../conformance-runner.js';
import type { CaseResult } from '../conformance-runner.js';

export const BIG_CASE = 'CIFAR-10-shaped 64×3073×10';

export function runConformancePage(defaultIds: readonly string[], create: (id: string) => Promise<ComputeBackend>,
  setup: () => Promise<void> = async () => {}): void {
  const main = async (): Promise<{ results: CaseResult[] }> => {
    const params = new URLSearchParams(location.search);
    const ids = (params.get('backends') ?? defaultIds.join(',')).split(',');
    const small = new Set((params.get('small') ?? '').split(','));
    await setup();
    const results: CaseResult[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const got = await runConformance({ id, precision: 'float32', create: () => create(id) },
        { include: (spec) => !(small.has(id) && spec.case === BIG_CASE) });
      console.log(`${id}: ${got.filter((r) => r.ok).length}/${got.length} specs passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      results.push(...got);
    }
    return { results };
  };
  main().then(
    (r) => { (globalThis as { __descentResult?: unknown }).__descentResult = r; },
    (e: Error) => { (globalThis as { __descentResult?: unknown }).__descentResult = { error: e.stack ?? String(e) }; },
  );
}
