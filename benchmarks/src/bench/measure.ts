/** Timings of one backend: warm, the median of several repeats. */
import { createOptimizer, createSampler, Random, resolveOptimizerOptions } from '@descent/core';
import type { ComputeBackend, Objective, OptimizerName, Resident, Rows } from '@descent/core';

export interface Timing {
  /** Median ms per full-batch loss + gradient. */
  readonly fullBatchMs: number;
  /**
   * Median ms per minibatch step: row selection, loss + gradient, momentum update (μ 0.9, as
   * CS231n's numpy script the bench compares with steps); through the
   * backend's resident trainer when it offers one (as training runs), else on the host.
   */
  readonly stepMs: number;
  /** Whether the steps ran on the backend's resident trainer. */
  readonly resident: boolean;
  /** With a resident trainer: the same steps on the host (evaluate, then the update on float64 W). */
  readonly hostStepMs?: number;
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
  const stepper = await createStepper(backend, data, o.objective, 'momentum', o.batchSize, w);
  const host = stepper.resident ? await createStepper(backend, data, o.objective, 'momentum', o.batchSize, w, true) : undefined;
  // With a trainer, its blocks and the host's alternate, so both see the same spell of the
  // machine and the same state of the process. Timed one after the other, the first paid a
  // fresh process's page faults and looked slower: onnxruntime-node copies every output into a
  // new buffer, and over the first ~150 CIFAR-shaped steps each step faulted in ~60 fresh
  // pages (its two 123 KB outputs), 0.15–0.5 ms a step on a 2-vCPU VM, then none.
  const block = async (s: Stepper): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < o.stepsPerRepeat; i++) await s.step(sampler.next(), 1e-7);
    return (performance.now() - t0) / o.stepsPerRepeat;
  };
  const steps: number[] = [], hostSteps: number[] = [];
  for (let r = 0; r <= o.stepRepeats; r++) {
    const ms = await block(stepper);
    const hostMs = host ? await block(host) : undefined;
    if (r === 0) continue; // the warm-up block of each
    steps.push(ms);
    if (hostMs !== undefined) hostSteps.push(hostMs);
  }
  await stepper.dispose();
  await host?.dispose();
  const stepMs = median(steps);
  const hostStepMs = host ? median(hostSteps) : undefined;
  return { fullBatchMs: median(full), stepMs, resident: stepper.resident, ...(hostStepMs !== undefined ? { hostStepMs } : {}), fullRepeats };
}

/** Minibatch steps as core's gradient descent takes them: on the backend's resident trainer when offered, else on the host. */
export interface Stepper {
  /** Whether W lives on the backend (ComputeBackend.createTrainer). */
  readonly resident: boolean;
  step(rows: Rows, lr: number): Promise<void>;
  /** W now (a copy). */
  weights(): Float64Array;
  dispose(): Promise<void>;
}

export async function createStepper(backend: ComputeBackend, data: Resident, objective: Objective, optimizer: OptimizerName,
  batchSize: number, w0: Float64Array, hostSteps = false): Promise<Stepper> {
  const trainer = hostSteps ? undefined : await backend.createTrainer?.(data, { objective, optimizer,
    optimizerOptions: resolveOptimizerOptions(), batchSize, weights: w0 });
  if (trainer) {
    return { resident: true, step: async (rows, lr) => { await trainer.step(rows, lr); }, weights: () => trainer.weights(0)!,
      dispose: () => trainer.dispose() };
  }
  const w = Float64Array.from(w0);
  const rule = createOptimizer(optimizer);
  return {
    resident: false,
    step: async (rows, lr) => {
      const { gradient } = await backend.evaluate(w, data, rows, objective, true);
      rule.step(w, gradient!, lr);
    },
    weights: () => Float64Array.from(w),
    dispose: async () => {},
  };
}
