/**
 * Pause, pace and watch a run of core's train() without changing it.
 *
 * train() has no pause: it loops `await backend.evaluate(…)` until done or aborted. Wrapping
 * the backend puts a gate in front of every evaluation of the training data, so a paused run
 * simply waits there (optimizer state, sampler position and the loss record all stay as they
 * are) and resumes exactly where it stopped. The same wrapper sees the weights being
 * evaluated, which is how the page gets live class templates: for gradient strategies the
 * latest W, for the searches the best W so far (the one they keep).
 */
import type { ComputeBackend, DesignMatrix, Evaluation, Objective, Resident, Rows, Vec } from '@descent/core';

/** An open/closed gate: wait() resolves at once while open, else when it next opens. */
export class PauseGate {
  private waiters: (() => void)[] = [];
  private closed = false;

  get paused(): boolean { return this.closed; }

  pause(): void { this.closed = true; }

  resume(): void {
    this.closed = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  wait(): Promise<void> {
    if (!this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface WatchOptions {
  readonly gate: PauseGate;
  /** Resident whose evaluations are training steps (the gate and the watcher apply to it only). */
  readonly train: () => Resident | undefined;
  /** True for random search / random local search: the kept W is the best one evaluated. */
  readonly keepBest: boolean;
  /** Called before a training evaluation runs, with the weights of the run as it stands now. */
  readonly beforeStep?: (current: Float64Array) => Promise<void> | void;
  /** Milliseconds to wait before each training evaluation (slow motion); 0: none. */
  readonly paceMs?: number;
}

/**
 * A ComputeBackend that forwards everything to `inner`, waiting at `gate` before each
 * evaluation of the training data, and that remembers the weights of the run.
 */
export class WatchedBackend implements ComputeBackend {
  private best = Infinity;
  private kept: Float64Array | undefined;

  constructor(readonly inner: ComputeBackend, private readonly options: WatchOptions) {}

  get id(): string { return this.inner.id; }
  get precision(): ComputeBackend['precision'] { return this.inner.precision; }

  /** The run's weights as of the last training evaluation (a copy), or undefined before any. */
  current(): Float64Array | undefined {
    return this.kept ? Float64Array.from(this.kept) : undefined;
  }

  place(data: DesignMatrix): Promise<Resident> { return this.inner.place(data); }

  async evaluate(w: Float64Array, data: Resident, rows: Rows, objective: Objective, wantGradient: boolean): Promise<Evaluation> {
    const isTrain = data === this.options.train();
    if (isTrain) {
      const pace = this.options.paceMs ?? 0;
      if (pace > 0) await new Promise((r) => setTimeout(r, pace));
      await this.options.gate.wait();
      if (this.kept) await this.options.beforeStep?.(this.kept);
    }
    const out = await this.inner.evaluate(w, data, rows, objective, wantGradient);
    if (isTrain) {
      if (!this.options.keepBest) this.keep(w);
      else if (out.loss < this.best) { this.best = out.loss; this.keep(w); }
    }
    return out;
  }

  scores(w: Float64Array, data: Resident, rows: Rows): Promise<Vec> { return this.inner.scores(w, data, rows); }
  release(data: Resident): Promise<void> { return this.inner.release(data); }
  /** The wrapper owns nothing: the inner backend outlives the run. */
  async dispose(): Promise<void> {}

  private keep(w: Float64Array): void {
    if (!this.kept || this.kept.length !== w.length) this.kept = new Float64Array(w.length);
    this.kept.set(w);
  }
}
