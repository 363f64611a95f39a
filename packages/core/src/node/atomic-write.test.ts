import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemporaries, STALE_TEMPORARY_MS, writeFileAtomic } from './atomic-write.js';

/** A pid that no longer runs: a child process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('writeFileAtomic cleans up after killed saves', () => {
  it('removes temporaries of processes that no longer run at the next save into that folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-atomic-'));
    const stale = join(dir, `.model.json.${deadPid()}.0123abcd.tmp`);
    writeFileSync(stale, '{"half": ');
    await writeFileAtomic(join(dir, 'history.json'), '{}');
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(dir)).toEqual(['history.json']);
  });

  it('keeps a running process\'s fresh temporary, removes it once it is old, and leaves other files alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-atomic-'));
    const live = join(dir, `.model.json.${process.pid}.89abcdef.tmp`);
    const other = join(dir, '.model.json.notes.tmp');
    writeFileSync(live, 'x');
    writeFileSync(other, 'y');
    await writeFileAtomic(join(dir, 'model.json'), '{}');
    expect(existsSync(live)).toBe(true);
    const old = (Date.now() - STALE_TEMPORARY_MS - 60_000) / 1000;
    utimesSync(live, old, old);
    expect(await removeStaleTemporaries(dir)).toEqual([live]);
    expect(existsSync(other)).toBe(true);
  });
});
