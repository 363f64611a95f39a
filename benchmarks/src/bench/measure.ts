/** Timings of one backend: warm, the median of several repeats. */
import { createOptimizer, createSampler, Random } from '@descent/core';
import type { ComputeBackend, Objective, Resident } from '@descent/core';

export interface Timing {
  /** Median ms per full-batch loss + gradient. */
  readonly fullBatchMs: number;
  /** Median ms per minibatch step: row selection, loss + gradient, optimizer update. */
  readonly stepMs: number;
  /** Full-batch repeats actually timed (fewer for a backend whose warm-up took over 3 s). */
  readonly fullRepeats: number;
}

export interface MeasureOptions {
  readonly objective: Objective;
  readonly batchSize: number;
  /** Repeats of the full-batch evaluation (after one warm-up). */
  readonly fullRepeats: number;
  /** Repeats of a block of `stepsPerRepeat` minibatch steps (after a warm-up block). */
  readonly stepRepeats: number;
  readonly stepsPerRepeat: number;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function measure(backend: ComputeBackend, data: Resident, o: MeasureOptions): Promise<Timing> {
  const rng = new Random('descent-bench-weights');
  const w = new Float64Array(data.d * data.classes);
  rng.fillNormal(w, 1e-4);
  const all = { start: 0, count: data.n };

  const full: number[] = [];
  let fullRepeats = o.fullRepeats;
  for (let r = 0; r <= fullRepeats; r++) {
    const t0 = performance.now();
    await backend.evaluate(w, data, all, o.objective, true);
    const ms = performance.now() - t0;
    if (r > 0) full.push(ms);
    // A backend taking over 3 s warm (tfjs-cpu, ~5 s a call) gets 3 repeats; the warm-up call
    // itself includes building graphs/sessions, so it does not decide.
    if (r === 1 && ms > 3000) fullRepeats = Math.min(fullRepeats, 3);
  }

  // The same seeded minibatch sequence for every backend, as in training.
  const sampler = createSampler('shuffle', data.n, o.batchSize, rng.fork('sampler'));
  const optimizer = createOptimizer('sgd');
  const steps: number[] = [];
  for (let r = 0; r <= o.stepRepeats; r++) {
    const t0 = performance.now();
    for (let s = 0; s < o.stepsPerRepeat; s++) {
      const { gradient } = await backend.evaluate(w, data, sampler.next(), o.objective, true);
      optimizer.step(w, gradient!, 1e-7);
    }
    if (r > 0) steps.push((performance.now() - t0) / o.stepsPerRepeat);
  }
  return { fullBatchMs: median(full), stepMs: median(steps), fullRepeats };
}
