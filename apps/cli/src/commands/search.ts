import { Command, Option } from 'commander';
import { accuracy, train, type StrategyName, type TrainOptions, type TrainResult } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, positive, positiveInt,
  type CommonOptions, type ObjectiveOptions,
} from '../options.js';
import { outputMode, printJson, table } from '../output.js';
import { createProgress } from '../progress.js';
import { withSession } from '../session.js';

type Options = CommonOptions & ObjectiveOptions & {
  iterations: number; searchScale: number; searchStep: number; initScale: number;
  against: 'gd' | 'minibatch' | 'sgd'; epochs: number; lr: number;
};

export function searchCommand(): Command {
  const cmd = new Command('search')
    .description("the lecture's random search and random local search, against gradient descent on the same data")
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  cmd.option('--iterations <n>', 'candidates tried by each search', positiveInt, 1000)
    .option('--search-scale <x>', 'random search: each candidate W = x·N(0,1)', positive, 1e-3)
    .option('--search-step <x>', 'random local search: proposal W + x·N(0,1)', positive, 1e-4)
    .option('--init-scale <x>', 'initial W = x·N(0,1) for local search and gradient descent', positive, 1e-3)
    .addOption(new Option('--against <strategy>', 'the gradient strategy to compare with').choices(['gd', 'minibatch', 'sgd']).default('minibatch'))
    .option('--epochs <n>', 'epochs of gradient descent', positive, 10)
    .option('--lr <x>', 'learning rate of gradient descent (SGD with momentum 0.9)', positive, 0.05);
  return cmd.action(async (opts: Options) => {
    const r = await runSearch(opts);
    if (opts.json) { printJson(r); return; }
    process.stdout.write(`${r.data.name}: ${r.data.train} training rows; ${r.settings.loss}, reg ${r.settings.reg}, backend ${r.settings.backend}\n`);
    process.stdout.write(table(['strategy', 'iterations', 'final loss', 'train acc', 'test acc', 'seconds'],
      r.runs.map((x) => [x.strategy, x.iterations, x.finalLoss.toPrecision(5), x.trainAccuracy.toFixed(4), x.testAccuracy.toFixed(4), x.seconds.toFixed(2)])));
    process.stdout.write("(CS231n reports 15.5% for random search and 21.4% for random local search on CIFAR-10; following the gradient does far better.)\n");
  });
}

export async function runSearch(opts: Options) {
  return withSession(opts, async (s) => {
    const runs = [];
    const plan: [StrategyName, Partial<TrainOptions>][] = [
      ['random-search', { iterations: opts.iterations, searchScale: opts.searchScale }],
      ['random-local-search', { iterations: opts.iterations, searchStep: opts.searchStep, initScale: opts.initScale }],
      [opts.against, { epochs: opts.epochs, learningRate: opts.lr, initScale: opts.initScale, optimizer: 'momentum' }],
    ];
    for (const [strategy, settings] of plan) {
      const progress = createProgress(outputMode(opts), strategy);
      let r: TrainResult;
      try {
        r = await train({ backend: s.backend, train: s.train, objective: s.objective, strategy, seed: opts.seed,
          ...settings, onProgress: (e) => progress.update(e) });
      } finally {
        progress.stop();
      }
      runs.push({ strategy, settings, status: r.status, iterations: r.iterations, finalLoss: r.finalLoss,
        trainAccuracy: r.evaluations.at(-1)?.trainAccuracy ?? NaN,
        testAccuracy: await accuracy(s.backend, r.weights, s.test), seconds: r.seconds });
    }
    return {
      command: 'search' as const,
      settings: { data: opts.data, backend: s.backend.id, loss: s.objective.loss, reg: s.objective.reg, seed: opts.seed },
      data: { name: s.data.name, train: s.data.train.n, test: s.data.test.n },
      runs,
    };
  });
}
