import { Command } from 'commander';
import { OptionError } from '@descent/core';
import { loadModel, writeFileAtomic } from '@descent/core/node';
import { printJson } from '../output.js';
import { prepareOutputFile, writing } from '../outputs.js';

interface Options { model: string; onnx?: string; json?: boolean }

export function exportCommand(): Command {
  return new Command('export')
    .description("write a saved model in another format: --onnx, a standard ONNX model (raw image bytes, or a model of features' float32 values, in; scores, probabilities and label out)")
    .showHelpAfterError('(add --help for usage)')
    .requiredOption('--model <file>', 'a model saved by `descent train --out`')
    .option('--onnx <file>', 'write an ONNX model (opset 17) here')
    .option('--json', 'print one JSON object')
    .action(async (opts: Options) => {
      if (!opts.onnx) throw new OptionError('say which format to write: --onnx <file>');
      const onnx = opts.onnx;
      await prepareOutputFile(onnx, '--onnx');
      const model = await loadModel(opts.model);
      // Loaded here, not at start-up: the ONNX graph builder is needed by this command only.
      const { classifierInput, exportClassifierOnnx } = await import('@descent/backend-onnx');
      const input = classifierInput(model.preprocessing);
      const bytes = exportClassifierOnnx({ weights: model.weights, classes: model.classNames.length,
        classNames: model.classNames, preprocessing: model.preprocessing });
      await writing(onnx, () => writeFileAtomic(onnx, bytes));
      const summary = { command: 'export' as const, settings: { model: opts.model, onnx: opts.onnx }, model: opts.model, onnx: opts.onnx, bytes: bytes.length,
        inputs: [{ ...input, shape: ['N', model.preprocessing.features] }],
        outputs: [{ name: 'scores', type: 'float32', shape: ['N', model.classNames.length] },
          { name: 'probabilities', type: 'float32', shape: ['N', model.classNames.length] },
          { name: 'label', type: 'int64', shape: ['N'] }],
        classNames: model.classNames };
      if (opts.json) printJson(summary);
      else process.stdout.write(`wrote ${opts.onnx} (${bytes.length} bytes): input '${input.name}' ${input.type} [N, ${model.preprocessing.features}]; outputs 'scores', 'probabilities' [N, ${model.classNames.length}], 'label' [N]\n`);
    });
}
