/**
 * The optimizer race (issue 13 #3) on the embedded data's real loss: the plane's gradient is the
 * full gradient projected on the plane (checked against the float64 backend), every path is
 * core's optimizer stepping on that exact gradient (numbers, not pixels), and at the defaults
 * every rule's loss ends below its start.
 */
import {
  createOptimizer, dot, OPTIMIZER_NAMES, prepareData, RACE_DEFAULTS, Session, type Objective, type Resident,
} from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { createRegistry } from '@descent/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const objective: Objective = { loss: 'softmax', reg: 1e-3 };
let session: Session;
let trained: Float64Array;

beforeAll(async () => {
  session = new Session(await createRegistry().create('ts-f64'));
  await session.place(prepareData(await loadDataset('embedded'), { seed: 1, validation: 0.1, limit: 2000 }));
  trained = (await session.train({ seed: 2, epochs: 3, loss: 'softmax', reg: 1e-3 }).done).result.weights;
}, 120_000);
afterAll(async () => { await session.close(); });

/** The backend's full gradient at W₀ + a·V₁ + b·V₂ over the first `examples` rows, projected on the plane. */
async function projected(w0: Float64Array, [v1, v2]: readonly [Float64Array, Float64Array], a: number, b: number, examples: number) {
  const w = Float64Array.from(w0, (x, i) => x + a * v1[i]! + b * v2[i]!);
  const data: Resident = session.data.train;
  const e = await session.compute.evaluate(w, data, { start: 0, count: examples }, objective, true);
  return { loss: e.loss, gradient: [dot(e.gradient!, v1), dot(e.gradient!, v2)] };
}

describe('the optimizer race on the plane', () => {
  it('each path is core\'s optimizer on the plane\'s exact loss: the full gradient projected, step for step', async () => {
    const plane = await session.racePlane(objective, { seed: 3, examples: 500, toward: trained });
    const steps = 12, lr = RACE_DEFAULTS.learningRate;
    const paths = plane.run({ steps, learningRate: lr, momentum: 0.8 });
    expect(paths.map((p) => p.optimizer)).toEqual([...OPTIMIZER_NAMES]);
    for (const path of paths) {
      const opt = createOptimizer(path.optimizer, { momentum: 0.8 });
      const p = new Float64Array(2);
      for (let t = 0; t <= steps; t++) {
        const at = await projected(plane.w0, plane.directions, p[0]!, p[1]!, 500);
        expect(path.a[t]).toBeCloseTo(p[0]!, 9);
        expect(path.b[t]).toBeCloseTo(p[1]!, 9);
        expect(Math.abs(path.losses[t]! - at.loss)).toBeLessThan(1e-9 * Math.max(1, at.loss));
        if (t < steps) opt.step(p, Float64Array.from(at.gradient), lr);
      }
    }
  }, 120_000);

  it.each([true, false])('at the defaults every rule ends below its start (toward a trained W: %s), and the grid is the probe\'s loss', async (toward) => {
    const plane = await session.racePlane(objective, { seed: 4, examples: 1000, ...(toward ? { toward: trained } : {}) });
    expect(plane.toward).toBe(toward);
    const paths = plane.run({ learningRate: RACE_DEFAULTS.learningRate, momentum: RACE_DEFAULTS.momentum });
    for (const p of paths) {
      expect(p.diverged, p.optimizer).toBeUndefined();
      expect(p.losses).toHaveLength(RACE_DEFAULTS.steps + 1);
      expect(p.losses.at(-1)!, `${p.optimizer}: ${p.losses[0]} → ${p.losses.at(-1)}`).toBeLessThan(p.losses[0]!);
    }
    const grid = plane.grid(Float64Array.of(0, 0.5), Float64Array.of(-0.25, 0));
    expect(grid[1]).toBeCloseTo(paths[0]!.losses[0]!, 9); // (0, 0) is W₀, every path's start
    expect(grid[2]).toBeCloseTo((await projected(plane.w0, plane.directions, 0.5, -0.25, 1000)).loss, 9);
  }, 120_000);

  it('refuses what it cannot run, before any step', async () => {
    const plane = await session.racePlane(objective, { seed: 5, examples: 100 });
    expect(() => plane.run({ learningRate: 0 })).toThrow(/race step size must be a number in \(0, 100\]/);
    expect(() => plane.run({ learningRate: 0.1, steps: 5000 })).toThrow(/race steps must be an integer from 1 to 2000/);
    expect(() => plane.run({ learningRate: 0.1, momentum: 1 })).toThrow(/momentum/);
    await expect(session.racePlane(objective, { seed: 5, toward: new Float64Array(3) })).rejects.toThrow(/the weights raced toward have 3 values/);
    // Toward W₀ itself (a run paused before its first step) there is no direction: a random one, and it says so.
    const self = await session.racePlane(objective, { seed: 5, examples: 100, toward: session.randomWeights(5, 1e-3) });
    expect(self.toward).toBe(false);
    expect(self.directions[0].some((v) => v !== 0)).toBe(true);
  });
});
