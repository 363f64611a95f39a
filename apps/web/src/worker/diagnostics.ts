/**
 * The tool panels' diagnostics: at the paused run's weights, the current model's, or a random W
 * as the CLI's withStart. diagnostic() gives each tool its setup (session, weights, objective,
 * rows); this module answers the sweep, the landscapes, the minibatch study and the gradient
 * check with core's session API (the race and the tuning have modules of their own).
 */
import { DataError, objectiveOf, OptionError, type Session } from '@descent/core';
import type { Prepared } from './data.js';
import { count, STUDY_CAPS, TOOL_CAPS, type DiagnosticOptions } from '../protocol.js';
import { restOf, run, track, type ActiveRun } from './run-state.js';
import { exclusive, model, placed, preparedForModel, raw, sizes, type Handlers } from './state.js';

export interface DiagnosticSetup {
  readonly session: Session;
  readonly p: Prepared;
  readonly w: Float64Array;
  readonly at: string;
  readonly n: number;
  readonly objective: ReturnType<typeof objectiveOf>;
  readonly label: string;
}

function setupOn(session: Session, w: Float64Array, at: string, o: DiagnosticOptions): DiagnosticSetup {
  const p = session.data.prepared as Prepared;
  const n = Math.min(o.examples ?? sizes(p).train.n, sizes(p).train.n);
  return { session, p, w, at, n, objective: objectiveOf(o), label: `${count(n, 'training row')}, ${session.backend.id}` };
}

/**
 * Runs a tool panel. While a run is paused, on the run's session, its placed data and its
 * weights as they stand (what the page shows; the run resumes untouched, after the panel);
 * otherwise, one at a time with whatever else uses the data, on the current model's
 * preprocessing and weights, or a random W.
 */
export function diagnostic<T>(o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  return run ? onRun(run, o, work) : exclusive(() => (run ? onRun(run, o, work) : onModel(o, work)));
}

async function onRun<T>(active: ActiveRun, o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  if (!active.hold) throw new OptionError('a run is training: pause or stop it first');
  const job = (async () => {
    await restOf(active);
    if (run !== active) throw new OptionError('the run ended before the tool could start: use the tool again');
    const w = active.run.control.weights() ?? Float64Array.from(active.start);
    return work(setupOn(active.session, w, `at the paused run's weights (after ${count(active.done, 'iteration')})`, o));
  })();
  return track(active, job);
}

async function onModel<T>(o: DiagnosticOptions, work: (s: DiagnosticSetup) => Promise<T>): Promise<T> {
  if (!raw) throw new DataError('no data set is loaded');
  const session = await placed(o.backend, await preparedForModel(o.seed));
  const atModel = model !== undefined && !o.fresh;
  const w = atModel ? Float64Array.from(model!.weights) : session.randomWeights(o.seed, o.initScale);
  const at = atModel ? `at the current model (${model!.origin})` : `at a random W (scale ${o.initScale}, seed ${o.seed})`;
  return work(setupOn(session, w, at, o));
}

/** The CLI's caps on the landscapes' sizes (protocol.ts TOOL_CAPS), for any caller. */
function checkLandscape(o: { points: number; range: number }, dims: 1 | 2): void {
  const cap = dims === 1 ? TOOL_CAPS.points1D : TOOL_CAPS.points2D;
  if (!(o.points <= cap)) throw new OptionError(`points${dims === 2 ? ' per axis' : ''} must be at most ${cap}; got ${o.points}`);
  if (!(Math.abs(o.range) <= TOOL_CAPS.range)) throw new OptionError(`the range must be at most ±${TOOL_CAPS.range}; got ${o.range}`);
}

export const diagnosticHandlers: Pick<Handlers, 'sweep' | 'landscape1d' | 'landscape2d' | 'batches' | 'gradcheck'> = {
  sweep(o) {
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.sweep(s.w, s.objective, { examples: s.n });
      return { initialLoss: r.initialLoss, gradientNorm: r.gradientNorm, rows: r.rows, best: r.best,
        at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  landscape1d(o) {
    checkLandscape(o, 1);
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.landscape1D(s.w, s.objective, { examples: s.n, range: [-o.range, o.range], points: o.points, seed: o.seed });
      return { alphas: r.alphas, losses: r.losses, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  landscape2d(o) {
    checkLandscape(o, 2);
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.landscape2D(s.w, s.objective, { examples: s.n, range: [-o.range, o.range], points: o.points, seed: o.seed });
      return { alphas: r.alphas, betas: r.betas, losses: r.losses, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  batches(o) {
    if (!(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= STUDY_CAPS.batchTrials)) {
      throw new OptionError(`batches a size must be a whole number from 1 to ${STUDY_CAPS.batchTrials}, got ${o.trials}`);
    }
    return diagnostic(o, async (s) => {
      const t0 = performance.now();
      const r = await s.session.batches(s.w, s.objective, { trials: o.trials, seed: o.seed });
      return { n: r.n, fullGradientMilliseconds: r.fullGradientMilliseconds, rows: r.rows, at: `${s.at}, ${s.label}`, seconds: (performance.now() - t0) / 1000 };
    });
  },

  gradcheck(o) {
    return diagnostic({ ...o, examples: o.examples ?? 500 }, async (s) => {
      const t0 = performance.now();
      const report = await s.session.gradcheck(s.w, s.objective, { examples: s.n, h: o.h, method: o.method, via: o.via, seed: o.seed,
        ...(o.samples !== undefined ? { samples: o.samples } : {}) });
      const seconds = (performance.now() - t0) / 1000;
      // What each way costs here: one loss (a numerical probe is one or two), one analytic gradient;
      // the best of three after a warm-up (the first call on fresh data may compile or upload).
      const rows = { start: 0, count: s.n }, data = s.session.data.train;
      const best = async (gradient: boolean) => {
        let ms = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await s.session.compute.evaluate(s.w, data, rows, s.objective, gradient);
          ms = Math.min(ms, performance.now() - t);
        }
        return ms;
      };
      await s.session.compute.evaluate(s.w, data, rows, s.objective, true);
      const lossMilliseconds = await best(false), gradientMilliseconds = await best(true);
      return {
        parameters: s.w.length, lossMilliseconds, gradientMilliseconds,
        rows: report.rows, maxRelativeError: report.maxRelativeError, meanRelativeError: report.meanRelativeError,
        kinked: report.kinked, verdict: report.verdict.label, explanation: report.verdict.explanation,
        settings: `${s.objective.loss} on ${s.session.backend.id} (${s.session.backend.precision}), ${o.method} differences, h = ${o.h}, `
          + `${count(s.n, 'example')}, ${count(report.rows.length, 'coordinate')}, numerical gradient via ${o.via}, ${s.at}`,
        seconds,
      };
    });
  },
};
