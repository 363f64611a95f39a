/**
 * The optimizer race on the real loss (issue 13 #3): every update rule run from the same start on
 * the plane W₀ + a·V₁ + b·V₂, each step taken on the plane's exact loss and gradient
 * (LinearProbe.gradientAt: O(N·C) a step, through the linearity of the scores), so SGD, momentum,
 * Nesterov, Adagrad, RMSProp and Adam can be watched side by side on an image classifier's loss,
 * and restarted at once when the step size or the momentum changes (no backend work).
 */
import { OptionError } from '../errors.js';
import { createOptimizer } from '../optimizers/index.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optimizers/optimizer.js';
import type { LinearProbe } from './linear-probe.js';

/** Caps of a race (checked before it runs). */
export const RACE_CAPS = Object.freeze({ steps: 2000, learningRate: 100 });

/** A race's defaults: every rule's loss ends below where it started on the embedded data's plane (tested). */
export const RACE_DEFAULTS = Object.freeze({ steps: 60, learningRate: 0.05, momentum: 0.9 });

export interface RaceOptions {
  /** Update rules in the race (default all six). */
  readonly optimizers?: readonly OptimizerName[];
  /** Steps each (default 60, at most RACE_CAPS.steps). */
  readonly steps?: number;
  /** The one step size every rule uses (> 0). */
  readonly learningRate: number;
  /** μ of momentum and Nesterov (default 0.9). */
  readonly momentum?: number;
  /** Where every path starts on the plane (default the origin, W₀). */
  readonly start?: readonly [number, number];
}

/** One rule's path: steps + 1 points (the start first) and the loss at each. */
export interface RacePath {
  readonly optimizer: OptimizerName;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly losses: Float64Array;
  /** Set when the loss stopped being finite: the path ends at the last finite point. */
  readonly diverged?: boolean;
}

/** Runs the race on a two-direction probe. */
export function raceOnPlane(probe: LinearProbe, options: RaceOptions): RacePath[] {
  if (probe.dimensions !== 2) throw new OptionError(`the race runs on a plane: a probe of 2 directions, not ${probe.dimensions}`);
  const steps = options.steps ?? RACE_DEFAULTS.steps;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= RACE_CAPS.steps)) {
    throw new OptionError(`race steps must be an integer from 1 to ${RACE_CAPS.steps}, got ${steps}`);
  }
  const lr = options.learningRate;
  if (!(lr > 0 && lr <= RACE_CAPS.learningRate)) throw new OptionError(`race step size must be a number in (0, ${RACE_CAPS.learningRate}], got ${lr}`);
  const names = options.optimizers ?? OPTIMIZER_NAMES;
  const start = options.start ?? [0, 0];
  if (!start.every(Number.isFinite)) throw new OptionError(`race start must be two finite numbers, got ${start.join(', ')}`);
  return names.map((name) => {
    const optimizer = createOptimizer(name, options.momentum !== undefined ? { momentum: options.momentum } : {});
    const p = Float64Array.from(start);
    const a = new Float64Array(steps + 1), b = new Float64Array(steps + 1), losses = new Float64Array(steps + 1);
    let at = probe.gradientAt([p[0]!, p[1]!]);
    a[0] = p[0]!; b[0] = p[1]!; losses[0] = at.loss;
    for (let t = 1; t <= steps; t++) {
      optimizer.step(p, at.gradient, lr);
      at = probe.gradientAt([p[0]!, p[1]!]);
      if (!(Number.isFinite(at.loss) && Number.isFinite(p[0]!) && Number.isFinite(p[1]!))) {
        return { optimizer: name, a: a.slice(0, t), b: b.slice(0, t), losses: losses.slice(0, t), diverged: true };
      }
      a[t] = p[0]!; b[t] = p[1]!; losses[t] = at.loss;
    }
    return { optimizer: name, a, b, losses };
  });
}
