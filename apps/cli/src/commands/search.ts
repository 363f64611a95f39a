import { Command, Option } from 'commander';
import { LECTURE_SEARCH_ACCURACY, objectiveOf } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, intUpTo, positive, positiveUpTo,
  type CommonOptions, type ObjectiveOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
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
  cmd.option('--iterations <n>', `candidates tried by each search (at most ${CAPS.iterations})`, intUpTo(CAPS.iterations), 1000)
    .option('--search-scale <x>', `random search: each candidate W = x·N(0,1) (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-3)
    .option('--search-step <x>', `random local search: proposal W + x·N(0,1) (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-4)
    .option('--init-scale <x>', `initial W = x·N(0,1) for local search and gradient descent (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-3)
    .addOption(new Option('--against <strategy>', 'the gradient strategy to compare with').choices(['gd', 'minibatch', 'sgd']).default('minibatch'))
    .option('--epochs <n>', `epochs of gradient descent (at most ${CAPS.epochs})`, positiveUpTo(CAPS.epochs), 10)
    .option('--lr <x>', 'learning rate of gradient descent (SGD with momentum 0.9)', positive, 0.05);
  return cmd.action(async (opts: Options) => {
    const r = await runSearch(opts);
    if (opts.json) { printJson(r); return; }
    process.stdout.write(`${r.data.name}: ${r.data.train} training rows; ${r.settings.loss}, reg ${r.settings.reg}, backend ${r.settings.backend}\n`);
    process.stdout.write(table(['strategy', 'iterations', 'final loss', 'train acc', 'test acc', 'seconds'],
      r.runs.map((x) => [x.strategy, x.iterations, x.finalLoss.toPrecision(5), x.trainAccuracy.toFixed(4), x.testAccuracy.toFixed(4), x.seconds.toFixed(2)])));
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    process.stdout.write(`(CS231n reports ${pct(LECTURE_SEARCH_ACCURACY['random-search'])} for random search and ${pct(LECTURE_SEARCH_ACCURACY['random-local-search'])} for random local search on CIFAR-10; following the gradient does far better.)\n`);
  });
}

export async function runSearch(opts: Options) {
  return withSession(opts, async (s) => {
    const objective = objectiveOf(opts);
    let progress: ReturnType<typeof createProgress> | undefined;
    try {
      const runs = await s.compare({ iterations: opts.iterations, searchScale: opts.searchScale, searchStep: opts.searchStep,
        initScale: opts.initScale, against: opts.against, epochs: opts.epochs, learningRate: opts.lr,
        base: { loss: opts.loss, reg: opts.reg, delta: opts.delta, seed: opts.seed } }, {
        onStart: (strategy) => {
          progress?.stop();
          const p = createProgress(outputMode(opts), strategy);
          progress = p;
          return (e) => p.update(e);
        },
      });
      return {
        command: 'search' as const,
        settings: { data: opts.data, backend: s.backend.id, loss: objective.loss, reg: objective.reg, seed: opts.seed },
        backendChoice: s.choice,
        data: { name: s.summary.name, train: s.summary.train, test: s.summary.test },
        runs,
      };
    } finally {
      progress?.stop();
    }
  });
}
