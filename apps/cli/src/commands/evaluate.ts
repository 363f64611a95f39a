import { Command } from 'commander';
import { checkFeatureRows, confusionAndTopK, isFeaturePreprocessing, OptionError, StreamingBackend, toDesignMatrix, type Model } from '@descent/core';
import { loadModel } from '@descent/core/node';
import { seed } from '../options.js';
import { checkModelFits, openTestSplit, type TestSplit } from '../test-split.js';
import { createRegistry, defaultBackendSpec } from '../backends.js';
import { printJson, table } from '../output.js';
import { writePictures } from '../pictures.js';
import { prepareOutputDir } from '../outputs.js';

interface Options { model: string; data: string; testData?: string; backend: string; seed: number; stream?: boolean; json?: boolean; out?: string }

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description("a saved model's accuracy and confusion matrix on a data set's test split")
    .showHelpAfterError('(add --help for usage)')
    .requiredOption('--model <file>', 'a model saved by `descent train --out`')
    .option('--data <spec>', "'embedded', 'fashion-mnist', a folder of IDX files, CIFAR-10 batches or numpy arrays, an .npz, or a LIBSVM file", 'embedded')
    .option('--test-data <file>', 'the test rows in a file of their own (LIBSVM), as train was given')
    .option('--seed <n>', "the seed train was given: where the files have no test split, it holds out the same test rows", seed, 1)
    .option('--stream', 'read a numpy folder\'s test images from disk as needed (automatic above 1 GiB of training images)')
    .option('--backend <id>', "compute backend: 'auto', an id, or a list tried in order (see 'descent backends')", defaultBackendSpec())
    .option('--out <dir>', 'write confusion.svg here')
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      const r = await runEvaluate(opts);
      if (opts.json) { printJson(r); return; }
      const o = process.stdout;
      o.write(`${r.model} on ${r.data} (${r.n} test images): accuracy ${r.accuracy.toFixed(4)}` +
        (r.classNames.length > 5 ? `, top-5 ${r.top5.toFixed(4)}` : '') + '\n');
      const fmt3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
      if (r.classNames.length <= TABLE_MAX_CLASSES) {
        o.write(table(['actual \\ predicted', ...r.classNames.map((_, j) => String(j)), 'recall'],
          [...r.classNames.map((name, i) => [`${i} ${name}`, ...r.confusion[i]!, fmt3(r.recall[i]!)]),
            ['precision', ...r.precision.map(fmt3), '']]));
      } else {
        // Too many classes for a table: what scales, the most confused pairs and the lowest recalls.
        o.write('most confused (actual → predicted):\n');
        o.write(table(['actual', 'predicted', 'count'], r.mostConfused.slice(0, 10).map((p) => [p.actual, p.predicted, p.count])));
        const byRecall = r.classNames.map((name, i) => ({ name, recall: r.recall[i]! })).filter((c) => Number.isFinite(c.recall))
          .sort((a, b) => a.recall - b.recall);
        o.write('lowest recall:\n');
        o.write(table(['class', 'recall'], byRecall.slice(0, 10).map((c) => [c.name, fmt3(c.recall)])));
      }
      if (r.files.length) o.write(`wrote ${r.files.join(', ')}\n`);
    });
}

export async function runEvaluate(opts: Options) {
  if (opts.out) await prepareOutputDir(opts.out, '--out');
  const model = await loadModel(opts.model);
  const test = await openTestSplit(opts.data, { seed: opts.seed, ...(opts.stream ? { stream: true } : {}), ...(opts.testData !== undefined ? { testData: opts.testData } : {}) });
  const name = test.name;
  try {
    checkModelFits(opts.model, model, test);
    return await evaluateOn(opts, model, test);
  } finally {
    await test.close();
  }
}

/** The confusion matrix of the model on the split: placed whole, or streamed a block at a time. */
async function evaluateOn(opts: Options, model: Model, test: TestSplit) {
  const name = test.name;
  const { backend: chosen, choice } = await createRegistry().resolve(opts.backend);
  const streaming = test.dataset ? undefined : new StreamingBackend(chosen);
  const backend = streaming ?? chosen;
  try {
    const p = model.preprocessing, f = p.features;
    // Streamed features: every value, and every standardized one, checked before the pass (in memory, toDesignMatrix checks them).
    if (!test.dataset && test.values && isFeaturePreprocessing(p)) await checkFeatureRows(test.rows!, test.values, name, p);
    const data = test.dataset ? await backend.place(toDesignMatrix(test.dataset, p))
      : await streaming!.placeStreamed({ rows: test.rows!, y: test.labels, n: test.labels.length, features: f, d: f + 1,
        classes: test.classNames.length, scale: isFeaturePreprocessing(p) ? 1 : p.scale, mean: p.mean,
        ...(test.values && isFeaturePreprocessing(p) ? { values: { dtype: test.values.dtype, prep: p } } : {}) });
    // Top-5 (the label among the five highest scores: what a thousand-class set reports beside top-1) from the same pass.
    const { confusion: m, topK: top5 } = await confusionAndTopK(backend, model.weights, data, 5);
    const c = m.classes;
    const mostConfused = confusedPairs(m.counts, c, model.classNames, 20);
    const confusion = Array.from({ length: c }, (_, i) => Array.from(m.counts.subarray(i * c, (i + 1) * c)));
    const files = opts.out ? await writePictures(opts.out, { confusion: { counts: m.counts, classNames: model.classNames } }) : [];
    return { command: 'evaluate' as const, settings: { model: opts.model, data: opts.data, backend: backend.id, seed: opts.seed, stream: test.dataset === undefined }, backendChoice: choice,
      model: opts.model, data: name, backend: backend.id, n: m.total,
      accuracy: m.accuracy, top5, mostConfused, classNames: model.classNames, confusion, recall: Array.from(m.recall),
      precision: Array.from(m.precision), files };
  } finally {
    await backend.dispose();
  }
}

/** Classes past which the text output shows the most confused pairs and the lowest recalls instead of the full table. */
const TABLE_MAX_CLASSES = 20;

/** The `limit` largest off-diagonal counts, largest first (ties: lower actual, then predicted, first). */
function confusedPairs(counts: Int32Array, c: number, names: readonly string[], limit: number) {
  const pairs: { actual: string; predicted: string; count: number }[] = [];
  for (let a = 0; a < c; a++) {
    for (let p = 0; p < c; p++) {
      const count = counts[a * c + p]!;
      if (a !== p && count > 0) pairs.push({ actual: names[a]!, predicted: names[p]!, count });
    }
  }
  return pairs.sort((x, y) => y.count - x.count).slice(0, limit);
}
