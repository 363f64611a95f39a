import { Command } from 'commander';
import {
  isSearchStrategy, objectiveOf, OptionError, reportedSettings, trainingRecord, trainSettings,
  type BackendChoice, type DataSummary, type Model, type Session, type TrainingRecord, type TrainOutcome, type TrainResult,
  type TrainSettings,
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
import { withSession } from '../session.js';
import { OutputError, prepareOutputDir, writing } from '../outputs.js';

type TrainCommandOptions = CommonOptions & ObjectiveOptions & TrainingOptions & { out?: string; resume?: string };

export interface TrainSummary {
  command: 'train';
  settings: Record<string, unknown>;
  /** How the backend was chosen: what --backend asked, what ran, and why the ones before it were skipped. */
  backendChoice: BackendChoice;
  data: DataSummary;
  status: TrainResult['status'];
  message?: string;
  iterations: number;
  epochs: number;
  finalLoss: number;
  accuracy: { train: number; validation: number | null; test: number };
  seconds: { load: number; train: number; total: number };
  /** Files written with --out. */
  files?: string[];
  /** Why writing --out failed (naming the file), if it did. */
  writeError?: string;
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
    // The run's results reach stdout even when writing them failed; then the error, and exit 2.
    if (summary.writeError) throw new OutputError(summary.writeError);
    if (summary.status === 'diverged') process.exitCode = 3;
    if (summary.status === 'stopped') process.exitCode = 130; // interrupted (Ctrl-C), after writing its results
  });
}

/** The command's options as core's TrainSettings (the one mapping from flags to a run). */
export function settingsFrom(opts: TrainCommandOptions): TrainSettings {
  return trainSettings({
    loss: opts.loss, reg: opts.reg, delta: opts.delta, strategy: opts.strategy, optimizer: opts.optimizer,
    learningRate: opts.lr, momentum: opts.momentum, schedule: opts.schedule as TrainSettings['schedule'],
    stepEvery: opts.stepEvery, stepFactor: opts.stepFactor, decay: opts.decay, batchSize: opts.batchSize,
    sampler: opts.sampler, iterations: opts.iterations, epochs: opts.epochs, seed: opts.seed, initScale: opts.initScale,
    searchScale: opts.searchScale, searchStep: opts.searchStep, evaluateEvery: opts.evalEvery, hostSteps: opts.hostSteps,
  });
}

export async function runTrain(opts: TrainCommandOptions): Promise<TrainSummary> {
  const t0 = performance.now();
  if (opts.iterations === 0 && !opts.resume) {
    throw new OptionError('--iterations 0 only makes sense with --resume (evaluate and save a saved model without a step)');
  }
  // Outputs are checked (and created) before any work, so a bad --out never costs a run.
  if (opts.out) await prepareOutputDir(opts.out, '--out');
  const resumed: Model | undefined = opts.resume ? await loadModel(opts.resume) : undefined;
  // A resumed run keeps the model's preprocessing: its weights only mean something on data prepared that way.
  return withSession(opts, async (s, loadSeconds) => {
    if (resumed && resumed.classNames.length !== s.summary.classes) {
      throw new OptionError(`--resume: ${opts.resume} has ${resumed.classNames.length} classes but ${s.summary.name} has ${s.summary.classes}`);
    }
    const settings = settingsFrom(opts);
    const { result, testAccuracy } = resumed && opts.iterations === 0
      ? await evaluateOnly(s, settings, Float64Array.from(resumed.weights))
      : await trainWithProgress(s, settings, opts, resumed?.weights);
    const t2 = performance.now();
    const reported = reportedSettings(settings, { data: opts.data, validation: opts.validation,
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.resume ? { resume: opts.resume } : {}) },
    s.backend.id, s.summary.train);
    const record = trainingRecord({ settings: reported, result, testAccuracy, data: s.summary, app: 'descent cli' });
    const summary: TrainSummary = {
      command: 'train',
      settings: reported,
      backendChoice: s.choice,
      data: s.summary,
      status: result.status,
      ...(result.message !== undefined ? { message: result.message } : {}),
      iterations: result.iterations,
      epochs: result.epochs,
      finalLoss: result.finalLoss,
      accuracy: { train: record.accuracy.train ?? NaN, validation: record.accuracy.validation, test: testAccuracy },
      seconds: { load: seconds(loadSeconds * 1000), train: seconds(t2 - t0 - loadSeconds * 1000), total: 0 },
    };
    if (opts.out) {
      const files: string[] = [];
      try {
        await writeRun(opts.out, s, result, summary, record, files);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        summary.writeError = e.message;
      }
      summary.files = files;
    }
    summary.seconds.total = seconds(performance.now() - t0);
    return summary;
  }, resumed ? { preprocessing: resumed.preprocessing } : {});
}

/** --resume with --iterations 0: the resumed weights, evaluated as a run of no steps would report them. */
async function evaluateOnly(s: Session, settings: TrainSettings, weights: Float64Array): Promise<TrainOutcome> {
  const t0 = performance.now();
  const finalLoss = await s.loss(weights, objectiveOf(settings));
  const trainAccuracy = await s.accuracy(weights, 'train');
  const evaluation = s.data.validation
    ? { iteration: 0, trainAccuracy, validationAccuracy: await s.accuracy(weights, 'validation') }
    : { iteration: 0, trainAccuracy };
  const result: TrainResult = {
    strategy: settings.strategy, weights, status: 'completed', iterations: 0, epochs: 0,
    losses: new Float64Array(0), evaluations: [evaluation], finalLoss, seconds: (performance.now() - t0) / 1000,
  };
  return { result, testAccuracy: await s.accuracy(weights, 'test') };
}

async function trainWithProgress(s: Session, settings: TrainSettings, opts: TrainCommandOptions,
  initialWeights: Float64Array | undefined): Promise<TrainOutcome> {
  const progress = createProgress(outputMode(opts), opts.strategy);
  const run = s.train(settings, { onProgress: (e) => progress.update(e), ...(initialWeights ? { initialWeights } : {}) });
  // Ctrl-C stops between iterations and keeps what was learned; a second Ctrl-C exits at once.
  const onSigint = () => {
    if (run.control.stopped) process.exit(130);
    run.control.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    const outcome = await run.done;
    progress.finish(outcome.result.evaluations.at(-1)?.validationAccuracy);
    return outcome;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}

/** --out: the model, the loss history, the summary, and pictures. Each file is written atomically. */
async function writeRun(dir: string, s: Session, result: TrainResult, summary: TrainSummary, record: TrainingRecord,
  files: string[]): Promise<string[]> {
  const put = async (name: string, text: string) => {
    await writing(join(dir, name), () => writeFileAtomic(join(dir, name), text));
    files.push(join(dir, name));
  };
  const p = s.dataset;
  const modelPath = join(dir, 'model.json');
  await writing(modelPath, () => saveModel(modelPath, s.model(result.weights, objectiveOf(record.settings as Pick<TrainSettings, 'loss' | 'reg' | 'delta'>),
    { ...record })));
  files.push(modelPath);
  await put('history.json', toJson({ losses: Array.from(result.losses), evaluations: result.evaluations }));
  const confusion = await s.confusion(result.weights);
  files.push(...await writePictures(dir, {
    loss: { losses: result.losses, evaluations: result.evaluations },
    ...(p.image ? { templates: { weights: result.weights, classNames: p.classNames, image: p.image } } : {}), // features have no pictures
    confusion: { counts: confusion.counts, classNames: p.classNames },
  }));
  await put('summary.json', toJson({ ...summary, files: [...files, join(dir, 'summary.json')] }));
  return files;
}

function printSummary(s: TrainSummary): void {
  const out = process.stdout;
  if (s.message) out.write(`${s.message}\n`); // says itself whether the run stopped or diverged
  out.write(`data       ${s.data.name}: ${s.data.train} train, ${s.data.validation} validation, ${s.data.test} test; D=${s.data.features}, C=${s.data.classes}\n`);
  const searching = isSearchStrategy(s.settings.strategy as TrainSettings['strategy']);
  const passes = searching ? '' : ` (${s.epochs.toFixed(2)} epochs)`;
  out.write(`run        ${s.settings.strategy} on ${s.settings.backend}, ${s.iterations} iteration${s.iterations === 1 ? '' : 's'}${passes} in ${s.seconds.train.toFixed(2)} s\n`);
  out.write(`final loss ${s.finalLoss.toPrecision(5)} (${s.settings.loss}, reg ${s.settings.reg})\n`);
  out.write(`accuracy   train ${s.accuracy.train.toFixed(4)}  validation ${s.accuracy.validation === null ? '-' : s.accuracy.validation.toFixed(4)}  test ${s.accuracy.test.toFixed(4)}\n`);
  if (s.files) out.write(`wrote      ${s.files.join('\n           ')}\n`);
}
