import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { DescentError } from '@descent/core';

/** An output that cannot be created or written: names the path; exit status 2. */
export class OutputError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** Folders deeper than this are refused rather than walked. */
const MAX_DEPTH = 256;

const reason = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? (err?.message || String(e));
};

/**
 * Make sure `dir` is a folder this process can write into, creating it (and its parents) if
 * needed, before any work is done. Each component is checked and created on its own, with a
 * bound on the depth: Node's recursive mkdir loops forever on procfs (`/proc/self/x`).
 */
export async function prepareOutputDir(dir: string, option = '--out'): Promise<void> {
  const abs = resolve(dir);
  const root = parse(abs).root;
  const parts = abs.slice(root.length).split(sep).filter((p) => p !== '');
  if (parts.length > MAX_DEPTH) throw new OutputError(`${option} ${dir}: more than ${MAX_DEPTH} folders deep`);
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(`${option} ${dir}: cannot use ${path} (${reason(e)})`);
    }
    if (info) {
      if (!info.isDirectory()) throw new OutputError(`${option} ${dir}: ${path} is a file, not a folder`);
      continue;
    }
    try {
      await mkdir(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const again = code === 'EEXIST' ? await stat(path).catch(() => undefined) : undefined;
      if (!again?.isDirectory()) throw new OutputError(`${option} ${dir}: cannot create the folder ${path} (${reason(e)})`);
    }
  }
  // Writable? Create and remove a probe file (permission bits do not tell: root, read-only mounts, procfs).
  const probe = join(abs, `.descent-probe.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const h = await open(probe, 'wx');
    await h.close();
  } catch (e) {
    throw new OutputError(`${option} ${dir}: cannot write into ${abs} (${reason(e)})`);
  }
  await rm(probe, { force: true });
}

/** Make sure `file` can be written: not a folder, and its folder exists (created if needed) and is writable. */
export async function prepareOutputFile(file: string, option: string): Promise<void> {
  const info = await lstat(resolve(file)).catch(() => undefined);
  if (info?.isDirectory()) throw new OutputError(`${option} ${file}: is a folder; name a file`);
  await prepareOutputDir(dirname(resolve(file)), option);
}

/** Run a write of `path`; any failure becomes an OutputError naming the path. */
export async function writing<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`could not write ${path} (${reason(e)})`);
  }
}
