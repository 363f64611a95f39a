/**
 * The shared conformance suite: every backend, on the seeded cases of cases.ts, agrees with
 * the float64 reference (core/losses, which the 'ts-f64' backend also matches) on loss,
 * data loss, reg loss, gradient and scores, within the tolerance of its precision
 * (tolerance.ts). A backend package's test calls `describeConformance` with its factory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReference, gatherRows, linearScores, rowAt, rowCount } from '@descent/core';
import type { ComputeBackend, Precision, Resident, Rows } from '@descent/core';
import { conformanceCases, objectiveLabel, rowsLabel } from './cases.js';
import type { ConformanceCase } from './cases.js';
import { expectClose, toleranceFor } from './tolerance.js';

export interface ConformanceTarget {
  /** Backend id, for messages. */
  readonly id: string;
  readonly precision: Precision;
  create(): Promise<ComputeBackend>;
}

function selectedIndices(rows: Rows): Int32Array {
  return Int32Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i));
}

/** Defines the suite for one backend: describe(backend) → describe.each(case) → specs. */
export function describeConformance(target: ConformanceTarget): void {
  describe(`conformance: backend '${target.id}' (${target.precision}) vs the float64 reference`, () => {
    let backend: ComputeBackend;
    const residents = new Map<string, Resident>();

    beforeAll(async () => {
      backend = await target.create();
      expect(backend.id).toBe(target.id);
      expect(backend.precision).toBe(target.precision);
    });
    afterAll(async () => {
      for (const r of residents.values()) await backend.release(r);
      await backend.dispose();
    });

    const place = async (cs: ConformanceCase): Promise<Resident> => {
      let r = residents.get(cs.name);
      if (!r) {
        r = await backend.place({ x: cs.x, y: cs.y, n: cs.n, d: cs.d, classes: cs.c });
        residents.set(cs.name, r);
      }
      return r;
    };

    describe.each(conformanceCases())('$name', (cs) => {
      for (const rows of cs.rows) {
        const gathered = gatherRows(cs.x, cs.y, cs.d, selectedIndices(rows));
        for (const objective of cs.objectives) {
          const what = `${objectiveLabel(objective)}, ${rowsLabel(rows)}`;
          it(`loss and gradient: ${what}`, async () => {
            const data = await place(cs);
            const label = `${target.id} / ${cs.name} / ${what}`;
            const ref = evaluateReference(gathered.x, gathered.y, cs.w, gathered.n, cs.d, cs.c, objective, true);
            const known = cs.known?.[objectiveLabel(objective)];
            if (known !== undefined && rowCount(rows) === cs.n) {
              expectClose(ref.dataLoss, known, { atol: 1e-12, rtol: 1e-12, label: `reference / ${cs.name}` });
            }
            const got = await backend.evaluate(cs.w, data, rows, objective, true);
            for (const key of ['loss', 'dataLoss', 'regLoss'] as const) {
              expect(Number.isFinite(got[key]), `${label} / ${key} is ${got[key]}`).toBe(true);
              expectClose(got[key], ref[key], { ...toleranceFor(target.precision, ref[key]), label: `${label} / ${key}` });
            }
            expect(got.gradient, `${label} / gradient missing`).toBeDefined();
            expectClose(got.gradient!, ref.gradient!, {
              ...toleranceFor(target.precision, ref.gradient!), label: `${label} / gradient` });
            const lossOnly = await backend.evaluate(cs.w, data, rows, objective, false);
            expect(lossOnly.gradient).toBeUndefined();
            expectClose(lossOnly.loss, ref.loss, { ...toleranceFor(target.precision, ref.loss), label: `${label} / loss only` });
          });
        }
        it(`scores: ${rowsLabel(rows)}`, async () => {
          const data = await place(cs);
          const ref = linearScores(gathered.x, cs.w, gathered.n, cs.d, cs.c);
          const got = await backend.scores(cs.w, data, rows);
          expectClose(got, ref, { ...toleranceFor(target.precision, ref),
            label: `${target.id} / ${cs.name} / scores, ${rowsLabel(rows)}` });
        });
      }
    });
  });
}
