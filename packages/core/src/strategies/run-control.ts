/**
 * Controls for a run of train() from outside it: pause and resume between iterations, stop
 * (like an AbortSignal), and a look at the weights as they stand. A paused run waits before
 * its next iteration with everything kept (optimizer state, sampler position, the loss
 * record) and resumes exactly where it stopped, so a paused and resumed run equals one never
 * paused, bit for bit.
 */
export class RunControl {
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly abort = new AbortController();
  private current: (() => Float64Array | undefined) | undefined;

  get paused(): boolean { return this.closed; }
  get stopped(): boolean { return this.abort.signal.aborted; }
  /** Aborted by stop(): pass it on to anything else the caller runs. */
  get signal(): AbortSignal { return this.abort.signal; }

  pause(): void { this.closed = true; }

  resume(): void {
    this.closed = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Stop at the next iteration (a paused run too); the result keeps what was learned. */
  stop(): void {
    this.abort.abort();
    this.resume();
  }

  /**
   * A copy of the run's weights now: for gradient strategies the latest W, for the searches
   * the best W so far (the one they keep); undefined before the first iteration.
   */
  weights(): Float64Array | undefined {
    const w = this.current?.();
    return w ? Float64Array.from(w) : undefined;
  }

  /** Resolves at once unless paused, else when resumed or stopped. (Used by train().) */
  wait(): Promise<void> {
    if (!this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** train() tells the control where the run's weights are. */
  attach(current: () => Float64Array | undefined): void {
    this.current = current;
  }
}
