// pnpm test:consumers — the packages as someone outside this repository gets them.
//
//   1. packs the CLI with `pnpm pack` (its `prepack` makes a clean bundle, the embedded data set
//      in dist/data/), builds the libraries (turbo) and packs them;
//   2. installs the tarballs with npm into fresh projects in os.tmpdir(), outside the workspace,
//      all with ONE npm prefix and ONE npm cache; every project gets all the @descent tarballs
//      it needs in one npm command, so they satisfy each other, and its package-lock.json must
//      show every @descent package resolved from a tarball (file:), none from the registry
//      (where the names may belong to someone else);
//   3. (a) type-checks tests/consumers/strict (strict, noUncheckedIndexedAccess,
//          exactOptionalPropertyTypes, nodenext, skipLibCheck off) with this repository's tsc;
//      (b) compiles examples/node-server with this repository's tsc, runs it on DESCENT_BACKEND=ts
//          and onnx-cpu (training on the embedded data) and on the model file the first one saved,
//          and checks /health, /predict (labels of real test images) and its 400/404/405/413
//          answers over HTTP;
//      (c) bundles examples/browser with its own build.mjs (esbuild, from the installed
//          packages, wasm assets copied by copyBackendAssets) and runs the page in headless
//          Chromium on tfjs-wasm and onnx-wasm: the loss must go down, every request must stay
//          on the page's server, the wasm files must come from the copied folder;
//      (d) installs the CLI globally from its tarball into the temporary prefix and runs
//          `descent train --json` in an empty folder: stdout must be one JSON document.
//   Steps run two at a time (npm's downloads and unpacking beside the CPU-bound steps); each
//   prints its output as one block when it ends, with its time.
//
//   node scripts/test-consumers.mjs [--no-build] [--cold] [--keep]
//
// npm's cache is node_modules/.cache/descent-consumers/npm (kept between local runs; CI starts
// without it); --cold uses an empty one in the temporary folder instead. npm runs no install
// scripts it was not told to (npm 11's default); ONNXRUNTIME_NODE_INSTALL=skip covers an npm
// that would. Needs the npm registry for the third-party dependencies, and /usr/bin/chromium
// (or $CHROMIUM_PATH). --keep leaves the temporary folder (the installed examples) in place.
// Exits non-zero when any check fails.
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const failures = [];
const timings = [];
const children = new Set();
const t0 = performance.now();

const tmp = mkdtempSync(join(tmpdir(), 'descent-consumers-'));
const tarballDir = join(tmp, 'tarballs');
const prefix = join(tmp, 'npm-prefix');
const cache = args.has('--cold') ? join(tmp, 'npm-cache') : join(root, 'node_modules', '.cache', 'descent-consumers', 'npm');
mkdirSync(tarballDir);
mkdirSync(prefix);
mkdirSync(cache, { recursive: true });
const cacheWasWarm = readdirSync(cache).length > 0;

/** The environment of every npm command: nothing inherited from pnpm's or the user's npm_* variables. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_/i.test(k) && k !== 'DESCENT_EMBEDDED_DATA'));
const npmEnv = {
  ...cleanEnv,
  npm_config_cache: cache,
  npm_config_prefix: prefix,
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
  // package-lock.json must say where each package came from (the check below reads it).
  npm_config_omit_lockfile_registry_resolved: 'false',
  ONNXRUNTIME_NODE_INSTALL: 'skip',
};

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero code). */
function sh(cmd, cmdArgs, { cwd = root, env = cleanEnv, timeoutMs = 300_000 } = {}) {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      ok({ code: code ?? (signal ? 128 : 1), stdout, stderr, cmd: [cmd, ...cmdArgs].join(' ') });
    });
  });
}

/** sh, and a failure recorded (with the command's output) unless it exits 0. */
async function must(label, cmd, cmdArgs, options) {
  const r = await sh(cmd, cmdArgs, options);
  if (r.code !== 0) {
    fail(`${label}: \`${r.cmd}\` exited ${r.code}\n${indent(`${r.stdout}${r.stderr}`.trim().split('\n').slice(-40).join('\n'))}`);
    throw new StepFailed();
  }
  return r;
}

class StepFailed extends Error {}

const indent = (text) => text.split('\n').map((l) => `      ${l}`).join('\n');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Each step's output is collected and printed as one block when it ends (steps run two at a time). */
const stepLog = new AsyncLocalStorage();
const say = (line) => { const lines = stepLog.getStore(); if (lines) lines.push(line); else console.log(line); };

function fail(message) {
  failures.push(message);
  say(`  ✗ ${message}`);
}

function check(condition, message) {
  if (condition) say(`  ✓ ${message}`);
  else fail(message);
  return condition;
}

/**
 * Runs a named step, timing it; a step that throws is recorded and the run goes on. Resolves
 * with the step's value, or undefined when it failed.
 */
function step(name, fn) {
  const lines = [];
  const start = performance.now();
  return stepLog.run(lines, async () => {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof StepFailed)) fail(`${name}: ${e.stack ?? e}`);
      return undefined;
    } finally {
      const ms = performance.now() - start;
      timings.push([name, ms]);
      console.log(`\n${name} (${seconds(ms)}, from ${seconds(start - t0)} to ${seconds(start + ms - t0)})\n${lines.join('\n')}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Build and pack

const libraries = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => ({ dir: join(root, 'packages', d.name), pkg: JSON.parse(readFileSync(join(root, 'packages', d.name, 'package.json'), 'utf8')) }))
  .filter((l) => !l.pkg.private);
const cli = { dir: join(root, 'apps', 'cli'), pkg: JSON.parse(readFileSync(join(root, 'apps', 'cli', 'package.json'), 'utf8')) };

/** Tarball path by package name, and the packed files of each. */
const tarballs = new Map();
const packedFiles = new Map();

/** `pnpm pack` of one workspace package into the tarball folder. */
async function pack(p) {
  const r = await must(`pack ${p.pkg.name}`, 'pnpm', ['pack', '--pack-destination', tarballDir, '--json'], { cwd: p.dir });
  const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  tarballs.set(p.pkg.name, info.filename);
  packedFiles.set(p.pkg.name, info.files.map((f) => f.path));
}

// The CLI first: it bundles the libraries from source and needs none of them built, so its
// global install and run overlap the libraries' build.
const cliPacked = step('pack the CLI (pnpm pack: prepack bundles it)', async () => {
  await pack(cli);
  // Its bundle, the embedded data next to it, and only the run-time dependencies.
  const files = packedFiles.get(cli.pkg.name);
  const manifest = JSON.parse(await readTarEntry(tarballs.get(cli.pkg.name), 'package/package.json'));
  const data = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
    .map((f) => `dist/data/fashion-mnist-subset/${f}`);
  check(files.includes('dist/descent.js') && data.every((f) => files.includes(f)),
    `${relative(tmp, tarballs.get(cli.pkg.name))} holds dist/descent.js and the embedded data (${files.length} files)`);
  check(files.every((f) => f === 'package.json' || f.startsWith('dist/')), 'it holds only dist/ and package.json');
  check(manifest.private === undefined && manifest.bin?.descent === './dist/descent.js', 'it is publishable (not private) and has the descent bin');
  const runtime = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies };
  check(Object.keys(runtime).every((d) => !d.startsWith('@descent/')) && !('commander' in runtime) && !('cli-progress' in runtime),
    `its run-time dependencies are only what the bundle leaves external: ${Object.keys(runtime).join(', ')}`);
  check(!JSON.stringify(manifest).includes('workspace:'), 'no workspace: specifier is left in its manifest');
  return true;
});

const librariesPacked = step('build (turbo) and pack the libraries', async () => {
  if (!args.has('--no-build')) {
    await must('build', bin('turbo'), ['run', 'build', '--output-logs=errors-only', ...libraries.map((l) => `--filter=${l.pkg.name}`)],
      { env: { ...cleanEnv, TURBO_TELEMETRY_DISABLED: '1' } });
  }
  await cliPacked; // one pnpm at a time in the workspace
  for (const l of libraries) await pack(l);
  say(`  ${libraries.map((l) => relative(tmp, tarballs.get(l.pkg.name))).join(', ')}`);
  return true;
});

/** One file of a .tgz, as text (tar -xzO). */
async function readTarEntry(tarball, entry) {
  const r = await must(`read ${entry}`, 'tar', ['-xzOf', tarball, entry]);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// 2. Consumer projects

/** The @descent packages a manifest needs, with theirs, and so on (names). */
function descentClosure(manifest) {
  const byName = new Map(libraries.map((l) => [l.pkg.name, l.pkg]));
  const out = new Set();
  const visit = (m) => {
    for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies })) {
      if (!dep.startsWith('@descent/') || out.has(dep)) continue;
      if (!byName.has(dep)) throw new Error(`${m.name} needs ${dep}, which is not a library under packages/`);
      out.add(dep);
      visit(byName.get(dep));
    }
  };
  visit(manifest);
  return [...out].sort();
}

/**
 * A fresh project in the temp folder: `source` copied (without node_modules and dist), then
 * `npm install` of the tarballs of every @descent package it needs, in one command so they
 * satisfy each other, then the lockfile checked: each @descent package from a tarball, at the
 * top level, none from the registry.
 */
async function project(name, source, npmArgs = []) {
  const dir = join(tmp, name);
  cpSync(source, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)$/.test(src) });
  const needed = descentClosure(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  await must(`npm install (${name})`, 'npm', ['install', '--no-fund', '--no-audit', '--prefer-offline', '--loglevel=error', ...npmArgs, ...needed.map((n) => tarballs.get(n))],
    { cwd: dir, env: npmEnv });
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const descent = Object.entries(lock.packages).filter(([k]) => /(^|\/)node_modules\/@descent\//.test(k));
  const fromRegistry = descent.filter(([, v]) => typeof v.resolved !== 'string' || !v.resolved.startsWith('file:'));
  const nested = descent.filter(([k]) => k.split('node_modules/').length > 2);
  check(descent.length === needed.length && fromRegistry.length === 0 && nested.length === 0,
    `${name}: ${descent.length} @descent packages, all from the tarballs (package-lock.json resolved: file:), none from the registry`
    + (fromRegistry.length + nested.length > 0 ? `; wrong: ${[...fromRegistry, ...nested].map(([k, v]) => `${k} ← ${v.resolved}`).join(', ')}` : ''));
  return dir;
}

/** Links a package this repository installed into a consumer project (tools, not what is under test). */
function linkFromRepo(dir, name) {
  const target = join(dir, 'node_modules', name);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(join(root, 'node_modules', name)), target, 'dir');
}

/** `tsc -p`, with this repository's TypeScript; errors in the consumer or in @descent declarations fail. */
async function typecheck(label, dir, tsconfig = 'tsconfig.json') {
  const r = await sh(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: dir });
  const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
  const ours = errors.filter((l) => !l.startsWith('node_modules/') || l.startsWith('node_modules/@descent/'));
  for (const l of ours) say(`      ${l}`);
  check(r.code === 0 || (ours.length === 0 && errors.length > 0),
    `${label}: tsc -p ${tsconfig}: ${ours.length} errors (${errors.length - ours.length} in third-party declarations)`);
  if (errors.length - ours.length > 0) say(indent(errors.filter((l) => !ours.includes(l)).slice(0, 5).join('\n')));
  return ours.length === 0;
}

// (a) the strict consumer
const checkStrict = () => step('(a) strict TypeScript consumer', async () => {
  // Types only: the optional native runtime (onnxruntime-node) is not needed to type-check.
  const dir = await project('strict-consumer', join(root, 'tests', 'consumers', 'strict'), ['--omit=optional']);
  linkFromRepo(dir, '@types/node');
  await typecheck('strict consumer', dir);
});

// (b) examples/node-server
const embeddedTest = readEmbeddedTest(64);

function readEmbeddedTest(count) {
  const dir = join(root, 'packages', 'core', 'data', 'fashion-mnist-subset');
  const images = gunzipSync(readFileSync(join(dir, 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(join(dir, 't10k-labels-idx1-ubyte.gz')));
  const pixels = images.readUInt32BE(8) * images.readUInt32BE(12);
  return Array.from({ length: count }, (_, i) => ({
    pixels: Array.from(images.subarray(16 + i * pixels, 16 + (i + 1) * pixels)), label: labels[8 + i],
  }));
}

/** Starts a server process and waits for its "listening on URL" line. */
async function startServer(cwd, script, env, pattern = /listening on (http:\/\/\S+?)\/?$/m) {
  const child = spawn(process.execPath, [script], { cwd, env: { ...cleanEnv, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let log = '';
  const url = await new Promise((ok, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line within 90 s; output:\n${log}`)), 90_000);
    const onData = (d) => {
      log += d;
      const m = pattern.exec(log);
      if (m) { clearTimeout(timer); ok(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code} before listening; output:\n${log}`)); });
  });
  return {
    url, log: () => log,
    stop: () => new Promise((ok) => { child.removeAllListeners('exit'); child.on('exit', () => { children.delete(child); ok(); }); child.kill('SIGTERM'); }),
  };
}

async function request(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

const postJson = (url, body) => request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const checkNodeServer = () => step('(b) examples/node-server', async () => {
  const dir = await project('node-server', join(root, 'examples', 'node-server'), ['--omit=dev']);
  linkFromRepo(dir, '@types/node');
  if (!await typecheck('node-server', dir)) return;
  const model = join(dir, 'model.json');
  const runs = [
    { name: 'ts', env: { DESCENT_BACKEND: 'ts', DESCENT_MODEL_OUT: model } },
    { name: 'onnx-cpu', env: { DESCENT_BACKEND: 'onnx-cpu' } },
    { name: 'the saved model', env: { DESCENT_MODEL: model } },
    // 'auto' picks what runs here, logging why each backend tried before it was skipped.
    { name: 'auto', env: { DESCENT_BACKEND: 'auto' } },
  ];
  const labels = {};
  for (const run of runs) {
    const started = performance.now();
    const server = await startServer(dir, 'dist/server.js', { DESCENT_EPOCHS: '3', ...run.env });
    try {
      const health = await request(`${server.url}/health`);
      const asked = run.env.DESCENT_BACKEND;
      const chosen = /backend (\S+) \(asked for '([^']*)'\)/.exec(server.log());
      const skipped = server.log().split('\n').filter((l) => /^\[descent-server\] {3}skipped \S+: ./.test(l));
      check(health.status === 200 && health.json?.status === 'ok'
        && (asked === undefined ? health.json.model.backend === null && !chosen
          : chosen?.[2] === asked && health.json.model.backend === chosen[1] && (asked === 'auto' || chosen[1] === asked)),
        `${run.name}: GET /health 200, backend ${health.json?.model?.backend} (started in ${seconds(performance.now() - started)})`
        + (asked === 'auto' ? `; the log names the choice and ${skipped.length} backends skipped with their reasons` : ''));
      const predict = await postJson(`${server.url}/predict`, { images: embeddedTest.map((t) => t.pixels) });
      const predictions = predict.json?.predictions ?? [];
      const correct = predictions.filter((p, i) => p.label === embeddedTest[i].label).length;
      const wellFormed = predictions.length === embeddedTest.length && predictions.every((p) => Number.isInteger(p.label)
        && p.className === predict.json.classNames[p.label] && p.probabilities.length === 10
        && Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9 && p.probability === Math.max(...p.probabilities));
      check(predict.status === 200 && wellFormed && correct >= 0.7 * embeddedTest.length,
        `${run.name}: POST /predict ${predict.status}: ${correct} of ${embeddedTest.length} test images right, labels, class names and probabilities well formed`);
      labels[run.name] = predictions;
      if (run.name === 'ts') {
        const one = await postJson(`${server.url}/predict`, { image: embeddedTest[0].pixels });
        check(one.status === 200 && one.json?.predictions?.length === 1, 'POST /predict {"image": [...]} answers one prediction');
        const bad = [
          ['not JSON', 400, () => postJson(`${server.url}/predict`, '{"images": [')],
          ['no images', 400, () => postJson(`${server.url}/predict`, { pictures: [] })],
          ['wrong size', 400, () => postJson(`${server.url}/predict`, { images: [[1, 2, 3]] })],
          ['pixel out of range', 400, () => postJson(`${server.url}/predict`, { images: [embeddedTest[0].pixels.map((v, i) => (i === 5 ? 256 : v))] })],
          ['too many images', 400, () => postJson(`${server.url}/predict`, { images: Array.from({ length: 65 }, () => embeddedTest[0].pixels) })],
          ['too many bytes', 413, () => postJson(`${server.url}/predict`, `{"images": [${'0,'.repeat(600_000)}0]}`)],
          ['GET /predict', 405, () => request(`${server.url}/predict`)],
          ['unknown path', 404, () => request(`${server.url}/nope`)],
        ];
        for (const [what, status, send] of bad) {
          const r = await send();
          check(r.status === status && typeof r.json?.error === 'string' && r.json.error.length > 10,
            `${what}: ${r.status} ${JSON.stringify(r.json?.error ?? r.text.slice(0, 80))}`);
        }
      }
    } finally {
      await server.stop();
    }
  }
  const same = (a, b) => a && b && a.every((p, i) => p.label === b[i]?.label);
  check(same(labels.ts, labels['the saved model']) && labels.ts.every((p, i) => p.probabilities.every((q, j) => q === labels['the saved model'][i].probabilities[j])),
    'the saved model predicts exactly what the server that trained it did');
  const agree = (labels.ts ?? []).filter((p, i) => p.label === labels['onnx-cpu']?.[i]?.label).length;
  check(agree >= 0.9 * embeddedTest.length, `ts and onnx-cpu agree on ${agree} of ${embeddedTest.length} labels`);
});

// (c) examples/browser
const checkBrowser = () => step('(c) examples/browser in headless Chromium', async () => {
  if (!check(existsSync(chromiumPath), `Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`)) return;
  // The page needs no native runtime: onnxruntime-node (optional) is left out.
  const dir = await project('browser', join(root, 'examples', 'browser'), ['--omit=dev', '--omit=optional']);
  linkFromRepo(dir, 'esbuild');
  const build = await must('browser build', process.execPath, ['build.mjs'], { cwd: dir });
  say(`  ${build.stdout.trim()}`);
  if (!await typecheck('browser page', dir)) return;
  const { chromium } = await import('playwright-core');
  const server = await startServer(dir, 'serve.mjs', {}, /serving \S+ on (http:\/\/\S+?)\/?$/m);
  const profile = mkdtempSync(join(tmp, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const backend of ['tfjs-wasm', 'onnx-wasm']) {
      const page = await context.newPage();
      const errors = [];
      const requests = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      page.on('response', (r) => { requests.push(r.url()); if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
      const started = performance.now();
      await page.goto(`${server.url}/?backend=${backend}`);
      await page.waitForFunction(() => globalThis.__descentResult !== undefined, undefined, { timeout: 120_000, polling: 100 });
      const result = await page.evaluate(() => globalThis.__descentResult);
      // blob: URLs (tfjs-wasm's worker threads) are the page's own; anything fetched over the
      // network must come from its server.
      const offsite = requests.filter((u) => /^(https?|wss?):/.test(u) && !u.startsWith(`${server.url}/`));
      const wasm = requests.filter((u) => /\/wasm\/(tfjs|ort)\/[^/]+\.wasm$/.test(u)).map((u) => u.slice(server.url.length));
      check(result.ok === true && result.backend === backend && result.lossWentDown === true && errors.length === 0 && offsite.length === 0 && wasm.length > 0,
        `${backend}: loss ${result.firstLoss?.toFixed(4)} → ${result.finalLoss?.toFixed(4)} in ${result.iterations} steps, `
        + `test accuracy ${result.testAccuracy}, ${wasm.join(' ')} (${seconds(performance.now() - started)})`
        + (result.error ? `; error: ${result.error}` : '') + (errors.length ? `; page errors: ${errors.join(' | ')}` : '')
        + (offsite.length ? `; requests off the page's server: ${offsite.join(' ')}` : ''));
      await page.close();
    }
  } finally {
    await context.close();
    await server.stop();
  }
});

// (d) the CLI, installed globally from its tarball
const checkCli = () => step('(d) the CLI installed globally (npm install -g)', async () => {
  await must('npm install -g', 'npm', ['install', '-g', '--no-fund', '--no-audit', '--prefer-offline', '--loglevel=error', tarballs.get(cli.pkg.name)], { env: npmEnv });
  const installed = join(prefix, 'lib', 'node_modules', '@descent', 'cli');
  // The bundle is the only @descent code: no package beside it (nor a core whose data it could find instead).
  const descentInside = existsSync(join(installed, 'node_modules', '@descent')) ? readdirSync(join(installed, 'node_modules', '@descent')) : [];
  const descentGlobal = readdirSync(join(prefix, 'lib', 'node_modules', '@descent'));
  check(existsSync(join(prefix, 'bin', 'descent')) && descentInside.length === 0 && descentGlobal.join() === 'cli',
    `descent installed in ${relative(tmp, prefix)}/bin, no other @descent package installed (${[...descentGlobal, ...descentInside].join(', ')})`);
  const empty = mkdtempSync(join(tmp, 'empty-'));
  const r = await sh('descent', ['train', '--json'], { cwd: empty, env: { ...cleanEnv, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` }, timeoutMs: 120_000 });
  let summary;
  try { summary = JSON.parse(r.stdout); } catch { summary = undefined; }
  check(r.code === 0 && summary?.status === 'completed' && summary.data?.name === 'fashion-mnist-subset' && summary.accuracy?.test > 0.7,
    `descent train --json in an empty folder: exit ${r.code}, stdout one JSON document (${r.stdout.length} bytes): ${summary?.status}, `
    + `backend ${summary?.settings?.backend}, ${summary?.data?.name}, test accuracy ${summary?.accuracy?.test}`
    + (r.code !== 0 || !summary ? `\n${indent(`${r.stdout}${r.stderr}`.trim().split('\n').slice(-20).join('\n'))}` : ''));
  check(readdirSync(empty).length === 0, 'it wrote nothing into the folder');
});

// ---------------------------------------------------------------------------------------------
// Two lanes, so that npm's downloads and unpacking overlap the CPU-bound steps: the CLI's
// install and run beside the libraries' build; then the node-server and browser checks side by
// side (each project's install, then its checks); then the strict consumer.
await Promise.all([
  (async () => { if (await librariesPacked) { await checkNodeServer(); await checkStrict(); } })(),
  (async () => { if (await cliPacked) await checkCli(); if (await librariesPacked) await checkBrowser(); })(),
]);

for (const child of children) child.kill('SIGKILL');
if (args.has('--keep')) console.log(`\nkept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
const total = performance.now() - t0;
console.log(`\ntest:consumers: ${timings.map(([n, ms]) => `${n.replace(/ \(.*\)$/, '')} ${seconds(ms)}`).join(', ')} (two at a time); `
  + `total ${seconds(total)} (npm cache ${args.has('--cold') ? 'cold' : cacheWasWarm ? 'warm' : 'empty'})`);
if (failures.length > 0) {
  console.error(`\ntest:consumers failed:\n${failures.map((f) => `  - ${f.split('\n')[0]}`).join('\n')}`);
  process.exit(1);
}
console.log('test:consumers: every consumer check passed');
