import { Command, InvalidArgumentError, Option } from 'commander';
import { objectiveOf } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, intUpTo, rangeUpTo,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
import { printJson } from '../output.js';
import { writePictures } from '../pictures.js';
import { startLabel, withStart } from '../start.js';
import { prepareOutputDir } from '../outputs.js';

type Options = CommonOptions & ObjectiveOptions & StartOptions & {
  dims: '1' | '2'; range: [number, number]; points: number; examples?: number; exact?: boolean; out?: string;
  normalize: 'weights' | 'unit' | 'none';
};

export function landscapeCommand(): Command {
  const cmd = new Command('landscape')
    .description('the loss along one random direction, L(W + aW₁), or over a plane of two, L(W + aW₁ + bW₂)')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addStartOptions(cmd);
  cmd.addOption(new Option('--dims <n>', 'one direction or a plane of two').choices(['1', '2']).default('1'))
    .option('--range <from,to>', `coefficient range on each axis (within ±${CAPS.range})`, rangeUpTo(CAPS.range), [-1, 1])
    .option('--points <n>', `points per axis (at most ${CAPS.points1D} with --dims 1, ${CAPS.points2D} with --dims 2)`, intUpTo(CAPS.points1D, 2), 51)
    .addOption(new Option('--normalize <how>', "direction scale: 'weights' (‖Wₖ‖ = ‖W‖), 'unit', or 'none' (raw N(0,1))").choices(['weights', 'unit', 'none']).default('weights'))
    .option('--examples <n>', `training rows the loss is averaged over (default: all; at most ${CAPS.examples})`, intUpTo(CAPS.examples))
    .option('--exact', 'evaluate every point on the backend instead of by the linearity of the scores (slow)')
    .option('--out <dir>', 'write landscape-1d.svg or landscape-2d.svg here');
  // --points' cap depends on --dims, so the plane's is checked once both are parsed, before any work.
  cmd.hook('preAction', (c) => {
    const o = c.opts<Options>();
    if (o.dims === '2' && o.points > CAPS.points2D) {
      c.error(`error: option '--points <n>' argument '${o.points}' is invalid. with --dims 2, expected an integer from 2 to ${CAPS.points2D}.`, { exitCode: 2, code: 'commander.invalidArgument' });
    }
  });
  return cmd.action(async (opts: Options) => {
    const r = await runLandscape(opts);
    if (opts.json) { printJson(r); return; }
    const o = process.stdout;
    o.write(`loss landscape (${r.settings.dims}-D): ${r.settings.loss} on ${r.settings.backend}, ${r.settings.examples} examples, ${r.settings.points} points per axis on [${r.settings.range.join(', ')}], at ${r.settings.at}\n`);
    o.write(`loss at W ${r.center.toPrecision(6)}; min ${r.min.loss.toPrecision(6)} at ${r.min.at.map((v) => v.toFixed(3)).join(', ')}; max ${r.max.toPrecision(6)}\n`);
    o.write(`${r.points} evaluations in ${r.seconds.toFixed(2)} s\n`);
    if (r.files.length) o.write(`wrote ${r.files.join(', ')}\n`);
  });
}

export async function runLandscape(opts: Options) {
  if (opts.out) await prepareOutputDir(opts.out, '--out');
  return withStart(opts, async (s, w) => {
    const objective = objectiveOf(opts);
    const n = Math.min(opts.examples ?? s.data.train.n, s.data.train.n);
    const common = { examples: n, range: opts.range, points: opts.points, normalize: opts.normalize, exact: opts.exact ?? false,
      seed: opts.seed };
    const t0 = performance.now();
    const settings = { data: opts.data, backend: s.backend.id, loss: objective.loss, reg: objective.reg, dims: Number(opts.dims),
      range: opts.range, points: opts.points, normalize: opts.normalize, examples: n, exact: opts.exact ?? false,
      at: startLabel(opts), seed: opts.seed };
    const center = await s.loss(w, objective, { examples: n });
    const argmin = (losses: Float64Array) => losses.reduce((k, l, i) => (l < losses[k]! ? i : k), 0);
    if (opts.dims === '1') {
      const r = await s.landscape1D(w, objective, common);
      const seconds = (performance.now() - t0) / 1000;
      const k = argmin(r.losses);
      const files = opts.out ? await writePictures(opts.out, { landscape1d: r }) : [];
      return { command: 'landscape' as const, settings, backendChoice: s.choice, alphas: r.alphas, losses: r.losses,
        center, min: { loss: r.losses[k]!, at: [r.alphas[k]!] }, max: r.losses.reduce((a, v) => Math.max(a, v), -Infinity),
        points: r.losses.length, seconds, files };
    }
    const r = await s.landscape2D(w, objective, common);
    const seconds = (performance.now() - t0) / 1000;
    const k = argmin(r.losses);
    const files = opts.out ? await writePictures(opts.out, { landscape2d: r }) : [];
    const b = r.betas.length;
    return { command: 'landscape' as const, settings, backendChoice: s.choice, alphas: r.alphas, betas: r.betas, losses: r.losses,
      center, min: { loss: r.losses[k]!, at: [r.alphas[Math.floor(k / b)]!, r.betas[k % b]!] },
      max: r.losses.reduce((a, v) => Math.max(a, v), -Infinity), points: r.losses.length, seconds, files };
  });
}
