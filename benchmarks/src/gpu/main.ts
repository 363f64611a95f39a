/**
 * `pnpm bench:gpu [--backends onnx-webgpu,onnx-cuda,onnx-cpu] [--threads 1,16] [--repeats R] [--out DIR] [--no-probe] [--no-peers]`
 *
 * For a machine with a GPU or many cores (the `device` machines some sessions are lent; nothing
 * here needs one): `pnpm bench`'s full-batch, minibatch and linear-probe workloads on the
 * named Node backends, onnx-cpu at every thread count given, beside two peers on the same
 * matrices: CS231n's numpy code (cs231n_numpy.py, as `pnpm bench`) at one thread and at each
 * thread count given, and the same code in PyTorch on the first CUDA device (cs231n_torch.py).
 * Both run on the last Python with numpy that `findNumpy` lists (the PATH's python3, which holds
 * PyTorch where it is installed; `pnpm bench`'s column takes Debian's first). A backend or
 * peer that cannot run here is listed with the reason. Prints a table and writes
 * gpu.{json,md} to DIR (default benchmarks/results).
 *
 * Workloads, all float32, softmax reg 1e-4, medians of repeats after a warm-up (measure.ts):
 *   CIFAR shape 50000×3073×10: full-batch loss + gradient; a minibatch step of 200;
 *   the linear probe 100 000×2049×1000: full-batch loss + gradient; a minibatch step of 256.
 */
import type { ComputeBackend, Objective } from '@descent/core';
import { createRegistry } from '@descent/backends';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cifarShaped, probeFeatures } from '../bench/data.js';
import { formatMs, formatRatio } from '../bench/floor.js';
import { measure } from '../bench/measure.js';
import type { Timing } from '../bench/measure.js';
import { findNumpy, runNumpy, runPeer, withPeerFiles } from '../bench/numpy-peer.js';
import type { NumpyResult, NumpySpec } from '../bench/numpy-peer.js';

const packageRoot = fileURLToPath(new URL('../', import.meta.url)); // bundled to benchmarks/dist/gpu.js
const TORCH_SCRIPT = join(packageRoot, 'python', 'cs231n_torch.py');
const OBJECTIVE: Objective = { loss: 'softmax', reg: 1e-4 };
const CIFAR = { n: 50000, d: 3073, c: 10, batch: 200 };
const PROBE = { n: 100_000, features: 2048, classes: 1000, batch: 256 };

interface TorchResult {
  readonly missing?: string;
  readonly torch?: string;
  readonly device?: string;
  readonly full?: { readonly softmax: number };
  readonly probe?: number;
  readonly steps?: readonly number[];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const ids = (option('backends') ?? 'onnx-webgpu,onnx-cuda,onnx-cpu').split(',');
  const threadCounts = (option('threads') ?? '1').split(',').map(Number);
  if (!threadCounts.every((t) => Number.isInteger(t) && t >= 1)) throw new Error(`--threads takes a list of positive integers, got '${option('threads')}'`);
  const repeats = Number(option('repeats') ?? 5);
  const out = option('out') ?? join(packageRoot, 'results');
  const withProbe = !process.argv.includes('--no-probe');
  const t00 = performance.now();
  const log = (s: string) => console.error(`  [${((performance.now() - t00) / 1000).toFixed(0)} s] ${s}`);
  const host = `${cpus().length} vCPUs (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.versions.node}`;
  console.log(`descent bench:gpu — ${host}`);

  const cifar = cifarShaped(CIFAR.n);
  const probe = withProbe ? probeFeatures(PROBE.n, PROBE.features, PROBE.classes) : undefined;
  log('data made');
  /** threads: onnx-cpu's (a GPU row compares with numpy at the most threads measured). */
  const rows: { backend: string; threads?: number; detail: string; cifar: Timing; probe?: Timing }[] = [];
  const unavailable: string[] = [];
  const failed = (name: string, what: string, e: unknown) => {
    unavailable.push(`${name}: ${what} failed: ${(e as Error).message.split('\n')[0]}`);
    log(`${name}: ${what} failed: ${(e as Error).message}`);
  };
  for (const id of ids) {
    // onnx-cpu at every thread count (onnxruntime-node's threads are per session); the others
    // once: a GPU has no thread count, and onnxruntime-web fixes its threads for the process.
    for (const threads of id === 'onnx-cpu' ? threadCounts : [threadCounts[0]!]) {
      const registry = createRegistry({ environment: 'node', threads });
      const probed = (await registry.probe(id)).result;
      if (!probed.available) { unavailable.push(`${id}: ${probed.reason}`); log(`${id}: unavailable (${probed.reason})`); break; }
      const name = id === 'onnx-cpu' ? `${id}, ${threads} thread${threads > 1 ? 's' : ''}` : id;
      let backend: ComputeBackend;
      try {
        backend = await registry.create(id);
      } catch (e) { failed(name, 'starting', e); break; }
      try {
        const r = await backend.place(cifar);
        const c = await measure(backend, r, { objective: OBJECTIVE, batchSize: CIFAR.batch, fullRepeats: repeats, stepRepeats: repeats, stepsPerRepeat: 20 });
        await backend.release(r);
        log(`${name}: CIFAR full batch ${formatMs(c.fullBatchMs)}, step ${formatMs(c.stepMs)}`);
        const row: (typeof rows)[number] = { backend: name, ...(id === 'onnx-cpu' ? { threads } : {}), detail: probed.detail ?? '', cifar: c };
        rows.push(row);
        // The probe apart: 820 MB of X may not fit where the CIFAR shape did.
        if (probe) {
          try {
            const pr = await backend.place(probe);
            row.probe = await measure(backend, pr, { objective: OBJECTIVE, batchSize: PROBE.batch, fullRepeats: 3, stepRepeats: 3, stepsPerRepeat: 5 });
            await backend.release(pr);
            log(`${name}: probe full batch ${formatMs(row.probe.fullBatchMs)}, step ${formatMs(row.probe.stepMs)}`);
          } catch (e) { failed(name, 'the probe', e); }
        }
      } catch (e) {
        failed(name, 'the CIFAR workloads', e);
      } finally {
        await backend.dispose();
      }
    }
  }

  const spec: NumpySpec = {
    full: { data: cifar, repeats },
    steps: [{ data: cifar, batch: CIFAR.batch, repeats, per: 20 }, ...(probe ? [{ data: probe, batch: PROBE.batch, repeats: 3, per: 5 }] : [])],
    ...(probe ? { probe: { data: probe, repeats: 3 } } : {}),
  };
  // The peers, after descent's runs (never alongside): numpy at one thread and at every thread
  // count given; PyTorch on the GPU.
  const found = process.argv.includes('--no-peers') ? { missing: '--no-peers' } : findNumpy();
  const most = Math.max(...threadCounts);
  const numpy = new Map<number, NumpyResult | { missing: string }>();
  let torch: TorchResult = { missing: 'missing' in found ? found.missing : 'not run' };
  if (!('missing' in found)) {
    // The matrices are written once for every peer run.
    await withPeerFiles(spec, async (files) => {
      for (const threads of [...new Set([1, ...threadCounts])].sort((a, b) => a - b)) {
        try {
          numpy.set(threads, await runNumpy(found.at(-1)!, files, threads));
        } catch (e) { numpy.set(threads, { missing: (e as Error).message }); }
      }
      try {
        torch = await runPeer<TorchResult>(found.at(-1)!.python, TORCH_SCRIPT, files);
      } catch (e) { torch = { missing: (e as Error).message }; }
    });
  } else numpy.set(1, found);
  for (const [threads, r] of numpy) log(`numpy, ${threads} thread(s): ${'missing' in r ? r.missing : `${r.numpy}, ${r.blas}`}`);
  log(`torch: ${torch.missing ?? `${torch.torch} on ${torch.device}`}`);

  type Figures = { cifarFull?: number; cifarStep?: number; probeFull?: number; probeStep?: number };
  const figuresOf = (r: NumpyResult | TorchResult | { missing: string } | undefined): Figures => {
    if (!r || ('missing' in r && r.missing !== undefined)) return {};
    const p = r as NumpyResult | TorchResult;
    return { cifarFull: p.full?.softmax, cifarStep: p.steps?.[0], probeFull: p.probe, probeStep: p.steps?.[1] };
  };
  const torchFigures = figuresOf(torch);
  const ms = (v?: number) => (v === undefined ? '—' : formatMs(v));
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '—' : formatRatio(a / b));
  const cells = (f: Figures, np?: Figures) => (['cifarFull', 'cifarStep', 'probeFull', 'probeStep'] as const)
    .map((k) => (np ? `${ms(f[k])} | ${ratio(f[k], np[k])} | ${ratio(f[k], torchFigures[k])}` : `${ms(f[k])} | | `)).join(' | ');
  const describe = (r: NumpyResult | { missing: string }, threads: number) =>
    ('missing' in r ? `missing: ${r.missing}` : `numpy ${r.numpy} (${threads} thread${threads > 1 ? 's' : ''}), ${r.blas}`);
  const lines = [
    `descent bench:gpu — ${host}; ${new Date().toISOString().slice(0, 10)}`, '',
    ...[...numpy].map(([t, r]) => `numpy (CS231n code): ${describe(r, t)}`),
    `PyTorch (the same code on CUDA, float32 without TF32): ${torch.missing ? `missing: ${torch.missing}` : `${torch.torch} on ${torch.device}`}`, '',
    '× numpy compares with numpy at the row\'s thread count (a GPU row: at the most threads measured); × torch with PyTorch on the GPU.',
    'Steps run as training runs them: on the backend\'s resident trainer where it offers one (W on the backend), else on the host.', '',
    '| backend | CIFAR full batch | × numpy | × torch | CIFAR step (200) | × numpy | × torch | probe full batch | × numpy | × torch | probe step (256) | × numpy | × torch |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.backend} | ${cells({ cifarFull: r.cifar.fullBatchMs, cifarStep: r.cifar.stepMs, probeFull: r.probe?.fullBatchMs, probeStep: r.probe?.stepMs },
      figuresOf(numpy.get(r.threads ?? most)))} |`),
    ...[...numpy].map(([t, r]) => `| numpy, ${t} thread${t > 1 ? 's' : ''} | ${cells(figuresOf(r))} |`),
    `| PyTorch, CUDA | ${cells(torchFigures)} |`,
    '', ...(unavailable.length ? ['Not measured:', ...unavailable.map((u) => `- ${u}`)] : []),
  ];
  console.log(lines.join('\n'));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'gpu.md'), `${lines.join('\n')}\n`);
  await writeFile(join(out, 'gpu.json'), `${JSON.stringify({ host, rows, numpy: Object.fromEntries(numpy), torch, unavailable }, null, 2)}\n`);
}

await main();
