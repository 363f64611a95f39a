/**
 * `pnpm bench:agree [--no-browser] [--sequential]`
 *
 * The conformance kit (@descent/core/testing: seeded cases and hard cases vs the float64
 * reference, 200-step SGD and Adam runs vs the same runs on the float64 reference backend, and
 * the contract checks) on every backend that runs here: the Node backends of
 * targets.ts in this process, the browser ones in headless Chromium through the harness (the
 * pages run while the Node backends are checked, unless --sequential). Prints the matrix
 * (backends × cases: worst error as a fraction of the bound, pass/fail) and every failure,
 * writes benchmarks/results/agree.json and agree.md, and exits 1 on any failure.
 * --no-browser skips Chromium (said in the report; never silently).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '@descent/core/testing';
import type { CaseResult, ConformanceTarget } from '@descent/core/testing';
import { runInChromium } from '../browser/harness.js';
import { withBackendAssets } from '../browser/assets.js';
import { CONFORMANCE_PAGE_FILE } from '../browser/page.js';
import { nodeTargets, pageGroups } from '../targets.js';
import type { PageGroup } from '../targets.js';
import { agreementMatrix, formatMatrixMarkdown, formatMatrixText } from './matrix.js';

// This file is bundled to benchmarks/dist/agree.js.
const packageRoot = fileURLToPath(new URL('../', import.meta.url));

interface Run { backend: string; results: CaseResult[] }

async function nodeRuns(targets: readonly ConformanceTarget[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const target of targets) {
    const t0 = performance.now();
    const results = await runConformance(target);
    console.error(`  node     ${target.id}: ${results.filter((r) => r.ok).length}/${results.length} specs passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    runs.push({ backend: `${target.id} @node`, results });
  }
  return runs;
}

async function pageRuns(group: PageGroup): Promise<Run[]> {
  const t0 = performance.now();
  const label = (id: string) => `${id} @chromium`;
  try {
    const run = await withBackendAssets((staticDirs) => runInChromium({
      entry: join(packageRoot, CONFORMANCE_PAGE_FILE), staticDirs, query: { backends: group.backends.join(',') }, timeoutMs: 300_000,
    }));
    const r = run.result as { results?: CaseResult[]; error?: string };
    if (!r.results) throw new Error(`the page failed: ${r.error}; page errors: ${run.pageErrors.join(' | ') || 'none'}`);
    console.error(`  chromium ${group.name}: ${r.results.filter((x) => x.ok).length}/${r.results.length} specs passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return group.backends.map((id) => ({ backend: label(id), results: r.results!.filter((x) => x.backend === id) }));
  } catch (e) {
    const message = `could not run in Chromium: ${(e as Error).message}`;
    return group.backends.map((id) => ({ backend: label(id), results: [{ backend: id, suite: 'backend', case: '(backend)', spec: 'create', ok: false,
      worst: Infinity, ms: performance.now() - t0, message: `${id}: ${message}` }] }));
  }
}

async function main(): Promise<void> {
  const argv = new Set(process.argv.slice(2));
  for (const a of argv) if (!['--no-browser', '--sequential'].includes(a)) throw new Error(`unknown option '${a}' (known: --no-browser, --sequential)`);
  const browser = !argv.has('--no-browser');
  const chromium = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  const t0 = performance.now();
  const node = await nodeTargets();
  const groups = pageGroups();
  console.error(`descent bench:agree: ${node.run.length} Node backends${browser ? `, ${groups.reduce((s, g) => s + g.backends.length, 0)} in Chromium (${chromium})` : ', browser skipped (--no-browser)'}`);
  for (const s of node.skipped) console.error(`  node     ${s.id}: not run, it does not run here (${s.reason.split('\n')[0]})`);
  if (browser && !existsSync(chromium)) throw new Error(`no Chromium at ${chromium} (set CHROMIUM_PATH, or pass --no-browser to skip the browser backends)`);

  let runs: Run[];
  if (!browser) runs = await nodeRuns(node.run);
  else if (argv.has('--sequential')) {
    runs = await nodeRuns(node.run);
    for (const g of groups) runs.push(...await pageRuns(g));
  } else {
    // Chromium works in its own processes; the pages run one after the other, beside the Node checks.
    const pages = (async () => { const out: Run[] = []; for (const g of groups) out.push(...await pageRuns(g)); return out; })();
    runs = [...await nodeRuns(node.run), ...await pages];
  }
  const seconds = (performance.now() - t0) / 1000;
  const m = agreementMatrix(runs);

  const machine = `${cpus().length} vCPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.versions.node}`;
  const heading = `descent agreement: every backend vs the float64 oracle (${new Date().toISOString().slice(0, 10)}, ${machine}, ${seconds.toFixed(0)} s)`;
  console.log(`\n${heading}\n`);
  console.log(formatMatrixText(m));
  const dir = join(packageRoot, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'agree.json'), JSON.stringify({ date: new Date().toISOString(), machine, seconds, browser, notRunHere: node.skipped,
    ok: m.ok, cases: m.cases, rows: m.rows.map((r) => ({ ...r, cells: Object.fromEntries(Object.entries(r.cells)
      .map(([k, c]) => [k, { ...c, worst: Number.isFinite(c.worst) ? c.worst : null }])) })),
    failures: m.failures, results: runs }, null, 1) + '\n');
  await writeFile(join(dir, 'agree.md'), formatMatrixMarkdown(m, heading));
  console.log(`\nwrote ${join(dir, 'agree.json')} and agree.md`);
  if (!m.ok) {
    console.log(`\n${m.failures.length} FAILURE${m.failures.length > 1 ? 'S' : ''}:`);
    for (const f of m.failures) console.log(`  ${f}`);
    process.exitCode = 1;
  } else {
    console.log(`all ${runs.reduce((s, r) => s + r.results.length, 0)} specs passed on ${runs.length} backends in ${seconds.toFixed(0)} s`);
  }
}

main().catch((e: Error) => {
  console.error(`bench:agree failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});
