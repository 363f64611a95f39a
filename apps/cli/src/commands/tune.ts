import { Command, Option } from 'commander';
import { objectiveOf, OPTIMIZER_NAMES, type TrainSettings } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addScheduleOptions, intUpTo, positiveUpTo, range,
  type CommonOptions, type ObjectiveOptions, type ScheduleOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
import { outputMode, printJson, table } from '../output.js';
import { createCountProgress } from '../progress.js';
import { withSession } from '../session.js';

type Options = CommonOptions & ObjectiveOptions & ScheduleOptions & {
  trials: number; rounds: number; lrRange: [number, number]; regRange: [number, number]; epochs: number;
  optimizer: (typeof OPTIMIZER_NAMES)[number]; batchSize: number; keep: number;
};

export function tuneCommand(): Command {
  const cmd = new Command('tune')
    .description('hyperparameter search for learning rate and regularization: random in log space, scored on validation, coarse to fine')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  cmd.option('--trials <n>', `trials per round (at most ${CAPS.tuneTrials})`, intUpTo(CAPS.tuneTrials), 10)
    .option('--rounds <n>', `rounds; each narrows the ranges around the best trials (at most ${CAPS.tuneRounds})`, intUpTo(CAPS.tuneRounds), 2)
    .option('--keep <n>', `best trials that set the next round's ranges (at most ${CAPS.tuneKeep})`, intUpTo(CAPS.tuneKeep), 3)
    .option('--lr-range <from,to>', 'learning-rate range of the first round', range, [1e-4, 1])
    .option('--reg-range <from,to>', 'regularization range of the first round', range, [1e-6, 1e-1])
    .option('--epochs <n>', `epochs of minibatch training per trial (at most ${CAPS.epochs})`, positiveUpTo(CAPS.epochs), 3)
    .option('--batch-size <n>', `minibatch size (at most ${CAPS.batchSize})`, intUpTo(CAPS.batchSize), 256)
    .addOption(new Option('--optimizer <name>', 'update rule').choices(OPTIMIZER_NAMES).default('momentum'));
  // Each trial trains as `descent train` would with these: a schedule tuned for is the one trained with.
  addScheduleOptions(cmd);
  return cmd.action(async (opts: Options) => {
    const r = await runTune(opts);
    if (opts.json) { printJson(r); return; }
    const o = process.stdout;
    o.write(table(['round', 'learning rate', 'reg', 'val acc', 'final loss', 'status'],
      [...r.trials].sort((a, b) => b.validationAccuracy - a.validationAccuracy).map((t) =>
        [t.round, t.learningRate.toExponential(2), t.reg.toExponential(2), t.validationAccuracy.toFixed(4), t.finalLoss.toPrecision(4), t.status])));
    o.write(`best: learning rate ${r.best.learningRate.toExponential(2)}, reg ${r.best.reg.toExponential(2)}: validation ${r.best.validationAccuracy.toFixed(4)}, test ${r.best.testAccuracy.toFixed(4)}\n`);
    for (const w of r.warnings) o.write(`warning: ${w}\n`);
  });
}

export async function runTune(opts: Options) {
  return withSession(opts, async (s) => {
    const objective = objectiveOf(opts);
    const progress = createCountProgress(outputMode(opts), 'tune trial', opts.trials * opts.rounds);
    try {
      const r = await s.tune({ trials: opts.trials, rounds: opts.rounds, keep: opts.keep, lrRange: opts.lrRange, regRange: opts.regRange,
        epochs: opts.epochs, batchSize: opts.batchSize, optimizer: opts.optimizer,
        base: { loss: opts.loss, reg: opts.reg, delta: opts.delta, seed: opts.seed, schedule: opts.schedule as TrainSettings['schedule'],
          stepEvery: opts.stepEvery, stepFactor: opts.stepFactor, decay: opts.decay, momentum: opts.momentum } },
      (t, best) => progress.tick(`round ${t.round}, lr ${t.learningRate.toExponential(2)}, reg ${t.reg.toExponential(2)}: val acc ${t.validationAccuracy.toFixed(4)} (best ${best.validationAccuracy.toFixed(4)})`));
      return {
        command: 'tune' as const,
        settings: { data: opts.data, backend: s.backend.id, loss: objective.loss, trials: opts.trials, rounds: opts.rounds,
          keep: opts.keep, lrRange: opts.lrRange, regRange: opts.regRange, epochs: opts.epochs, batchSize: opts.batchSize,
          optimizer: opts.optimizer, schedule: opts.schedule, stepEvery: opts.stepEvery, stepFactor: opts.stepFactor, decay: opts.decay,
          momentum: opts.momentum, seed: opts.seed },
        backendChoice: s.choice,
        trials: r.trials,
        best: r.best,
        warnings: r.warnings.map((w) => w.replace('learning-rate range', '--lr-range').replace('reg range', '--reg-range')),
      };
    } finally {
      progress.stop();
    }
  });
}
