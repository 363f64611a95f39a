/**
 * The contract checks: what every ComputeBackend must do besides computing the right numbers.
 *
 * - Bad input is refused with the right kind of DescentError and a message that says where:
 *   NaN/±Infinity in X (DataError naming row and column), labels outside [0, classes)
 *   (DataError naming the label and its row), inconsistent shapes (ShapeError), W of the wrong
 *   length (ShapeError naming both lengths), rows outside [0, n) (ShapeError naming the index
 *   and its position), an empty selection (ShapeError), an unknown loss (OptionError naming
 *   it), a negative or non-finite reg and a negative Δ (OptionError); afterwards the backend
 *   still works.
 * - Released and disposed data: evaluate/scores on a released data set, on one placed on
 *   another instance or another backend, or after dispose, are refused with a BackendError
 *   ('not placed', 'disposed'); release and dispose may be repeated.
 * - Lifecycle: the Resident describes the data and holds its own labels; the backend keeps its
 *   own copy of X and y; W is never written; results belong to the caller (a later call does
 *   not overwrite them); place/evaluate/release cycles give the same results every time and,
 *   where the caller can count the runtime's resources (options.resourceCount), do not grow.
 * - A resident trainer, where offered (createTrainer): a copy of W₀, the loss at W before each
 *   step (non-finite when W holds a NaN, even at reg 0), weights(1) and (2) the Ws the steps
 *   started from, steps refused after dispose and on released data.
 *
 * Backends that check their arguments with core's validators (validateDesignMatrix,
 * validateWeights, validateRows, validateObjective) and keep their data sets in core's
 * PlacedSets pass the wording checks as they are.
 */
import type { ComputeBackend, DesignMatrix, LossName, Objective, PixelMatrix, Resident, Rows } from '../backend.js';
import { BackendError, DataError, OptionError, ShapeError } from '../errors.js';
import { gatherRows, linearScores } from '../losses/linear.js';
import { resolveOptimizerOptions } from '../optimizers/optimizer.js';
import { evaluateReference } from '../losses/reference.js';
import { Random } from '../random.js';
import { Check, errorText } from './runner.js';
import type { ConformanceSession, Spec } from './runner.js';
import { toleranceFor } from './tolerance.js';

export const CONTRACT_CASES = {
  badInput: 'contract: bad input',
  released: 'contract: released and disposed data',
  lifecycle: 'contract: lifecycle',
} as const;

const N = 6, D = 4, C = 3;
const ALL: Rows = { start: 0, count: N };
const SVM: Objective = { loss: 'svm', reg: 0.1, delta: 1 };
const SOFTMAX: Objective = { loss: 'softmax', reg: 0.1 };
/** Place/evaluate/release cycles of the lifecycle check. */
const CYCLES = 10;

interface Problem {
  readonly data: DesignMatrix;
  readonly w: Float64Array;
}

/** A small seeded data set (bias column last, every class present) and a W, as new arrays on every call. */
function problem(): Problem {
  const rng = new Random('descent-conformance').fork('contract');
  const x = new Float32Array(N * D);
  rng.fillNormal(x, 2);
  for (let i = 0; i < N; i++) x[i * D + D - 1] = 1;
  const y = Int32Array.from({ length: N }, (_, i) => i % C);
  const w = new Float64Array(D * C);
  rng.fillNormal(w, 0.5);
  return { data: { x, y, n: N, d: D, classes: C }, w };
}

type Kind = 'DataError' | 'ShapeError' | 'OptionError' | 'BackendError';
const KINDS = { DataError, ShapeError, OptionError, BackendError } as const;

/** core's error class, or an error of that name (a second copy of core in the same program). */
function isKind(e: unknown, kind: Kind): boolean {
  return e instanceof KINDS[kind] || (e instanceof Error && e.name === kind);
}

/** The call must be refused (throw or reject) with a `kind` whose message contains every `says`. */
async function refuses(check: Check, what: string, call: () => Promise<unknown>, kind: Kind,
  says: readonly string[] = []): Promise<void> {
  let threw = false, error: unknown;
  try {
    await call();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) return check.fail(`${what}: accepted; expected a ${kind}`);
  if (!isKind(error, kind)) return check.fail(`${what}: refused with ${errorText(error)}; expected a ${kind}`);
  const message = (error as Error).message;
  const missing = says.filter((s) => !message.includes(s));
  if (missing.length > 0) {
    check.fail(`${what}: the ${kind} says "${message}", which does not name ${missing.map((s) => `'${s}'`).join(' and ')}`);
  }
}

/** The call must succeed. */
async function succeeds<T>(check: Check, what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    check.fail(`${what}: threw ${errorText(e)}`);
    return undefined;
  }
}

/** Places data that should be refused; if the backend accepts it, releases it again. */
async function placeRefused(b: ComputeBackend, data: DesignMatrix): Promise<void> {
  const r = await b.place(data);
  await b.release(r).catch(() => undefined);
}

/** Runs `body` with the problem placed on the session's backend, released afterwards. */
async function withPlaced(session: ConformanceSession, p: Problem, body: (r: Resident) => Promise<void>): Promise<void> {
  const r = await session.backend.place(p.data);
  try {
    await body(r);
  } finally {
    await session.backend.release(r);
  }
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The evaluation at W over all rows agrees with the reference (a backend that still works). */
async function agrees(check: Check, session: ConformanceSession, b: ComputeBackend, p: Problem, r: Resident,
  objective: Objective, label: string): Promise<void> {
  const ref = evaluateReference(p.data.x, p.data.y, p.w, N, D, C, objective, true);
  const got = await b.evaluate(p.w, r, ALL, objective, true);
  const precision = session.target.precision;
  check.close(got.loss, ref.loss, { ...toleranceFor(precision, ref.loss), label: `${label}: loss` });
  check.that(got.gradient !== undefined, `${label}: gradient missing`);
  if (got.gradient) check.close(got.gradient, ref.gradient!, { ...toleranceFor(precision, ref.gradient!), label: `${label}: gradient` });
  const scores = linearScores(p.data.x, p.w, N, D, C);
  check.close(await b.scores(p.w, r, ALL), scores, { ...toleranceFor(precision, scores), label: `${label}: scores` });
}

function spec(name: string, text: string, body: (session: ConformanceSession, check: Check) => Promise<void>): Spec {
  return { suite: 'contract', case: name, spec: text, run: async (session) => {
    const check = new Check();
    await body(session, check);
    return check;
  } };
}

const BAD_W = [D * C - 1, D * C + 1];
const BAD_ROWS: readonly { rows: Rows; says: string[] }[] = [
  { rows: Int32Array.of(0, N), says: [String(N), 'position 1'] },
  { rows: Int32Array.of(-1), says: ['-1', 'position 0'] },
  { rows: { start: 4, count: 3 }, says: ['4', '7'] },
  { rows: { start: -1, count: 2 }, says: [] },
];
const EMPTY_ROWS: readonly Rows[] = [new Int32Array(0), { start: 0, count: 0 }];
const BAD_REG: readonly { objective: Objective; says: string[] }[] = [
  { objective: { loss: 'svm', reg: -1 }, says: ['reg', '-1'] },
  { objective: { loss: 'softmax', reg: Number.NaN }, says: ['reg'] },
  { objective: { loss: 'softmax', reg: Number.POSITIVE_INFINITY }, says: ['reg'] },
  { objective: { loss: 'svm', reg: 0, delta: -1 }, says: ['delta'] },
];
const UNKNOWN_LOSS: Objective = { loss: 'logistic' as LossName, reg: 0 };

function rowsText(rows: Rows): string {
  return rows instanceof Int32Array ? `rows Int32Array [${[...rows].join(', ')}]` : `rows {start ${rows.start}, count ${rows.count}}`;
}

function badInputSpecs(): Spec[] {
  const name = CONTRACT_CASES.badInput;
  return [
    spec(name, 'place refuses NaN and ±Infinity in x: DataError naming the row and column', async (session, check) => {
      for (const [row, col, v] of [[2, 1, Number.NaN], [5, 3, Number.NEGATIVE_INFINITY], [0, 0, Number.POSITIVE_INFINITY]] as const) {
        const p = problem();
        p.data.x[row * D + col] = v;
        await refuses(check, `place with x[row ${row}, column ${col}] = ${v}`, () => placeRefused(session.backend, p.data),
          'DataError', [`row ${row}`, `column ${col}`]);
      }
    }),
    spec(name, 'place refuses labels outside [0, classes): DataError naming the label and its row', async (session, check) => {
      for (const [row, label] of [[4, 7], [1, -1], [3, C]] as const) {
        const p = problem();
        p.data.y[row] = label;
        await refuses(check, `place with label ${label} at row ${row} (${C} classes)`, () => placeRefused(session.backend, p.data),
          'DataError', [String(label), `row ${row}`]);
      }
    }),
    spec(name, 'place refuses inconsistent shapes: ShapeError', async (session, check) => {
      const p = problem();
      const bad: [string, DesignMatrix][] = [
        ['x one value short', { ...p.data, x: p.data.x.subarray(1) }],
        ['y one label short', { ...p.data, y: p.data.y.subarray(1) }],
        [`d ${D + 1} for an ${N}×${D} x`, { ...p.data, d: D + 1 }],
        ['n 0', { ...p.data, n: 0, x: new Float32Array(0), y: new Int32Array(0) }],
        ['classes 0', { ...p.data, classes: 0 }],
      ];
      for (const [what, data] of bad) await refuses(check, `place with ${what}`, () => placeRefused(session.backend, data), 'ShapeError');
    }),
    spec(name, 'placePixels, where offered, refuses what place refuses: wrong sizes, labels out of range, values not finite', async (session, check) => {
      const b = session.backend;
      if (b.placePixels === undefined) return; // optional: nothing to check where it is not offered
      check.that(typeof b.placePixels === 'function', `placePixels is ${typeof b.placePixels}, not a function`);
      const good = (): PixelMatrix => ({ pixels: Uint8Array.from({ length: N * (D - 1) }, (_, k) => (k * 37) % 256), features: D - 1,
        scale: 1 / 255, mean: new Float32Array(D - 1).fill(0.5), y: Int32Array.from({ length: N }, (_, i) => i % C), n: N, d: D, classes: C });
      const bad: [string, PixelMatrix, string, string[]][] = [
        ['a byte short', { ...good(), pixels: good().pixels.subarray(1) }, 'ShapeError', [String(N * (D - 1))]],
        [`d ${D + 1} for ${D - 1} features`, { ...good(), d: D + 1 }, 'ShapeError', ['features + 1']],
        ['a mean short', { ...good(), mean: new Float32Array(D - 2) }, 'ShapeError', ['mean']],
        [`label ${C} at row 2`, { ...good(), y: Int32Array.from({ length: N }, (_, i) => (i === 2 ? C : 0)) }, 'DataError', [String(C), 'row 2']],
        ['a NaN in the mean', { ...good(), mean: Float32Array.of(0, Number.NaN, 0) }, 'DataError', ['column 1']],
        ['scale 1e37 (255·scale overflows float32)', { ...good(), scale: 1e37 }, 'DataError', ['Infinity', 'row']],
      ];
      for (const [what, data, kind, says] of bad) {
        await refuses(check, `placePixels with ${what}`, async () => {
          const r = await b.placePixels!(data);
          await b.release(r).catch(() => undefined);
        }, kind as Kind, says);
      }
    }),
    spec(name, 'evaluate and scores refuse W of the wrong length: ShapeError naming both lengths', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        for (const length of BAD_W) {
          const w = new Float64Array(length).fill(0.1);
          const says = [String(D * C), String(length)];
          await refuses(check, `evaluate with ${length} weights (D×C = ${D * C})`, () => session.backend.evaluate(w, r, ALL, SVM, true), 'ShapeError', says);
          await refuses(check, `scores with ${length} weights (D×C = ${D * C})`, () => session.backend.scores(w, r, ALL), 'ShapeError', says);
        }
      });
    }),
    spec(name, 'evaluate and scores refuse rows outside [0, n): ShapeError naming the index and its position', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        for (const { rows, says } of BAD_ROWS) {
          await refuses(check, `evaluate with ${rowsText(rows)} (n ${N})`, () => session.backend.evaluate(p.w, r, rows, SOFTMAX, true), 'ShapeError', says);
          await refuses(check, `scores with ${rowsText(rows)} (n ${N})`, () => session.backend.scores(p.w, r, rows), 'ShapeError', says);
        }
      });
    }),
    spec(name, 'evaluate and scores refuse an empty selection: ShapeError', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        for (const rows of EMPTY_ROWS) {
          await refuses(check, `evaluate with ${rowsText(rows)}`, () => session.backend.evaluate(p.w, r, rows, SVM, false), 'ShapeError');
          await refuses(check, `scores with ${rowsText(rows)}`, () => session.backend.scores(p.w, r, rows), 'ShapeError');
        }
      });
    }),
    spec(name, 'evaluate refuses an unknown loss: OptionError naming it', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        for (const wantGradient of [true, false]) {
          await refuses(check, `evaluate with loss 'logistic'${wantGradient ? '' : ', no gradient'}`,
            () => session.backend.evaluate(p.w, r, ALL, UNKNOWN_LOSS, wantGradient), 'OptionError', ['logistic']);
        }
      });
    }),
    spec(name, 'evaluate refuses a negative or non-finite reg and a negative Δ: OptionError', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        for (const { objective, says } of BAD_REG) {
          await refuses(check, `evaluate with ${JSON.stringify({ ...objective, reg: String(objective.reg) })}`,
            () => session.backend.evaluate(p.w, r, ALL, objective, true), 'OptionError', says);
        }
      });
    }),
    spec(name, 'after refused calls the backend still places and evaluates correctly', async (session, check) => {
      const p = problem();
      const nan = problem();
      nan.data.x[0] = Number.NaN;
      await placeRefused(session.backend, nan.data).catch(() => undefined);
      await withPlaced(session, p, async (r) => {
        const b = session.backend;
        await b.evaluate(new Float64Array(1), r, ALL, SVM, true).catch(() => undefined);
        await b.evaluate(p.w, r, Int32Array.of(N), SVM, true).catch(() => undefined);
        await b.evaluate(p.w, r, ALL, UNKNOWN_LOSS, true).catch(() => undefined);
        await b.scores(p.w, r, { start: 0, count: 0 }).catch(() => undefined);
        await agrees(check, session, b, p, r, SOFTMAX, 'after refused calls');
        await agrees(check, session, b, p, r, SVM, 'after refused calls');
      });
    }),
  ];
}

function releasedSpecs(): Spec[] {
  const name = CONTRACT_CASES.released;
  return [
    spec(name, "evaluate and scores after release: BackendError saying 'not placed'", async (session, check) => {
      const p = problem();
      const b = session.backend;
      const r = await b.place(p.data);
      await b.release(r);
      await refuses(check, 'evaluate after release', () => b.evaluate(p.w, r, ALL, SVM, true), 'BackendError', ['not placed']);
      await refuses(check, 'evaluate (no gradient) after release', () => b.evaluate(p.w, r, ALL, SVM, false), 'BackendError', ['not placed']);
      await refuses(check, 'scores after release', () => b.scores(p.w, r, ALL), 'BackendError', ['not placed']);
    }),
    spec(name, 'release twice is harmless, and releasing one data set leaves the others placed', async (session, check) => {
      const p = problem();
      const b = session.backend;
      const gone = await b.place(p.data);
      await withPlaced(session, p, async (kept) => {
        await succeeds(check, 'release', () => b.release(gone));
        await succeeds(check, 'release of a released data set', () => b.release(gone));
        await agrees(check, session, b, p, kept, SOFTMAX, 'the data set still placed');
      });
    }),
    spec(name, 'a data set placed on another instance of the backend: BackendError', async (session, check) => {
      const p = problem();
      const other = await session.another();
      const theirs = await other.place(p.data);
      await refuses(check, "evaluate on another instance's data set", () => session.backend.evaluate(p.w, theirs, ALL, SVM, true), 'BackendError');
      await refuses(check, "scores on another instance's data set", () => session.backend.scores(p.w, theirs, ALL), 'BackendError');
      await agrees(check, session, other, p, theirs, SVM, 'the other instance on its own data set');
      await other.release(theirs);
      await other.dispose();
    }),
    spec(name, "another backend's data set, or a Resident never placed: BackendError", async (session, check) => {
      const p = problem();
      const reference = session.reference();
      const theirs = await reference.place(p.data);
      try {
        await refuses(check, `evaluate on a data set placed on '${reference.id}'`, () => session.backend.evaluate(p.w, theirs, ALL, SVM, true), 'BackendError');
        await refuses(check, `scores on a data set placed on '${reference.id}'`, () => session.backend.scores(p.w, theirs, ALL), 'BackendError');
      } finally {
        await reference.release(theirs);
      }
      const forged: Resident = { backendId: session.backend.id, n: N, d: D, classes: C, y: Int32Array.from(p.data.y) };
      await refuses(check, 'evaluate on a Resident the backend never made', () => session.backend.evaluate(p.w, forged, ALL, SVM, true), 'BackendError', ['not placed']);
      await refuses(check, 'scores on a Resident the backend never made', () => session.backend.scores(p.w, forged, ALL), 'BackendError', ['not placed']);
    }),
    spec(name, "after dispose: place refused with a BackendError saying 'disposed', evaluate and scores with a BackendError; release and dispose again are harmless", async (session, check) => {
      const p = problem();
      const b = await session.another();
      const r = await b.place(p.data);
      await b.dispose();
      await refuses(check, 'place after dispose', () => placeRefused(b, p.data), 'BackendError', ['disposed']);
      await refuses(check, 'evaluate after dispose', () => b.evaluate(p.w, r, ALL, SVM, true), 'BackendError');
      await refuses(check, 'scores after dispose', () => b.scores(p.w, r, ALL), 'BackendError');
      await succeeds(check, 'release after dispose', () => b.release(r));
      await succeeds(check, 'dispose again', () => b.dispose());
    }),
  ];
}

function lifecycleSpecs(): Spec[] {
  const name = CONTRACT_CASES.lifecycle;
  return [
    spec(name, 'the Resident describes the data: backendId, n, d, classes, and its own copy of the labels', async (session, check) => {
      const p = problem();
      await withPlaced(session, p, async (r) => {
        const b = session.backend;
        check.that(r.backendId === b.id, `resident.backendId is '${r.backendId}', not '${b.id}'`);
        check.that(r.n === N && r.d === D && r.classes === C, `resident is ${r.n}×${r.d} with ${r.classes} classes, not ${N}×${D} with ${C}`);
        check.that(r.y instanceof Int32Array, `resident.y is a ${Object.prototype.toString.call(r.y)}, not an Int32Array`);
        check.that(same(r.y, p.data.y), `resident.y is [${[...r.y].join(', ')}], not the labels [${[...p.data.y].join(', ')}]`);
        check.that(r.y !== p.data.y, "resident.y is the caller's array, not the backend's copy");
      });
    }),
    spec(name, "keeps its own copy of X and y: changing the caller's arrays after place (or placePixels) changes nothing", async (session, check) => {
      const p = problem();
      const labels = Int32Array.from(p.data.y);
      await withPlaced(session, p, async (r) => {
        const b = session.backend;
        const before = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        const scores = await b.scores(p.w, r, ALL);
        p.data.x.fill(3);
        p.data.y.fill(0);
        const after = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        const precision = session.target.precision;
        check.close(after.loss, before.loss, { ...toleranceFor(precision, before.loss), label: 'loss after the caller overwrote x and y' });
        if (before.gradient && after.gradient) {
          check.close(after.gradient, before.gradient, { ...toleranceFor(precision, before.gradient), label: 'gradient after the caller overwrote x and y' });
        }
        check.close(await b.scores(p.w, r, ALL), scores, { ...toleranceFor(precision, scores), label: 'scores after the caller overwrote x' });
        check.that(same(r.y, labels), `resident.y changed with the caller's labels: [${[...r.y].join(', ')}]`);
      });
      const b = session.backend;
      if (!b.placePixels) return;
      // The same for what placePixels is given: bytes, mean image and labels.
      const px: PixelMatrix = { pixels: Uint8Array.from({ length: N * (D - 1) }, (_, k) => (k * 53) % 256), features: D - 1, scale: 1 / 255,
        mean: new Float32Array(D - 1).fill(0.25), y: Int32Array.from({ length: N }, (_, i) => i % C), n: N, d: D, classes: C };
      const r = await b.placePixels(px);
      try {
        const before = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        px.pixels.fill(255);
        px.mean.fill(-3);
        px.y.fill(0);
        const after = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        const precision = session.target.precision;
        check.close(after.loss, before.loss, { ...toleranceFor(precision, before.loss), label: 'loss after the caller overwrote the bytes, mean and labels given to placePixels' });
        check.that(same(r.y, labels.map((_, i) => i % C)), `resident.y changed with the labels given to placePixels: [${[...r.y].join(', ')}]`);
      } finally {
        await b.release(r);
      }
    }),
    spec(name, 'never writes W (evaluate with and without the gradient, scores, ranges and indices)', async (session, check) => {
      const p = problem();
      const w0 = Float64Array.from(p.w);
      await withPlaced(session, p, async (r) => {
        const b = session.backend;
        const e = await b.evaluate(p.w, r, ALL, SVM, true);
        await b.evaluate(p.w, r, Int32Array.of(5, 0, 5), SOFTMAX, true);
        await b.evaluate(p.w, r, { start: 1, count: 4 }, SOFTMAX, false);
        await b.scores(p.w, r, Int32Array.of(2, 2, 4));
        await b.scores(p.w, r, ALL);
        check.that(same(p.w, w0), 'W changed during evaluate or scores');
        check.that(e.gradient === undefined || e.gradient.buffer !== p.w.buffer, "the gradient is W's own memory");
      });
    }),
    spec(name, 'results belong to the caller: later calls leave an earlier gradient and scores as they were', async (session, check) => {
      const p = problem();
      const w2 = p.w.map((v) => -2 * v + 0.25);
      await withPlaced(session, p, async (r) => {
        const b = session.backend;
        const e = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        const gradient = e.gradient ? Float64Array.from(e.gradient) : undefined;
        const s = await b.scores(p.w, r, ALL);
        const scores = Float64Array.from(s);
        await b.evaluate(w2, r, ALL, SOFTMAX, true);
        await b.evaluate(w2, r, Int32Array.of(1, 2), SVM, true);
        await b.scores(w2, r, ALL);
        check.that(e.gradient !== undefined && gradient !== undefined && same(e.gradient, gradient), 'a later evaluate overwrote an earlier gradient');
        check.that(same(s, scores), 'a later call overwrote earlier scores');
      });
    }),
    spec(name, `place, evaluate and release ${CYCLES} times on a new instance, then dispose: the same results every cycle; no growth where options.resourceCount can see it`, async (session, check) => {
      const p = problem();
      const count = session.options.resourceCount;
      const measure = async (): Promise<number | undefined> => (count ? await count() : undefined);
      const start = await measure();
      const b = await session.another();
      const precision = session.target.precision;
      let first: { loss: number; gradient: ArrayLike<number>; scores: ArrayLike<number> } | undefined;
      let profile: (number | undefined)[] | undefined;
      for (let k = 0; k < CYCLES; k++) {
        const r = await b.place(p.data);
        const placed = await measure();
        const e = await b.evaluate(p.w, r, ALL, SOFTMAX, true);
        await b.evaluate(p.w, r, Int32Array.of(3, 1, 3), SVM, true);
        await b.evaluate(p.w, r, { start: 2, count: 3 }, SVM, false);
        const s = await b.scores(p.w, r, ALL);
        const used = await measure();
        await b.release(r);
        const released = await measure();
        const now = { loss: e.loss, gradient: e.gradient ?? [], scores: s };
        if (!first) {
          first = now;
          profile = [placed, used, released];
          continue;
        }
        const label = `cycle ${k + 1} vs cycle 1`;
        check.close(now.loss, first.loss, { ...toleranceFor(precision, first.loss), label: `${label}: loss` });
        check.close(now.gradient, first.gradient, { ...toleranceFor(precision, first.gradient), label: `${label}: gradient` });
        check.close(now.scores, first.scores, { ...toleranceFor(precision, first.scores), label: `${label}: scores` });
        const [p0, u0, r0] = profile!;
        if (placed !== p0 || used !== u0 || released !== r0) {
          check.fail(`${label}: resources after place / evaluate / release are ${placed} / ${used} / ${released}, were ${p0} / ${u0} / ${r0}: they grow`);
          break;
        }
      }
      await b.dispose();
      const end = await measure();
      if (start !== undefined && end !== undefined && end > start) {
        check.fail(`dispose left ${end - start} resources of the instance (${start} before it was created, ${end} after dispose)`);
      }
    }),
    spec(name, 'a resident trainer (createTrainer, where offered): its own copy of W, the loss at W before each step (non-finite when W holds a NaN, even at reg 0), the Ws the steps started from, refused after dispose and on released data', async (session, check) => {
      const b = session.backend;
      if (!b.createTrainer) return;
      const p = problem();
      const w0 = Float64Array.from(p.w);
      const r = await b.place(p.data);
      const trainer = await b.createTrainer(r, { objective: SOFTMAX, optimizer: 'sgd', optimizerOptions: resolveOptimizerOptions(),
        batchSize: 2, weights: p.w });
      if (!trainer) return b.release(r);
      const tolerance = (v: ArrayLike<number> | number) => toleranceFor(session.target.precision, v);
      const rows = Int32Array.of(4, 1);
      const g = gatherRows(p.data.x, p.data.y, D, rows);
      const ref = evaluateReference(g.x, g.y, w0, g.n, D, C, SOFTMAX, true);
      const w1 = Float64Array.from(w0, (v, i) => v - 0.5 * ref.gradient![i]!);
      check.close(trainer.weights(0)!, w0, { ...tolerance(w0), label: 'W before any step' });
      check.that(trainer.weights(1) === undefined, 'weights(1) before any step is not undefined');
      p.w.fill(7);
      const loss = await succeeds(check, 'step', () => trainer.step(rows, 0.5));
      if (loss !== undefined) check.close(loss, ref.loss, { ...tolerance(ref.loss), label: 'the loss a step returns (at W before it)' });
      check.close(trainer.weights(0)!, w1, { ...tolerance(w1), label: "W after one SGD step (the caller's W changed after createTrainer)" });
      check.close(trainer.weights(1)!, w0, { ...tolerance(w0), label: 'weights(1): the W the step started from' });
      await succeeds(check, 'a second step', () => trainer.step(Int32Array.of(0, 5), 0.5));
      check.close(trainer.weights(2)!, w0, { ...tolerance(w0), label: 'weights(2) after two steps' });
      check.close(trainer.weights(1)!, w1, { ...tolerance(w1), label: 'weights(1) after two steps' });
      // Core's divergence guard reads only the loss a step returns (gradient-descent.ts), so a
      // NaN anywhere in W must make it non-finite: here with a hinge loss and reg 0.
      const poisoned = Float64Array.from(w0, (v, i) => (i === D * C - 1 ? Number.NaN : v));
      const svm = await b.createTrainer(r, { objective: { loss: 'svm', reg: 0, delta: 1 }, optimizer: 'sgd',
        optimizerOptions: resolveOptimizerOptions(), batchSize: 2, weights: poisoned });
      if (svm) {
        const bad = await succeeds(check, 'a step from a W holding a NaN', () => svm.step(rows, 0.5));
        check.that(bad === undefined || !Number.isFinite(bad), `a step from a W holding a NaN (svm, reg 0) returned the finite loss ${bad}: core's divergence guard would miss it`);
        await svm.dispose();
        await refuses(check, 'a step after dispose', () => svm.step(rows, 0.5), 'BackendError');
      }
      await b.release(r);
      await refuses(check, 'a step on released data', () => trainer.step(rows, 0.5), 'BackendError', ['not placed']);
      await succeeds(check, 'dispose', () => trainer.dispose());
    }),
  ];
}

/** Every contract spec: bad input, released and disposed data, lifecycle. */
export function contractSpecs(): Spec[] {
  return [...badInputSpecs(), ...releasedSpecs(), ...lifecycleSpecs()];
}
