/** The benchmark's workloads beyond one evaluation: training to a target, landscape, numerical gradient. */
import {
  accuracy, createSampler, createSchedule, landscape2D, linearFiniteDifferences, Random,
} from '@descent/core';
import type { ComputeBackend, DesignMatrix, Objective, OptimizerName, Resident } from '@descent/core';
import { createStepper } from './measure.js';

export interface TrainSettings {
  readonly objective: Objective;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Step schedule: lr × factor every `every` epochs (factor 1: constant). */
  readonly every: number;
  readonly factor: number;
  readonly seed: number;
  readonly initScale: number;
}

export interface TrainRun {
  /** Training time (steps only; the accuracy checks are not counted) when the target was first reached. */
  readonly reachedMs?: number;
  readonly reachedEpoch?: number;
  readonly reachedAccuracy?: number;
  /** Accuracy at each check: [epoch, test accuracy, training ms so far]. */
  readonly checks: readonly [number, number, number][];
  readonly trainingMs: number;
  readonly finalAccuracy: number;
  readonly steps: number;
}

/**
 * Minibatch training from a seeded start (W = initScale·N(0,1), shuffled batches), checking
 * test accuracy every `checkEvery` epochs (fractional allowed) with the clock stopped; stops
 * at `target` when given, else after `epochs`. The same seed gives the same batches.
 */
export async function trainAndCheck(backend: ComputeBackend, train: Resident, test: Resident, s: TrainSettings,
  o: { epochs: number; checkEvery: number; target?: number }): Promise<TrainRun> {
  const rng = new Random(s.seed);
  const w = new Float64Array(train.d * train.classes);
  rng.fork('init').fillNormal(w, s.initScale);
  const sampler = createSampler('shuffle', train.n, s.batchSize, rng.fork('sampler'));
  const stepper = await createStepper(backend, train, s.objective, s.optimizer, s.batchSize, w);
  const schedule = createSchedule('step', s.learningRate, { every: s.every, factor: s.factor });
  const stepsPerCheck = Math.max(1, Math.round(o.checkEvery * sampler.batchesPerEpoch));
  const totalSteps = Math.ceil(o.epochs * sampler.batchesPerEpoch);
  const checks: [number, number, number][] = [];
  let ms = 0, steps = 0;
  let reached: { ms: number; epoch: number; accuracy: number } | undefined;
  while (steps < totalSteps) {
    const t0 = performance.now();
    for (let k = 0; k < stepsPerCheck && steps < totalSteps; k++, steps++) {
      await stepper.step(sampler.next(), schedule(sampler.epoch));
    }
    ms += performance.now() - t0;
    const acc = await accuracy(backend, stepper.weights(), test);
    checks.push([sampler.epoch, acc, ms]);
    if (o.target !== undefined && acc >= o.target) { reached = { ms, epoch: sampler.epoch, accuracy: acc }; break; }
  }
  await stepper.dispose();
  return { reachedMs: reached?.ms, reachedEpoch: reached?.epoch, reachedAccuracy: reached?.accuracy, checks,
    trainingMs: ms, finalAccuracy: checks.at(-1)?.[1] ?? NaN, steps };
}

/** Rows with each 28×28 image mirrored left-right appended (labels repeated): a legitimate augmentation for clothing. */
export function withMirrored(m: DesignMatrix, height: number, width: number): DesignMatrix {
  const { n, d } = m;
  const x = new Float32Array(2 * n * d);
  x.set(m.x.subarray(0, n * d));
  for (let i = 0; i < n; i++) {
    const src = i * d, dst = (n + i) * d;
    for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) x[dst + r * width + c] = m.x[src + r * width + (width - 1 - c)]!;
    for (let k = height * width; k < d; k++) x[dst + k] = m.x[src + k]!;
  }
  const y = new Int32Array(2 * n);
  y.set(m.y);
  y.set(m.y, n);
  return { x, y, n: 2 * n, d, classes: m.classes };
}

/** ms for core's landscape2D (101×101 by default) on a backend: scores through it, the grid on the host. */
export async function timeLandscape(backend: ComputeBackend, data: Resident, objective: Objective, points: number): Promise<{ ms: number; min: number }> {
  const rng = new Random('descent-bench-landscape');
  const w = new Float64Array(data.d * data.classes);
  rng.fillNormal(w, 1e-4);
  const t0 = performance.now();
  const l = await landscape2D(backend, data, objective, w, rng, { points, range: [-1, 1] });
  const ms = performance.now() - t0;
  return { ms, min: Math.min(...l.losses) };
}

/** ms for core's linearFiniteDifferences over every coordinate, centered (setup included). */
export function timeNumericalGradient(m: DesignMatrix, objective: Objective, h = 1e-3): { ms: number; coordinates: number; checksum: number } {
  const rng = new Random('descent-bench-numgrad');
  const w = new Float64Array(m.d * m.classes);
  rng.fillNormal(w, 1e-4);
  const all = Int32Array.from({ length: w.length }, (_, i) => i);
  const t0 = performance.now();
  const g = linearFiniteDifferences(m.x, m.y, w, m.n, m.d, m.classes, objective)(all, h, 'centered');
  const ms = performance.now() - t0;
  let checksum = 0;
  for (let i = 0; i < g.length; i++) checksum += Math.abs(g[i]!);
  return { ms, coordinates: all.length, checksum };
}

/** The textbook numerical gradient on a backend (2 full evaluations per coordinate), timed on `sample` coordinates and extrapolated. */
export async function timeTextbookNumericalGradient(backend: ComputeBackend, data: Resident, objective: Objective,
  sample: number, h = 1e-3): Promise<number> {
  const w = new Float64Array(data.d * data.classes);
  new Random('descent-bench-numgrad').fillNormal(w, 1e-4);
  const all = { start: 0, count: data.n };
  await backend.evaluate(w, data, all, objective, false);
  const t0 = performance.now();
  for (let k = 0; k < sample; k++) {
    const i = (k * 7919) % w.length, v = w[i]!;
    w[i] = v + h;
    await backend.evaluate(w, data, all, objective, false);
    w[i] = v - h;
    await backend.evaluate(w, data, all, objective, false);
    w[i] = v;
  }
  return ((performance.now() - t0) / sample) * w.length;
}
