import { Command } from 'commander';
import { confusionMatrix, OptionError, toDesignMatrix } from '@descent/core';
import { loadDataset, loadModel } from '@descent/core/node';
import { createRegistry, defaultBackendSpec } from '../backends.js';
import { printJson, table } from '../output.js';
import { writePictures } from '../pictures.js';
import { prepareOutputDir } from '../outputs.js';

interface Options { model: string; data: string; backend: string; json?: boolean; out?: string }

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description("a saved model's accuracy and confusion matrix on a data set's test split")
    .showHelpAfterError('(add --help for usage)')
    .requiredOption('--model <file>', 'a model saved by `descent train --out`')
    .option('--data <spec>', "'embedded', 'fashion-mnist', or a folder of IDX files or CIFAR-10 batches", 'embedded')
    .option('--backend <id>', "compute backend: 'auto', an id, or a list tried in order (see 'descent backends')", defaultBackendSpec())
    .option('--out <dir>', 'write confusion.svg here')
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      const r = await runEvaluate(opts);
      if (opts.json) { printJson(r); return; }
      const o = process.stdout;
      o.write(`${r.model} on ${r.data} (${r.n} test images): accuracy ${r.accuracy.toFixed(4)}\n`);
      const fmt3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
      o.write(table(['actual \\ predicted', ...r.classNames.map((_, j) => String(j)), 'recall'],
        [...r.classNames.map((name, i) => [`${i} ${name}`, ...r.confusion[i]!, fmt3(r.recall[i]!)]),
          ['precision', ...r.precision.map(fmt3), '']]));
      if (r.files.length) o.write(`wrote ${r.files.join(', ')}\n`);
    });
}

export async function runEvaluate(opts: Options) {
  if (opts.out) await prepareOutputDir(opts.out, '--out');
  const model = await loadModel(opts.model);
  const { test, name } = await loadDataset(opts.data);
  if (test.features !== model.preprocessing.features) {
    throw new OptionError(`${opts.model} was trained on images of ${model.preprocessing.features} values; ${name} has ${test.features}`);
  }
  const { backend, choice } = await createRegistry().resolve(opts.backend);
  try {
    const data = await backend.place(toDesignMatrix(test, model.preprocessing));
    if (data.classes !== model.classNames.length) {
      throw new OptionError(`${name} has ${data.classes} classes; ${opts.model} has ${model.classNames.length}`);
    }
    const m = await confusionMatrix(backend, model.weights, data);
    const c = m.classes;
    const confusion = Array.from({ length: c }, (_, i) => Array.from(m.counts.subarray(i * c, (i + 1) * c)));
    const files = opts.out ? await writePictures(opts.out, { confusion: { counts: m.counts, classNames: model.classNames } }) : [];
    return { command: 'evaluate' as const, settings: { model: opts.model, data: opts.data, backend: backend.id }, backendChoice: choice,
      model: opts.model, data: name, backend: backend.id, n: m.total,
      accuracy: m.accuracy, classNames: model.classNames, confusion, recall: Array.from(m.recall),
      precision: Array.from(m.precision), files };
  } finally {
    await backend.dispose();
  }
}
