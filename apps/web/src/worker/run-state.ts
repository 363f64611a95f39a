/**
 * The active run, as every module sees it: run.ts starts, holds and ends it; the tool panels
 * (diagnostics.ts, race.ts) work at its weights while it is paused; loading data, opening a
 * model and tuning refuse while it is there. Only run.ts sets it (setRun); this module imports
 * none of the other worker modules.
 */
import type { Session, TrainingRun } from '@descent/core';

/** Set while a run is paused: `release` lets it go on. */
export interface Hold {
  readonly released: Promise<void>;
  readonly release: () => void;
}

/**
 * The run in progress, on its session (whose placed data it owns until it ends); `finished`
 * settles once it has fully finished (its model set, its reply sent).
 *
 * Pausing holds the run in its beforeIteration hook (not RunControl.pause(), which would leave
 * the worker unsure whether a step is still under way): once it rests there, the snapshot the
 * page shows and every tool panel see exactly the weights it resumes from, and the panels,
 * which work on its session and placed data, finish before it takes its next step.
 */
export interface ActiveRun {
  run: TrainingRun;
  readonly session: Session;
  /** The weights it starts from: what a panel sees when it is paused before its first step. */
  readonly start: Float64Array;
  readonly finished: Promise<void>;
  /** Iterations done so far. */
  done: number;
  hold: Hold | undefined;
  /** Steps it may take while held (the Step button). */
  steps: number;
  /** Called after its next step (see step). */
  readonly stepWaiters: (() => void)[];
  /** True while it waits in its hook (between two steps, paused or waiting for panels). */
  resting: boolean;
  /** Called when it next comes to rest (see restOf). */
  readonly restWaiters: (() => void)[];
  /** Tool panels working on its session while it is paused. */
  readonly panels: Set<Promise<unknown>>;
  snapshot: () => Promise<void>;
}

/** The run in progress, if any (set by run.ts's startRun, cleared once it has finished). */
export let run: ActiveRun | undefined;

export function setRun(next: ActiveRun | undefined): void {
  run = next;
}

/**
 * Resolves once the run rests in its hook (its step done, nothing of it using the backend), at
 * once when it does already, or when it ends.
 */
export function restOf(active: ActiveRun): Promise<void> {
  if (active.resting) return Promise.resolve();
  return Promise.race([new Promise<void>((resolve) => { active.restWaiters.push(resolve); }), active.finished]);
}

/** The run waits for this work on its session to finish before its next step. */
export function track<T>(active: ActiveRun, job: Promise<T>): Promise<T> {
  active.panels.add(job);
  const forget = () => active.panels.delete(job);
  job.then(forget, forget);
  return job;
}
