import { Command } from 'commander';
import { accuracy, train, type ComputeBackend, type Objective, type TrainResult } from '@descent/core';
import { createRegistry } from '../backends.js';
import {
  addCommonOptions, addObjectiveOptions, addTrainingOptions,
  type CommonOptions, type ObjectiveOptions, type TrainingOptions,
} from '../options.js';
import { prepareData } from '../prepare.js';
import { createProgress } from '../progress.js';
import { outputMode, printJson, seconds } from '../output.js';

type TrainCommandOptions = CommonOptions & ObjectiveOptions & TrainingOptions;

export interface TrainSummary {
  command: 'train';
  settings: Record<string, unknown>;
  data: { name: string; train: number; validation: number; test: number; features: number; classes: number };
  status: TrainResult['status'];
  message?: string;
  iterations: number;
  epochs: number;
  finalLoss: number;
  accuracy: { train: number; validation: number | null; test: number };
  seconds: { load: number; train: number; total: number };
}

export function trainCommand(): Command {
  const cmd = new Command('train').description('train a linear classifier and report its accuracy')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addTrainingOptions(cmd);
  return cmd.action(async (opts: TrainCommandOptions) => {
    const summary = await runTrain(opts);
    if (opts.json) printJson(summary);
    else printSummary(summary);
    if (summary.status === 'diverged') process.exitCode = 3;
  });
}

export async function runTrain(opts: TrainCommandOptions): Promise<TrainSummary> {
  const t0 = performance.now();
  const mode = outputMode(opts);
  const registry = createRegistry();
  const backend: ComputeBackend = await registry.create(opts.backend);
  try {
    const data = await prepareData({ data: opts.data, validation: opts.validation, scale: opts.scale,
      subtractMean: opts.mean, seed: opts.seed, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) });
    const train_ = await backend.place(data.train);
    const validation = data.validation.n > 0 ? await backend.place(data.validation) : undefined;
    const test = await backend.place(data.test);
    const t1 = performance.now();
    const objective: Objective = { loss: opts.loss, reg: opts.reg, delta: opts.delta };
    const epochs = opts.iterations === undefined && opts.epochs === undefined
      && ['gd', 'minibatch', 'sgd'].includes(opts.strategy) ? 10 : opts.epochs;

    // Ctrl-C stops between iterations and keeps what was learned; a second Ctrl-C exits.
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    const progress = createProgress(mode, opts.strategy);
    let result: TrainResult;
    try {
      result = await train({
        backend, train: train_, ...(validation ? { validation } : {}), objective, strategy: opts.strategy, seed: opts.seed,
        ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
        ...(epochs !== undefined ? { epochs } : {}),
        ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
        ...(opts.sampler !== undefined ? { sampler: opts.sampler } : {}),
        ...(opts.evalEvery !== undefined ? { evaluateEvery: opts.evalEvery } : {}),
        optimizer: opts.optimizer,
        optimizerOptions: { momentum: opts.momentum },
        learningRate: opts.lr,
        schedule: opts.schedule,
        scheduleOptions: { every: opts.stepEvery, factor: opts.stepFactor, k: opts.decay },
        initScale: opts.initScale, searchScale: opts.searchScale, searchStep: opts.searchStep,
        onProgress: (e) => progress.update(e),
        signal: controller.signal,
      });
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
    const t2 = performance.now();
    const last = result.evaluations.at(-1);
    const testAccuracy = await accuracy(backend, result.weights, test);
    return {
      command: 'train',
      settings: {
        data: opts.data, backend: backend.id, loss: opts.loss, reg: opts.reg, delta: opts.delta,
        strategy: opts.strategy, optimizer: opts.optimizer, learningRate: opts.lr, schedule: opts.schedule,
        batchSize: opts.batchSize ?? null, sampler: opts.sampler ?? null, iterations: opts.iterations ?? null,
        epochs: epochs ?? null, seed: opts.seed, validation: opts.validation, limit: opts.limit ?? null,
      },
      data: { name: data.name, train: data.train.n, validation: data.validation.n, test: data.test.n,
        features: data.train.d, classes: data.train.classes },
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      iterations: result.iterations,
      epochs: result.epochs,
      finalLoss: result.finalLoss,
      accuracy: {
        train: last?.trainAccuracy ?? NaN,
        validation: last?.validationAccuracy ?? null,
        test: testAccuracy,
      },
      seconds: { load: seconds(t1 - t0), train: seconds(t2 - t1), total: seconds(performance.now() - t0) },
    };
  } finally {
    await backend.dispose();
  }
}

function printSummary(s: TrainSummary): void {
  const out = process.stdout;
  if (s.message) out.write(`${s.status}: ${s.message}\n`);
  out.write(`data       ${s.data.name}: ${s.data.train} train, ${s.data.validation} validation, ${s.data.test} test; D=${s.data.features}, C=${s.data.classes}\n`);
  out.write(`run        ${s.settings.strategy} on ${s.settings.backend}, ${s.iterations} iterations (${s.epochs.toFixed(2)} epochs) in ${s.seconds.train.toFixed(2)} s\n`);
  out.write(`final loss ${s.finalLoss.toPrecision(5)} (${s.settings.loss}, reg ${s.settings.reg})\n`);
  out.write(`accuracy   train ${s.accuracy.train.toFixed(4)}  validation ${s.accuracy.validation === null ? '-' : s.accuracy.validation.toFixed(4)}  test ${s.accuracy.test.toFixed(4)}\n`);
}
