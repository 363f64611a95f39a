/**
 * Reading the run's settings from the run bar and the settings panel, checked: what a run and
 * every tool panel take from them. core checks the names and fills in what the form leaves out.
 */
import { trainSettings } from '@descent/core';
import type { LossName, OptimizerName, SamplerName, ScheduleName, StrategyName } from '@descent/core';
import type { DiagnosticOptions, RunRequest } from '../protocol.js';
import { $, isWhole, num, optional, setting } from './dom.js';

/** The backend chosen in the backend list (the run bar's menu mirrors it). */
export function selectedBackend(): string {
  return (document.querySelector<HTMLInputElement>('input[name=backend]:checked'))?.value ?? 'auto';
}

export function readSettings(): RunRequest {
  const sampler = $<HTMLSelectElement>('sampler').value;
  const byIterations = $<HTMLSelectElement>('length-unit').value === 'iterations';
  // Read in the order the page shows them, so the first message is about the first bad field.
  const learningRate = setting('lr', 'a number > 0', (v) => v > 0);
  const reg = num('reg', 'a number ≥ 0', (v) => v >= 0);
  const delta = setting('delta');
  const momentum = setting('momentum');
  const stepEvery = setting('step-every');
  const stepFactor = setting('step-factor');
  const decay = setting('decay');
  const batchSize = optional('batch-size', 'a whole number ≥ 1', isWhole);
  const length = byIterations ? num('length', 'a whole number of iterations ≥ 1', isWhole) : num('length', 'a number > 0', (v) => v > 0);
  const seed = num('seed', 'an integer', Number.isInteger);
  const initScale = num('init-scale', 'a number ≥ 0', (v) => v >= 0);
  const searchScale = setting('search-scale');
  const searchStep = setting('search-step');
  const validation = num('validation', 'a fraction below 1 or a whole number of rows', (v) => v >= 0 && (v < 1 || Number.isInteger(v)));
  const limit = optional('limit', 'a whole number ≥ 1', isWhole);
  return {
    backend: selectedBackend(),
    settings: trainSettings({
      loss: $<HTMLSelectElement>('loss').value as LossName,
      reg, delta,
      strategy: $<HTMLSelectElement>('strategy').value as StrategyName,
      optimizer: $<HTMLSelectElement>('optimizer').value as OptimizerName,
      learningRate, momentum,
      schedule: $<HTMLSelectElement>('schedule').value as ScheduleName,
      stepEvery, stepFactor, decay,
      batchSize, ...(sampler ? { sampler: sampler as SamplerName } : {}),
      ...(byIterations ? { iterations: length } : { epochs: length }),
      seed, initScale, searchScale, searchStep,
    }),
    ...(limit !== undefined ? { limit } : {}),
    validation,
    resume: $<HTMLInputElement>('resume').checked,
    paceMs: Number($<HTMLSelectElement>('pace').value),
  };
}

/** The tool's own rows field first, then the objective and W's seed and scale from the settings. */
export function diagnosticOptions(examplesId?: string): DiagnosticOptions {
  const examples = examplesId ? optional(examplesId, 'a whole number ≥ 1', isWhole) : undefined;
  return { backend: selectedBackend(), loss: $<HTMLSelectElement>('loss').value as DiagnosticOptions['loss'],
    reg: num('reg', 'a number ≥ 0', (v) => v >= 0), delta: setting('delta') ?? 1, seed: num('seed', 'an integer', Number.isInteger),
    initScale: num('init-scale', 'a number ≥ 0', (v) => v >= 0), ...(examples !== undefined ? { examples } : {}) };
}
