/**
 * `describeConformance`: the kit as tests of a test framework the caller hands in, so core
 * imports none. With vitest:
 *
 *   import * as vitest from 'vitest';
 *   import { describeConformance } from '@descent/core/testing';
 *   await describeConformance(vitest, myBackendPackage);
 *
 * Any framework with describe/it/beforeAll/afterAll works (jest's globals too: pass
 * `globalThis`). One test per spec, grouped by case, under one block per backend; backends of
 * a package that do not run here are reported as skipped tests naming the reason.
 */
import type { BackendPackage } from '../registry.js';
import { allSpecs } from './conformance.js';
import { ConformanceSession, isBackendPackage, packageTargets, selectSpecs } from './runner.js';
import type { ConformanceOptions, ConformanceTarget, Spec } from './runner.js';

/** The four functions of a test framework the kit uses (vitest's and jest's fit as they are). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it: TestFunction & { readonly skip?: (name: string, body: () => void) => void };
  beforeAll(body: () => Promise<void>, timeout?: number): void;
  afterAll(body: () => Promise<void>, timeout?: number): void;
}

export type TestFunction = (name: string, body: () => Promise<void>, timeout?: number) => void;

/**
 * Declares the kit's tests for a target, or for every backend of a package that probes
 * available here. Returns a promise: await it (a package is probed first, which is
 * asynchronous); for a single target the tests are declared before it returns.
 */
export async function describeConformance(api: TestApi, target: ConformanceTarget | BackendPackage,
  options: ConformanceOptions = {}): Promise<void> {
  if (!isBackendPackage(target)) {
    describeTarget(api, target, options);
    return;
  }
  const pkg = target;
  let probed: Awaited<ReturnType<typeof packageTargets>> | undefined;
  let failure: unknown;
  try {
    probed = await packageTargets(pkg, options);
  } catch (e) {
    failure = e;
  }
  api.describe(`conformance: package ${pkg.name}`, () => {
    if (!probed) {
      api.it('probes its backends', async () => { throw failure; });
      return;
    }
    if (probed.run.length === 0 && probed.skipped.length === 0) {
      api.it('declares backends', async () => { throw new Error(`package ${pkg.name} declares no backends`); });
    }
    for (const t of probed.run) describeTarget(api, t, options);
    if (probed.skipped.length > 0) {
      api.describe('not run here', () => {
        for (const s of probed.skipped) {
          const name = `${s.id}: ${s.reason}`;
          if (api.it.skip) api.it.skip(name, () => undefined);
          else api.it(`${name} (skipped)`, async () => undefined);
        }
      });
    }
  });
}

function describeTarget(api: TestApi, target: ConformanceTarget, options: ConformanceOptions): void {
  const specs = selectSpecs(allSpecs(), options);
  // A test framework's own timeout applies per test; timeoutMs here is handed to it instead.
  const { timeoutMs, ...rest } = options;
  api.describe(`conformance: backend '${target.id}' (${target.precision})`, () => {
    const session = new ConformanceSession(target, rest);
    api.beforeAll(() => session.open(), timeoutMs);
    api.afterAll(() => session.close(), timeoutMs);
    const byCase = new Map<string, Spec[]>();
    for (const spec of specs) byCase.set(spec.case, [...(byCase.get(spec.case) ?? []), spec]);
    for (const [name, group] of byCase) {
      api.describe(name, () => {
        for (const spec of group) {
          api.it(spec.spec, async () => {
            const r = await session.run(spec);
            if (!r.ok) throw new Error(r.message);
          }, timeoutMs);
        }
      });
    }
  });
}
