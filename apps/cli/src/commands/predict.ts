import { Command } from 'commander';
import { DataError, OptionError, predictRow } from '@descent/core';
import { loadModel } from '@descent/core/node';
import { checkModelFits, openTestSplit, readTestRows } from '../test-split.js';
import { CAPS } from '../caps.js';
import { intUpTo, nonNegativeInt, seed } from '../options.js';
import { printJson, table } from '../output.js';

/** The most probabilities one predict lists (images × classes): a few tens of MB of JSON. */
const MAX_PROBABILITIES = 2_000_000;

interface Options { model: string; data: string; testData?: string; seed: number; stream?: boolean; start: number; count: number; json?: boolean }

export function predictCommand(): Command {
  return new Command('predict')
    .description("classify images of a data set's test split with a saved model")
    .showHelpAfterError('(add --help for usage)')
    .requiredOption('--model <file>', 'a model saved by `descent train --out`')
    .option('--data <spec>', "data set whose test rows to classify: 'embedded', 'fashion-mnist', a folder, an .npz or a LIBSVM file", 'embedded')
    .option('--test-data <file>', 'the test rows in a file of their own (LIBSVM), as train was given')
    .option('--seed <n>', "the seed train was given: where the files have no test split, it holds out the same test rows", seed, 1)
    .option('--stream', 'read a numpy folder\'s test images from disk as needed (automatic above 1 GiB of training images)')
    .option('--start <i>', 'first test image', nonNegativeInt, 0)
    .option('--count <n>', `number of images (at most ${CAPS.count})`, intUpTo(CAPS.count), 10)
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      const r = await runPredict(opts);
      if (opts.json) { printJson(r); return; }
      process.stdout.write(table(['row', 'label', 'predicted', 'probability', ''],
        r.predictions.map((p) => [p.index, p.labelName, p.predictedName, p.probability.toFixed(3), p.correct ? '' : '✗'])));
      process.stdout.write(`${r.correct} of ${r.predictions.length} correct\n`);
    });
}

export async function runPredict(opts: Options) {
  const model = await loadModel(opts.model);
  const test = await openTestSplit(opts.data, { seed: opts.seed, ...(opts.stream ? { stream: true } : {}), ...(opts.testData !== undefined ? { testData: opts.testData } : {}) });
  const name = test.name, f = test.features, n = test.n;
  let images: Uint8Array | Float32Array;
  try {
    checkModelFits(opts.model, model, test);
    if (opts.start >= n) throw new OptionError(`--start ${opts.start} is past the last test image (${n - 1})`);
    const rows = Math.min(n, opts.start + opts.count) - opts.start, c = model.classNames.length;
    // Every prediction lists all its probabilities: bounded, so that the JSON stays printable.
    if (rows * c > MAX_PROBABILITIES) {
      throw new OptionError(`--count ${rows} with ${c} classes would list ${rows * c} probabilities, more than ${MAX_PROBABILITIES}: ` +
        `ask for at most ${Math.max(1, Math.floor(MAX_PROBABILITIES / c))} images at a time`);
    }
    // Only the rows asked for are read.
    images = await readTestRows(test, opts.start, rows);
  } finally {
    await test.close();
  }
  const end = opts.start + images.length / f;
  const predictions = [];
  for (let i = opts.start; i < end; i++) {
    let p: ReturnType<typeof predictRow>;
    try {
      p = predictRow(model, images.subarray((i - opts.start) * f, (i - opts.start + 1) * f));
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`${name}, test row ${i}: ${e.message}`, { cause: e });
      throw e;
    }
    const label = test.labels[i]!;
    predictions.push({ index: i, label, labelName: test.classNames[label] ?? String(label), predicted: p.label,
      predictedName: model.classNames[p.label]!, probability: p.probabilities[p.label]!, correct: p.label === label,
      probabilities: Array.from(p.probabilities) });
  }
  return { command: 'predict' as const, settings: { model: opts.model, data: opts.data, start: opts.start, count: opts.count },
    model: opts.model, data: name, predictions,
    correct: predictions.filter((p) => p.correct).length };
}
