import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary file older than this is stale whatever its process: no save takes that long. */
export const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/** `.<name>.<pid>.<8 hex>.tmp`, the temporary files writeFileAtomic makes. */
const TEMPORARY = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Remove temporary files a killed save left in `dir`: those whose process no longer runs, or
 * older than STALE_TEMPORARY_MS. Best effort: a file that cannot be removed is left alone.
 */
export async function removeStaleTemporaries(dir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (running(Number(m[1])) && now - info.mtimeMs < STALE_TEMPORARY_MS) continue;
      await rm(path, { force: true });
      removed.push(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** Folders whose stale temporaries this process has already removed. */
const swept = new Set<string>();

/**
 * Write a file so that a crash never leaves half of it: write a temporary file in the same
 * folder, flush it to disk, then rename it over the target (atomic on POSIX file systems).
 * Temporary files that earlier, killed saves left in that folder are removed first (at the
 * first save into it in this process).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Once per folder and process: a run writing ten outputs into one folder sweeps it once.
  if (!swept.has(dir)) {
    swept.add(dir);
    await removeStaleTemporaries(dir);
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
