import { Command } from 'commander';
import {
  accuracy, confusionMatrix, effectiveBatching, OptionError, train, type Model, type TrainResult,
} from '@descent/core';
import { loadModel, saveModel, writeFileAtomic } from '@descent/core/node';
import { join } from 'node:path';
import {
  addCommonOptions, addObjectiveOptions, addTrainingOptions,
  type CommonOptions, type ObjectiveOptions, type TrainingOptions,
} from '../options.js';
import { outputMode, printJson, seconds, toJson } from '../output.js';
import { writePictures } from '../pictures.js';
import { createProgress } from '../progress.js';
import { withSession, type Session } from '../session.js';

type TrainCommandOptions = CommonOptions & ObjectiveOptions & TrainingOptions & { out?: string; resume?: string };

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
  /** Files written with --out. */
  files?: string[];
}

export function trainCommand(): Command {
  const cmd = new Command('train').description('train a linear classifier and report its accuracy')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addTrainingOptions(cmd);
  cmd.option('--out <dir>', 'write model.json, history.json, summary.json and pictures (SVG) here')
    .option('--resume <model>', 'start from a saved model (its weights and preprocessing)');
  return cmd.action(async (opts: TrainCommandOptions) => {
    const summary = await runTrain(opts);
    if (opts.json) printJson(summary);
    else printSummary(summary);
    if (summary.status === 'diverged') process.exitCode = 3;
    if (summary.status === 'stopped') process.exitCode = 130; // interrupted (Ctrl-C), after writing its results
  });
}

export async function runTrain(opts: TrainCommandOptions): Promise<TrainSummary> {
  const t0 = performance.now();
  const resumed: Model | undefined = opts.resume ? await loadModel(opts.resume) : undefined;
  return withSession(opts, async (s) => {
    if (resumed && resumed.classNames.length !== s.data.train.classes) {
      throw new OptionError(`--resume: ${opts.resume} has ${resumed.classNames.length} classes but ${s.data.name} has ${s.data.train.classes}`);
    }
    const gradient = ['gd', 'minibatch', 'sgd'].includes(opts.strategy);
    const epochs = opts.iterations === undefined && opts.epochs === undefined && gradient ? 10 : opts.epochs;
    const result = await trainWithProgress(s, opts, epochs, resumed?.weights);
    const t2 = performance.now();
    const last = result.evaluations.at(-1);
    const testAccuracy = await accuracy(s.backend, result.weights, s.test);
    const summary: TrainSummary = {
      command: 'train',
      settings: {
        data: opts.data, backend: s.backend.id, loss: opts.loss, reg: opts.reg, delta: opts.delta,
        strategy: opts.strategy, optimizer: opts.optimizer, learningRate: opts.lr, schedule: opts.schedule,
        ...effectiveBatching(opts, s.data.train.n), iterations: opts.iterations ?? null,
        epochs: epochs ?? null, seed: opts.seed, validation: opts.validation, limit: opts.limit ?? null,
        resume: opts.resume ?? null,
      },
      data: { name: s.data.name, train: s.data.train.n, validation: s.data.validation.n, test: s.data.test.n,
        features: s.data.train.d, classes: s.data.train.classes },
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      iterations: result.iterations,
      epochs: result.epochs,
      finalLoss: result.finalLoss,
      accuracy: { train: last?.trainAccuracy ?? NaN, validation: last?.validationAccuracy ?? null, test: testAccuracy },
      seconds: { load: seconds(s.loadSeconds * 1000), train: seconds(t2 - t0 - s.loadSeconds * 1000), total: 0 },
    };
    if (opts.out) summary.files = await writeRun(opts.out, s, result, summary);
    summary.seconds.total = seconds(performance.now() - t0);
    return summary;
  });
}

async function trainWithProgress(s: Session, opts: TrainCommandOptions, epochs: number | undefined,
  initialWeights: Float64Array | undefined): Promise<TrainResult> {
  // Ctrl-C stops between iterations and keeps what was learned; a second Ctrl-C exits at once.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = createProgress(outputMode(opts), opts.strategy);
  try {
    const result = await train({
      backend: s.backend, train: s.train, ...(s.validation ? { validation: s.validation } : {}),
      objective: s.objective, strategy: opts.strategy, seed: opts.seed,
      ...(opts.iterations !== undefined ? { iterations: opts.iterations } : {}),
      ...(epochs !== undefined ? { epochs } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      ...(opts.sampler !== undefined ? { sampler: opts.sampler } : {}),
      ...(opts.evalEvery !== undefined ? { evaluateEvery: opts.evalEvery } : {}),
      ...(initialWeights ? { initialWeights } : {}),
      optimizer: opts.optimizer,
      optimizerOptions: { momentum: opts.momentum },
      learningRate: opts.lr,
      schedule: opts.schedule,
      scheduleOptions: { every: opts.stepEvery, factor: opts.stepFactor, k: opts.decay },
      initScale: opts.initScale, searchScale: opts.searchScale, searchStep: opts.searchStep,
      onProgress: (e) => progress.update(e),
      signal: controller.signal,
    });
    progress.finish(result.evaluations.at(-1)?.validationAccuracy);
    return result;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}

/** --out: the model, the loss history, the summary, and pictures. Each file is written atomically. */
async function writeRun(dir: string, s: Session, result: TrainResult, summary: TrainSummary): Promise<string[]> {
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    await writeFileAtomic(join(dir, name), text);
    files.push(join(dir, name));
  };
  const modelPath = join(dir, 'model.json');
  await saveModel(modelPath, {
    classNames: s.data.classNames, image: s.data.image, preprocessing: s.data.preprocessing,
    weights: result.weights, objective: s.objective,
    training: { settings: summary.settings, status: summary.status, iterations: summary.iterations,
      epochs: summary.epochs, finalLoss: summary.finalLoss, accuracy: summary.accuracy, data: summary.data },
  });
  files.push(modelPath);
  await put('history.json', toJson({ losses: Array.from(result.losses), evaluations: result.evaluations }));
  const confusion = await confusionMatrix(s.backend, result.weights, s.test);
  files.push(...await writePictures(dir, {
    loss: { losses: result.losses, evaluations: result.evaluations },
    templates: { weights: result.weights, classNames: s.data.classNames, image: s.data.image },
    confusion: { counts: confusion.counts, classNames: s.data.classNames },
  }));
  await put('summary.json', toJson({ ...summary, files: [...files, join(dir, 'summary.json')] }));
  return files;
}

function printSummary(s: TrainSummary): void {
  const out = process.stdout;
  if (s.message) out.write(`${s.message}\n`); // says itself whether the run stopped or diverged
  out.write(`data       ${s.data.name}: ${s.data.train} train, ${s.data.validation} validation, ${s.data.test} test; D=${s.data.features}, C=${s.data.classes}\n`);
  const searching = String(s.settings.strategy).includes('search');
  const passes = searching ? '' : ` (${s.epochs.toFixed(2)} epochs)`;
  out.write(`run        ${s.settings.strategy} on ${s.settings.backend}, ${s.iterations} iteration${s.iterations === 1 ? '' : 's'}${passes} in ${s.seconds.train.toFixed(2)} s\n`);
  out.write(`final loss ${s.finalLoss.toPrecision(5)} (${s.settings.loss}, reg ${s.settings.reg})\n`);
  out.write(`accuracy   train ${s.accuracy.train.toFixed(4)}  validation ${s.accuracy.validation === null ? '-' : s.accuracy.validation.toFixed(4)}  test ${s.accuracy.test.toFixed(4)}\n`);
  if (s.files) out.write(`wrote      ${s.files.join('\n           ')}\n`);
}
