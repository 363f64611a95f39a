/**
 * One catalogue: a backend package registered once (added to the list @descent/backends keeps,
 * packages/backends/src/packages.ts) shows up everywhere backends are listed — the CLI's
 * `descent backends`, the web page's menu, `pnpm bench`'s backends and the agreement suite
 * (Node targets and Chromium page groups) — and the agreement suite runs on it. The package
 * registered here is the example backend written outside packages/ (examples/custom-backend),
 * added to the list exactly as packages.ts lists the others.
 */
import { BACKEND_PACKAGES, catalogue, createRegistry } from '@descent/backends';
import { runConformance } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { listBackends } from '../../apps/cli/src/commands/backends.js';
import { createRegistry as cliRegistry } from '../../apps/cli/src/backends.js';
import { menuEntries } from '../../apps/web/src/backends.js';
import { benchBackendIds, nodeTargets, pageGroups } from '../../benchmarks/src/targets.js';
import { backendPackage as examplePackage } from '@descent/example-custom-backend';

const withExample = [...BACKEND_PACKAGES, examplePackage];

describe('a backend package registered once in the catalogue', () => {
  it('is listed by the CLI, the web menu, the bench and the agreement suite', async () => {
    const cli = await listBackends(cliRegistry(withExample));
    expect(cli.backends.map((b) => b.id)).toContain('example-js');
    expect(cli.backends.find((b) => b.id === 'example-js')).toMatchObject({ available: true, precision: 'float64', priority: 0 });
    expect(menuEntries(withExample).map((e) => e.id)).toContain('example-js');
    expect(menuEntries().map((e) => e.id)).not.toContain('example-js');
    expect(benchBackendIds(withExample)).toContain('example-js');
    expect(pageGroups(withExample).find((g) => g.name === '@descent/example-custom-backend')?.backends).toEqual(['example-js']);
    const node = await nodeTargets(withExample);
    const target = node.run.find((t) => t.id === 'example-js');
    expect(target?.precision).toBe('float64');
    // …and the agreement suite passes on it.
    const results = await runConformance(target!);
    expect(results.filter((r) => !r.ok).map((r) => r.message)).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });

  it('every listed consumer derives from the same catalogue', async () => {
    const ids = BACKEND_PACKAGES.flatMap((p) => p.backends.map((b) => b.id));
    expect((await listBackends()).backends.map((b) => b.id)).toEqual(ids);
    expect(menuEntries().map((e) => e.id)).toEqual(['auto', ...BACKEND_PACKAGES.flatMap((p) => p.backends)
      .filter((b) => b.environments.includes('browser')).map((b) => b.id)]);
    expect(pageGroups().flatMap((g) => g.backends)).toEqual(menuEntries().slice(1).map((e) => e.id));
  });
});

describe('priorities per environment', () => {
  it("the catalogue and a registry agree on a backend's priority in each environment", () => {
    const webgpu = (env: 'node' | 'browser') => catalogue(env).find((b) => b.id === 'onnx-webgpu')!.priority;
    expect(webgpu('node')).toBe(createRegistry({ environment: 'node' }).info('onnx-webgpu').priority);
    expect(webgpu('browser')).toBe(createRegistry({ environment: 'browser' }).info('onnx-webgpu').priority);
    // In Node it comes after onnx-cpu (its minibatch steps lost 8.5× on an H200 machine); in browsers it leads onnx-wasm.
    expect(webgpu('node')).toBeLessThan(catalogue('node').find((b) => b.id === 'onnx-cpu')!.priority);
    expect(webgpu('browser')).toBeGreaterThan(catalogue('browser').find((b) => b.id === 'onnx-wasm')!.priority);
  });
});
