/**
 * The shared conformance suite as plain data, with no test framework: every backend, on the
 * seeded cases of cases.ts, agrees with the float64 reference (core/losses, which 'ts-f64'
 * also matches) on loss, data loss, reg loss, gradient and scores, and repeats seeded
 * training runs to weights near the 'ts-f64' oracle's, within the tolerance of its precision
 * (tolerance.ts). `runConformance` runs it anywhere (Node, a browser page); conformance.ts
 * turns each spec into a vitest `it`.
 */
import { createTsBackend } from '@descent/backend-ts';
import { argmaxRows, evaluateReference, gatherRows, linearScores, rowAt, rowCount, train } from '@descent/core';
import type { ComputeBackend, Objective, Precision, Resident, Rows, Vec } from '@descent/core';
import { conformanceCases, objectiveLabel, rowsLabel, trainingCases } from './cases.js';
import type { ConformanceCase, TrainingCase } from './cases.js';
import { compareClose, toleranceFor } from './tolerance.js';
import type { CloseOptions, Comparison } from './tolerance.js';

export interface ConformanceTarget {
  /** Backend id, for messages. */
  readonly id: string;
  readonly precision: Precision;
  create(): Promise<ComputeBackend>;
}

/** One spec's outcome. */
export interface CaseResult {
  readonly backend: string;
  readonly case: string;
  readonly spec: string;
  readonly ok: boolean;
  /** Largest error/bound ratio over everything the spec compared (< 1 passes; Infinity: it threw). */
  readonly worst: number;
  /** Why it failed: backend, case, spec, element, both values and the bound. */
  readonly message?: string;
  readonly ms: number;
}

/** A named check, run against an opened backend. */
export interface Spec {
  readonly case: string;
  readonly spec: string;
  run(session: ConformanceSession): Promise<Check>;
}

export interface ConformanceOptions {
  /** Which specs to run (e.g. only the small cases on a slow backend); default all. */
  readonly include?: (spec: Spec) => boolean;
  /** Called after each spec, e.g. to log progress from a page. */
  readonly onResult?: (result: CaseResult) => void;
}

/** Collects comparisons: the worst ratio, and the first failure's message. */
export class Check {
  worst = 0;
  message: string | undefined;

  close(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, options: CloseOptions): void {
    this.add(compareClose(actual, expected, options));
  }

  that(condition: boolean, message: string): void {
    if (!condition) this.add({ worst: Infinity, failures: 1, message });
  }

  private add(c: Comparison): void {
    this.worst = Math.max(this.worst, c.worst);
    if (c.message !== undefined && this.message === undefined) this.message = c.message;
  }
}

/** An opened backend with its placed data sets, shared by the specs of one target. */
export class ConformanceSession {
  private backendOrNull: ComputeBackend | undefined;
  private readonly residents = new Map<string, Resident>();

  constructor(readonly target: ConformanceTarget) {}

  get backend(): ComputeBackend {
    if (!this.backendOrNull) throw new Error(`backend '${this.target.id}' is not open`);
    return this.backendOrNull;
  }

  /** Creates the backend and checks it is what the target says. */
  async open(): Promise<void> {
    const b = await this.target.create();
    this.backendOrNull = b;
    if (b.id !== this.target.id || b.precision !== this.target.precision) {
      throw new Error(`backend '${this.target.id}' (${this.target.precision}) created '${b.id}' (${b.precision})`);
    }
  }

  async place(cs: ConformanceCase): Promise<Resident> {
    let r = this.residents.get(cs.name);
    if (!r) {
      r = await this.backend.place({ x: cs.x, y: cs.y, n: cs.n, d: cs.d, classes: cs.c });
      this.residents.set(cs.name, r);
    }
    return r;
  }

  async run(spec: Spec): Promise<CaseResult> {
    const t0 = performance.now();
    const base = { backend: this.target.id, case: spec.case, spec: spec.spec };
    try {
      const check = await spec.run(this);
      const ms = performance.now() - t0;
      return check.message === undefined ? { ...base, ok: true, worst: check.worst, ms }
        : { ...base, ok: false, worst: check.worst, message: `${this.target.id} / ${spec.case} / ${spec.spec}: ${check.message}`, ms };
    } catch (e) {
      return { ...base, ok: false, worst: Infinity, ms: performance.now() - t0,
        message: `${this.target.id} / ${spec.case} / ${spec.spec} threw: ${(e as Error).stack ?? String(e)}` };
    }
  }

  async close(): Promise<void> {
    if (!this.backendOrNull) return;
    for (const r of this.residents.values()) await this.backendOrNull.release(r);
    this.residents.clear();
    await this.backendOrNull.dispose();
    this.backendOrNull = undefined;
  }
}

function selectedIndices(rows: Rows): Int32Array {
  return Int32Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i));
}

/** Loss, data loss, reg loss, gradient and loss-only evaluation vs evaluateReference. */
function lossSpec(cs: ConformanceCase, rows: Rows, objective: Objective): Spec {
  const what = `${objectiveLabel(objective)}, ${rowsLabel(rows)}`;
  return { case: cs.name, spec: `loss and gradient: ${what}`, run: async (session) => {
    const check = new Check();
    const precision = session.target.precision;
    const g = gatherRows(cs.x, cs.y, cs.d, selectedIndices(rows));
    const ref = evaluateReference(g.x, g.y, cs.w, g.n, cs.d, cs.c, objective, true);
    const known = cs.known?.[objectiveLabel(objective)];
    if (known !== undefined && rowCount(rows) === cs.n) {
      check.close(ref.dataLoss, known, { atol: 1e-12, rtol: 1e-12, label: 'reference data loss vs the hand-computed value' });
    }
    const data = await session.place(cs);
    const got = await session.backend.evaluate(cs.w, data, rows, objective, true);
    for (const key of ['loss', 'dataLoss', 'regLoss'] as const) {
      check.that(Number.isFinite(got[key]), `${key} is ${got[key]}`);
      check.close(got[key], ref[key], { ...toleranceFor(precision, ref[key]), label: key });
    }
    check.that(got.gradient !== undefined, 'gradient missing');
    if (got.gradient) check.close(got.gradient, ref.gradient!, { ...toleranceFor(precision, ref.gradient!), label: 'gradient' });
    const lossOnly = await session.backend.evaluate(cs.w, data, rows, objective, false);
    check.that(lossOnly.gradient === undefined, 'a gradient came back though none was asked for');
    check.close(lossOnly.loss, ref.loss, { ...toleranceFor(precision, ref.loss), label: 'loss only' });
    return check;
  } };
}

function scoresSpec(cs: ConformanceCase, rows: Rows): Spec {
  return { case: cs.name, spec: `scores: ${rowsLabel(rows)}`, run: async (session) => {
    const check = new Check();
    const g = gatherRows(cs.x, cs.y, cs.d, selectedIndices(rows));
    const ref = linearScores(g.x, cs.w, g.n, cs.d, cs.c);
    const got = await session.backend.scores(cs.w, await session.place(cs), rows);
    check.close(got, ref, { ...toleranceFor(session.target.precision, ref), label: 'scores' });
    return check;
  } };
}

// The oracle's final weights per training case, computed once per process.
const oracleWeights = new Map<string, Promise<Float64Array>>();

async function trainOn(backend: ComputeBackend, tc: TrainingCase): Promise<Float64Array> {
  const resident = await backend.place(tc.data);
  try {
    const result = await train({ backend, train: resident, objective: tc.objective, strategy: 'minibatch',
      sampler: 'shuffle', optimizer: tc.optimizer, learningRate: tc.learningRate, iterations: tc.iterations,
      batchSize: tc.batchSize, seed: tc.seed, evaluateEvery: 0 });
    if (result.status !== 'completed') throw new Error(`run ended ${result.status}: ${result.message ?? ''}`);
    return result.weights;
  } finally {
    await backend.release(resident);
  }
}

function oracle(tc: TrainingCase): Promise<Float64Array> {
  let w = oracleWeights.get(tc.name);
  if (!w) {
    w = (async () => {
      const ts = createTsBackend('float64');
      try { return await trainOn(ts, tc); } finally { await ts.dispose(); }
    })();
    oracleWeights.set(tc.name, w);
  }
  return w;
}

/**
 * Validation accuracy of W on tc.validation through the backend's scores, against the
 * oracle's (float64 scores of the oracle's W). Tolerance: predictions may differ only on rows
 * where the oracle's two best scores are closer than the scores' bound for the backend's
 * precision (a near-tie that float32 rounding may break either way); anywhere else they must
 * be equal, so in practice the accuracies are identical.
 */
async function validationCheck(check: Check, session: ConformanceSession, tc: TrainingCase, got: Float64Array,
  expected: Float64Array): Promise<void> {
  const v = tc.validation;
  const ref = linearScores(v.x, expected, v.n, v.d, v.classes);
  const { atol, rtol } = toleranceFor(session.target.precision, ref);
  const resident = await session.backend.place(v);
  let scores: Vec;
  try {
    scores = await session.backend.scores(got, resident, { start: 0, count: v.n });
  } finally {
    await session.backend.release(resident);
  }
  const mine = argmaxRows(scores, v.classes), theirs = argmaxRows(ref, v.classes);
  let correctMine = 0, correctTheirs = 0, differ = 0, nearTies = 0, first = -1;
  for (let i = 0; i < v.n; i++) {
    if (mine[i] === v.y[i]) correctMine++;
    if (theirs[i] === v.y[i]) correctTheirs++;
    const row = ref.subarray(i * v.classes, (i + 1) * v.classes);
    const sorted = [...row].sort((a, b) => b - a);
    const tie = sorted[0]! - sorted[1]! <= 2 * (atol + rtol * Math.abs(sorted[0]!));
    if (tie) nearTies++;
    if (mine[i] !== theirs[i]) { differ++; if (!tie && first < 0) first = i; }
  }
  check.that(first < 0, `validation accuracy: ${correctMine}/${v.n} vs the oracle's ${correctTheirs}/${v.n}; `
    + `row ${first} predicted ${mine[first]}, oracle ${theirs[first]}, and its oracle scores are no near-tie `
    + `(bound 2·(atol ${atol.toExponential(2)} + rtol ${rtol.toExponential(2)}·|s|); ${nearTies} near-ties, ${differ} rows differ)`);
}

function trainingSpec(tc: TrainingCase): Spec {
  return { case: tc.name, spec: `final weights and validation accuracy vs 'ts-f64' (seed ${tc.seed}, lr ${tc.learningRate})`, run: async (session) => {
    const check = new Check();
    const expected = await oracle(tc);
    const got = await trainOn(session.backend, tc);
    check.close(got, expected, { ...toleranceFor(session.target.precision, expected), label: 'final weights' });
    await validationCheck(check, session, tc, got, expected);
    return check;
  } };
}

/** Every spec, case by case, in a stable order. */
export function conformanceSpecs(): Spec[] {
  const specs: Spec[] = [];
  for (const cs of conformanceCases()) {
    for (const rows of cs.rows) {
      for (const objective of cs.objectives) specs.push(lossSpec(cs, rows, objective));
      specs.push(scoresSpec(cs, rows));
    }
  }
  for (const tc of trainingCases()) specs.push(trainingSpec(tc));
  return specs;
}

/**
 * Runs the suite against one backend and returns a result per spec; never throws. A backend
 * that fails to start gives a single failed result saying why.
 */
export async function runConformance(target: ConformanceTarget, options: ConformanceOptions = {}): Promise<CaseResult[]> {
  const session = new ConformanceSession(target);
  const results: CaseResult[] = [];
  const t0 = performance.now();
  try {
    await session.open();
  } catch (e) {
    await session.close().catch(() => undefined);
    return [{ backend: target.id, case: '(backend)', spec: 'create', ok: false, worst: Infinity, ms: performance.now() - t0,
      message: `${target.id}: could not create the backend: ${(e as Error).message ?? String(e)}` }];
  }
  try {
    for (const spec of conformanceSpecs()) {
      if (options.include && !options.include(spec)) continue;
      const r = await session.run(spec);
      results.push(r);
      options.onResult?.(r);
    }
  } finally {
    await session.close();
  }
  return results;
}
