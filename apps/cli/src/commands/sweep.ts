import { Command } from 'commander';
import { objectiveOf } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, intUpTo, numberListUpTo,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
import { printJson, table } from '../output.js';
import { writePictures } from '../pictures.js';
import { startLabel, withStart } from '../start.js';
import { prepareOutputDir } from '../outputs.js';

type Options = CommonOptions & ObjectiveOptions & StartOptions & {
  sizes?: number[]; examples?: number; exact?: boolean; out?: string;
};

export function sweepCommand(): Command {
  const cmd = new Command('sweep')
    .description("the lecture's step-size table: the loss after one gradient step of each size")
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addStartOptions(cmd);
  cmd.option('--sizes <list>', `step sizes, comma-separated (default 1e-10,1e-9,…,1e-1; at most ${CAPS.sweepSizes} of them)`, numberListUpTo(CAPS.sweepSizes))
    .option('--examples <n>', `training rows the loss is averaged over (default: all; at most ${CAPS.examples})`, intUpTo(CAPS.examples))
    .option('--exact', 'evaluate every step on the backend instead of by the linearity of the scores')
    .option('--out <dir>', 'write sweep.svg here');
  return cmd.action(async (opts: Options) => {
    const r = await runSweep(opts);
    if (opts.json) { printJson(r); return; }
    process.stdout.write(`step-size sweep: ${r.settings.loss} on ${r.settings.backend}, ${r.settings.examples} examples, at ${r.settings.at}\n`);
    process.stdout.write(`loss before the step ${r.initialLoss.toPrecision(6)}, gradient norm ${r.gradientNorm.toPrecision(4)}\n`);
    process.stdout.write(table(['step size', 'loss after one step', ''], r.rows.map((x) =>
      [x.size.toExponential(0), x.loss.toPrecision(6), x.size === r.best.size ? '← best' : ''])));
    if (r.files.length) process.stdout.write(`wrote ${r.files.join(', ')}\n`);
  });
}

export async function runSweep(opts: Options) {
  if (opts.out) await prepareOutputDir(opts.out, '--out');
  return withStart(opts, async (s, w) => {
    const objective = objectiveOf(opts);
    const n = Math.min(opts.examples ?? s.data.train.n, s.data.train.n);
    const t0 = performance.now();
    const r = await s.sweep(w, objective, { examples: n, ...(opts.sizes ? { sizes: opts.sizes } : {}), exact: opts.exact ?? false });
    const seconds = (performance.now() - t0) / 1000;
    const files = opts.out ? await writePictures(opts.out, { sweep: r }) : [];
    return {
      command: 'sweep' as const,
      settings: { data: opts.data, backend: s.backend.id, loss: objective.loss, reg: objective.reg, examples: n,
        at: startLabel(opts), exact: opts.exact ?? false, seed: opts.seed },
      backendChoice: s.choice,
      initialLoss: r.initialLoss, gradientNorm: r.gradientNorm, rows: r.rows, best: r.best, seconds, files,
    };
  });
}
