/**
 * `--stream`: a numpy folder read from disk a block of rows at a time. It trains as the same
 * folder held in memory does (the same run, where the batches are the same), refuses what it
 * cannot stream, and — the small version of `pnpm bench:stream`'s ImageNet-32 run — an epoch
 * over 300 MB of images peaks well below holding them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '@descent/core';
import { encodeNpy } from '@descent/core/testing';
import { writeCifarBinFolder, writeNpyFolder } from './fixtures.js';
import { buildCli, cliBin, descent } from './run-cli.js';

beforeAll(() => buildCli());

function json(args: string[]): Record<string, any> {
  const r = descent([...args, '--json']);
  expect(r.code, `descent ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe('descent --stream', () => {
  const npy = writeNpyFolder(400, 100, 3);

  it('trains as the folder in memory does: blocks that fit the batches give the same run', () => {
    const args = ['train', '--data', npy, '--validation', '40', '--backend', 'ts', '--x-as', 'bytes', '--sampler', 'sequential', '--batch-size', '50', '--epochs', '2'];
    const [a, b] = [mkdtempSync(join(tmpdir(), 'descent-mem-')), mkdtempSync(join(tmpdir(), 'descent-str-'))];
    const memory = json([...args, '--out', a]);
    const streamed = json([...args, '--stream', '--block-rows', '100', '--out', b]);
    expect(streamed.data).toEqual({ ...memory.data, blockRows: 100 });
    expect(streamed.iterations).toBe(memory.iterations);
    expect(streamed.accuracy).toEqual(memory.accuracy);
    expect(streamed.finalLoss).toBeCloseTo(memory.finalLoss, 10);
    expect(memory.accuracy.test).toBeGreaterThan(0.9);
    // The same batches in the same order: every loss and every weight, to the last bit.
    const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
    expect(read(b, 'history.json')).toEqual(read(a, 'history.json'));
    expect(read(b, 'model.json').weights).toEqual(read(a, 'model.json').weights);
    expect(read(a, 'history.json').losses).toHaveLength(memory.iterations);
  });

  it('evaluate and predict read only the test images, streamed or not, with the rows train held out for its seed', () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-eval-'));
    const t = json(['train', '--data', npy, '--validation', '40', '--backend', 'ts', '--stream', '--epochs', '2', '--out', out]);
    const model = join(out, 'model.json');
    const memory = json(['evaluate', '--model', model, '--data', npy, '--backend', 'ts']);
    const streamed = json(['evaluate', '--model', model, '--data', npy, '--backend', 'ts', '--stream']);
    expect(streamed.confusion).toEqual(memory.confusion);
    expect(streamed.accuracy).toBe(t.accuracy.test);
    const p = json(['predict', '--model', model, '--data', npy, '--start', '95', '--count', '10', '--stream']);
    expect(p.predictions.map((x: { index: number }) => x.index)).toEqual([95, 96, 97, 98, 99]);
    expect(p.predictions).toEqual(json(['predict', '--model', model, '--data', npy, '--start', '95', '--count', '10']).predictions);
    // X.npy and y.npy: the test rows are held out by the seed; evaluate --seed 7 scores train --seed 7's test rows.
    const xy = mkdtempSync(join(tmpdir(), 'descent-xy-'));
    const x = readFileSync(join(npy, 'x_train.npy')), y = readFileSync(join(npy, 'y_train.npy'));
    writeFileSync(join(xy, 'X.npy'), x);
    writeFileSync(join(xy, 'y.npy'), y);
    const o2 = mkdtempSync(join(tmpdir(), 'descent-xy-out-'));
    const t2 = json(['train', '--data', xy, '--seed', '7', '--backend', 'ts', '--stream', '--epochs', '2', '--out', o2]);
    expect(json(['evaluate', '--model', join(o2, 'model.json'), '--data', xy, '--seed', '7', '--backend', 'ts', '--stream']).accuracy).toBe(t2.accuracy.test);
    expect(json(['evaluate', '--model', join(o2, 'model.json'), '--data', xy, '--seed', '7', '--backend', 'ts']).accuracy).toBe(t2.accuracy.test);
  });

  it('streams float features too (float32 training rows, float64 test rows), standardized, as the same folder in memory trains', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-fnpy-'));
    const rng = new Random(3);
    const write = (n: number, x: string, y: string, wide: boolean) => {
      const labels = Int32Array.from({ length: n }, () => rng.int(3));
      const values = Float64Array.from({ length: n * 10 }, (_, k) => (k % 10 + 1) * 5 * ((k % 10) % 3 === labels[Math.floor(k / 10)] ? 2 : 0) + (k % 10 + 1) * 5 * rng.normal());
      writeFileSync(join(dir, x), wide ? encodeNpy(values, [n, 10]) : encodeNpy(Float32Array.from(values), [n, 10]));
      writeFileSync(join(dir, y), encodeNpy(labels));
    };
    write(600, 'x_train.npy', 'y_train.npy', false);
    write(200, 'x_test.npy', 'y_test.npy', true);
    const args = ['train', '--data', dir, '--standardize', '--validation', '60', '--backend', 'ts', '--sampler', 'sequential', '--batch-size', '60', '--epochs', '3'];
    const [a, b] = [mkdtempSync(join(tmpdir(), 'descent-fmem-')), mkdtempSync(join(tmpdir(), 'descent-fstr-'))];
    const memory = json([...args, '--out', a]);
    const streamed = json([...args, '--stream', '--block-rows', '180', '--out', b]);
    expect(streamed.data).toEqual({ ...memory.data, blockRows: 180 });
    expect(memory.accuracy.test).toBeGreaterThan(0.8);
    const read = (d: string, file: string) => JSON.parse(readFileSync(join(d, file), 'utf8'));
    expect(read(b, 'model.json').weights).toEqual(read(a, 'model.json').weights);
    expect(read(b, 'model.json').preprocessing).toEqual(read(a, 'model.json').preprocessing);
    const model = join(b, 'model.json');
    const e = json(['evaluate', '--model', model, '--data', dir, '--stream', '--backend', 'ts']);
    expect(e.confusion).toEqual(json(['evaluate', '--model', model, '--data', dir, '--backend', 'ts']).confusion);
    expect(e.accuracy).toBe(streamed.accuracy.test);
    expect(json(['predict', '--model', model, '--data', dir, '--stream', '--start', '190', '--count', '10']).predictions)
      .toEqual(json(['predict', '--model', model, '--data', dir, '--start', '190', '--count', '10']).predictions);
    const images = descent(['train', '--data', npy, '--stream', '--standardize', '--epochs', '1']);
    expect(images.code).toBe(2);
    expect(images.stderr).toMatch(/--standardize applies to features; .* holds images/);
  });

  it('says what is wrong with what it cannot stream', () => {
    const embedded = descent(['train', '--stream', '--epochs', '1']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/--stream reads a folder of uncompressed numpy arrays .*'embedded' is not one/);
    const cifar = descent(['train', '--data', writeCifarBinFolder(), '--stream', '--epochs', '1']);
    expect(cifar.code).toBe(2);
    expect(cifar.stderr).toMatch(/no uncompressed training images to stream: looked for x_train\.npy .* the folder holds batches\.meta\.txt, data_batch_1\.bin/);
    const rows = descent(['train', '--data', npy, '--block-rows', '10', '--epochs', '1']);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toMatch(/--block-rows applies to streamed data only \(--stream\)/);
    const big = descent(['train', '--data', npy, '--stream', '--block-rows', '100', '--batch-size', '128', '--epochs', '1']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/batches of 128 rows do not fit in blocks of 100 rows: ask for blocks of at least 128 rows, or smaller batches/);
    const zero = descent(['train', '--data', npy, '--stream', '--block-rows', '0']);
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toMatch(/--block-rows/);
  });

  it('an epoch over 300 MB of 32×32×3 images peaks far below holding them', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'descent-in32-')), 'imagenet32-small');
    const make = fileURLToPath(new URL('../../../benchmarks/scripts/make-imagenet32.mjs', import.meta.url));
    const made = spawnSync(process.execPath, [make, '--out', dir, '--rows', '100000'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const bytes = statSync(join(dir, 'x_train.npy')).size;
    // Peak RSS of the whole process, printed as it exits.
    const peak = (extra: string[]) => {
      const r = spawnSync(process.execPath, ['--import', `data:text/javascript,process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'))`,
        cliBin, 'train', '--data', dir, '--validation', '0', '--backend', 'onnx-cpu', '--batch-size', '200', '--epochs', '1', '--json', ...extra],
      { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(0);
      return { kb: Number(/maxrss (\d+)/.exec(r.stderr)![1]), run: JSON.parse(r.stdout) };
    };
    const memory = peak(['--x-as', 'bytes']);
    const streamed = peak(['--stream']);
    expect(streamed.run.data.blockRows).toBe(Math.floor(64 * 2 ** 20 / 3072));
    expect(streamed.run.status).toBe('completed');
    expect(streamed.run.accuracy.test).toBeGreaterThan(0.2); // ten classes: chance is 0.1
    const saved = (memory.kb - streamed.kb) * 1024;
    // Held in memory the images cost at least their size; streamed, a few blocks of 64 MiB.
    expect(saved, `peak RSS in memory ${memory.kb} KB, streamed ${streamed.kb} KB, images ${bytes} bytes`).toBeGreaterThan(0.5 * bytes);
  });
});
