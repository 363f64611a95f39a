import { Command } from 'commander';
import { imageAt, OptionError, predictImage } from '@descent/core';
import { loadDataset, loadModel } from '@descent/core/node';
import { CAPS } from '../caps.js';
import { intUpTo, nonNegativeInt } from '../options.js';
import { printJson, table } from '../output.js';

interface Options { model: string; data: string; start: number; count: number; json?: boolean }

export function predictCommand(): Command {
  return new Command('predict')
    .description("classify images of a data set's test split with a saved model")
    .showHelpAfterError('(add --help for usage)')
    .requiredOption('--model <file>', 'a model saved by `descent train --out`')
    .option('--data <spec>', "data set whose test images to classify: 'embedded', 'fashion-mnist', or a folder", 'embedded')
    .option('--start <i>', 'first test image', nonNegativeInt, 0)
    .option('--count <n>', `number of images (at most ${CAPS.count})`, intUpTo(CAPS.count), 10)
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      const r = await runPredict(opts);
      if (opts.json) { printJson(r); return; }
      process.stdout.write(table(['image', 'label', 'predicted', 'probability', ''],
        r.predictions.map((p) => [p.index, p.labelName, p.predictedName, p.probability.toFixed(3), p.correct ? '' : '✗'])));
      process.stdout.write(`${r.correct} of ${r.predictions.length} correct\n`);
    });
}

export async function runPredict(opts: Options) {
  const model = await loadModel(opts.model);
  const { test, name } = await loadDataset(opts.data);
  if (test.features !== model.preprocessing.features) {
    throw new OptionError(`${opts.model} was trained on images of ${model.preprocessing.features} values; ${name} has ${test.features}`);
  }
  if (opts.start >= test.n) throw new OptionError(`--start ${opts.start} is past the last test image (${test.n - 1})`);
  const end = Math.min(test.n, opts.start + opts.count);
  const predictions = [];
  for (let i = opts.start; i < end; i++) {
    const p = predictImage(model, imageAt(test, i));
    const label = test.labels[i]!;
    predictions.push({ index: i, label, labelName: test.classNames[label] ?? String(label), predicted: p.label,
      predictedName: model.classNames[p.label]!, probability: p.probabilities[p.label]!, correct: p.label === label,
      probabilities: Array.from(p.probabilities) });
  }
  return { command: 'predict' as const, settings: { model: opts.model, data: opts.data, start: opts.start, count: opts.count },
    model: opts.model, data: name, predictions,
    correct: predictions.filter((p) => p.correct).length };
}
