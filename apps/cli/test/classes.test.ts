/**
 * A thousand classes through the CLI: labels past a byte (int64 in .npy, 16-bit in memory),
 * training, the pictures that scale (templates: the first 100; the confusion picture: the most
 * confused pairs), evaluate's top-5 and its text for many classes, gradcheck, a landscape and
 * the ONNX export.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '@descent/core';
import { encodeNpy } from '@descent/core/testing';
import { buildCli, descent } from './run-cli.js';

beforeAll(() => buildCli());

function json(args: string[]): Record<string, any> {
  const r = descent([...args, '--json']);
  expect(r.code, `descent ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** 1000 classes of 8×8 grey images: each class a fixed random pattern, each image that pattern plus noise. */
function thousandClasses(): string {
  const dir = mkdtempSync(join(tmpdir(), 'descent-1000-'));
  const rng = new Random(4);
  const patterns = Uint8Array.from({ length: 1000 * 64 }, () => 113 + rng.int(31)); // close together: classes overlap
  const write = (n: number, x: string, y: string) => {
    const labels = BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 1000));
    const images = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) {
      const k = i % 1000;
      for (let p = 0; p < 64; p++) images[i * 64 + p] = Math.max(0, Math.min(255, patterns[k * 64 + p]! + rng.int(61) - 30));
    }
    writeFileSync(join(dir, x), encodeNpy(images, [n, 8, 8]));
    writeFileSync(join(dir, y), encodeNpy(labels));
  };
  write(4000, 'x_train.npy', 'y_train.npy');
  write(2000, 'x_test.npy', 'y_test.npy');
  return dir;
}

describe('a thousand classes', () => {
  const data = thousandClasses();

  it('trains, draws what scales, and evaluate reports top-1 and top-5', () => {
    const out = mkdtempSync(join(tmpdir(), 'descent-1000-out-'));
    const t = json(['train', '--data', data, '--validation', '0', '--epochs', '15', '--lr', '0.5', '--batch-size', '100', '--out', out]);
    expect(t.data.classes).toBe(1000);
    expect(t.status).toBe('completed');
    expect(t.accuracy.test).toBeGreaterThan(0.1); // chance is 0.001
    expect(t.accuracy.test).toBeLessThan(0.95);
    expect(readFileSync(join(out, 'templates.svg'), 'utf8')).toMatch(/the first 100 of 1000 classes/);
    const e = json(['evaluate', '--model', join(out, 'model.json'), '--data', data]);
    expect(e.accuracy).toBeCloseTo(t.accuracy.test, 10);
    expect(e.top5).toBeGreaterThan(e.accuracy);
    expect(e.top5).toBeLessThanOrEqual(1);
    expect(e.mostConfused.length).toBeGreaterThan(0);
    expect(e.mostConfused[0].count).toBeGreaterThanOrEqual(e.mostConfused.at(-1).count);
    const text = descent(['evaluate', '--model', join(out, 'model.json'), '--data', data]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/accuracy 0\.\d{4}, top-5 0\.\d{4}/);
    expect(text.stdout).toMatch(/most confused \(actual → predicted\):/);
    expect(text.stdout).toMatch(/lowest recall:/);
    expect(text.stdout.split('\n').length).toBeLessThan(40); // not a 1000-column table
    const x = json(['export', '--model', join(out, 'model.json'), '--onnx', join(out, 'model.onnx')]);
    expect(JSON.stringify(x.outputs)).toMatch(/1000/);
  });

  it('gradcheck and a landscape run at C = 1000', () => {
    const g = json(['gradcheck', '--data', data, '--validation', '0', '--examples', '40', '--samples', '30', '--loss', 'softmax']);
    expect(g.summary.verdict).toBe('good');
    const cs = json(['gradcheck', '--data', data, '--validation', '0', '--examples', '40', '--samples', '30', '--loss', 'crammer-singer']);
    expect(['good', 'ok-kinked']).toContain(cs.summary.verdict);
    const l = json(['landscape', '--data', data, '--validation', '0', '--dims', '1', '--points', '5', '--limit', '500']);
    expect(l.losses).toHaveLength(5);
    expect(l.losses.every((v: number) => Number.isFinite(v))).toBe(true);
  });
});
