/**
 * `pnpm bench [--quick] [--backends ts,onnx-cpu] [--repeats R] [--defaults]`
 *
 * The issue's target table, measured in one run on this machine (a benchmark: nothing
 * asserts). For each workload: the figure (warm, median of repeats where it is a time), its
 * ratio to the pure-TS backend's figure from this same run, and its ratio to the machine's
 * floor = max(bytes that must be read ÷ read bandwidth, flops ÷ peak FMA rate), with the
 * bandwidth and peak measured here through onnxruntime-node (one thread), or the documented
 * defaults (15 GB/s, 95 GFLOP/s) with --defaults or when it cannot load. Then met / missed by
 * X per target, with the bound a miss hits. Writes benchmarks/results/bench.json and bench.md.
 *
 * Workloads (CIFAR-10 shape = seeded pixel-like data, D=3073, C=10, float32; softmax reg 1e-4):
 *  1. full-batch loss + gradient, N=50000, on every available Node backend;
 *  2. one minibatch SGD step, batch 200 (shuffled rows: selection, loss + gradient, update);
 *  3. full Fashion-MNIST, softmax: training time until test accuracy ≥ 0.84 — protocol:
 *     preprocessing fitted on the training split (pixels/255 minus the mean image, bias),
 *     seeded W = 1e-3·N(0,1), shuffled minibatches, test accuracy checked every half epoch
 *     with the clock stopped (the checks are not counted), at most 10 epochs; settings fixed
 *     below (chosen beforehand by a small sweep), on the fastest backend and on 'ts';
 *  4. 2-D landscape 101×101, N=10000: core's landscape2D (scores through the backend, the grid
 *     by linearity on the host), on the fastest backend and on 'ts';
 *  5. numerical gradient of all 30730 coordinates, centered, N=500: core's
 *     linearFiniteDifferences (host, float64: backend-independent); "× ts" compares it with
 *     the textbook way on 'ts' (two full evaluations per coordinate, timed on a sample);
 *  6. best test accuracy on full Fashion-MNIST (tuned, fixed schedule, the final model's test
 *     accuracy, never the best epoch picked on test). --quick shortens it to 4 epochs.
 */
import { fitPreprocessing, toDesignMatrix } from '@descent/core';
import type { ComputeBackend, DesignMatrix, Objective } from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@descent/backends';
import { benchBackendIds } from '../targets.js';
import { cifarShaped } from './data.js';
import {
  DEFAULT_MACHINE, floorOf, formatMs, formatRatio, landscapeWork, lossGradientWork, numericalGradientWork, verdict,
} from './floor.js';
import type { Floor, Machine, Target, Work } from './floor.js';
import { measure } from './measure.js';
import type { Timing } from './measure.js';
import { timeLandscape, timeNumericalGradient, timeTextbookNumericalGradient, trainAndCheck, withMirrored } from './workloads.js';
import type { TrainSettings } from './workloads.js';

const packageRoot = fileURLToPath(new URL('../', import.meta.url)); // bundled to benchmarks/dist/bench.js

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}' (options start with --)`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(a.slice(2), 'true');
    else { args.set(a.slice(2), next); i++; }
  }
  return args;
}

const OBJECTIVE: Objective = { loss: 'softmax', reg: 1e-4 };
const CIFAR = { n: 50000, d: 3073, c: 10, batch: 200 };

/** Time to 0.84 on Fashion-MNIST: momentum 0.9, lr 0.1, batch 500, constant (sweep: 0.28 s on onnx-cpu; batch 200 lr 0.05: 0.48 s). */
const FAST: TrainSettings = { objective: OBJECTIVE, optimizer: 'momentum', learningRate: 0.1, batchSize: 500, every: 100, factor: 1, seed: 1, initScale: 1e-3 };
/** Best accuracy: momentum 0.9, lr 0.05, batch 200, ×0.2 every 8 epochs, 24 epochs (mirrored images added: 0.824, worse: shoes all face one way). */
const BEST: TrainSettings & { epochs: number; mirror: boolean } = { objective: { loss: 'softmax', reg: 1e-5 }, optimizer: 'momentum', learningRate: 0.05,
  batchSize: 200, every: 8, factor: 0.2, seed: 1, initScale: 1e-3, epochs: 24, mirror: false };

interface Row {
  readonly workload: string;
  readonly backend: string;
  /** ms, or an accuracy for the accuracy workload. */
  readonly value?: number;
  readonly unit: 'ms' | 'accuracy';
  readonly tsValue?: number;
  readonly work?: Work;
  readonly floor?: Floor;
  readonly target?: Target;
  readonly note: string;
  /** Why a miss happens: the bound it hits (printed when the target is missed). */
  readonly why?: string;
}

async function machineLimits(useDefaults: boolean): Promise<Machine> {
  if (useDefaults) return DEFAULT_MACHINE;
  try {
    const { measureMachineLimits } = await import('@descent/backend-onnx');
    const m = await measureMachineLimits();
    return { bandwidthGBs: m.bandwidthGBs, peakGflops: m.peakGflops, source: m.how };
  } catch (e) {
    return { ...DEFAULT_MACHINE, source: `${DEFAULT_MACHINE.source}; measuring failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const quick = args.has('quick');
  const repeats = Number(args.get('repeats') ?? (quick ? 3 : 7));
  // Every Node backend of the catalogue ('ts' first: the baseline), or those named.
  const registry = createRegistry({ environment: 'node' });
  const all = benchBackendIds();
  const wanted = args.get('backends')?.split(',');
  const list = wanted ? all.filter((id) => wanted.includes(id) || id === 'ts') : all;
  if (wanted) for (const id of wanted) if (!list.includes(id)) throw new Error(`unknown backend '${id}' (known: ${all.join(', ')})`);
  const t00 = performance.now();
  const log = (s: string) => console.error(`  [${((performance.now() - t00) / 1000).toFixed(0)} s] ${s}`);

  const machine = await machineLimits(args.has('defaults'));
  const host = `${cpus().length} vCPUs (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.versions.node}`;
  console.log(`descent bench — ${host}\nmachine floor: read ${machine.bandwidthGBs.toFixed(1)} GB/s, peak ${machine.peakGflops.toFixed(0)} GFLOP/s (${machine.source})\n`);

  // 1 and 2 on every backend.
  const data = cifarShaped(CIFAR.n);
  const timings = new Map<string, Timing>();
  const notes: string[] = [];
  const backends = new Map<string, ComputeBackend>();
  for (const id of list) {
    const probe = (await registry.probe(id)).result;
    if (!probe.available) { notes.push(`${id}: unavailable (${probe.reason})`); continue; }
    const backend = await registry.create(id);
    const resident = await backend.place(data);
    const timing = await measure(backend, resident, { objective: OBJECTIVE, batchSize: CIFAR.batch, fullRepeats: repeats, stepRepeats: repeats, stepsPerRepeat: 20 });
    await backend.release(resident);
    timings.set(id, timing);
    backends.set(id, backend);
    log(`${id}: full batch ${formatMs(timing.fullBatchMs)} (${timing.fullRepeats} repeats), step ${formatMs(timing.stepMs)}`);
  }
  notes.push(autoOrderCheck(registry, timings));
  const ts = backends.get('ts');
  if (!ts) throw new Error("the pure-TS backend 'ts' must run: it is the baseline");
  const byStep = [...timings].sort((a, b) => a[1].stepMs - b[1].stepMs);
  const byFull = [...timings].sort((a, b) => a[1].fullBatchMs - b[1].fullBatchMs);
  const fastestId = byStep[0]![0];
  const fastest = backends.get(fastestId)!;
  const rows: Row[] = [];
  const fullWork = lossGradientWork(CIFAR.n, CIFAR.d, CIFAR.c), stepWork = lossGradientWork(CIFAR.batch, CIFAR.d, CIFAR.c);
  const tsT = timings.get('ts')!;
  for (const [id, t] of byFull) {
    rows.push({ workload: 'full-batch loss + gradient, CIFAR shape N=50000', backend: id, value: t.fullBatchMs, unit: 'ms',
      tsValue: tsT.fullBatchMs, work: fullWork, floor: floorOf(fullWork, machine),
      target: id === byFull[0]![0] ? { kind: 'max', value: 150 } : id === 'ts' ? { kind: 'max', value: 3000 } : undefined,
      note: `${t.fullRepeats} repeats` });
  }
  for (const [id, t] of byStep) {
    rows.push({ workload: 'minibatch SGD step, batch 200, row selection included', backend: id, value: t.stepMs, unit: 'ms',
      tsValue: tsT.stepMs, work: stepWork, floor: floorOf(stepWork, machine), target: id === fastestId ? { kind: 'max', value: 0.6 } : undefined,
      note: `${repeats} blocks of 20 steps`,
      why: 'not the floor but per-call costs in onnxruntime-node: the same 200 rows every step run 0.40 ms vs 0.56–0.63 ms for '
        + 'shuffled rows (gathering 200 random 12 KB rows of a 614 MB resident X is latency-bound, ~0.2 ms), a loss-only run takes '
        + '0.23 ms, and the gradient half (Transpose, MatMul re-packing the 200×3073 gathered operand, Transpose, Add) the rest; '
        + 'a Gemm(transA) gradient measured slower (0.61 vs 0.56 ms). Small-N (C=10) MatMuls run far below the 1024³ peak.' });
  }

  // 3 and 6: Fashion-MNIST.
  const ds = await loadDataset('fashion-mnist');
  const prep = fitPreprocessing(ds.train);
  const fmTrain = toDesignMatrix(ds.train, prep), fmTest = toDesignMatrix(ds.test, prep);
  const time084 = async (backend: ComputeBackend) => {
    const tr = await backend.place(fmTrain), te = await backend.place(fmTest);
    try { return await trainAndCheck(backend, tr, te, FAST, { epochs: 10, checkEvery: 0.5, target: 0.84 }); } finally { await backend.release(tr); await backend.release(te); }
  };
  const fm = await time084(fastest);
  const fmTs = fastestId === 'ts' ? fm : await time084(ts);
  log(`fashion-mnist to 0.84: ${fastestId} ${formatMs(fm.reachedMs)}, ts ${formatMs(fmTs.reachedMs)}`);
  const fmWork: Work = { bytes: stepWorkOf(fmTrain, FAST.batchSize).bytes * fm.steps, flops: stepWorkOf(fmTrain, FAST.batchSize).flops * fm.steps };
  rows.push({ workload: 'full Fashion-MNIST softmax: training time to ≥ 0.84 test accuracy', backend: fastestId, value: fm.reachedMs, unit: 'ms',
    tsValue: fmTs.reachedMs, work: fmWork, floor: floorOf(fmWork, machine), target: { kind: 'max', value: 1000 },
    note: `reached ${fm.reachedAccuracy?.toFixed(4) ?? 'never'} at epoch ${fm.reachedEpoch?.toFixed(1) ?? '—'} (${fm.steps} steps; momentum lr ${FAST.learningRate}, batch ${FAST.batchSize}, checks every ½ epoch not timed); ts reached at epoch ${fmTs.reachedEpoch?.toFixed(1) ?? 'never'}` });

  // 4: landscape.
  const land = cifarShaped(10000, CIFAR.d, CIFAR.c, 'descent-bench-landscape');
  const landscapeOn = async (backend: ComputeBackend) => {
    const r = await backend.place(land);
    try { await timeLandscape(backend, r, OBJECTIVE, 11); return await timeLandscape(backend, r, OBJECTIVE, 101); } finally { await backend.release(r); }
  };
  const lsFast = await landscapeOn(fastest);
  const lsTs = fastestId === 'ts' ? lsFast : await landscapeOn(ts);
  const lsWork = landscapeWork(10000, CIFAR.d, CIFAR.c, 101 * 101);
  log(`landscape: ${fastestId} ${formatMs(lsFast.ms)}, ts ${formatMs(lsTs.ms)}`);
  rows.push({ workload: '2-D landscape 101×101, N=10000 CIFAR shape', backend: fastestId, value: lsFast.ms, unit: 'ms', tsValue: lsTs.ms,
    work: lsWork, floor: floorOf(lsWork, machine), target: { kind: 'max', value: 5000 }, note: 'landscape2D, softmax; scores on the backend, grid on the host',
    why: 'the grid on the host in JS: per point and row C multiplies by the exp recurrence (plane-grid.ts), float64; exp/log not in the floor' });

  // 5: numerical gradient.
  const ng = cifarShaped(500, CIFAR.d, CIFAR.c, 'descent-bench-numgrad');
  timeNumericalGradient({ ...ng, n: 50, x: ng.x.subarray(0, 50 * CIFAR.d), y: ng.y.subarray(0, 50) }, OBJECTIVE); // warm the JIT
  const ngTimes = [0, 1, 2].map(() => timeNumericalGradient(ng, OBJECTIVE).ms).sort((a, b) => a - b);
  const ngRes = await ts.place(ng);
  const textbook = await timeTextbookNumericalGradient(ts, ngRes, OBJECTIVE, 40);
  await ts.release(ngRes);
  const ngWork = numericalGradientWork(500, CIFAR.d, CIFAR.c);
  log(`numerical gradient: ${formatMs(ngTimes[1])} (textbook on ts ≈ ${formatMs(textbook)})`);
  rows.push({ workload: 'numerical gradient, all 30730 coordinates, centered, N=500', backend: 'core (host, float64)', value: ngTimes[1], unit: 'ms',
    tsValue: textbook, work: ngWork, floor: floorOf(ngWork, machine), target: { kind: 'max', value: 5000 },
    note: `linearFiniteDifferences, median of 3; × ts: vs the textbook 2 evaluations per coordinate on ts (${formatMs(textbook)}, extrapolated from 40 coordinates)` });

  // 6: best accuracy.
  const epochs = quick ? 4 : BEST.epochs;
  const bestTrain = BEST.mirror ? withMirrored(fmTrain, 28, 28) : fmTrain;
  const br = await fastest.place(bestTrain), bt = await fastest.place(fmTest);
  const best = await trainAndCheck(fastest, br, bt, BEST, { epochs, checkEvery: 4 });
  await fastest.release(br); await fastest.release(bt);
  log(`best accuracy: ${best.finalAccuracy} after ${epochs} epochs (${formatMs(best.trainingMs)})`);
  rows.push({ workload: 'best test accuracy, full Fashion-MNIST, linear classifier', backend: fastestId, value: best.finalAccuracy, unit: 'accuracy',
    target: { kind: 'min', value: 0.85 },
    note: `softmax reg ${BEST.objective.reg}, momentum lr ${BEST.learningRate} ×${BEST.factor} every ${BEST.every} epochs, batch ${BEST.batchSize}, ${epochs} epochs${quick ? ' (--quick)' : ''}`
      + `${BEST.mirror ? ', training images plus their mirror images' : ''}; final model, ${formatMs(best.trainingMs)} of training; accuracy by epoch ${best.checks.map((c) => `${c[0].toFixed(0)}:${c[1].toFixed(4)}`).join(' ')}`,
    why: 'the model, not the machine: regularized softmax on raw pixels converges to 0.843–0.844 test accuracy with every setting tried '
      + '(reg 0, 1e-5, 1e-4; batch 100–500; momentum and Adam; step schedules to 30 epochs); mirrored training images give 0.824 (shoes all face one way); '
      + 'the usual linear-model tools reach 0.842–0.848. Beyond 0.85 needs features (non-linear in the pixels).' });

  for (const b of backends.values()) await b.dispose();
  const seconds = (performance.now() - t00) / 1000;
  const table = formatTable(rows);
  console.log(table.text);
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  console.log(`\n${seconds.toFixed(0)} s in all.`);
  const dir = join(packageRoot, 'results');
  await mkdir(dir, { recursive: true });
  const date = new Date().toISOString();
  await writeFile(join(dir, 'bench.json'), JSON.stringify({ date, host, machine, quick, repeats, objective: OBJECTIVE, seconds,
    timings: Object.fromEntries(timings), rows: rows.map((r) => ({ ...r, ratioToTs: ratioTs(r), ratioToFloor: ratioFloor(r),
      verdict: r.target ? verdict(r.value, r.target).text : undefined })), notes,
    fashion: { fast: { settings: FAST, run: fm, ts: fmTs }, best: { settings: { ...BEST, epochs }, run: best } } }, null, 1) + '\n');
  await writeFile(join(dir, 'bench.md'), `descent bench, ${date.slice(0, 10)} — ${host}; floor from read ${machine.bandwidthGBs.toFixed(1)} GB/s, peak ${machine.peakGflops.toFixed(0)} GFLOP/s (${machine.source})\n\n${table.markdown}\n`);
  console.log(`wrote ${join(dir, 'bench.json')} and bench.md`);
}

/**
 * Whether the catalogue's priorities ('auto' tries the highest first) agree with this run: among
 * the CPU backends measured, a higher priority must mean a faster minibatch step and full batch.
 */
function autoOrderCheck(registry: ReturnType<typeof createRegistry>, timings: ReadonlyMap<string, Timing>): string {
  const measured = [...timings.keys()].filter((id) => registry.info(id).device === 'cpu')
    .sort((a, b) => registry.info(b).priority - registry.info(a).priority);
  const wrong: string[] = [];
  for (let i = 0; i + 1 < measured.length; i++) {
    const hi = timings.get(measured[i]!)!, lo = timings.get(measured[i + 1]!)!;
    if (hi.stepMs > lo.stepMs || hi.fullBatchMs > lo.fullBatchMs) {
      wrong.push(`${measured[i]} (priority ${registry.info(measured[i]!).priority}: step ${formatMs(hi.stepMs)}, full ${formatMs(hi.fullBatchMs)}) is not faster than `
        + `${measured[i + 1]} (${registry.info(measured[i + 1]!).priority}: ${formatMs(lo.stepMs)}, ${formatMs(lo.fullBatchMs)})`);
    }
  }
  const order = measured.join(' > ');
  return wrong.length === 0 ? `auto order (catalogue priorities) agrees with this run: ${order}`
    : `auto order (catalogue priorities) DISAGREES with this run: ${wrong.join('; ')}; order ${order}. Revisit the priorities in the backend packages' ids.ts.`;
}

function stepWorkOf(m: DesignMatrix, batch: number): Work {
  return lossGradientWork(batch, m.d, m.classes);
}

const ratioTs = (r: Row) => (r.unit === 'ms' && r.value !== undefined && r.tsValue !== undefined ? r.value / r.tsValue : undefined);
const ratioFloor = (r: Row) => (r.unit === 'ms' && r.value !== undefined && r.floor ? r.value / r.floor.ms : undefined);

function formatTable(rows: readonly Row[]): { text: string; markdown: string } {
  const head = ['workload', 'backend', 'measured', '× ts', 'floor', '× floor', 'target', 'verdict'];
  const body = rows.map((r) => {
    const value = r.unit === 'accuracy' ? (r.value ?? NaN).toFixed(4) : formatMs(r.value);
    const target = r.target ? `${r.target.kind === 'max' ? '≤' : '≥'} ${r.unit === 'ms' ? formatMs(r.target.value) : r.target.value}` : '';
    const v = r.target ? verdict(r.value, r.target) : undefined;
    return [r.workload, r.backend, value, formatRatio(ratioTs(r)), r.floor ? `${formatMs(r.floor.ms)} ${r.floor.bound === 'memory' ? 'mem' : 'fma'}` : '—',
      formatRatio(ratioFloor(r)), target, v ? v.text : ''];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const notes = rows.map((r, i) => `  [${i + 1}] ${r.workload} / ${r.backend}: ${r.note}`);
  const misses = rows.filter((r) => r.target && !verdict(r.value, r.target).met)
    .map((r) => `  ${r.workload} / ${r.backend}: ${verdict(r.value, r.target!).text}${r.floor ? ` (floor ${formatMs(r.floor.ms)}, ${r.floor.bound}-bound)` : ''}; why: ${r.why ?? 'see the note'}`);
  const text = [line(head), ...body.map(line), '', 'notes:', ...notes, ...(misses.length ? ['', 'misses:', ...misses] : []),
    '', '× ts: time ÷ the pure-TS backend\'s for the same workload in this run; × floor: time ÷ max(bytes ÷ bandwidth, flops ÷ peak) (mem / fma: which term sets the floor).'].join('\n');
  const markdown = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 || i === 7 ? '---' : '---:')).join('|')}|`,
    ...body.map((b) => `| ${b.join(' | ')} |`), '', ...rows.map((r, i) => `${i + 1}. ${r.workload} / ${r.backend}: ${r.note}`),
    ...(misses.length ? ['', 'Misses:', '', ...misses.map((m) => `- ${m.trim()}`)] : [])].join('\n');
  return { text, markdown };
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});
