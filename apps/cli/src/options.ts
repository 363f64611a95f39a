import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  DEFAULT_LEARNING_RATE, LOSS_NAMES, MAX_BLOCK_ROWS, OPTIMIZER_NAMES, SAMPLER_NAMES, SCHEDULE_NAMES, STRATEGY_NAMES, X_FORMS, type XForm,
} from '@descent/core';
import { defaultBackendSpec } from './backends.js';
import { CAPS } from './caps.js';

/** Decimal notation only: an optional sign, digits with an optional point, an optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A finite decimal number, or undefined (no hex, octal, binary, 'Infinity', '1e', ''). */
function parseDecimal(value: string): number | undefined {
  const t = value.trim();
  if (!DECIMAL.test(t)) return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : undefined;
}

/** Parsers that turn a bad value into commander's own "option '--x' argument 'y' is invalid" error. */
export function number(value: string): number {
  const x = parseDecimal(value);
  if (x === undefined) throw new InvalidArgumentError('expected a finite decimal number.');
  return x;
}
export function positive(value: string): number {
  const x = number(value);
  if (!(x > 0)) throw new InvalidArgumentError('expected a number > 0.');
  return x;
}
export function nonNegative(value: string): number {
  const x = number(value);
  if (!(x >= 0)) throw new InvalidArgumentError('expected a number ≥ 0.');
  return x;
}
export function positiveInt(value: string): number {
  const x = number(value);
  if (!(Number.isInteger(x) && x >= 1)) throw new InvalidArgumentError('expected an integer ≥ 1.');
  return x;
}
export function nonNegativeInt(value: string): number {
  const x = number(value);
  if (!(Number.isInteger(x) && x >= 0)) throw new InvalidArgumentError('expected an integer ≥ 0.');
  return x;
}
/** An integer in [min, cap] (caps: see caps.ts). */
export function intUpTo(cap: number, min = 1): (value: string) => number {
  return (value: string) => {
    const x = number(value);
    if (!(Number.isInteger(x) && x >= min && x <= cap)) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${cap}.`);
    }
    return x;
  };
}
/** A number in (0, cap]. */
export function positiveUpTo(cap: number): (value: string) => number {
  return (value: string) => {
    const x = positive(value);
    if (!(x <= cap)) throw new InvalidArgumentError(`expected a number > 0 and at most ${cap}.`);
    return x;
  };
}
/** Validation rows: 0 (none), a fraction in (0, 1), or a row count. */
export function validationSpec(value: string): number {
  const x = number(value);
  if (!(x === 0 || (x > 0 && x < 1) || (Number.isInteger(x) && x >= 1))) {
    throw new InvalidArgumentError('expected 0, a fraction in (0, 1), or a whole number of rows.');
  }
  return x;
}
export function seed(value: string): number {
  const x = number(value);
  if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 32)) throw new InvalidArgumentError('expected an integer in [0, 2^32).');
  return x;
}

/** Options every command that touches data shares: data set, backend, seed, output. */
export function addCommonOptions(cmd: Command, defaults: { backend?: string } = {}): Command {
  // Whether --scale was given (its default cannot tell): an image option given for features is said, not ignored.
  cmd.hook('preAction', (c) => {
    if (c.getOptionValueSource('scale') === 'cli') c.setOptionValue('scaleGiven', true);
  });
  return cmd
    .option('--data <spec>', "data set: 'embedded' (shipped Fashion-MNIST subset), 'fashion-mnist' (Debian's dataset-fashion-mnist), a folder of IDX files, CIFAR-10 (cifar-10-batches-bin, cifar-10-batches-py, or either .tar.gz), numpy arrays (a folder of x_train.npy, y_train.npy, …, or an .npz; uint8 arrays are images, float arrays features), or LIBSVM files (train.svm and test.svm, or one file)", 'embedded')
    .option('--test-data <file>', 'the test rows in a file of their own (LIBSVM: --data a9a --test-data a9a.t); without it, a data set with no test split holds out 20 % of its rows')
    .option('--validation <n>', 'validation rows held out of the training set: a count, or a fraction < 1 (0: none)', validationSpec, 0.1)
    .option('--limit <n>', 'use only the first N training rows (after the validation split)', positiveInt)
    .addOption(new Option('--scale <x>', 'multiply pixel values by this before subtracting the mean image').argParser(positive).default(1 / 255, '1/255'))
    .option('--no-mean', 'do not subtract the training mean image')
    .option('--standardize', "features (float arrays, LIBSVM files): scale each feature to mean 0 and deviation 1 over the training split (as scikit-learn's StandardScaler); default: taken as given")
    .option('--backend <id>', "compute backend: 'auto' (the fastest that runs here), an id, or a list tried in order, e.g. onnx-cuda,onnx-cpu,ts (see 'descent backends')", defaults.backend ?? defaultBackendSpec())
    .addOption(new Option('--x-as <form>', "how the backend holds the data: 'bytes' (the pixels plus scale and mean image, 4× smaller, decoded as rows are read; ts and onnx backends), 'float32', or 'auto' (bytes when float32 would pass 512 MiB)").choices(X_FORMS).default('auto'))
    .option('--stream', 'read a numpy folder (x_train.npy …: uint8 images or float features) from disk a block of rows at a time instead of holding it (automatic above 1 GiB of training rows); minibatches shuffled by blocks, then rows')
    .option('--block-rows <n>', `rows per block when streaming (default: 64 MiB of data; at most ${MAX_BLOCK_ROWS})`, intUpTo(MAX_BLOCK_ROWS))
    .option('--seed <n>', 'seed for every random choice: the same seed gives the same run', seed, 1)
    .option('--json', 'print one JSON object on stdout and no progress')
    .option('-q, --quiet', 'no progress output');
}

/** Objective options shared by train and the diagnostic commands. */
export function addObjectiveOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--loss <name>', 'objective').choices(LOSS_NAMES).default('softmax'))
    .option('--reg <x>', 'L2 regularization strength (penalty reg·ΣW²)', nonNegative, 1e-4)
    .option('--delta <x>', 'margin Δ of the SVMs (svm, crammer-singer)', positive, 1);
}

/** The learning-rate schedule and momentum, shared by train and tune. */
export function addScheduleOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--schedule <name>', 'learning-rate schedule over epochs').choices(SCHEDULE_NAMES).default('constant'))
    .option('--step-every <epochs>', "'step' schedule: epochs between drops", positive, 10)
    .option('--step-factor <x>', "'step' schedule: multiplier at each drop", positive, 0.5)
    .option('--decay <k>', "'exponential' and 'inverse' (1/t) schedules: rate k", nonNegative, 0.1)
    .option('--momentum <mu>', 'momentum / Nesterov coefficient', nonNegative, 0.9);
}

export interface ScheduleOptions { schedule: string; stepEvery: number; stepFactor: number; decay: number; momentum: number }

export function addTrainingOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--strategy <name>', 'optimization strategy').choices(STRATEGY_NAMES).default('minibatch'))
    .addOption(new Option('--optimizer <name>', 'update rule for gradient strategies').choices(OPTIMIZER_NAMES).default('momentum'))
    .option('--lr <x>', 'learning rate (step size)', positive, DEFAULT_LEARNING_RATE);
  addScheduleOptions(cmd);
  return cmd
    .option('--batch-size <n>', `rows per step (default: whole set for gd and searches, 256 for minibatch, 1 for sgd; at most ${CAPS.batchSize})`, intUpTo(CAPS.batchSize))
    .addOption(new Option('--sampler <name>', 'minibatch selection (default: shuffle for minibatches, sequential for full batch)').choices(SAMPLER_NAMES))
    .option('--iterations <n>', `number of iterations (updates, or search proposals; at most ${CAPS.iterations}); 0 with --resume: evaluate and save the resumed model without a step`, intUpTo(CAPS.iterations, 0))
    .option('--epochs <n>', `passes over the training set (gradient strategies; default 10; at most ${CAPS.epochs})`, positiveUpTo(CAPS.epochs))
    .option('--init-scale <x>', `initial W = x·N(0,1) (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-3)
    .option('--search-scale <x>', `random search: each candidate W = x·N(0,1) (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-3)
    .option('--search-step <x>', `random local search: proposal W + x·N(0,1) (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-4)
    .option('--eval-every <n>', `iterations between accuracy measurements (default: once per epoch, or 10 per run for searches; at most ${CAPS.evalEvery})`, intUpTo(CAPS.evalEvery, 0))
    .option('--host-steps', 'gradient strategies: take every step on the host with W in float64, even where the backend keeps W itself (onnx-cpu does, in float32: faster for large W)');
}

/** Where the weights come from for the diagnostic commands. */
export function addStartOptions(cmd: Command): Command {
  return cmd
    .option('--model <file>', 'evaluate at a saved model\'s weights (and with its preprocessing) instead of a random W')
    .option('--init-scale <x>', `random W = x·N(0,1) when no --model is given (at most ${CAPS.weightScale})`, positiveUpTo(CAPS.weightScale), 1e-3);
}
export interface StartOptions { model?: string; initScale: number }

/** A comma-separated list of at most maxLength numbers, e.g. "1e-3,1e-2,0.1". */
export function numberListUpTo(maxLength: number): (value: string) => number[] {
  return (value: string) => {
    const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (parts.length === 0) throw new InvalidArgumentError('expected a comma-separated list of numbers.');
    if (parts.length > maxLength) throw new InvalidArgumentError(`expected at most ${maxLength} numbers, got ${parts.length}.`);
    return parts.map((p) => {
      const x = parseDecimal(p);
      if (x === undefined) throw new InvalidArgumentError(`'${p}' is not a finite decimal number.`);
      return x;
    });
  };
}

/** "from,to" with from < to, both within [-cap, cap]. */
export function rangeUpTo(cap: number): (value: string) => [number, number] {
  const list = numberListUpTo(Infinity);
  return (value: string) => {
    const xs = list(value);
    if (xs.length !== 2 || !(xs[0]! < xs[1]!)) throw new InvalidArgumentError('expected "from,to" with from < to.');
    if (!(Math.abs(xs[0]!) <= cap && Math.abs(xs[1]!) <= cap)) throw new InvalidArgumentError(`expected both ends within ±${cap}.`);
    return [xs[0]!, xs[1]!];
  };
}
/** "from,to" with from < to. */
export const range = rangeUpTo(Infinity);

export interface CommonOptions {
  data: string; testData?: string; validation: number; limit?: number; scale: number; mean: boolean; standardize?: boolean;
  /** Set when --scale was given on the command line (not its default). */
  scaleGiven?: boolean;
  backend: string; xAs: XForm; seed: number; json?: boolean; quiet?: boolean;
  stream?: boolean; blockRows?: number;
}
export interface ObjectiveOptions { loss: (typeof LOSS_NAMES)[number]; reg: number; delta: number }
export interface TrainingOptions extends ScheduleOptions {
  strategy: (typeof STRATEGY_NAMES)[number]; optimizer: (typeof OPTIMIZER_NAMES)[number]; lr: number;
  batchSize?: number; sampler?: (typeof SAMPLER_NAMES)[number]; iterations?: number; epochs?: number;
  initScale: number; searchScale: number; searchStep: number; evalEvery?: number; hostSteps?: boolean;
}
