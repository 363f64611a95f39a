/**
 * `pnpm bench:liblinear`: descent beside LIBLINEAR on LIBLINEAR's own files. Writes a seeded
 * linear-probe set as LIBSVM text (probe-files.ts; 30000 training and 10000 test rows of 128
 * features, 20 classes by default), then tunes both on the same files, tuning time counted:
 *
 * - LIBLINEAR (Debian's liblinear-tools, when installed): `liblinear-train -s 0` (L2-regularized
 *   logistic regression) and `-s 4` (Crammer–Singer multiclass SVM), C in {0.01, 0.1, 1}, each
 *   trained on the first 90 % of the training rows and scored on the last 10 %; the best on
 *   validation predicts the test file. Every train and predict is timed.
 * - descent: `descent tune` on the whole training file (a seeded 10 % held out for validation),
 *   coarse to fine over learning rate and reg, the best trial's test accuracy; the process is
 *   timed from start to end (reading the text files included).
 *
 * Target (issue 14): descent's best within 0.5 points of LIBLINEAR's best, in less total time.
 * Results go to benchmarks/results/liblinear.{json,md}.
 *
 *   pnpm bench:liblinear [--dir /tmp/descent-probe] [--backend onnx-cpu] [--trials 10] [--rounds 2] [--epochs 5]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeLibsvm } from '@descent/core/testing';
import { PROBE_DEFAULTS, writeProbeFiles } from './probe-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({ options: {
  dir: { type: 'string', default: '/tmp/descent-probe' }, backend: { type: 'string', default: 'onnx-cpu' },
  trials: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' }, epochs: { type: 'string', default: '5' },
} });
const dir = values.dir!;
const shape = PROBE_DEFAULTS;

process.stdout.write(`writing ${dir}: ${shape.train} training and ${shape.test} test rows, ${shape.features} features, ${shape.classes} classes …\n`);
const files = writeProbeFiles(dir, shape);
const fitRows = Math.round(shape.train * 0.9);
const f = shape.features, { train } = files.rows;
const fitFile = join(dir, 'probe-fit.svm'), validFile = join(dir, 'probe-valid.svm');
writeFileSync(fitFile, encodeLibsvm(train.x.subarray(0, fitRows * f), train.y.subarray(0, fitRows), f));
writeFileSync(validFile, encodeLibsvm(train.x.subarray(fitRows * f), train.y.subarray(fitRows), f));
process.stdout.write(`  ${(files.svmBytes / 2 ** 20).toFixed(1)} MiB of LIBSVM text (probe.svm, probe.svm.t); LIBLINEAR's split: probe-fit.svm (${fitRows}), probe-valid.svm (${shape.train - fitRows})\n`);

/** Runs a command, timed; its stdout. */
function timed(cmd: string, args: string[]): { seconds: number; stdout: string; status: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout ?? '', status: r.status, stderr: r.stderr ?? String(r.error ?? '') };
}

interface LiblinearRun { solver: number; c: number; trainSeconds: number; validationAccuracy: number }
let liblinear: { runs: LiblinearRun[]; best: LiblinearRun; testAccuracy: number; seconds: number } | { missing: string };
const has = spawnSync('liblinear-train', [], { encoding: 'utf8' });
if (has.error) {
  liblinear = { missing: "liblinear-train is not installed (apt-get install liblinear-tools): LIBLINEAR's column is left out" };
} else {
  const accuracy = (out: string) => {
    const m = /Accuracy = ([\d.]+)%/.exec(out);
    if (!m) throw new Error(`liblinear-predict printed no accuracy: ${out}`);
    return Number(m[1]) / 100;
  };
  const runs: LiblinearRun[] = [];
  let seconds = 0;
  for (const solver of [0, 4]) {
    for (const c of [0.01, 0.1, 1]) {
      const model = join(dir, `liblinear-s${solver}-c${c}.model`);
      const t = timed('liblinear-train', ['-s', String(solver), '-c', String(c), '-q', fitFile, model]);
      if (t.status !== 0) throw new Error(`liblinear-train -s ${solver} -c ${c} failed: ${t.stderr}`);
      const p = timed('liblinear-predict', [validFile, model, join(dir, 'liblinear.out')]);
      seconds += t.seconds + p.seconds;
      runs.push({ solver, c, trainSeconds: t.seconds, validationAccuracy: accuracy(p.stdout) });
      process.stdout.write(`  liblinear -s ${solver} -c ${c}: ${t.seconds.toFixed(1)} s, validation ${(accuracy(p.stdout) * 100).toFixed(2)} %\n`);
    }
  }
  const best = runs.reduce((a, b) => (b.validationAccuracy > a.validationAccuracy ? b : a));
  const p = timed('liblinear-predict', [files.svmTest, join(dir, `liblinear-s${best.solver}-c${best.c}.model`), join(dir, 'liblinear.out')]);
  seconds += p.seconds;
  liblinear = { runs, best, testAccuracy: accuracy(p.stdout), seconds };
}

// descent: the CLI as a user runs it, bundled first.
const built = spawnSync(process.execPath, ['build.mjs'], { cwd: join(root, 'apps', 'cli'), stdio: 'inherit' });
if (built.status !== 0) throw new Error('building the CLI failed');
const cli = join(root, 'apps', 'cli', 'dist', 'descent.js');
const tuneArgs = ['tune', '--data', files.svm, '--test-data', files.svmTest, '--validation', String(shape.train - fitRows), '--backend', values.backend!,
  '--trials', values.trials!, '--rounds', values.rounds!, '--epochs', values.epochs!, '--json'];
const d = timed(process.execPath, [cli, ...tuneArgs]);
if (d.status !== 0) throw new Error(`descent tune failed: ${d.stderr}`);
const tune = JSON.parse(d.stdout) as { best: { learningRate: number; reg: number; validationAccuracy: number; testAccuracy: number } };
const descent = { seconds: d.seconds, ...tune.best, command: `descent ${tuneArgs.join(' ')}` };

const lines = [
  `# descent beside LIBLINEAR (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Data: ${shape.train} training and ${shape.test} test rows, ${shape.features} features, ${shape.classes} classes (seeded, probe-files.ts), ` +
  `${(files.svmBytes / 2 ** 20).toFixed(1)} MiB of LIBSVM text. Validation: ${shape.train - fitRows} training rows on both sides.`,
  '',
  '| tool | tuning | best setting (on validation) | validation | test accuracy | total time |',
  '|---|---|---|---|---|---|',
];
if ('missing' in liblinear) {
  lines.push(`| LIBLINEAR | — | ${liblinear.missing} | | | |`);
} else {
  const b = liblinear.best;
  lines.push(`| LIBLINEAR 2.3 (liblinear-train) | -s 0 and -s 4, C ∈ {0.01, 0.1, 1}: 6 fits | -s ${b.solver} -c ${b.c} | ${(b.validationAccuracy * 100).toFixed(2)} % | ` +
    `${(liblinear.testAccuracy * 100).toFixed(2)} % | ${liblinear.seconds.toFixed(1)} s |`);
}
lines.push(`| descent tune (${values.backend}, softmax) | ${values.rounds} rounds × ${values.trials} trials × ${values.epochs} epochs | lr ${descent.learningRate.toPrecision(3)}, reg ${descent.reg.toPrecision(3)} | ` +
  `${(descent.validationAccuracy * 100).toFixed(2)} % | ${(descent.testAccuracy * 100).toFixed(2)} % | ${descent.seconds.toFixed(1)} s |`);
if (!('missing' in liblinear)) {
  const gap = (liblinear.testAccuracy - descent.testAccuracy) * 100;
  const faster = descent.seconds < liblinear.seconds;
  lines.push('', `Target: within 0.5 points of LIBLINEAR's best test accuracy, in less total time. descent is ${gap >= 0 ? `${gap.toFixed(2)} points below` : `${(-gap).toFixed(2)} points above`} ` +
    `and takes ${(descent.seconds / liblinear.seconds).toFixed(2)}× LIBLINEAR's time: ${gap <= 0.5 && faster ? 'met' : 'missed'}.`);
}
const md = `${lines.join('\n')}\n`;
process.stdout.write(`\n${md}`);
const results = join(root, 'benchmarks', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'liblinear.md'), md);
writeFileSync(join(results, 'liblinear.json'), `${JSON.stringify({ shape, liblinear, descent }, null, 2)}\n`);
