import { Command, InvalidArgumentError } from 'commander';
import { defaultBatchSizes, objectiveOf } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, intUpTo, numberListUpTo,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
import { outputMode, printJson, table } from '../output.js';
import { createCountProgress } from '../progress.js';
import { startLabel, withStart } from '../start.js';

type Options = CommonOptions & ObjectiveOptions & StartOptions & { sizes?: number[]; trials: number };

export function batchesCommand(): Command {
  const cmd = new Command('batches')
    .description("the lecture's case for minibatches, measured: how well a minibatch gradient approximates the full gradient, and what it costs")
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addStartOptions(cmd);
  cmd.option('--sizes <list>', `batch sizes (default: 1, 2, 4, … and the whole training set; at most ${CAPS.batchSizes} sizes, each at most ${CAPS.batchSize})`, (v: string) => {
      const xs = numberListUpTo(CAPS.batchSizes)(v);
      for (const x of xs) if (!(Number.isInteger(x) && x >= 1 && x <= CAPS.batchSize)) throw new InvalidArgumentError(`batch sizes must be integers from 1 to ${CAPS.batchSize}; got ${x}.`);
      return xs;
    })
    .option('--trials <n>', `random batches drawn per size (at most ${CAPS.batchTrials})`, intUpTo(CAPS.batchTrials), 20);
  return cmd.action(async (opts: Options) => {
    const r = await runBatches(opts);
    if (opts.json) { printJson(r); return; }
    process.stdout.write(`minibatch gradients vs the full gradient over ${r.settings.n} rows (${r.settings.loss}, ${r.settings.trials} batches per size, backend ${r.settings.backend})\n`);
    process.stdout.write(table(['batch size', 'cosine mean', '± std', 'rel. error mean', '± std', 'ms per gradient', 'cost vs full'],
      r.rows.map((x) => [x.batchSize, x.cosine.mean.toFixed(4), x.cosine.std.toFixed(4), x.relativeError.mean.toFixed(4),
        x.relativeError.std.toFixed(4), x.milliseconds.toFixed(3), x.costVsFull.toPrecision(3)])));
  });
}

export async function runBatches(opts: Options) {
  return withStart(opts, async (s, w) => {
    const objective = objectiveOf(opts);
    const n = s.data.train.n;
    const sizes = opts.sizes ?? defaultBatchSizes(n);
    const progress = createCountProgress(outputMode(opts), 'batches', sizes.length);
    try {
      const r = await s.batches(w, objective, { sizes, trials: opts.trials, seed: opts.seed },
        (row) => progress.tick(`batch size ${row.batchSize}`));
      return {
        command: 'batches' as const,
        settings: { data: opts.data, backend: s.backend.id, loss: objective.loss, reg: objective.reg, n, trials: opts.trials,
          at: startLabel(opts), seed: opts.seed },
        backendChoice: s.choice,
        fullGradientMilliseconds: r.fullGradientMilliseconds,
        rows: r.rows,
      };
    } finally {
      progress.stop();
    }
  });
}
