import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogue, createRegistry } from '@descent/backends';
import { decodeModel } from '@descent/core';
import { FASHION_MNIST_DEBIAN_PATH } from '@descent/core/node';
import { writeCifarBinFolder, writeNpyFolder, writeNpzFile } from './fixtures.js';
import { buildCli, descent } from './run-cli.js';

beforeAll(() => buildCli());

/** Run a command with --json; it must succeed with nothing on stderr and print one object. */
function json(args: string[]): Record<string, any> {
  const r = descent([...args, '--json']);
  expect(r.code, `descent ${args.join(' ')}: ${r.stderr}`).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const fullFashion = existsSync(join(FASHION_MNIST_DEBIAN_PATH, 'train-images-idx3-ubyte.gz'));
const cifar = writeCifarBinFolder();
const npy = writeNpyFolder();
const npz = writeNpzFile(npy);
const dataSets: [string, string[]][] = [
  ['embedded', ['--data', 'embedded', '--limit', '1500']],
  ['a CIFAR-10 binary folder', ['--data', cifar, '--validation', '40']],
  ['a folder of numpy arrays', ['--data', npy, '--validation', '40']],
  ['an .npz of numpy arrays', ['--data', npz, '--validation', '40']],
  // Read from disk a block at a time: blocks of 256 rows (a minibatch's default size; 360 training rows), so every pass crosses blocks.
  ['a folder of numpy arrays, streamed', ['--data', npy, '--validation', '40', '--stream', '--block-rows', '256']],
  ...(fullFashion ? [['the full Fashion-MNIST folder', ['--data', FASHION_MNIST_DEBIAN_PATH, '--limit', '1500']] as [string, string[]]] : []),
];

describe.each(dataSets)('every command on %s', (_name, data) => {
  const out = mkdtempSync(join(tmpdir(), 'descent-out-'));

  it('train --out writes a model, history, summary and pictures; predict and evaluate read it back', () => {
    const t = json(['train', ...data, '--epochs', '3', '--out', out]);
    expect(t.status).toBe('completed');
    for (const f of ['model.json', 'history.json', 'summary.json', 'loss.svg', 'templates.svg', 'confusion.svg']) {
      expect(t.files).toContain(join(out, f));
    }
    expect(readFileSync(join(out, 'templates.svg'), 'utf8')).toMatch(/^<svg/);
    const model = decodeModel(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.classNames).toHaveLength(t.data.classes);
    expect(t.data.classes).toBe(data.includes(npy) || data.includes(npz) ? 4 : 10);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.losses).toHaveLength(t.iterations);

    const e = json(['evaluate', '--model', join(out, 'model.json'), '--data', data[1]!]);
    expect(e.accuracy).toBeCloseTo(t.accuracy.test, 10);
    expect(e.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(e.n);

    const p = json(['predict', '--model', join(out, 'model.json'), '--data', data[1]!, '--count', '8']);
    expect(p.predictions).toHaveLength(8);
    for (const x of p.predictions) {
      expect(x.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 10);
      expect(x.correct).toBe(x.predicted === x.label);
    }
    // Resume from the model: starts where it ended (its first loss is near its final loss).
    const r = json(['train', ...data, '--epochs', '1', '--resume', join(out, 'model.json')]);
    expect(r.status).toBe('completed');
    expect(r.finalLoss).toBeLessThan(t.finalLoss * 1.2);
  });

  it('gradcheck: float64 by default, softmax agrees, the SVM reports kinks', () => {
    const g = json(['gradcheck', ...data, '--examples', '50', '--samples', '15']);
    expect(g.settings).toMatchObject({ backend: 'ts-f64', precision: 'float64', method: 'centered', coordinates: 15 });
    expect(g.rows).toHaveLength(15);
    expect(g.summary.maxRelativeErrorKinkFree).toBeLessThan(1e-5);
    const all = json(['gradcheck', ...data, '--examples', '50', '--all', '--loss', 'svm']);
    expect(all.settings.numerical).toBe('linearity');
    expect(all.rows.length).toBe(all.settings.coordinates);
    expect(['good', 'ok-kinked']).toContain(all.summary.verdict);
    const cs = json(['gradcheck', ...data, '--examples', '50', '--all', '--loss', 'crammer-singer']);
    expect(cs.settings).toMatchObject({ loss: 'crammer-singer', delta: 1 });
    expect(['good', 'ok-kinked']).toContain(cs.summary.verdict);
    expect(cs.summary.maxRelativeErrorKinkFree).toBeLessThan(1e-6);
    // A step of 0.05 crosses kinks (margins, and wrong classes trading places), and they are counted.
    expect(json(['gradcheck', ...data, '--examples', '50', '--all', '--loss', 'crammer-singer', '--h', '0.05']).summary.kinked).toBeGreaterThan(0);
  });

  it('sweep, landscape (1-D and 2-D) and batches', () => {
    const s = json(['sweep', ...data, '--out', out]);
    expect(s.rows.map((r: { size: number }) => r.size)).toHaveLength(10);
    expect(s.best.loss).toBeLessThanOrEqual(s.initialLoss);
    expect(s.files).toEqual([join(out, 'sweep.svg')]);
    const l1 = json(['landscape', ...data, '--dims', '1', '--points', '11']);
    expect(l1.losses).toHaveLength(11);
    expect(l1.losses[5]).toBeCloseTo(l1.center, 4);
    const l2 = json(['landscape', ...data, '--dims', '2', '--points', '9', '--out', out]);
    expect(l2.losses).toHaveLength(81);
    expect(l2.files).toEqual([join(out, 'landscape-2d.svg')]);
    const b = json(['batches', ...data, '--sizes', '1,16,64', '--trials', '4']);
    expect(b.rows.map((r: { batchSize: number }) => r.batchSize)).toEqual([1, 16, 64]);
    expect(b.rows[2].cosine.mean).toBeGreaterThan(b.rows[0].cosine.mean);
  });

  it('search and tune', () => {
    const s = json(['search', ...data, '--iterations', '30', '--epochs', '2']);
    expect(s.runs.map((r: { strategy: string }) => r.strategy)).toEqual(['random-search', 'random-local-search', 'minibatch']);
    const t = json(['tune', ...data, '--trials', '3', '--rounds', '2', '--epochs', '1']);
    expect(t.trials).toHaveLength(6);
    expect(t.best.validationAccuracy).toBe(Math.max(...t.trials.map((x: { validationAccuracy: number }) => x.validationAccuracy)));
    expect(typeof t.best.onBorder.learningRate).toBe('boolean');
  });

  it('tune trains each trial as train would, with the loss and schedule asked for', () => {
    const common = ['--loss', 'crammer-singer', '--schedule', 'step', '--step-every', '1', '--step-factor', '0.1', '--epochs', '2', '--batch-size', '64'];
    const t = json(['tune', ...data, ...common, '--trials', '1', '--rounds', '1']);
    expect(t.settings).toMatchObject({ loss: 'crammer-singer', schedule: 'step', stepEvery: 1, stepFactor: 0.1 });
    const [trial] = t.trials;
    const r = json(['train', ...data, ...common, '--lr', String(trial.learningRate), '--reg', String(trial.reg)]);
    expect(r.accuracy.validation).toBe(trial.validationAccuracy);
    expect(r.finalLoss).toBe(trial.finalLoss);
  });
});

describe('descent backends', () => {
  it('--json lists every backend of the catalogue with whether it runs here and why not, and what auto picks', () => {
    const b = json(['backends']);
    expect(b.command).toBe('backends');
    expect(b.settings).toEqual({ environment: 'node' });
    expect(b.backends.map((x: { id: string }) => x.id)).toEqual(catalogue().map((i) => i.id));
    for (const x of b.backends) expect(x.available ? 'detail' in x : typeof x.reason === 'string').toBe(true);
    // auto: the highest priority that runs here.
    const runs = b.backends.filter((x: { available: boolean }) => x.available).sort((p: { priority: number }, q: { priority: number }) => q.priority - p.priority);
    expect(b.auto).toBe(runs[0].id);
    expect(b.auto).toBe('onnx-cpu');
  });

  it('$DESCENT_THREADS sets onnxruntime\'s intra-op threads; a bad value is exit 2 naming it', () => {
    const two = descent(['backends', '--json'], { DESCENT_THREADS: '2' });
    expect(two.code, two.stderr).toBe(0);
    const cpu = JSON.parse(two.stdout).backends.find((x: { id: string }) => x.id === 'onnx-cpu');
    expect(cpu.detail).toMatch(/cpu provider, 2 thread\(s\)/);
    const one = JSON.parse(descent(['backends', '--json']).stdout).backends.find((x: { id: string }) => x.id === 'onnx-cpu');
    expect(one.detail).toMatch(/cpu provider, 1 thread\(s\)/);
    for (const bad of ['0', 'two', '1.5', '999']) {
      const r = descent(['backends'], { DESCENT_THREADS: bad });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`DESCENT_THREADS must be a whole number from 1 to 256, got "${bad}"`);
    }
  });

  it('--backend takes a list tried in order, and $DESCENT_BACKEND sets the default; each says what ran and what was skipped', () => {
    const quick = ['train', '--limit', '300', '--iterations', '3', '--json'];
    const list = descent([...quick, '--backend', 'tfjs-node, ts-f64, ts']);
    expect(list.code, list.stderr).toBe(0);
    const l = JSON.parse(list.stdout);
    expect(l.settings.backend).toBe('ts-f64');
    expect(l.backendChoice).toMatchObject({ requested: 'tfjs-node, ts-f64, ts', chosen: 'ts-f64' });
    expect(l.backendChoice.skipped).toEqual([{ id: 'tfjs-node', reason: expect.stringMatching(/@tensorflow\/tfjs-node is not installed/) }]);
    const env = descent(quick, { DESCENT_BACKEND: 'tfjs-wasm' });
    expect(env.code, env.stderr).toBe(0);
    expect(JSON.parse(env.stdout).backendChoice).toEqual({ requested: 'tfjs-wasm', chosen: 'tfjs-wasm', skipped: [] });
    // The option wins over the environment; text output names what ran and what was passed over.
    const text = descent(['train', '--limit', '300', '--iterations', '3', '--backend', 'tfjs-node,auto'], { DESCENT_BACKEND: 'ts' });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^backend: onnx-cpu \(tfjs-node,auto; skipped tfjs-node: @tensorflow\/tfjs-node is not installed; onnx-cuda: .+; tfjs-node-gpu: .+\) \('descent backends' says more\)$/m);
    expect(text.stdout).toMatch(/run +minibatch on onnx-cpu/);
    // A single backend that cannot run is an error naming why; an unknown one in a list too.
    const one = descent([...quick, '--backend', 'tfjs-node']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/backend 'tfjs-node' cannot run here: @tensorflow\/tfjs-node is not installed/);
    expect(descent([...quick, '--backend', 'ts,nope']).stderr).toMatch(/unknown backend 'nope'/);
  });
});

describe('model files that cannot be used', () => {
  it('a corrupt or missing model is refused with a clear message', () => {
    const r = descent(['predict', '--model', join(tmpdir(), 'no-such-model.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model file not found/);
  });
});

/** Every command on every other backend of the catalogue that runs in Node, against the 'ts' results. */
const registry = createRegistry({ environment: 'node' });
const nodeBackends = (await registry.probeAll()).filter((r) => r.result.available && !r.id.startsWith('ts')).map((r) => r.id);
describe.each(nodeBackends)('every command on backend %s', (backend) => {
  const data = ['--limit', '1000', '--backend', backend];
  const out = mkdtempSync(join(tmpdir(), `descent-${backend}-`));

  it('train (same run as on ts, to float32 rounding), evaluate, predict', () => {
    const t = json(['train', ...data, '--epochs', '2', '--out', out]);
    const ref = json(['train', '--limit', '1000', '--epochs', '2', '--backend', 'ts']);
    expect(t.settings.backend).toBe(backend);
    expect(t.finalLoss).toBeCloseTo(ref.finalLoss, 3);
    expect(Math.abs(t.accuracy.test - ref.accuracy.test)).toBeLessThan(0.01);
    const e = json(['evaluate', '--model', join(out, 'model.json'), '--backend', backend]);
    expect(e.accuracy).toBeCloseTo(t.accuracy.test, 10);
  });

  it('gradcheck, sweep, landscape, batches, search, tune', () => {
    const g = json(['gradcheck', ...data, '--examples', '50', '--samples', '5', '--h', '1e-2']);
    expect(g.settings.backend).toBe(backend);
    expect(g.rows).toHaveLength(5);
    const s = json(['sweep', ...data, '--sizes', '1e-3,1e-1']);
    const sRef = json(['sweep', '--limit', '1000', '--sizes', '1e-3,1e-1', '--backend', 'ts']);
    expect(s.rows[1].loss).toBeCloseTo(sRef.rows[1].loss, 4);
    expect(json(['landscape', ...data, '--dims', '2', '--points', '5']).losses).toHaveLength(25);
    expect(json(['batches', ...data, '--sizes', '8,64', '--trials', '2']).rows).toHaveLength(2);
    expect(json(['search', ...data, '--iterations', '5', '--epochs', '1']).runs).toHaveLength(3);
    expect(json(['tune', ...data, '--trials', '2', '--rounds', '1', '--epochs', '1']).trials).toHaveLength(2);
  });
});

describe('descent export --onnx', () => {
  it('writes a standard ONNX model whose predictions in onnxruntime-node equal descent predict', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-export-'));
    json(['train', '--limit', '2000', '--epochs', '2', '--out', out]);
    const e = json(['export', '--model', join(out, 'model.json'), '--onnx', join(out, 'model.onnx')]);
    expect(e.outputs.map((o: { name: string }) => o.name)).toEqual(['scores', 'probabilities', 'label']);
    const p = json(['predict', '--model', join(out, 'model.json'), '--count', '200']);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    const { loadDataset } = await import('@descent/core/node');
    const { test } = await loadDataset('embedded');
    const images = test.images!.subarray(0, 200 * test.features);
    const result = await session.run({ image: new ort.Tensor('uint8', images, [200, test.features]) });
    const labels = Array.from(result.label!.data as BigInt64Array, Number);
    const probabilities = result.probabilities!.data as Float32Array;
    // float32 in ONNX vs float64 in descent: equal except where two scores tie within rounding.
    const disagree = labels.filter((l, i) => l !== p.predictions[i].predicted).length;
    expect(disagree).toBeLessThanOrEqual(1);
    for (let i = 0; i < 200; i++) {
      expect(probabilities[i * 10 + p.predictions[i].predicted]).toBeCloseTo(p.predictions[i].probability, 4);
    }
    await session.release();
  });
});
