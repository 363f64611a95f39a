import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '@descent/core';
import { CAPS } from '../src/caps.js';
import { buildCli, cliBin, descent } from './run-cli.js';

beforeAll(() => buildCli());

const dir = mkdtempSync(join(tmpdir(), 'descent-hostile-'));
const small = ['--limit', '1000', '--epochs', '1'];

/** Refused before any work: exit 2, one line naming the problem, nothing on stdout, no stack trace, quickly. */
function refused(args: string[], pattern: RegExp): void {
  const t0 = Date.now();
  const r = descent(args, {}, 20_000);
  expect(r.code, `descent ${args.join(' ')}: ${r.stderr}`).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stdout).toBe('');
  expect(Date.now() - t0).toBeLessThan(15_000);
}

describe('--resume keeps the saved model\'s preprocessing (issue 10, CLI 6)', () => {
  it('--resume model.json --iterations 0 reproduces the saved test accuracy exactly, with the model\'s preprocessing', () => {
    for (const prep of [['--no-mean'], ['--scale', '1', '--lr', '1e-7']]) {
      const a = join(dir, `resume-a${prep[0]}`);
      const b = join(dir, `resume-b${prep[0]}`);
      const first = descent(['train', ...small, ...prep, '--json', '--out', a]);
      expect(first.code, first.stderr).toBe(0);
      const saved = JSON.parse(first.stdout);
      // Resumed without the preprocessing flags: the model's own preprocessing must be used.
      const again = descent(['train', '--limit', '1000', '--resume', join(a, 'model.json'), '--iterations', '0', '--json', '--out', b]);
      expect(again.code, again.stderr).toBe(0);
      const s = JSON.parse(again.stdout);
      expect(s.iterations).toBe(0);
      expect(s.accuracy.test).toBe(saved.accuracy.test);
      const ma = decodeModel(readFileSync(join(a, 'model.json'), 'utf8'));
      const mb = decodeModel(readFileSync(join(b, 'model.json'), 'utf8'));
      expect((mb.preprocessing as { scale: number }).scale).toBe((ma.preprocessing as { scale: number }).scale);
      expect(Array.from(mb.preprocessing.mean ?? [])).toEqual(Array.from(ma.preprocessing.mean ?? []));
      expect(Array.from(mb.weights)).toEqual(Array.from(ma.weights));
    }
  });

  it('--iterations 0 without --resume is refused', () => {
    refused(['train', '--iterations', '0'], /--iterations 0.*--resume/);
  });
});

describe('output paths are checked before any work (issue 10, CLI 7)', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');

  it('--out naming a file, a path under a file, an unwritable folder, or /proc/self/x', () => {
    refused(['train', '--out', file], /--out .*a-file.* is a file, not a folder/);
    refused(['train', '--out', join(file, 'sub')], /--out .*a-file.* is a file, not a folder/);
    refused(['train', '--out', '/proc/self'], /--out \/proc\/self: cannot write/);
    refused(['train', '--out', '/proc/self/x'], /--out \/proc\/self\/x: cannot create the folder/);
    refused(['landscape', '--out', file], /is a file, not a folder/);
    refused(['sweep', '--out', '/proc/self/x'], /cannot create the folder/);
  });

  it('export --onnx naming a folder', () => {
    const model = join(dir, 'export-model');
    expect(descent(['train', ...small, '--json', '--out', model]).code).toBe(0);
    refused(['export', '--model', join(model, 'model.json'), '--onnx', dir], /--onnx .*is a folder; name a file/);
  });

  it('a failure while writing names the path, exits 2, and the summary still reaches stdout', () => {
    const out = join(dir, 'blocked');
    mkdirSync(join(out, 'model.json'), { recursive: true }); // model.json cannot be renamed over a folder
    const r = descent(['train', ...small, '--json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not write .*model\.json/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('completed');
    expect(s.writeError).toMatch(/model\.json/);
  });
});

describe('a reader closing the pipe early (issue 10, CLI 8)', () => {
  it.each([
    ['predict', '--model', 'MODEL', '--count', '2000'],
    ['gradcheck', '--all', '--show', '7850', '--examples', '50'],
  ])('descent %s … | head -1 exits quietly, status 0', (...args) => {
    const model = join(dir, 'pipe-model');
    if (args.includes('MODEL')) expect(descent(['train', ...small, '--json', '--out', model]).code).toBe(0);
    const argv = args.map((a) => (a === 'MODEL' ? join(model, 'model.json') : a));
    const quoted = [process.execPath, cliBin, ...argv].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" | head -1; echo "status \${PIPESTATUS[0]}" >&2`],
      { encoding: 'utf8', env: { ...process.env, ERR: join(dir, 'pipe.err') }, timeout: 60_000 });
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toMatch(/status 0/);
    expect(readFileSync(join(dir, 'pipe.err'), 'utf8')).not.toMatch(/EPIPE|\n\s+at /);
  });
});

describe('every size option has a cap (issue 10, CLI 9)', () => {
  it('refuses sizes past their caps where the option is parsed', () => {
    refused(['landscape', '--dims', '2', '--points', '100000'], /--points.*100000.*invalid/);
    refused(['landscape', '--dims', '2', '--points', String(CAPS.points2D + 1)], /--dims 2.*501/);
    refused(['landscape', '--dims', '1', '--points', '100000'], /--points.*invalid.*10001/);
    refused(['train', '--iterations', String(CAPS.iterations + 1)], /--iterations/);
    refused(['train', '--epochs', '1e6'], /--epochs/);
    refused(['train', '--batch-size', '1e9'], /--batch-size/);
    refused(['gradcheck', '--samples', '1e7'], /--samples/);
    refused(['gradcheck', '--examples', '1e9'], /--examples/);
    refused(['predict', '--model', 'x', '--count', '1e7'], /--count/);
    refused(['batches', '--trials', '1e6'], /--trials/);
    refused(['batches', '--sizes', Array.from({ length: 65 }, (_, i) => i + 1).join(',')], /at most 64/);
    refused(['tune', '--trials', '1e5'], /--trials/);
    refused(['tune', '--rounds', '1000'], /--rounds/);
    refused(['sweep', '--sizes', Array.from({ length: 1001 }, () => '0.1').join(',')], /at most 1000/);
    refused(['search', '--iterations', '1e7'], /--iterations/);
  });
});

describe('numbers and messages (issue 10, CLI 12)', () => {
  it('accepts only decimal notation', () => {
    for (const bad of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', '1e', '', ' ', '1_000', 'NaN']) {
      refused(['train', '--lr', bad], /--lr <x>.*invalid/);
    }
    refused(['landscape', '--range', '0x1,2'], /--range.*invalid/);
  });

  it('refuses steps, ranges and scales that can only give NaN', () => {
    refused(['gradcheck', '--h', '1e308'], /--h.*at most 1/);
    refused(['landscape', '--range', '-1e308,1e308'], /--range.*within ±10000/);
    refused(['train', '--init-scale', '1e308'], /--init-scale.*at most 10/);
    refused(['gradcheck', '--init-scale', '1e308'], /--init-scale.*at most 10/);
  });

  it('messages do not name internal functions', () => {
    const r = descent(['train', '--validation', '10000', '--epochs', '1'], {}, 60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/validation/);
    expect(r.stderr).not.toMatch(/splitTrainValidation|toDesignMatrix/);
  });
});
