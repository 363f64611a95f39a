// Builds the web page into dist/ (or the folder given): static files any web server can host.
//
//   node build.mjs [outdir] [--dev]
//
//   index.html, styles.css    the page
//   main.js, worker.js        the page's and the training worker's entry points (ES modules)
//   chunks/*.js               shared code and every lazily loaded backend: esbuild's code
//                             splitting puts each `import()` of a backend package (and the
//                             runtime it brings: TensorFlow.js, ONNX Runtime Web) in its own chunk
//   data/fashion-mnist-subset/  the embedded data set (gzipped IDX), fetched by the worker
//   wasm/tfjs/, wasm/ort/     the .wasm files of tfjs-wasm and onnxruntime-web: each backend package's
//                             declared assets (the worker's registry has assetBase wasm/)
//
// A backend package that does not resolve or does not compile is replaced by a stub whose
// import fails with the reason, so the page still builds and its menu shows that backend as
// unavailable, saying why.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importSource } from '../../scripts/import-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

const EMBEDDED = join(root, 'packages/core/data/fashion-mnist-subset');
const EMBEDDED_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz', 'LICENSE', 'README.md'];

/** The name in the package.json nearest above a file. */
async function packageOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return { name: JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).name, dir };
    } catch { /* keep looking */ }
  }
  return undefined;
}

/**
 * A backend package's light `ids` entry loads its main entry with `import('./index.js')`: for a
 * package left out (or that does not build), that import becomes a module that throws why, so
 * the registry's probe records the reason and the menu shows its backends disabled.
 */
function stubPlugin(stubs) {
  return {
    name: 'stub-unavailable-backends',
    setup(b) {
      b.onResolve({ filter: /^\.\/index\.js$/ }, async (args) => {
        if (!/[\\/]ids\.(ts|js)$/.test(args.importer)) return undefined;
        const pkg = await packageOf(args.importer);
        if (!pkg || stubs[pkg.name] === undefined) return undefined;
        return { path: pkg.name, namespace: 'unavailable-backend' };
      });
      b.onLoad({ filter: /.*/, namespace: 'unavailable-backend' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not part of this build: ${stubs[args.path]}`)});\nexport const providers = [];`,
        loader: 'js',
      }));
    },
  };
}

/** The backend package a build error comes from, if any. */
async function culprit(error, backendNames) {
  if (!error.location?.file) return backendNames.find((n) => error.text?.includes(n));
  const pkg = await packageOf(resolve(here, error.location.file));
  return pkg && backendNames.includes(pkg.name) ? pkg.name : undefined;
}

async function bundle(outdir, { minify, stubs }) {
  return build({
    absWorkingDir: here,
    entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    minify,
    legalComments: 'linked',
    logLevel: 'silent',
    metafile: true,
    plugins: [stubPlugin(stubs)],
  });
}

/**
 * Builds the page into outdir (default apps/web/dist). Returns what was built, the backend
 * packages stubbed out (with why) and the runtime files copied. `omit` leaves optional backend
 * packages out on purpose (tests use it to see the page without them).
 * @param {{ outdir?: string; minify?: boolean; log?: (line: string) => void; omit?: string[] }} [options]
 */
export async function buildWeb({ outdir = join(here, 'dist'), minify = true, log = console.log, omit = [] } = {}) {
  const out = resolve(outdir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // The catalogue: which backend packages there are and the assets each declares.
  const { BACKEND_PACKAGES, copyBackendAssets } = await importSource('@descent/backends/node', here);
  const backendNames = BACKEND_PACKAGES.map((p) => p.name);
  const stubs = Object.fromEntries(omit.map((n) => [n, 'left out of the build (omit)']));
  let result;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await bundle(out, { minify, stubs });
      break;
    } catch (e) {
      const errors = e.errors ?? [];
      const blamed = [...new Set((await Promise.all(errors.map((x) => culprit(x, backendNames)))).filter(Boolean))]
        .filter((n) => !stubs[n]);
      if (blamed.length === 0 || attempt > 2) throw e;
      for (const n of blamed) {
        const first = errors.find((x) => x.text?.includes(n) || x.location?.file);
        const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
        stubs[n] = `it does not build: ${first?.text ?? 'unknown error'}${where}`;
        log(`warning: ${n} left out of the page: ${stubs[n]}`);
      }
    }
  }
  for (const f of ['index.html', 'styles.css']) await copyFile(join(here, 'src', f), join(out, f));
  await mkdir(join(out, 'data/fashion-mnist-subset'), { recursive: true });
  for (const f of EMBEDDED_FILES) await copyFile(join(EMBEDDED, f), join(out, 'data/fashion-mnist-subset', f));
  // Each backend package's declared wasm files, into the folders its setAssetBase points at.
  const included = BACKEND_PACKAGES.filter((p) => stubs[p.name] === undefined);
  const assets = await copyBackendAssets(join(out, 'wasm'), { packages: included, from: join(root, 'packages/backends') });
  for (const m of assets.missing) log(`warning: ${m}; its backends will say they cannot load`);
  const sizes = Object.fromEntries(Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js')).map(([f, o]) => [relative(out, resolve(here, f)), o.bytes]));
  return { outdir: out, stubs, runtimes: assets.dirs, sizes, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outdir = args.find((a) => !a.startsWith('--'));
  const t0 = performance.now();
  const r = await buildWeb({ ...(outdir ? { outdir } : {}), minify: !args.includes('--dev') });
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`built ${relative(process.cwd(), r.outdir) || '.'} in ${((performance.now() - t0) / 1000).toFixed(1)} s: `
    + `main.js ${kb(r.sizes['main.js'] ?? 0)}, worker.js ${kb(r.sizes['worker.js'] ?? 0)}, `
    + `${Object.keys(r.sizes).length - 2} chunks; wasm: ${Object.entries(r.runtimes).map(([d, f]) => `${d} (${f.length} files)`).join(', ')}`);
}
