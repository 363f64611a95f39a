/**
 * One measured epoch for `pnpm bench:stream`, in a process of its own (peak RSS is a process's):
 * minibatch SGD over a numpy folder's training images held in memory as bytes, or streamed from
 * disk a block at a time. Prints one JSON line: steps per second between the first and the last
 * step, the whole epoch's seconds (with the final full pass), peak RSS, test accuracy.
 *
 *   node dist/stream-run.js --data <folder> --mode memory|streamed [--backend onnx-cpu] [--block-rows N]
 */
import { parseArgs } from 'node:util';
import { labelArray, makeDataset, prepareData, prepareStreamed, Session } from '@descent/core';
import { openNpyFolder } from '@descent/core/node';
import { createRegistry } from '@descent/backends';

const { values } = parseArgs({ options: {
  data: { type: 'string' }, mode: { type: 'string' }, backend: { type: 'string', default: 'onnx-cpu' },
  'block-rows': { type: 'string' }, batch: { type: 'string', default: '200' },
} });
if (!values.data || (values.mode !== 'memory' && values.mode !== 'streamed')) throw new Error('usage: --data <folder> --mode memory|streamed');

const t0 = performance.now();
const session = await Session.open(createRegistry(), values.backend);
const folder = await openNpyFolder(values.data);
const prepare = { seed: 1, validation: 0 };
if (values.mode === 'streamed') {
  await session.place(await prepareStreamed(folder, prepare), values['block-rows'] ? { blockRows: Number(values['block-rows']) } : {});
} else {
  // Every training byte read into one array (3.9 GB for ImageNet-32: under Node 20's 4 GiB typed-array limit), then placed as bytes.
  const whole = async (set: typeof folder.train) => {
    if (!set.image) throw new Error(`${set.name} holds features: this benchmark streams images`);
    const image = set.image;
    const images = new Uint8Array(set.rows.n * set.rows.features);
    const piece = 8192;
    for (let s = 0; s < set.rows.n; s += piece) {
      const count = Math.min(piece, set.rows.n - s);
      await set.rows.read(s, count, images.subarray(s * set.rows.features, (s + count) * set.rows.features));
    }
    return makeDataset({ name: set.name, images, labels: labelArray(set.labels), image, classNames: set.classNames });
  };
  await session.place(prepareData({ name: folder.name, train: await whole(folder.train), test: await whole(folder.test) }, prepare), { x: 'bytes' });
}
const loadSeconds = (performance.now() - t0) / 1000;
let first = 0, last = 0;
const run = session.train({ strategy: 'minibatch', loss: 'softmax', reg: 1e-4, optimizer: 'momentum', learningRate: 0.01, batchSize: Number(values.batch),
  epochs: 1, sampler: 'shuffle', evaluateEvery: 0, seed: 1 }, {
  onProgress: (e) => {
    if (e.iteration === 1) first = performance.now();
    last = performance.now();
  },
});
const t1 = performance.now();
const { result, testAccuracy } = await run.done;
const summary = session.summary;
await session.close();
await folder.close();
process.stdout.write(`${JSON.stringify({
  mode: values.mode, backend: session.backend.id, rows: summary.train, blockRows: summary.blockRows ?? null, xAs: summary.xAs,
  steps: result.iterations, stepsPerSecond: (result.iterations - 1) / ((last - first) / 1000), epochSeconds: (performance.now() - t1) / 1000,
  loadSeconds, testAccuracy, maxRssMB: process.resourceUsage().maxRSS / 1024, status: result.status,
})}\n`);
