/**
 * The shared conformance suite as vitest tests: one `it` per spec of conformance-runner.ts,
 * grouped by case. A backend package's test calls `describeConformance` with its factory.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ConformanceSession, conformanceSpecs } from './conformance-runner.js';
import type { ConformanceOptions, ConformanceTarget, Spec } from './conformance-runner.js';

export type { CaseResult, ConformanceTarget } from './conformance-runner.js';

export function describeConformance(target: ConformanceTarget, options: Pick<ConformanceOptions, 'include'> = {}): void {
  describe(`conformance: backend '${target.id}' (${target.precision}) vs the float64 reference`, () => {
    const session = new ConformanceSession(target);
    beforeAll(() => session.open());
    afterAll(() => session.close());

    const byCase = new Map<string, Spec[]>();
    for (const spec of conformanceSpecs()) {
      if (options.include && !options.include(spec)) continue;
      byCase.set(spec.case, [...(byCase.get(spec.case) ?? []), spec]);
    }
    for (const [name, specs] of byCase) {
      describe(name, () => {
        for (const spec of specs) {
          it(spec.spec, async () => {
            const r = await session.run(spec);
            if (!r.ok) throw new Error(r.message);
          });
        }
      });
    }
  });
}
