/**
 * The peer in `pnpm bench`: CS231n's vectorized numpy code (benchmarks/python/cs231n_numpy.py),
 * float32 on one thread, run on the very same matrices as descent in the same run (they are
 * handed over as .npy files), so every row can say "× numpy" beside "× floor".
 *
 * Which Python: Debian's /usr/bin/python3 when it has numpy (python3-numpy, with
 * libopenblas0-pthread for OpenBLAS; without it Debian's numpy runs the reference BLAS, ~10×
 * slower, and the bench says so), else the first python3 on PATH that has numpy. Without one,
 * the column says why it is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesignMatrix } from '@descent/core';
import { encodeNpyHeader } from '@descent/core/testing';

const SCRIPT = fileURLToPath(new URL('../python/cs231n_numpy.py', import.meta.url)); // from benchmarks/dist/bench.js

export interface NumpyFound { readonly python: string; readonly version: string }

/**
 * Every Python with numpy among Debian's and the first python3 on PATH (one entry per
 * interpreter, Debian's first), or why there is none. The first is the column; a second one
 * (e.g. a pip numpy with a newer OpenBLAS) is reported beside it, since users run either.
 */
export function findNumpy(): NumpyFound[] | { readonly missing: string } {
  const tried: string[] = [];
  const found: (NumpyFound & { executable: string })[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import numpy, sys; print(numpy.__version__, sys.executable)'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) {
      const [version = '?', executable = python] = r.stdout.trim().split(' ');
      if (!found.some((f) => f.executable === executable)) found.push({ python, version, executable });
    } else tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`)}`);
  }
  if (found.length > 0) return found;
  return { missing: `no Python with numpy (${tried.join('; ')}); install Debian's python3-numpy and libopenblas0-pthread` };
}

/** Writes a C-order little-endian .npy of a float32 or int32 array (the data straight from memory, no copy). */
export async function writeNpy(path: string, data: Float32Array | Int32Array, shape: readonly number[]): Promise<void> {
  const head = encodeNpyHeader(data instanceof Float32Array ? '<f4' : '<i4', shape);
  const file = await open(path, 'w');
  try {
    await file.write(head);
    await file.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } finally {
    await file.close();
  }
}

export interface NumpySpec {
  readonly full?: { readonly data: DesignMatrix; readonly repeats: number };
  /** The linear probe's full pass (softmax only). */
  readonly probe?: { readonly data: DesignMatrix; readonly repeats: number };
  readonly steps?: readonly { readonly data: DesignMatrix; readonly batch: number; readonly repeats: number; readonly per: number }[];
  readonly train?: { readonly train: DesignMatrix; readonly test: DesignMatrix; readonly learningRate: number; readonly momentum: number;
    readonly batch: number; readonly reg: number; readonly initScale: number; readonly target: number; readonly maxEpochs: number;
    readonly checkEvery: number; readonly seeds: readonly number[] };
}

export interface NumpyResult {
  readonly numpy: string;
  readonly python: string;
  readonly executable: string;
  readonly blas: string;
  readonly full?: { readonly softmax: number; readonly svm: number };
  readonly probe?: number;
  readonly steps: readonly number[];
  /** One run per seed: training ms when the target was reached (null: never), steps, epoch. */
  readonly train?: readonly { readonly seed: number; readonly ms: number | null; readonly steps: number; readonly epoch: number | null; readonly accuracy: number }[];
}

/**
 * The spec's matrices as .npy files in a temporary folder (each matrix once), and the JSON
 * argument naming them: written once and handed to every peer run (numpy at each thread count,
 * PyTorch, each round of a protocol); dispose() removes them.
 */
export interface PeerFiles {
  readonly json: string;
  dispose(): Promise<void>;
}

export async function writePeerFiles(spec: NumpySpec): Promise<PeerFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'descent-bench-numpy-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const files = new Map<DesignMatrix, { x: string; y: string }>();
  const fileOf = async (m: DesignMatrix) => {
    let f = files.get(m);
    if (!f) {
      f = { x: join(dir, `x${files.size}.npy`), y: join(dir, `y${files.size}.npy`) };
      files.set(m, f);
      await writeNpy(f.x, m.x, [m.n, m.d]);
      await writeNpy(f.y, m.y, [m.n]);
    }
    return f;
  };
  try {
    const json = {
      ...(spec.full ? { full: { ...(await fileOf(spec.full.data)), repeats: spec.full.repeats } } : {}),
      ...(spec.probe ? { probe: { ...(await fileOf(spec.probe.data)), repeats: spec.probe.repeats } } : {}),
      steps: await Promise.all((spec.steps ?? []).map(async (s) => ({ ...(await fileOf(s.data)), batch: s.batch, repeats: s.repeats, per: s.per }))),
      ...(spec.train ? { train: { ...spec.train, train: await fileOf(spec.train.train), test: await fileOf(spec.train.test) } } : {}),
    };
    return { json: JSON.stringify(json), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** writePeerFiles, `use`, then the files removed (also when `use` throws). */
export async function withPeerFiles<T>(spec: NumpySpec, use: (files: PeerFiles) => Promise<T>): Promise<T> {
  const files = await writePeerFiles(spec);
  try {
    return await use(files);
  } finally {
    await files.dispose();
  }
}

/** Runs the numpy script on the matrices in `files`, its BLAS on `threads` threads. */
export function runNumpy(peer: NumpyFound, files: PeerFiles, threads = 1): Promise<NumpyResult> {
  return runPeer<NumpyResult>(peer.python, SCRIPT, files, { DESCENT_PEER_THREADS: String(threads) });
}

/** Runs a peer script (cs231n_numpy.py's protocol: one JSON argument naming .npy files, one JSON object printed). */
export async function runPeer<T>(python: string, script: string, files: PeerFiles, env: Record<string, string> = {}): Promise<T> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(python, [script, files.json], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b; });
    child.stderr.on('data', (b: Buffer) => { stderr += b; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${python} ${script} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`))));
  });
  return JSON.parse(out) as T;
}
