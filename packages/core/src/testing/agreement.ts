/**
 * The agreement suite and the whole-run cases. Agreement: on every seeded case of cases.ts,
 * the backend's loss, data loss, reg loss, gradient, loss-only evaluation and scores agree with
 * the float64 reference math (losses/reference.ts) within the tolerance of the precision it
 * declares (tolerance.ts). Whole runs: seeded training runs end at weights, and validation
 * predictions, near those of the same run on the float64 reference backend.
 */
import { rowAt, rowCount } from '../backend.js';
import type { ComputeBackend, Objective, Rows, Vec } from '../backend.js';
import { argmaxRows } from '../diagnostics/accuracy.js';
import { gatherRows, linearScores } from '../losses/linear.js';
import { evaluateReference } from '../losses/reference.js';
import { train } from '../strategies/train.js';
import { conformanceCases, objectiveLabel, rowsLabel, trainingCases } from './cases.js';
import type { ConformanceCase, TrainingCase } from './cases.js';
import { createReferenceBackend } from './reference-backend.js';
import { Check } from './runner.js';
import type { ConformanceSession, Spec } from './runner.js';
import { toleranceFor } from './tolerance.js';

function selectedIndices(rows: Rows): Int32Array {
  return Int32Array.from({ length: rowCount(rows) }, (_, i) => rowAt(rows, i));
}

/** Loss, data loss, reg loss, gradient and loss-only evaluation vs evaluateReference. */
function lossSpec(cs: ConformanceCase, rows: Rows, objective: Objective): Spec {
  const what = `${objectiveLabel(objective)}, ${rowsLabel(rows)}`;
  return { suite: 'agreement', case: cs.name, spec: `loss and gradient: ${what}`, run: async (session) => {
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
  return { suite: 'agreement', case: cs.name, spec: `scores: ${rowsLabel(rows)}`, run: async (session) => {
    const check = new Check();
    const g = gatherRows(cs.x, cs.y, cs.d, selectedIndices(rows));
    const ref = linearScores(g.x, cs.w, g.n, cs.d, cs.c);
    const got = await session.backend.scores(cs.w, await session.place(cs), rows);
    check.close(got, ref, { ...toleranceFor(session.target.precision, ref), label: 'scores' });
    return check;
  } };
}

// The reference's final weights per training case, computed once per process.
const referenceWeights = new Map<string, Promise<Float64Array>>();

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

function referenceRun(tc: TrainingCase): Promise<Float64Array> {
  let w = referenceWeights.get(tc.name);
  if (!w) {
    w = (async () => {
      const reference = createReferenceBackend();
      try { return await trainOn(reference, tc); } finally { await reference.dispose(); }
    })();
    referenceWeights.set(tc.name, w);
    w.catch(() => referenceWeights.delete(tc.name));
  }
  return w;
}

/**
 * Validation accuracy of W on tc.validation through the backend's scores, against the
 * reference run's (float64 scores of its W). Tolerance: predictions may differ only on rows
 * where the reference's two best scores are closer than the scores' bound for the backend's
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
  check.that(first < 0, `validation accuracy: ${correctMine}/${v.n} vs the reference's ${correctTheirs}/${v.n}; `
    + `row ${first} predicted ${mine[first]}, reference ${theirs[first]}, and its reference scores are no near-tie `
    + `(bound 2·(atol ${atol.toExponential(2)} + rtol ${rtol.toExponential(2)}·|s|); ${nearTies} near-ties, ${differ} rows differ)`);
}

function trainingSpec(tc: TrainingCase): Spec {
  return { suite: 'training', case: tc.name,
    spec: `final weights and validation accuracy vs the float64 reference (seed ${tc.seed}, lr ${tc.learningRate})`,
    run: async (session) => {
      const check = new Check();
      const expected = await referenceRun(tc);
      const got = await trainOn(session.backend, tc);
      check.close(got, expected, { ...toleranceFor(session.target.precision, expected), label: 'final weights' });
      await validationCheck(check, session, tc, got, expected);
      return check;
    } };
}

/** Every agreement spec, case by case, in a stable order. */
export function agreementSpecs(): Spec[] {
  const specs: Spec[] = [];
  for (const cs of conformanceCases()) {
    for (const rows of cs.rows) {
      for (const objective of cs.objectives) specs.push(lossSpec(cs, rows, objective));
      specs.push(scoresSpec(cs, rows));
    }
  }
  return specs;
}

/** The whole-run specs. */
export function trainingSpecs(): Spec[] {
  return trainingCases().map(trainingSpec);
}
