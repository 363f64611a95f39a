/**
 * `pnpm make:probe <folder>`: writes README's linear-probe example files (probe.npz, probe.svm,
 * probe.svm.t; see probe-files.ts). Options: --train, --test, --features, --classes, --seed.
 */
import { parseArgs } from 'node:util';
import { PROBE_DEFAULTS, writeProbeFiles } from './probe-files.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: {
  train: { type: 'string' }, test: { type: 'string' }, features: { type: 'string' }, classes: { type: 'string' }, seed: { type: 'string' },
} });
const dir = positionals[0];
if (!dir) {
  process.stderr.write('usage: pnpm make:probe <folder> [--train 30000] [--test 10000] [--features 128] [--classes 20] [--seed 1]\n');
  process.exit(2);
}
const int = (v: string | undefined, fallback: number, max: number, name: string) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1 && n <= max)) throw new Error(`--${name} must be an integer from 1 to ${max}, got ${v}`);
  return n;
};
const shape = { ...PROBE_DEFAULTS, train: int(values.train, PROBE_DEFAULTS.train, 1_000_000, 'train'), test: int(values.test, PROBE_DEFAULTS.test, 1_000_000, 'test'),
  features: int(values.features, PROBE_DEFAULTS.features, 4096, 'features'), classes: int(values.classes, PROBE_DEFAULTS.classes, 1000, 'classes'),
  seed: int(values.seed, PROBE_DEFAULTS.seed, 2 ** 31, 'seed') };
const files = writeProbeFiles(dir, shape);
process.stdout.write(`wrote ${files.npz}, ${files.svm} and ${files.svmTest}: ${shape.train} training and ${shape.test} test rows, ` +
  `${shape.features} features, ${shape.classes} classes (${(files.svmBytes / 2 ** 20).toFixed(1)} MiB of LIBSVM text)\n`);
