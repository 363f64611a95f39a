/**
 * The kit on its own float64 reference backend (which must pass, like any backend), and the kit
 * itself: it finds what a broken backend gets wrong, never throws, reports the backends of a
 * package that do not run here as skipped, and declares tests through any framework's functions.
 */
import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { rowAt, rowCount } from '../backend.js';
import { BackendError } from '../errors.js';
import type { ComputeBackend, DesignMatrix, Evaluation, Objective, Resident, ResidentTrainer, Rows, TrainerSpec, Vec } from '../backend.js';
import { gatherRows, linearScores } from '../losses/linear.js';
import { evaluateReference } from '../losses/reference.js';
import { validateDesignMatrix, validateObjective, validateRows, validateWeights } from '../losses/validate.js';
import { PlacedSets } from '../placed-sets.js';
import type { BackendModule, BackendPackage } from '../registry.js';
import {
  CONTRACT_CASES, REFERENCE_BACKEND_ID, conformanceSpecs, createReferenceBackend, describeConformance,
  formatConformance, runConformance, summarizeConformance,
} from './index.js';
import type { CaseResult, ConformanceTarget, TestApi } from './index.js';

const reference: ConformanceTarget = { id: REFERENCE_BACKEND_ID, precision: 'float64', create: async () => createReferenceBackend() };

await describeConformance(vitest, reference);

/** Ways to break a backend, one at a time. */
interface Faults {
  /** Keep the caller's x and y instead of copies. */
  readonly noCopy?: boolean;
  /** Skip every argument check. */
  readonly noValidation?: boolean;
  /** Forget the L2 term in the gradient. */
  readonly noRegGradient?: boolean;
  /** Scale W in place by one part in 2⁵² while evaluating. */
  readonly writesW?: boolean;
  /** Hand out one gradient buffer for every call. */
  readonly reuseGradient?: boolean;
  /** Count a resource per place that release never gives back. */
  readonly leak?: { count: number };
  /** Throw on a second dispose. */
  readonly strictDispose?: boolean;
  /** Crammer–Singer: let the highest index win a tie for the competitor, not the lowest. */
  readonly lastTie?: boolean;
  /** Offer a resident trainer (SGD): sound, or returning the loss after the step, or keeping the caller's W. */
  readonly trainer?: 'sound' | 'lossAfter' | 'noCopy' | 'stepsAfterDispose' | 'finiteOnNaN';
}

/** W (D×C) or a gradient with its class columns in reverse order. */
function reverseColumns(v: Float64Array, c: number): Float64Array {
  return v.map((_, k) => v[k - (k % c) + (c - 1 - (k % c))]!);
}

/** A float64 backend on core's reference math, with the faults asked for. */
function faulty(faults: Faults, id = 'faulty'): ComputeBackend {
  const placed = new PlacedSets<{ x: Float32Array; y: Int32Array }>(id);
  let shared: Float64Array | undefined;
  let disposed = false;
  const gather = (w: Float64Array, data: Resident, rows: Rows) => {
    const p = placed.get(data);
    if (!faults.noValidation) {
      validateWeights(w, data.d, data.classes);
      validateRows(rows, data.n);
    }
    return gatherRows(p.x, p.y, data.d, Int32Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i)));
  };
  const backend: ComputeBackend = {
    id, precision: 'float64',
    async place(data: DesignMatrix): Promise<Resident> {
      placed.live();
      if (!faults.noValidation) validateDesignMatrix(data);
      const x = faults.noCopy ? data.x : Float32Array.from(data.x);
      const y = faults.noCopy ? data.y : Int32Array.from(data.y);
      const r: Resident = { backendId: id, n: data.n, d: data.d, classes: data.classes, y: faults.noCopy ? data.y : Int32Array.from(y) };
      placed.add(r, { x, y });
      if (faults.leak) faults.leak.count++;
      return r;
    },
    async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective, wantGradient: boolean): Promise<Evaluation> {
      const g = gather(w, data, rows);
      if (!faults.noValidation) validateObjective(objective);
      if (faults.writesW) for (let k = 0; k < w.length; k++) w[k] = w[k]! * (1 + 2 ** -52);
      const c = data.classes;
      if (faults.lastTie && objective.loss === 'crammer-singer') {
        // With the classes numbered backwards, the reference's lowest index is the highest.
        const e = evaluateReference(g.x, g.y.map((label) => c - 1 - label), reverseColumns(w, c), g.n, data.d, c, objective, wantGradient);
        return e.gradient ? { ...e, gradient: reverseColumns(e.gradient, c) } : e;
      }
      const e = evaluateReference(g.x, g.y, w, g.n, data.d, c, objective, wantGradient);
      if (!e.gradient) return e;
      const gradient = faults.reuseGradient ? (shared ??= new Float64Array(e.gradient.length)) : e.gradient;
      gradient.set(e.gradient);
      if (faults.noRegGradient) for (let k = 0; k < w.length; k++) gradient[k] = gradient[k]! - 2 * objective.reg * w[k]!;
      return { ...e, gradient };
    },
    async scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> {
      const g = gather(w, data, rows);
      return linearScores(g.x, w, g.n, data.d, data.classes);
    },
    async release(data: Resident): Promise<void> {
      placed.delete(data);
    },
    async dispose(): Promise<void> {
      if (disposed && faults.strictDispose) throw new Error('disposed twice');
      disposed = true;
      placed.dispose();
    },
  };
  if (faults.trainer) {
    const kind = faults.trainer;
    backend.createTrainer = async (data: Resident, spec: TrainerSpec): Promise<ResidentTrainer | undefined> => {
      if (spec.optimizer !== 'sgd') return undefined;
      let ws: Float64Array[] = [kind === 'noCopy' ? spec.weights : Float64Array.from(spec.weights)];
      let disposed = false;
      return {
        step: async (rows: Rows, lr: number) => {
          if (disposed && kind !== 'stepsAfterDispose') throw new BackendError('trainer disposed');
          const w = disposed ? Float64Array.from(spec.weights) : ws[0]!;
          // A sound trainer's loss is non-finite whenever W is (core's reference skips reg·ΣW² at reg 0, so say it here).
          if (w.some((v) => !Number.isFinite(v))) return kind === 'finiteOnNaN' ? 1 : Number.NaN;
          const e = await backend.evaluate(w, data, rows, spec.objective, true);
          const next = Float64Array.from(w, (v, k) => v - lr * e.gradient![k]!);
          ws = [next, ...ws].slice(0, 3);
          return kind === 'lossAfter' ? (await backend.evaluate(next, data, rows, spec.objective, false)).loss : e.loss;
        },
        weights: (back = 0) => (ws[back] ? Float64Array.from(ws[back]) : undefined),
        dispose: async () => { ws = []; disposed = true; },
      };
    };
  }
  return backend;
}

const target = (faults: Faults, id = 'faulty'): ConformanceTarget => ({ id, precision: 'float64', create: async () => faulty(faults, id) });
const failedSpecs = (results: CaseResult[]) => results.filter((r) => !r.ok).map((r) => r.spec);

describe('the kit finds what a broken backend gets wrong', () => {
  it('a sound backend passes everything, and the counts of each suite are stable', async () => {
    const results = await runConformance(target({}));
    expect(failedSpecs(results)).toEqual([]);
    const count = (suite: string) => results.filter((r) => r.suite === suite).length;
    expect([count('agreement'), count('training'), count('contract')]).toEqual([177, 3, 21]);
    expect(summarizeConformance(results)).toMatchObject({ ok: true, passed: 201, failed: 0, backends: ['faulty'], skipped: [] });
  });

  it('a gradient without the L2 term fails agreement, naming the element and the bound', async () => {
    const results = await runConformance(target({ noRegGradient: true }), { suites: ['agreement'] });
    const failed = results.filter((r) => !r.ok);
    // Every objective with reg > 0 fails, reg 0 passes.
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.every((r) => !/reg 0(?![.\d])/.test(r.spec))).toBe(true);
    expect(failed[0]!.message).toMatch(/^faulty \/ lecture 3×3 \(hand-checkable\) \/ loss and gradient: svm reg 0\.5 .*: gradient at index \d+: got .*, expected .*bound/);
    expect(failed[0]!.worst).toBeGreaterThan(1);
  });

  it('Crammer–Singer ties broken the other way fail on the cases with tied wrong classes alone', async () => {
    const results = await runConformance(target({ lastTie: true }), { suites: ['agreement'] });
    const failed = results.filter((r) => !r.ok);
    // The integer case (48 rows) and the ±1e4 one-hot case (12 rows) have exact ties.
    expect(failed.map((r) => r.spec)).toEqual([
      'loss and gradient: crammer-singer reg 0 Δ 1, rows [0, 48)',
      'loss and gradient: crammer-singer reg 0.25 Δ 1, rows [0, 48)',
      'loss and gradient: crammer-singer reg 0 Δ 2, rows [0, 48)',
      'loss and gradient: crammer-singer reg 0 Δ 1, rows [0, 12)',
    ]);
    expect(failed[0]!.message).toMatch(/^faulty \/ hinge ties .*: gradient at index \d+: got/);
  });

  it('keeping the caller\'s arrays fails the copy checks', async () => {
    const results = await runConformance(target({ noCopy: true }), { suites: ['contract'] });
    expect(failedSpecs(results)).toEqual([
      'the Resident describes the data: backendId, n, d, classes, and its own copy of the labels',
      "keeps its own copy of X and y: changing the caller's arrays after place (or placePixels) changes nothing",
    ]);
    expect(results.find((r) => r.spec.startsWith('keeps'))!.message).toMatch(/loss after the caller overwrote x and y: got/);
  });

  it('no checks at place fails the data specs; a message that does not say where fails too', async () => {
    // evaluate still checks W, the objective and the selection's size through evaluateReference, and
    // gatherRows refuses rows outside the data, but names a range's bad row by its position only.
    const results = await runConformance(target({ noValidation: true }), { include: (s) => s.case === CONTRACT_CASES.badInput });
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => r.spec)).toEqual([
      'place refuses NaN and ±Infinity in x: DataError naming the row and column',
      'place refuses labels outside [0, classes): DataError naming the label and its row',
      'place refuses inconsistent shapes: ShapeError',
      'evaluate and scores refuse rows outside [0, n): ShapeError naming the index and its position',
    ]);
    expect(failed[0]!.message).toContain('place with x[row 2, column 1] = NaN: accepted; expected a DataError');
    expect(failed[3]!.message).toContain("evaluate with rows {start 4, count 3} (n 6): the ShapeError says \"rows: index 6 at position 2 is outside the data\", which does not name '4' and '7'");
  });

  it('writing W, reusing the gradient buffer, leaking per place and a strict dispose each fail their spec', async () => {
    const lifecycle = (r: { case: string }) => r.case !== CONTRACT_CASES.badInput;
    expect(failedSpecs(await runConformance(target({ writesW: true }), { suites: ['contract'], include: lifecycle })))
      .toEqual(['never writes W (evaluate with and without the gradient, scores, ranges and indices)']);
    expect(failedSpecs(await runConformance(target({ reuseGradient: true }), { suites: ['contract'], include: lifecycle })))
      .toEqual(['results belong to the caller: later calls leave an earlier gradient and scores as they were']);
    const leak = { count: 0 };
    const leaking = await runConformance(target({ leak }), { suites: ['contract'], include: lifecycle, resourceCount: () => leak.count });
    expect(failedSpecs(leaking)).toEqual([expect.stringMatching(/^place, evaluate and release 10 times/)]);
    expect(leaking.find((r) => !r.ok)!.message).toMatch(
      /cycle 2 vs cycle 1: resources after place \/ evaluate \/ release are (\d+) \/ \1 \/ \1, were \d+ \/ \d+ \/ \d+: they grow; also: dispose left 2 resources/);
    expect(failedSpecs(await runConformance(target({ strictDispose: true }), { suites: ['contract'], include: lifecycle })))
      .toEqual([expect.stringMatching(/^after dispose: .*release and dispose again are harmless$/)]);
  });
});

describe('the kit checks a resident trainer where one is offered', () => {
  const trainerSpec = 'a resident trainer (createTrainer, where offered): its own copy of W, the loss at W before each step (non-finite when W holds a NaN, even at reg 0), the Ws the steps started from, refused after dispose and on released data';
  it('a sound one passes everything (its SGD run included); one that reports the loss after the step, keeps the caller\'s W, steps after dispose or reports a finite loss for a NaN W fails that spec', async () => {
    const sound = await runConformance(target({ trainer: 'sound' }));
    expect(sound.filter((r) => !r.ok).map((r) => r.message)).toEqual([]);
    expect(summarizeConformance(sound)).toMatchObject({ ok: true, passed: 201, failed: 0 });
    const lifecycle = (r: { case: string }) => r.case === CONTRACT_CASES.lifecycle;
    const says = { lossAfter: /the loss a step returns/, noCopy: /W after one SGD step/, stepsAfterDispose: /a step after dispose: accepted/,
      finiteOnNaN: /returned the finite loss 1: core's divergence guard would miss it/ } as const;
    for (const [trainer, message] of Object.entries(says)) {
      const results = await runConformance(target({ trainer: trainer as keyof typeof says }), { suites: ['contract'], include: lifecycle });
      expect(failedSpecs(results), trainer).toEqual([trainerSpec]);
      expect(results.find((r) => !r.ok)!.message, trainer).toMatch(message);
    }
  });
});

describe('runConformance never throws', () => {
  it('a backend that cannot start, or is not what the target says, gives one failed result saying why', async () => {
    const cannot = await runConformance({ id: 'gone', precision: 'float32', create: async () => { throw new Error('no device'); } });
    expect(cannot).toEqual([expect.objectContaining({ backend: 'gone', suite: 'backend', spec: 'create', ok: false,
      message: 'gone: could not create the backend: Error: no device' })]);
    const wrong = await runConformance({ id: 'f32', precision: 'float32', create: async () => createReferenceBackend() });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]!.message).toContain("backend 'f32' (float32) created 'reference-f64' (float64)");
  });

  it('a throwing spec, a hanging call and a throwing onResult are results, not exceptions', async () => {
    const hangs: ConformanceTarget = { id: 'hangs', precision: 'float64', create: async () => {
      const b = createReferenceBackend();
      return { ...b, id: 'hangs', precision: 'float64', place: b.place.bind(b), release: b.release.bind(b), dispose: b.dispose.bind(b),
        evaluate: () => new Promise<Evaluation>(() => undefined), scores: () => { throw new TypeError('boom'); } };
    } };
    const results = await runConformance(hangs, { timeoutMs: 50, include: (s) => s.case.startsWith('lecture'),
      onResult: () => { throw new Error('reporter broke'); } });
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(results.find((r) => r.spec.startsWith('loss'))!.message).toMatch(/threw: Error: did not finish within 50 ms/);
    expect(results.find((r) => r.spec.startsWith('scores'))!.message).toMatch(/threw: TypeError: boom/);
  });
});

describe('a BackendPackage: every backend that runs here, the others skipped with their reason', () => {
  const pkg: BackendPackage = {
    name: '@example/backends',
    backends: [
      { id: 'reference-f64', description: 'float64 reference', precision: 'float64', environments: ['node', 'browser'], priority: 1, device: 'cpu' },
      { id: 'needs-gpu', description: 'a GPU one', precision: 'float32', environments: ['node'], priority: 2, device: 'gpu' },
      { id: 'browser-only', description: 'a browser one', precision: 'float32', environments: ['browser'], priority: 3, device: 'cpu' },
    ],
    load: async (): Promise<BackendModule> => ({ providers: [
      { id: 'reference-f64', description: '', precision: 'float64', environments: ['node', 'browser'],
        probe: async () => ({ available: true }), create: async () => createReferenceBackend() },
      { id: 'needs-gpu', description: '', precision: 'float32', environments: ['node'],
        probe: async () => ({ available: false, reason: 'no GPU adapter here' }), create: async () => { throw new Error('unreachable'); } },
      { id: 'browser-only', description: '', precision: 'float32', environments: ['browser'],
        probe: async () => ({ available: true }), create: async () => { throw new Error('unreachable'); } },
    ] }),
  };

  it('runConformance', async () => {
    const results = await runConformance(pkg, { environment: 'node', suites: ['contract'] });
    const s = summarizeConformance(results);
    expect(s).toMatchObject({ ok: true, passed: 21, failed: 0, backends: ['reference-f64'] });
    expect(s.skipped).toEqual([{ id: 'needs-gpu', reason: 'no GPU adapter here' },
      { id: 'browser-only', reason: 'runs only in browser, not in node' }]);
    const text = formatConformance(results);
    expect(text).toMatch(/^reference-f64: 21\/21 specs passed \(\d+\.\d s\)\nneeds-gpu: skipped, no GPU adapter here\nbrowser-only: skipped, runs only in browser, not in node$/);
  });

  it('describeConformance declares a block per backend that runs, one test per spec, and skipped tests naming the others', async () => {
    const names: string[] = [];
    const path: string[] = [];
    const hooks: string[] = [];
    const it = Object.assign((name: string) => { names.push([...path, name].join(' > ')); },
      { skip: (name: string) => { names.push(`SKIP ${[...path, name].join(' > ')}`); } });
    const api: TestApi = {
      describe: (name, body) => { path.push(name); body(); path.pop(); },
      it, beforeAll: () => { hooks.push('beforeAll'); }, afterAll: () => { hooks.push('afterAll'); },
    };
    await describeConformance(api, pkg, { environment: 'node', include: (s) => s.case === CONTRACT_CASES.released });
    expect(hooks).toEqual(['beforeAll', 'afterAll']);
    expect(names).toEqual([
      ...conformanceSpecs({ include: (s) => s.case === CONTRACT_CASES.released }).map((s) =>
        `conformance: package @example/backends > conformance: backend 'reference-f64' (float64) > ${s.case} > ${s.spec}`),
      'SKIP conformance: package @example/backends > not run here > needs-gpu: no GPU adapter here',
      'SKIP conformance: package @example/backends > not run here > browser-only: runs only in browser, not in node',
    ]);
  });
});
