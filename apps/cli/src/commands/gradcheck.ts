import { Command, Option } from 'commander';
import { objectiveOf, type GradientCheckReport } from '@descent/core';
import {
  addCommonOptions, addObjectiveOptions, addStartOptions, intUpTo, positiveUpTo,
  type CommonOptions, type ObjectiveOptions, type StartOptions,
} from '../options.js';
import { CAPS } from '../caps.js';
import { printJson, table } from '../output.js';
import { startLabel, withStart } from '../start.js';

type Options = CommonOptions & ObjectiveOptions & StartOptions & {
  method: 'centered' | 'forward'; h: number; samples: number; all?: boolean; examples: number; show: number;
  via: 'backend' | 'linearity';
};

export function gradcheckCommand(): Command {
  const cmd = new Command('gradcheck')
    .description('compare the analytic gradient with a numerical one (relative error per coordinate, against an error floor from the backend\'s precision)')
    .showHelpAfterError('(add --help for usage)');
  addCommonOptions(cmd, { backend: 'ts-f64' });
  addObjectiveOptions(cmd);
  addStartOptions(cmd);
  cmd.addOption(new Option('--method <m>', 'finite difference').choices(['centered', 'forward']).default('centered'))
    .option('--h <x>', `finite-difference step (at most ${CAPS.h})`, positiveUpTo(CAPS.h), 1e-5)
    .option('--samples <n>', `coordinates of W to check, drawn at random (at most ${CAPS.samples})`, intUpTo(CAPS.samples), 20)
    .option('--all', 'check every coordinate of W')
    .option('--examples <n>', `training rows the loss is averaged over (at most ${CAPS.examples})`, intUpTo(CAPS.examples), 500)
    .addOption(new Option('--via <how>', "numerical gradient: 'linearity' (default) evaluates the loss's definition at each probe from the scores, in float64 and without cancellation, O(N) per probe; 'backend' re-evaluates the loss on the backend at every probe, the textbook way (on a float32 backend its rounding, about u·|L|/h, usually leaves the verdict inconclusive)").choices(['backend', 'linearity']).default('linearity'))
    .option('--show <n>', `rows of the table to print (worst first; at most ${CAPS.show})`, intUpTo(CAPS.show, 0), 10);
  return cmd.action(async (opts: Options) => {
    const out = await runGradcheck(opts);
    if (opts.json) printJson(out);
    else printReport(out, opts.show);
  });
}

export async function runGradcheck(opts: Options) {
  return withStart(opts, async (s, w) => {
    const objective = objectiveOf(opts);
    const t0 = performance.now();
    const n = Math.min(opts.examples, s.data.train.n);
    const report = await s.gradcheck(w, objective, { examples: n, h: opts.h, method: opts.method, via: opts.via, seed: opts.seed,
      ...(opts.all ? {} : { samples: opts.samples }) });
    return {
      command: 'gradcheck' as const,
      settings: { data: opts.data, backend: s.backend.id, precision: s.backend.precision, loss: objective.loss,
        reg: objective.reg, ...(objective.delta !== undefined ? { delta: objective.delta } : {}), method: opts.method, h: opts.h, examples: n, coordinates: report.rows.length,
        numerical: opts.via, at: startLabel(opts), seed: opts.seed },
      backendChoice: s.choice,
      summary: {
        maxRelativeError: report.maxRelativeError, meanRelativeError: report.meanRelativeError,
        kinked: report.kinked, maxRelativeErrorKinkFree: report.maxRelativeErrorKinkFree,
        verdict: report.verdict.label, explanation: report.verdict.explanation,
        errorFloor: report.floor,
      },
      rows: report.rows,
      seconds: (performance.now() - t0) / 1000,
    };
  });
}

function printReport(r: Awaited<ReturnType<typeof runGradcheck>> & { rows: GradientCheckReport['rows'] }, show: number): void {
  const o = process.stdout;
  o.write(`gradient check: ${r.settings.loss} on ${r.settings.backend} (${r.settings.precision}), ${r.settings.method} differences, h=${r.settings.h}, ${r.settings.examples} examples, ${r.settings.coordinates} coordinates via ${r.settings.numerical}, at ${r.settings.at}\n`);
  // Worst first: the coordinates beyond their error floor (which decide the verdict), then the rest, by relative error.
  const beyond = (x: GradientCheckReport['rows'][number]) => (Math.abs(x.analytic - x.numerical) <= x.floor ? 0 : 1);
  const worst = [...r.rows].sort((a, b) => beyond(b) - beyond(a) || b.relativeError - a.relativeError).slice(0, show);
  if (worst.length > 0) {
    o.write(table(['W[row,class]', 'analytic', 'numerical', 'relative error', '|a−n| / floor', 'kinks'],
      worst.map((x) => [`W[${x.row},${x.col}]`, x.analytic.toExponential(6), x.numerical.toExponential(6),
        x.relativeError.toExponential(2), x.floor > 0 ? (Math.abs(x.analytic - x.numerical) / x.floor).toPrecision(2) : '—', x.kinkCrossed])));
  }
  const s = r.summary;
  const f = s.errorFloor;
  o.write(`max relative error ${s.maxRelativeError.toExponential(2)}, mean ${s.meanRelativeError.toExponential(2)}; ${s.kinked} of ${r.rows.length} coordinates crossed a hinge kink\n`);
  o.write(`error floor (what ${f.analyticPrecision === f.numericalPrecision ? f.analyticPrecision : `${f.analyticPrecision}/${f.numericalPrecision}`} rounding alone can explain): up to ${f.max.toExponential(2)} = analytic ${f.analytic.toExponential(2)} + numerical ${f.numerical.toExponential(2)}; ${f.within} of ${r.rows.length} coordinates within it\n`);
  o.write(`verdict: ${s.verdict}: ${s.explanation}\n`);
  if (r.settings.numerical === 'backend' && f.numericalPrecision === 'float32') {
    o.write(`note: finite differences of the backend's own float32 loss lose about u·|L|/h to rounding; --via linearity avoids that\n`);
  }
  o.write(`(${r.seconds.toFixed(2)} s)\n`);
}
