/**
 * The optimizer race: rules racing on a plane of W (core's Session.racePlane), drawn over its
 * loss contours. This module owns the plane, kept between races while nothing it depends on
 * changes, and forgotten when the placed data is replaced.
 */
import { OptionError, type RacePlane, type Session } from '@descent/core';
import { count, RACE_CAPS } from '../protocol.js';
import { diagnostic } from './diagnostics.js';
import { run } from './run-state.js';
import { forgetWhenDataReplaced, model, type Handlers } from './state.js';

// ---- the optimizer race's plane, kept between races ----

/** Points per axis of the race's contour grid. */
const RACE_GRID = 41;
let racePlane: { key: string; session: Session; w: Float64Array; plane: RacePlane; alphas: Float64Array; betas: Float64Array; losses: Float64Array } | undefined;
forgetWhenDataReplaced(() => { racePlane = undefined; }); // its scores were of the data placed before

/** Rules in a race, and the most work one race may be (rules × steps × rows × classes: about 3 s of the worker). */
const RACE_RULES = 6, RACE_WORK = 5e7;

/** A race's own numbers checked in the worker too (the page checks them first). */
function checkRace(o: { learningRate: number; momentum: number; steps: number }): void {
  if (!(Number.isInteger(o.steps) && o.steps >= 1 && o.steps <= RACE_CAPS.steps)) throw new OptionError(`race steps must be a whole number from 1 to ${RACE_CAPS.steps}, got ${o.steps}`);
  if (!(o.learningRate > 0 && o.learningRate <= RACE_CAPS.learningRate)) throw new OptionError(`race step size must be in (0, ${RACE_CAPS.learningRate}], got ${o.learningRate}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new OptionError(`race momentum must be in [0, 1), got ${o.momentum}`);
}

function axisOf(from: number, to: number, points: number): Float64Array {
  return Float64Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));
}

function sameWeights(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const raceHandlers: Pick<Handlers, 'race'> = {
  race(o) {
    checkRace(o);
    return diagnostic(o, async (s) => {
      const work = RACE_RULES * o.steps * s.n * s.session.summary.classes;
      if (work > RACE_WORK) {
        throw new OptionError(`a race of ${count(o.steps, 'step')} on ${count(s.n, 'training row')} of ${s.session.summary.classes} classes is more than the page `
          + `races at once (${RACE_RULES} rules × steps × rows × classes ≤ ${RACE_WORK.toExponential(0)}): fewer rows or steps`);
      }
      const t0 = performance.now();
      // The plane (three score passes on the backend) is kept while nothing it depends on changes:
      // a new step size or momentum restarts the race on the host at once.
      // Toward the weights the tool works at, where there are some: a model, or a paused run.
      const toward = o.toward && (model !== undefined || run !== undefined);
      const key = JSON.stringify([s.session.backend.id, o.seed, o.initScale, s.n, s.objective, s.at, toward]);
      if (!racePlane || racePlane.key !== key || racePlane.session !== s.session || !sameWeights(racePlane.w, s.w)) {
        const plane = await s.session.racePlane(s.objective, { seed: o.seed, examples: s.n, initScale: o.initScale, ...(toward ? { toward: s.w } : {}) });
        const alphas = axisOf(toward ? -0.25 : -1, toward ? 1.25 : 1, RACE_GRID), betas = axisOf(toward ? -0.75 : -1, toward ? 0.75 : 1, RACE_GRID);
        racePlane = { key, session: s.session, w: Float64Array.from(s.w), plane, alphas, betas, losses: plane.grid(alphas, betas) };
      }
      const { plane, alphas, betas, losses } = racePlane;
      const paths = plane.run({ learningRate: o.learningRate, momentum: o.momentum, steps: o.steps });
      return { alphas, betas, losses, paths, toward: plane.toward, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },
};
