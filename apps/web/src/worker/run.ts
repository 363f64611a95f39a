/**
 * The run's life: train starts one (core's Session.train on the chosen backend) and streams its
 * losses and snapshots to the page; pause, step, resume and stop hold it in its hook and let it
 * go; reset forgets the model. The run itself is in run-state.ts, where the tool panels see it.
 */
import {
  DataError, objectiveOf, OptionError, reportedSettings, trainingRecord, type TrainingRun,
} from '@descent/core';
import type { Evaluation, RunRequest, RunSummary } from '../protocol.js';
import { restOf, run, setRun, track, type ActiveRun, type Hold } from './run-state.js';
import {
  exclusive, model, placed, post, postSnapshot, preparedFor, raw, setModel, sizes, snapshotOf, type CurrentModel, type Handlers,
} from './state.js';
import { tuning } from './tune.js';

/** Starts a run (one at a time, after whatever uses the data now); resolves when it has finished. */
async function runTraining(r: RunRequest): Promise<RunSummary> {
  // Refused at once, not after the tuning in the queue ahead of it.
  if (tuning) throw new OptionError('tuning is in progress: stop it first (Stop)');
  stopBeforeStart = false;
  const started = await exclusive(() => startRun(r));
  return started.outcome;
}

async function startRun(r: RunRequest) {
  if (run) throw new OptionError('a run is already in progress: stop it first');
  if (tuning) throw new OptionError('tuning is in progress: stop it first (Stop)');
  if (!raw) throw new DataError('no data set is loaded');
  const data = raw;
  const resumeFrom = r.resume ? model : undefined;
  if (r.resume && !resumeFrom) throw new OptionError('“continue from the current model” needs a model: train one or open one first');
  const p = await preparedFor({ seed: r.settings.seed, validation: r.validation, limit: r.limit,
    ...(resumeFrom ? { preprocessing: resumeFrom.preprocessing } : {}) });
  const session = await placed(r.backend, p);
  const backendId = session.backend.id;
  const objective = objectiveOf(r.settings);

  let lastSnapshot = performance.now();
  const takeSnapshot = async (w: Float64Array | undefined) => {
    lastSnapshot = performance.now();
    if (w) postSnapshot(await snapshotOf(session.model(w, objective), `training on ${backendId}`, session));
  };

  // Losses go to the page in batches (SGD can run thousands of iterations a second).
  let buffer: number[] = [];
  let evaluations: Evaluation[] = [];
  let first = 1;
  let lastFlush = performance.now();
  let epoch = 0;
  let learningRate: number | undefined;
  const flush = () => {
    if (buffer.length === 0 && evaluations.length === 0) return;
    const losses = Float64Array.from(buffer);
    post({ event: 'losses', first, losses, evaluations, epoch, ...(learningRate !== undefined ? { learningRate } : {}) }, [losses.buffer]);
    first += buffer.length;
    buffer = [];
    evaluations = [];
    lastFlush = performance.now();
  };

  let finished!: () => void;
  // Made before the run starts: train() calls beforeIteration before session.train() returns.
  const active: ActiveRun = {
    run: undefined as unknown as TrainingRun, session, done: 0, hold: r.paused ? newHold() : undefined, steps: 0, stepWaiters: [],
    resting: false, restWaiters: [], panels: new Set(),
    start: resumeFrom ? Float64Array.from(resumeFrom.weights) : session.randomWeights(r.settings.seed, r.settings.initScale),
    finished: new Promise<void>((resolve) => { finished = resolve; }),
    snapshot: async () => { flush(); await takeSnapshot(active.run.control.weights()); },
  };
  const training = session.train(r.settings, {
    ...(resumeFrom ? { initialWeights: resumeFrom.weights } : {}),
    beforeIteration: async () => {
      // Slow motion.
      if (r.paceMs > 0) await new Promise((resolve) => setTimeout(resolve, r.paceMs));
      // Paused: rest here until resumed (or stopped), then let the panels that use the run's data finish.
      active.resting = true;
      try {
        for (;;) {
          const wait = active.hold && active.steps === 0 ? active.hold.released
            : active.panels.size > 0 ? Promise.allSettled([...active.panels]) : undefined;
          if (!wait) break;
          // Only now does it rest: a waiter woken when the run goes straight on would see weights about to change.
          for (const f of active.restWaiters.splice(0)) f();
          await wait;
        }
      } finally {
        active.resting = false;
      }
      if (active.hold && active.steps > 0) active.steps--; // a step taken while paused (the Step button)
      // The live class templates: the run's weights every ~350 ms.
      if (performance.now() - lastSnapshot > 350) await takeSnapshot(active.run.control.weights());
    },
    onProgress: (e) => {
      active.done = e.iteration;
      for (const f of active.stepWaiters.splice(0)) f();
      buffer.push(e.loss);
      epoch = e.epoch;
      learningRate = e.learningRate;
      if (e.trainAccuracy !== undefined) {
        evaluations.push({ iteration: e.iteration, trainAccuracy: e.trainAccuracy,
          ...(e.validationAccuracy !== undefined ? { validationAccuracy: e.validationAccuracy } : {}) });
      }
      if (performance.now() - lastFlush > 120 || evaluations.length > 0 || active.hold) flush();
    },
  });
  active.run = training;
  setRun(active);
  post({ event: 'run-start', iterations: training.iterations, backend: backendId, strategy: r.settings.strategy });
  post({ event: 'state', state: active.hold ? 'paused' : 'running' });
  if (stopBeforeStart) { // Stop was pressed while it started: it ends before its first step
    stopBeforeStart = false;
    training.control.stop();
    release(active);
  }

  const outcome = (async (): Promise<RunSummary> => {
    try {
      const { result, testAccuracy } = await training.done;
      flush();
      const summary: RunSummary & { losses: Float64Array; evaluations: readonly Evaluation[] } = {
        status: result.status, ...(result.message !== undefined ? { message: result.message } : {}),
        iterations: result.iterations, epochs: result.epochs, finalLoss: result.finalLoss, seconds: result.seconds,
        testAccuracy, backend: backendId, losses: result.losses, evaluations: result.evaluations,
      };
      const settings = reportedSettings(training.settings, { data: data.name, validation: r.validation,
        ...(r.limit !== undefined ? { limit: r.limit } : {}), ...(resumeFrom ? { resume: resumeFrom.origin } : {}) }, backendId, sizes(p).train.n);
      const trained: CurrentModel = {
        ...session.model(result.weights, objective), origin: `trained on ${backendId}`,
        training: { ...trainingRecord({ settings, result, testAccuracy, data: session.summary, app: 'descent web' }) },
      };
      setModel(trained);
      postSnapshot(await snapshotOf(trained, trained.origin, session));
      return summary;
    } finally {
      setRun(undefined);
      finished();
    }
  })();
  // An object, so that awaiting startRun does not await the run itself.
  return { outcome };
}

function newHold(): Hold {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  return { released, release };
}

/** Resumes a held run (after stop() too, so that it can end). */
function release(active: ActiveRun): void {
  const hold = active.hold;
  active.hold = undefined;
  active.steps = 0; // a Step not yet taken is no longer asked for
  hold?.release();
}

/**
 * A Stop that came while a run was still starting (its data being placed, before it is the run):
 * the run, once it exists, ends at once instead of training on. Cleared when a run is asked for.
 */
let stopBeforeStart = false;

export const runHandlers: Pick<Handlers, 'train' | 'pause' | 'step' | 'resume' | 'stop' | 'reset'> = {
  train: runTraining,

  async pause() {
    const active = run;
    if (!active || active.hold) return;
    active.hold = newHold();
    post({ event: 'state', state: 'paused' });
    // Once its step is done, the page gets the weights it rests at.
    await restOf(active);
    if (run === active && active.hold) await track(active, active.snapshot());
  },

  async step() {
    const active = run;
    if (!active) throw new OptionError('no run to step: start one (Step starts one paused)');
    if (!active.hold) throw new OptionError('the run is training: pause it to take one step at a time');
    // One more step while held: wake the hook, wait for the step, then for the rest after it.
    const stepped = new Promise<void>((resolve) => { active.stepWaiters.push(resolve); });
    active.steps++;
    const hold = active.hold;
    active.hold = newHold();
    hold.release();
    await Promise.race([stepped, active.finished]);
    await restOf(active);
    if (run === active && active.hold) await track(active, active.snapshot());
  },

  async resume() {
    if (!run) return;
    release(run);
    post({ event: 'state', state: 'running' });
  },

  async stop() {
    tuning?.abort(); // Stop ends a tuning too
    if (!run) { stopBeforeStart = true; return; }
    const active = run;
    active.run.control.stop();
    release(active);
    await active.finished;
  },

  async reset() {
    await runHandlers.stop(); // ends a run, or a tuning
    setModel(undefined);
  },
};
