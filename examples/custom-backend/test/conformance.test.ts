// The whole proof: the conformance kit on the package's backends (agreement with the float64
// reference, whole training runs, and the contract: bad input, released and disposed data,
// lifecycle), one vitest test per spec.
import * as vitest from 'vitest';
import { runConformance, summarizeConformance, describeConformance } from '@descent/core/testing';
import { backendPackage } from '../src/index.js';

await describeConformance(vitest, backendPackage);

// The same kit from plain code: results as data, never an exception.
vitest.it('passes runConformance too', async () => {
  const summary = summarizeConformance(await runConformance(backendPackage));
  vitest.expect(summary.failures).toEqual([]);
  vitest.expect(summary).toMatchObject({ ok: true, backends: ['example-js'], skipped: [] });
});
