/**
 * `pnpm --filter @descent/benchmarks bench [--quick] [--n N] [--batch B] [--loss svm|softmax]
 *   [--backends ts,tfjs-wasm] [--repeats R]`
 *
 * For the CIFAR-10 shape (N=50000, D=3073, C=10, float32; seeded random pixels) prints, per
 * backend of backends.ts, the time of one full-batch loss+gradient and of one minibatch step
 * (B=200: row selection, loss+gradient, SGD update), warm, median of repeats, and the ratios
 * to the first backend ('ts'), all from this one run. A benchmark, not a test: nothing asserts.
 * --quick: N=5000 and fewer repeats (full batch on tfjs-cpu at N=50000 takes ~10 s a call).
 */
import { isLossName } from '@descent/core';
import type { Objective } from '@descent/core';
import { BENCH_BACKENDS } from './backends.js';
import { cifarShaped } from './data.js';
import { measure } from './measure.js';
import type { Timing } from './measure.js';

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

function intArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const quick = args.has('quick');
  const n = intArg(args, 'n', quick ? 5000 : 50000);
  const batchSize = intArg(args, 'batch', 200);
  const repeats = intArg(args, 'repeats', quick ? 3 : 5);
  const loss = args.get('loss') ?? 'softmax';
  if (!isLossName(loss)) throw new Error(`--loss must be svm or softmax, got '${loss}'`);
  const objective: Objective = { loss, reg: 1e-4 };
  const wanted = args.get('backends')?.split(',');
  const list = wanted ? BENCH_BACKENDS.filter((b) => wanted.includes(b.id)) : BENCH_BACKENDS;
  if (wanted) for (const id of wanted) if (!list.some((b) => b.id === id)) throw new Error(`unknown backend '${id}' (known: ${BENCH_BACKENDS.map((b) => b.id).join(', ')})`);

  const t0 = performance.now();
  const data = cifarShaped(n);
  console.log(`descent bench: N=${n}, D=${data.d}, C=${data.classes}, float32 data, ${loss} reg ${objective.reg}, minibatch ${batchSize}; `
    + `node ${process.versions.node}; data made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`full batch: 1 warm-up + ${repeats} repeats; minibatch: 1 warm-up block + ${repeats} blocks of 10 steps; medians\n`);

  const rows: { id: string; timing?: Timing; note: string }[] = [];
  for (const b of list) {
    const provider = await b.load();
    const probe = await provider.probe();
    if (!probe.available) { rows.push({ id: b.id, note: `unavailable: ${probe.reason}` }); continue; }
    const backend = await provider.create();
    try {
      const tPlace = performance.now();
      const resident = await backend.place(data);
      const placeMs = performance.now() - tPlace;
      const timing = await measure(backend, resident, { objective, batchSize, fullRepeats: repeats, stepRepeats: repeats, stepsPerRepeat: 10 });
      rows.push({ id: b.id, timing, note: `place ${fmt(placeMs)} ms` });
      console.error(`  measured ${b.id}`);
      await backend.release(resident);
    } finally {
      await backend.dispose();
    }
  }

  const base = rows.find((r) => r.timing)?.timing;
  console.log(['backend'.padEnd(15), 'full batch ms'.padStart(14), '× base'.padStart(8), 'step ms'.padStart(10), '× base'.padStart(8), '  notes'].join(''));
  for (const r of rows) {
    const t = r.timing;
    console.log([r.id.padEnd(15),
      (t ? fmt(t.fullBatchMs) : '—').padStart(14), (t && base ? (t.fullBatchMs / base.fullBatchMs).toFixed(2) : '—').padStart(8),
      (t ? fmt(t.stepMs) : '—').padStart(10), (t && base ? (t.stepMs / base.stepMs).toFixed(2) : '—').padStart(8), `  ${r.note}`].join(''));
  }
  console.log(`\n× base: time ÷ ${rows.find((r) => r.timing)?.id ?? 'the first backend'}'s (lower is faster).`);
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});
