import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '@descent/core';
import { encodeIdx } from '@descent/core/testing';
import { spawn } from 'node:child_process';
import { buildCli, cliBin, descent } from './run-cli.js';

beforeAll(() => buildCli());

const quick = ['--limit', '2000', '--epochs', '2'];

describe('descent train', () => {
  it('--json prints one parseable object with settings, loss, accuracies and seconds', () => {
    const r = descent(['train', ...quick, '--json', '--seed', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.command).toBe('train');
    expect(s.status).toBe('completed');
    // --backend defaults to 'auto': on this machine kind onnxruntime-node's CPU provider is the fastest that runs.
    expect(s.settings).toMatchObject({ backend: 'onnx-cpu', loss: 'softmax', strategy: 'minibatch', optimizer: 'momentum', seed: 5 });
    expect(s.backendChoice.requested).toBe('auto');
    expect(s.backendChoice.chosen).toBe('onnx-cpu');
    // The GPU backends above it (onnx-webgpu comes after onnx-cpu in Node: priorityIn) cannot run here.
    expect(s.backendChoice.skipped.map((x: { id: string }) => x.id)).toEqual(['onnx-cuda', 'tfjs-node-gpu']);
    for (const x of s.backendChoice.skipped) expect(x.reason.length).toBeGreaterThan(10);
    expect(s.data).toMatchObject({ name: expect.stringContaining('fashion-mnist'), train: 2000, validation: 1000, test: 2000, features: 785, classes: 10 });
    expect(s.iterations).toBe(2 * Math.ceil(2000 / 256));
    expect(s.finalLoss).toBeGreaterThan(0.2);
    expect(s.finalLoss).toBeLessThan(1.2);
    expect(s.accuracy.test).toBeGreaterThan(0.65);
    expect(s.accuracy.validation).toBeGreaterThan(0.65);
    expect(s.seconds.train).toBeGreaterThan(0);
    // The same seed gives the same run.
    const again = JSON.parse(descent(['train', ...quick, '--json', '--seed', '5']).stdout);
    expect(again.finalLoss).toBe(s.finalLoss);
    expect(again.accuracy).toEqual(s.accuracy);
  });

  it('--host-steps steps on the host: nothing changes on ts (no resident trainer there), on onnx-cpu the same run within float32 rounding', () => {
    const run = (backend: string, host: boolean) => {
      const r = descent(['train', ...quick, '--json', '--backend', backend, ...(host ? ['--host-steps'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.settings.hostSteps).toBe(host);
      return s;
    };
    const [a, b] = [run('ts', true), run('ts', false)];
    expect(a.finalLoss).toBe(b.finalLoss);
    expect(a.accuracy).toEqual(b.accuracy);
    // onnx-cpu's trainer keeps W in float32, the host in float64: close, and not the same bits.
    const [c, d] = [run('onnx-cpu', true), run('onnx-cpu', false)];
    expect(c.finalLoss).toBeCloseTo(d.finalLoss, 4);
    expect(c.finalLoss).not.toBe(d.finalLoss);
    expect(Math.abs(c.accuracy.test - d.accuracy.test)).toBeLessThanOrEqual(0.002);
  });

  it('--x-as bytes and float32 train to the same result: bit for bit on ts, within rounding on onnx-cpu', () => {
    const run = (backend: string, x: string) => {
      const r = descent(['train', ...quick, '--json', '--backend', backend, '--x-as', x]);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.data.xAs).toBe(x);
      return s;
    };
    // 2000 rows of 785 are far below 512 MiB: auto holds them as float32.
    expect(JSON.parse(descent(['train', ...quick, '--json', '--backend', 'ts']).stdout).data.xAs).toBe('float32');
    const [a, b] = [run('ts', 'bytes'), run('ts', 'float32')];
    expect(a.finalLoss).toBe(b.finalLoss);
    expect(a.accuracy).toEqual(b.accuracy);
    const [c, d] = [run('onnx-cpu', 'bytes'), run('onnx-cpu', 'float32')];
    expect(c.finalLoss).toBeCloseTo(d.finalLoss, 4);
    expect(Math.abs(c.accuracy.test - d.accuracy.test)).toBeLessThanOrEqual(0.002);
  });

  it('runs every strategy, objective and optimizer from the command line', () => {
    for (const args of [
      ['--strategy', 'random-search', '--iterations', '20'],
      ['--strategy', 'random-local-search', '--iterations', '20'],
      ['--strategy', 'gd', '--iterations', '5', '--loss', 'svm', '--optimizer', 'nesterov'],
      ['--strategy', 'minibatch', '--epochs', '1', '--loss', 'crammer-singer', '--delta', '2'],
      ['--strategy', 'sgd', '--iterations', '200', '--optimizer', 'adam', '--lr', '1e-3'],
      ['--strategy', 'minibatch', '--epochs', '1', '--optimizer', 'rmsprop', '--lr', '1e-3', '--sampler', 'replacement', '--schedule', 'step'],
      ['--strategy', 'minibatch', '--epochs', '1', '--optimizer', 'adagrad', '--schedule', 'inverse', '--backend', 'ts-f64'],
    ]) {
      const r = descent(['train', '--limit', '500', '--json', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.status).toBe('completed');
      // Searches on 500 rows in 20 tries may land below chance; following a gradient may not.
      const searching = args[1]!.includes('search');
      expect(s.accuracy.test).toBeGreaterThanOrEqual(searching ? 0 : 0.4);
      expect(s.accuracy.test).toBeLessThanOrEqual(1);
    }
  });

  it('prints progress lines and a summary without --json', () => {
    const r = descent(['train', ...quick]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/minibatch iter \d+\/16 epoch [\d.]+ loss [\d.]+/);
    expect(r.stdout).toMatch(/accuracy +train 0\.\d+ +validation 0\.\d+ +test 0\.\d+/);
  });

  it('Ctrl-C stops training cleanly and still reports what was learned', async () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-sigint-'));
    const child = spawn(process.execPath, [cliBin, 'train', '--epochs', '1000', '--eval-every', '5', '--out', out]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => {
      stderr += b;
      if (/train acc/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/^stopped after \d+ of 36000 iterations/m);
    expect(stdout).toMatch(/test 0\.[3-9]\d+/);
    // What was learned so far is saved.
    const model = decodeModel(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.training).toMatchObject({ status: 'stopped' });
  });

  it('a diverging run stops, says so, keeps the last good weights, and exits 3', () => {
    const r = descent(['train', '--limit', '500', '--strategy', 'gd', '--loss', 'svm', '--optimizer', 'sgd',
      '--lr', '1e9', '--iterations', '50', '--json']);
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('diverged');
    expect(s.message).toMatch(/kept the last good weights/);
    expect(Number.isFinite(s.finalLoss)).toBe(true);
  });
});

describe('bad input gets a clear error, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
  const idxFolder = (name: string, images: Uint8Array, labels: Uint8Array) => {
    const f = join(dir, name);
    mkdirSync(f);
    writeFileSync(join(f, 'train-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(f, 'train-labels-idx1-ubyte.gz'), gzipSync(labels));
    writeFileSync(join(f, 't10k-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(f, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
    return f;
  };
  const pixels = new Uint8Array(20 * 4 * 4).map((_, i) => (i * 37) % 256);
  const labelBytes = new Uint8Array(20).map((_, i) => i % 10);
  const goodImages = encodeIdx(pixels, [20, 4, 4], { gzip: false });
  const goodLabels = encodeIdx(labelBytes, [20], { gzip: false });

  const expectUserError = (args: string[], pattern: RegExp) => {
    const r = descent(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  };

  it('an unknown option or command', () => {
    expectUserError(['train', '--learning-rate', '0.1'], /unknown option '--learning-rate'/);
    expectUserError(['trian'], /unknown command 'trian'/);
    expectUserError(['train', '--x-as', 'uint8'], /argument 'uint8' is invalid. Allowed choices are auto, bytes, float32/);
    expectUserError(['train', '--loss', 'hinge'], /argument 'hinge' is invalid. Allowed choices are svm, softmax, crammer-singer/);
    expectUserError(['train', '--lr', 'fast'], /option '--lr <x>' argument 'fast' is invalid/);
    expectUserError(['train', '--momentum', '1.5', '--limit', '100'], /momentum/);
  });

  it('a missing folder, or one with no data set in it', () => {
    expectUserError(['train', '--data', join(dir, 'nope')], /nope/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expectUserError(['train', '--data', empty], /empty/);
  });

  it('a truncated IDX file names the file and the missing bytes', () => {
    const f = idxFolder('truncated', goodImages.subarray(0, goodImages.length - 7), goodLabels);
    expectUserError(['train', '--data', f], /train-images-idx3-ubyte\.gz.*truncated|truncated.*train-images-idx3-ubyte\.gz/);
  });

  it('mismatched image and label counts', () => {
    const f = idxFolder('mismatch', goodImages, encodeIdx(labelBytes.subarray(0, 19), [19], { gzip: false }));
    expectUserError(['train', '--data', f], /20 images.*19 labels|19 labels.*20 images/);
  });

  it('a label out of range names its index', () => {
    const bad = labelBytes.slice();
    bad[13] = 12;
    const f = idxFolder('badlabel', goodImages, encodeIdx(bad, [20], { gzip: false }));
    expectUserError(['train', '--data', f], /label 12 .*13|13.*label 12/);
  });

  it('a corrupt CIFAR-10 batch', () => {
    const f = join(dir, 'cifar');
    mkdirSync(f);
    writeFileSync(join(f, 'data_batch_1.bin'), new Uint8Array(3073 * 2 + 100));
    writeFileSync(join(f, 'test_batch.bin'), new Uint8Array(3073 * 2));
    expectUserError(['train', '--data', f], /data_batch_1\.bin/);
  });

  it('a backend that does not exist lists the ones that do', () => {
    expectUserError(['train', '--backend', 'cuda-magic', '--limit', '100'], /unknown backend 'cuda-magic'; known backends: auto, ts, ts-f64/);
  });
});
