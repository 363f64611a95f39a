/**
 * Browser page (bundled by harness.ts): the conformance kit (@descent/core/testing) on the backends named in
 * ?backends=, created through @descent/backends' registry exactly as an app creates them (wasm
 * assets under /assets/, copied there by the test with copyBackendAssets). A backend whose probe
 * reports a software GPU adapter (SwiftShader here) skips the CIFAR-shaped case, which takes
 * minutes there; every other case still runs on it. Publishes globalThis.__descentResult.
 */
import { createRegistry } from '@descent/backends';
import { runConformance } from '@descent/core/testing';
import type { CaseResult } from '@descent/core/testing';

export const BIG_CASE = 'CIFAR-10-shaped 64×3073×10';

async function main(): Promise<{ results: CaseResult[] }> {
  const ids = (new URLSearchParams(location.search).get('backends') ?? '').split(',').filter((s) => s);
  const registry = createRegistry({ assetBase: '/assets/', environment: 'browser' });
  const results: CaseResult[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const probe = await registry.probe(id);
    const slow = probe.result.available && probe.result.softwareFallback !== undefined;
    const got = await runConformance({ id, precision: registry.info(id).precision, create: () => registry.create(id) },
      { include: (spec) => !(slow && spec.case === BIG_CASE) });
    console.log(`${id}: ${got.filter((r) => r.ok).length}/${got.length} specs passed in ${((performance.now() - t0) / 1000).toFixed(1)} s${slow ? ' (software adapter: CIFAR-shaped case skipped)' : ''}`);
    results.push(...got);
  }
  return { results };
}

main().then(
  (r) => { (globalThis as { __descentResult?: unknown }).__descentResult = r; },
  (e: Error) => { (globalThis as { __descentResult?: unknown }).__descentResult = { error: e.stack ?? String(e) }; },
);
