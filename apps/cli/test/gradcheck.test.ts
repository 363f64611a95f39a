/**
 * Gradient-check verdicts against real backends (issue 10, item 18): a correct float32 backend
 * must never read 'suspect' or 'wrong' (its rounding is not a bug), and a wrong gradient must
 * never read 'good' (the error floor must not hide it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkBackendGradient, makeObjective, prepareData, Random, Session, type ComputeBackend, type GradientCheckReport, type Objective, type PreparedData,
} from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { createRegistry } from '../src/backends.js';
import { buildCli, descent } from './run-cli.js';

/** Every backend that runs in Node without a GPU or a native install. */
const BACKENDS = ['ts-f64', 'ts', 'onnx-cpu', 'onnx-wasm', 'tfjs-cpu', 'tfjs-wasm'];
const EXAMPLES = 500;

let prepared: ReturnType<typeof prepareData>;
beforeAll(async () => {
  buildCli();
  prepared = prepareData(await loadDataset('embedded', { seed: 1 }), { seed: 1, validation: 0.1, limit: 1000 });
});

/** The backend, except that its analytic gradient has a bug: `wrong(g_k, k, W, objective)`. */
function withWrongGradient(backend: ComputeBackend,
  wrong: (g: number, k: number, w: Float64Array, objective: Objective) => number): ComputeBackend {
  return {
    id: backend.id, precision: backend.precision,
    place: (data) => backend.place(data),
    async evaluate(w, data, rows, objective, wantGradient) {
      const e = await backend.evaluate(w, data, rows, objective, wantGradient);
      if (!wantGradient) return e;
      return { ...e, gradient: Float64Array.from(e.gradient!, (g, k) => wrong(g, k, w, objective)) };
    },
    scores: (w, data, rows) => backend.scores(w, data, rows),
    release: (data) => backend.release(data),
    dispose: async () => {},
  };
}

const BUGS: [string, (g: number, k: number, w: Float64Array, o: Objective) => number][] = [
  ['reg·W instead of 2·reg·W', (g, k, w, o) => g - o.reg * w[k]!],
  ['the gradient × (1 + 1e-3)', (g) => g * (1 + 1e-3)],
];

describe.each(BACKENDS)('gradcheck on %s', (id) => {
  let session: Session;
  beforeAll(async () => {
    session = await Session.open(createRegistry(), id);
    await session.place(prepared);
  });
  afterAll(() => session?.close());

  it.each(['softmax', 'svm', 'crammer-singer'] as const)('a correct %s gradient is good by linearity; by backend good on float64, inconclusive with the reason on float32', async (loss) => {
    expect(session.backend.id).toBe(id);
    const objective: Objective = makeObjective({ loss, reg: 1e-4 });
    const w = session.randomWeights(1, 1e-3);
    const common = { examples: EXAMPLES, h: 1e-5, method: 'centered' as const, seed: 1 };
    const linearity = await session.gradcheck(w, objective, { ...common, via: 'linearity' });
    expect(linearity.rows).toHaveLength(w.length);
    expect(linearity.verdict.label, linearity.verdict.explanation).toBe('good');
    const backend = await session.gradcheck(w, objective, { ...common, via: 'backend', samples: 20 });
    if (session.backend.precision === 'float64') {
      expect(backend.verdict.label, backend.verdict.explanation).toBe('good');
    } else {
      expect(backend.verdict.label, backend.verdict.explanation).toBe('inconclusive');
      expect(backend.verdict.explanation).toMatch(/^float32 precision cannot decide: at h = 0\.00001 a float32 loss \(.+\) changes too little next to its rounding/);
      expect(backend.verdict.explanation).toMatch(/Finite differences by linearity \(float64\) or a float64 backend can decide$/);
    }
  });

  it.each(BUGS)('a wrong gradient (%s) reads suspect or wrong by linearity, and is never good by backend', async (_name, bug) => {
    // reg and W large enough that the penalty's share of the gradient (which the first bug
    // halves) is well above 1e-3 of it: the bug is there to be found.
    const objective: Objective = { loss: 'softmax', reg: 0.1 };
    const w = session.randomWeights(2, 1e-2);
    const buggy = withWrongGradient(session.backend, bug);
    const check = (via: 'linearity' | 'backend', samples?: number): Promise<GradientCheckReport> => checkBackendGradient({
      backend: buggy, data: session.data.train, host: (session.data.prepared as PreparedData).train, examples: EXAMPLES, objective, w,
      h: 1e-5, method: 'centered', via, ...(samples ? { samples, rng: new Random(1).fork('gradcheck') } : {}),
    });
    const linearity = await check('linearity');
    expect(['suspect', 'wrong'], linearity.verdict.explanation).toContain(linearity.verdict.label);
    const backend = await check('backend', 20);
    if (session.backend.precision === 'float64') {
      expect(['suspect', 'wrong'], backend.verdict.explanation).toContain(backend.verdict.label);
    } else {
      expect(['suspect', 'wrong', 'inconclusive'], backend.verdict.explanation).toContain(backend.verdict.label);
    }
  });
});

describe('descent gradcheck on a float32 backend (the issue\'s commands)', () => {
  it('--all by linearity: good, with the error floor; --via backend: inconclusive with the reason; exit 0', () => {
    const text = descent(['gradcheck', '--backend', 'onnx-cpu', '--all', '--limit', '1000']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^error floor \(what float32\/float64 rounding alone can explain\): up to \S+ = analytic \S+ \+ numerical \S+; 7850 of 7850 coordinates within it$/m);
    expect(text.stdout).toMatch(/^verdict: good: every coordinate agrees within its error floor/m);
    const json = descent(['gradcheck', '--backend', 'onnx-cpu', '--via', 'backend', '--limit', '1000', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r.summary.verdict).toBe('inconclusive');
    expect(r.summary.explanation).toMatch(/^float32 precision cannot decide: at h = 0\.00001 a float32 loss/);
    expect(r.summary.errorFloor).toMatchObject({ analyticPrecision: 'float32', numericalPrecision: 'float32', rows: 500 });
    expect(r.summary.errorFloor.numerical).toBeGreaterThan(r.summary.errorFloor.analytic);
    for (const row of r.rows) expect(row.floor).toBeGreaterThan(0);
  });
});
