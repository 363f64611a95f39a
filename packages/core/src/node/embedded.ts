/**
 * Where the embedded Fashion-MNIST subset lives on disk. The files sit in
 * packages/core/data/fashion-mnist-subset/; this module may run from packages/core/src,
 * packages/core/dist, or bundled into an app (apps/cli/dist/descent.js), so it walks up from
 * its own folder (and then from the working directory) until it finds them.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../errors.js';

/** Environment variable that, when set, names the embedded data folder outright. */
export const EMBEDDED_DATA_ENV = 'DESCENT_EMBEDDED_DATA';

/** The folder's name, and the files it must hold. */
export const EMBEDDED_DATA_DIR = 'fashion-mnist-subset';
export const EMBEDDED_DATA_FILES: readonly string[] = Object.freeze([
  'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
]);

/** Relative paths tried at each folder on the way up. */
const CANDIDATES = [
  join('data', EMBEDDED_DATA_DIR),
  join('packages', 'core', 'data', EMBEDDED_DATA_DIR),
  join('node_modules', '@descent', 'core', 'data', EMBEDDED_DATA_DIR),
];

function holdsEmbeddedFiles(dir: string): boolean {
  try {
    return EMBEDDED_DATA_FILES.every((f) => statSync(join(dir, f)).isFile());
  } catch {
    return false;
  }
}

function moduleDir(): string | undefined {
  try {
    const url = import.meta.url;
    return typeof url === 'string' && url.startsWith('file:') ? dirname(fileURLToPath(url)) : undefined;
  } catch {
    return undefined;
  }
}

function searchUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const c of CANDIDATES) {
      const p = join(dir, c);
      if (holdsEmbeddedFiles(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

let cached: string | undefined;

/**
 * Absolute path of the embedded data folder. $DESCENT_EMBEDDED_DATA wins when set (and must
 * hold the four files); otherwise the first `data/fashion-mnist-subset`,
 * `packages/core/data/fashion-mnist-subset` or `node_modules/@descent/core/data/…` folder
 * holding the files, searching upwards from this module's folder, then from the working
 * directory. Throws DataError saying where it looked.
 */
export function embeddedDataPath(): string {
  const env = process.env[EMBEDDED_DATA_ENV];
  if (env !== undefined && env !== '') {
    const p = resolve(env);
    if (!existsSync(p)) throw new DataError(`${EMBEDDED_DATA_ENV}=${env}: folder ${p} does not exist`);
    const missing = EMBEDDED_DATA_FILES.filter((f) => !existsSync(join(p, f)));
    if (missing.length > 0) {
      throw new DataError(`${EMBEDDED_DATA_ENV}=${env}: folder ${p} lacks ${missing.join(', ')}`);
    }
    return p;
  }
  if (cached !== undefined && holdsEmbeddedFiles(cached)) return cached;
  const starts = [moduleDir(), process.cwd()].filter((s): s is string => s !== undefined);
  for (const s of starts) {
    const found = searchUp(s);
    if (found) return (cached = found);
  }
  throw new DataError(`embedded data set not found: looked for ${CANDIDATES.join(', ')} holding ` +
    `${EMBEDDED_DATA_FILES.join(', ')} in ${starts.join(' and ')} and every folder above; ` +
    `set ${EMBEDDED_DATA_ENV} to the folder that holds them`);
}
