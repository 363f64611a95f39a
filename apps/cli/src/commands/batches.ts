import { Command } from 'commander';
import { OptionError, Random, type Vec } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, numberList, positiveInt,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { outputMode, printJson, table } from '../output.js';
import { createCountProgress } from '../progress.js';
import { withStart } from '../start.js';

type Options = CommonOptions & ObjectiveOptions & StartOptions & { sizes?: number[]; trials: number };

/** Mean and (population) standard deviation. */
function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

function compare(g: Vec, full: Vec): { cosine: number; relativeError: number } {
  let dot = 0, gg = 0, ff = 0, diff = 0;
  for (let i = 0; i < g.length; i++) {
    dot += g[i]! * full[i]!;
    gg += g[i]! * g[i]!;
    ff += full[i]! * full[i]!;
    diff += (g[i]! - full[i]!) ** 2;
  }
  return { cosine: dot / Math.sqrt(gg * ff), relativeError: Math.sqrt(diff / ff) };
}

/** Powers of two from 1 below n, then n itself. */
function defaultSizes(n: number): number[] {
  const out: number[] = [];
  for (let b = 1; b < n; b *= 2) out.push(b);
  out.push(n);
  return out;
}

export function batchesCommand(): Command {
  const cmd = new Command('batches')
    .description("the lecture's case for minibatches, measured: how well a minibatch gradient approximates the full gradient, and what it costs")
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd);
  addObjectiveOptions(cmd);
  addStartOptions(cmd);
  cmd.option('--sizes <list>', 'batch sizes (default: 1, 2, 4, … and the whole training set)', numberList)
    .option('--trials <n>', 'random batches drawn per size', positiveInt, 20);
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
    const n = s.data.train.n;
    const sizes = (opts.sizes ?? defaultSizes(n)).map((b) => {
      if (!(Number.isInteger(b) && b >= 1 && b <= n)) throw new OptionError(`batch size ${b} must be an integer in [1, ${n}]`);
      return b;
    });
    const rng = new Random(opts.seed).fork('batches');
    const full = (await s.backend.evaluate(w, s.train, { start: 0, count: n }, s.objective, true)).gradient!;
    const timeOne = async (rows: Int32Array | { start: number; count: number }) => {
      const t = performance.now();
      const g = (await s.backend.evaluate(w, s.train, rows, s.objective, true)).gradient!;
      return { g, ms: performance.now() - t };
    };
    const fullMs = [];
    for (let i = 0; i < 3; i++) fullMs.push((await timeOne({ start: 0, count: n })).ms);
    const fullTime = fullMs.sort((a, b) => a - b)[1]!;
    const rows = [];
    const progress = createCountProgress(outputMode(opts), 'batches', sizes.length);
    try {
      for (const b of sizes) {
        const cos: number[] = [], rel: number[] = [], ms: number[] = [];
        for (let t = 0; t < opts.trials; t++) {
          // b distinct rows: the first b of a partial Fisher–Yates shuffle.
          const pick = new Int32Array(n);
          for (let i = 0; i < n; i++) pick[i] = i;
          for (let i = 0; i < b; i++) {
            const j = i + rng.int(n - i);
            const tmp = pick[i]!; pick[i] = pick[j]!; pick[j] = tmp;
          }
          const { g, ms: elapsed } = await timeOne(pick.subarray(0, b));
          const c = compare(g, full);
          cos.push(c.cosine); rel.push(c.relativeError); ms.push(elapsed);
        }
        const median = ms.sort((a, c) => a - c)[Math.floor(ms.length / 2)]!;
        rows.push({ batchSize: b, cosine: meanStd(cos), relativeError: meanStd(rel), milliseconds: median, costVsFull: median / fullTime });
        progress.tick(`batch size ${b}`);
      }
    } finally {
      progress.stop();
    }
    return {
      command: 'batches' as const,
      settings: { data: opts.data, backend: s.backend.id, loss: s.objective.loss, reg: s.objective.reg, n, trials: opts.trials,
        at: opts.model ?? `random W (scale ${opts.initScale})`, seed: opts.seed },
      fullGradientMilliseconds: fullTime,
      rows,
    };
  });
}
