import { Command, Option } from 'commander';
import { landscape1D, landscape2D, Random } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, positiveInt, range,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { printJson } from '../output.js';
import { writePictures } from '../pictures.js';
import { withStart } from '../start.js';

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
    .option('--range <from,to>', 'coefficient range on each axis', range, [-1, 1])
    .option('--points <n>', 'points per axis', positiveInt, 51)
    .addOption(new Option('--normalize <how>', "direction scale: 'weights' (‖Wₖ‖ = ‖W‖), 'unit', or 'none' (raw N(0,1))").choices(['weights', 'unit', 'none']).default('weights'))
    .option('--examples <n>', 'training rows the loss is averaged over (default: all)', positiveInt)
    .option('--exact', 'evaluate every point on the backend instead of by the linearity of the scores (slow)')
    .option('--out <dir>', 'write landscape-1d.svg or landscape-2d.svg here');
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
  return withStart(opts, async (s, w) => {
    const n = Math.min(opts.examples ?? s.data.train.n, s.data.train.n);
    const common = { rows: { start: 0, count: n }, range: opts.range, points: opts.points, normalize: opts.normalize,
      exact: opts.exact ?? false };
    const rng = new Random(opts.seed).fork('landscape');
    const t0 = performance.now();
    const settings = { data: opts.data, backend: s.backend.id, loss: s.objective.loss, reg: s.objective.reg, dims: Number(opts.dims),
      range: opts.range, points: opts.points, normalize: opts.normalize, examples: n, exact: opts.exact ?? false,
      at: opts.model ?? `random W (scale ${opts.initScale})`, seed: opts.seed };
    if (opts.dims === '1') {
      const r = await landscape1D(s.backend, s.train, s.objective, w, rng, common);
      const seconds = (performance.now() - t0) / 1000;
      let k = 0;
      r.losses.forEach((l, i) => { if (l < r.losses[k]!) k = i; });
      const files = opts.out ? await writePictures(opts.out, { landscape1d: r }) : [];
      return { command: 'landscape' as const, settings, alphas: r.alphas, losses: r.losses,
        center: (await s.backend.evaluate(w, s.train, { start: 0, count: n }, s.objective, false)).loss, min: { loss: r.losses[k]!, at: [r.alphas[k]!] },
        max: Math.max(...r.losses), points: r.losses.length, seconds, files };
    }
    const r = await landscape2D(s.backend, s.train, s.objective, w, rng, common);
    const seconds = (performance.now() - t0) / 1000;
    let k = 0;
    r.losses.forEach((l, i) => { if (l < r.losses[k]!) k = i; });
    const files = opts.out ? await writePictures(opts.out, { landscape2d: r }) : [];
    const b = r.betas.length;
    return { command: 'landscape' as const, settings, alphas: r.alphas, betas: r.betas, losses: r.losses,
      center: (await s.backend.evaluate(w, s.train, { start: 0, count: n }, s.objective, false)).loss,
      min: { loss: r.losses[k]!, at: [r.alphas[Math.floor(k / b)]!, r.betas[k % b]!] },
      max: r.losses.reduce((a, v) => Math.max(a, v), -Infinity), points: r.losses.length, seconds, files };
  });
}
