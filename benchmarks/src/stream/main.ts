/**
 * `pnpm bench:stream`: training larger than memory. Makes an ImageNet-32-shaped numpy folder
 * when it is missing (benchmarks/scripts/make-imagenet32.mjs: 1.28 M images of 32×32×3, 3.66 GiB;
 * never committed), then runs one epoch of minibatch SGD (batch 200, softmax, onnx-cpu by
 * default) in fresh processes: the training images held in memory as bytes, then streamed from
 * disk a block at a time with the page cache warm, and, where this process may drop the page
 * cache (root), streamed cold. Prints steps per second (between the first and last step), the
 * ratio to memory's, peak RSS and test accuracy; the targets are RSS ≤ 1.5 GB and at least half
 * of memory's steps per second. Results go to benchmarks/results/stream.json.
 *
 *   pnpm bench:stream [--data /tmp/descent-imagenet32] [--rows 1281167] [--backend onnx-cpu] [--no-memory]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: {
  data: { type: 'string', default: '/tmp/descent-imagenet32' }, rows: { type: 'string', default: '1281167' },
  backend: { type: 'string', default: 'onnx-cpu' }, 'no-memory': { type: 'boolean', default: false }, 'block-rows': { type: 'string' },
} });
const data = values.data!;

if (!existsSync(join(data, 'x_train.npy'))) {
  process.stdout.write(`making ${data} (${values.rows} images) …\n`);
  const made = spawnSync(process.execPath, [join(here, '..', 'scripts', 'make-imagenet32.mjs'), '--out', data, '--rows', values.rows!], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error('make-imagenet32.mjs failed');
}

interface Run { mode: string; cache?: string; stepsPerSecond: number; epochSeconds: number; loadSeconds: number; maxRssMB: number; testAccuracy: number;
  steps: number; rows: number; blockRows: number | null; status: string }

function measure(mode: 'memory' | 'streamed', cache: 'warm' | 'cold'): Run {
  if (cache === 'cold') spawnSync('sh', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches']);
  const args = [join(here, 'stream-run.js'), '--data', data, '--mode', mode, '--backend', values.backend!,
    ...(values['block-rows'] ? ['--block-rows', values['block-rows']] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} (${cache}) failed: ${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').at(-1)!), cache };
}

/** Whether this process may drop the page cache (root, and /proc/sys writable): a cold run means something only then. */
function canDropCaches(): boolean {
  return spawnSync('sh', ['-c', 'echo 1 > /proc/sys/vm/drop_caches']).status === 0;
}

const runs: Run[] = [];
if (!values['no-memory']) runs.push(measure('memory', 'warm'));
runs.push(measure('streamed', 'warm'));
const cold = canDropCaches();
if (cold) runs.push(measure('streamed', 'cold'));
const memory = runs.find((r) => r.mode === 'memory');
const row = (r: Run) => [
  `${r.mode}${r.mode === 'streamed' ? ` (page cache ${r.cache}, blocks of ${r.blockRows} rows)` : ''}`,
  r.stepsPerSecond.toFixed(0), memory ? (r.stepsPerSecond / memory.stepsPerSecond).toFixed(2) : '-',
  r.epochSeconds.toFixed(1), r.loadSeconds.toFixed(1), (r.maxRssMB / 1024).toFixed(2), r.testAccuracy.toFixed(4),
];
const header = ['run', 'steps/s', '× memory', 'epoch s', 'load s', 'peak RSS GB', 'test acc'];
const lines = [header, ...runs.map(row)];
const widths = header.map((_, j) => Math.max(...lines.map((l) => l[j]!.length)));
process.stdout.write(`\n${runs[0]!.rows} training images, one epoch, batch 200, ${values.backend}\n`);
for (const l of lines) process.stdout.write(`${l.map((c, j) => c.padEnd(widths[j]!)).join('  ')}\n`);
const streamed = runs.filter((r) => r.mode === 'streamed');
for (const s of streamed) {
  const rss = s.maxRssMB * 2 ** 20 / 1e9;
  process.stdout.write(`streamed (${s.cache}): peak RSS ${rss.toFixed(2)} GB ${rss <= 1.5 ? '≤' : '>'} 1.5 GB target` +
    (memory ? `; ${(s.stepsPerSecond / memory.stepsPerSecond).toFixed(2)}× memory's steps/s ${s.stepsPerSecond >= memory.stepsPerSecond / 2 ? '≥' : '<'} 0.5 target` : '') + '\n');
}
if (!cold) process.stdout.write('no cold run: this process may not drop the page cache (needs root and a writable /proc/sys/vm/drop_caches)\n');
const out = join(here, '..', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'stream.json'), `${JSON.stringify({ when: new Date().toISOString(), data, backend: values.backend, runs }, null, 2)}\n`);
