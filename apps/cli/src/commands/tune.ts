import { Command, Option } from 'commander';
import { accuracy, OPTIMIZER_NAMES, OptionError, Random, train, type TrainResult } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, positive, positiveInt, range,
  type CommonOptions, type ObjectiveOptions,
} from '../options.js';
import { outputMode, printJson, table } from '../output.js';
import { createCountProgress } from '../progress.js';
import { withSession } from '../session.js';

type Options = CommonOptions & ObjectiveOptions & {
  trials: number; rounds: number; lrRange: [number, number]; regRange: [number, number]; epochs: number;
  optimizer: (typeof OPTIMIZER_NAMES)[number]; batchSize: number; keep: number;
};

export interface Trial { round: number; learningRate: number; reg: number; validationAccuracy: number; finalLoss: number; status: TrainResult['status'] }

/** Uniform in log space over [lo, hi]. */
const logUniform = (rng: Random, [lo, hi]: [number, number]) => Math.exp(Math.log(lo) + rng.float() * (Math.log(hi) - Math.log(lo)));

/**
 * The next round's range: the span of the best `keep` trials' values, widened by half a decade
 * on each side (so a best value near an edge can still move), in log space.
 */
export function narrow(values: readonly number[]): [number, number] {
  const logs = values.map(Math.log10);
  return [10 ** (Math.min(...logs) - 0.5), 10 ** (Math.max(...logs) + 0.5)];
}

/** Whether v sits in the outer tenth (in log space) of [lo, hi]: the search may want a wider range. */
export function onBorder(v: number, [lo, hi]: [number, number]): boolean {
  const t = (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return t < 0.1 || t > 0.9;
}

export function tuneCommand(): Command {
  const cmd = new Command('tune')
    .description('hyperparameter search for learning rate and regularization: random in log space, scored on validation, coarse to fine')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  cmd.option('--trials <n>', 'trials per round', positiveInt, 10)
    .option('--rounds <n>', 'rounds; each narrows the ranges around the best trials', positiveInt, 2)
    .option('--keep <n>', 'best trials that set the next round\'s ranges', positiveInt, 3)
    .option('--lr-range <from,to>', 'learning-rate range of the first round', range, [1e-4, 1])
    .option('--reg-range <from,to>', 'regularization range of the first round', range, [1e-6, 1e-1])
    .option('--epochs <n>', 'epochs of minibatch training per trial', positive, 3)
    .option('--batch-size <n>', 'minibatch size', positiveInt, 256)
    .addOption(new Option('--optimizer <name>', 'update rule').choices(OPTIMIZER_NAMES).default('momentum'));
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
  if (opts.lrRange[0] <= 0 || opts.regRange[0] <= 0) throw new OptionError('--lr-range and --reg-range must be positive (they are searched in log space)');
  return withSession(opts, async (s) => {
    if (!s.validation) throw new OptionError('tune scores trials on the validation split: use --validation > 0');
    const rng = new Random(opts.seed).fork('tune');
    const trials: Trial[] = [];
    let best: { trial: Trial; weights: Float64Array } | undefined;
    let lrRange = opts.lrRange, regRange = opts.regRange;
    const progress = createCountProgress(outputMode(opts), 'tune trial', opts.trials * opts.rounds);
    try {
      for (let round = 1; round <= opts.rounds; round++) {
        const roundTrials: Trial[] = [];
        for (let t = 0; t < opts.trials; t++) {
          const learningRate = logUniform(rng, lrRange), reg = logUniform(rng, regRange);
          const r = await train({ backend: s.backend, train: s.train, validation: s.validation, strategy: 'minibatch',
            objective: { ...s.objective, reg }, seed: opts.seed, epochs: opts.epochs, batchSize: opts.batchSize,
            optimizer: opts.optimizer, learningRate, evaluateEvery: 0 });
          const trial: Trial = { round, learningRate, reg, finalLoss: r.finalLoss, status: r.status,
            validationAccuracy: r.evaluations.at(-1)?.validationAccuracy ?? NaN };
          trials.push(trial);
          roundTrials.push(trial);
          if (!best || trial.validationAccuracy > best.trial.validationAccuracy) best = { trial, weights: r.weights };
          progress.tick(`round ${round}, lr ${learningRate.toExponential(2)}, reg ${reg.toExponential(2)}: val acc ${trial.validationAccuracy.toFixed(4)} (best ${best.trial.validationAccuracy.toFixed(4)})`);
        }
        const top = [...roundTrials].sort((a, b) => b.validationAccuracy - a.validationAccuracy).slice(0, opts.keep);
        lrRange = narrow(top.map((t) => t.learningRate));
        regRange = narrow(top.map((t) => t.reg));
      }
    } finally {
      progress.stop();
    }
    const b = best!;
    const warnings: string[] = [];
    if (onBorder(b.trial.learningRate, opts.lrRange)) warnings.push(`the best learning rate ${b.trial.learningRate.toExponential(2)} lies at the border of --lr-range [${opts.lrRange.join(', ')}]: widen the range and tune again`);
    if (onBorder(b.trial.reg, opts.regRange)) warnings.push(`the best reg ${b.trial.reg.toExponential(2)} lies at the border of --reg-range [${opts.regRange.join(', ')}]: widen the range and tune again`);
    return {
      command: 'tune' as const,
      settings: { data: opts.data, backend: s.backend.id, loss: s.objective.loss, trials: opts.trials, rounds: opts.rounds,
        keep: opts.keep, lrRange: opts.lrRange, regRange: opts.regRange, epochs: opts.epochs, batchSize: opts.batchSize,
        optimizer: opts.optimizer, seed: opts.seed },
      trials,
      best: { ...b.trial, testAccuracy: await accuracy(s.backend, b.weights, s.test),
        onBorder: { learningRate: onBorder(b.trial.learningRate, opts.lrRange), reg: onBorder(b.trial.reg, opts.regRange) } },
      warnings,
    };
  });
}
