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
//   wasm/tfjs/, wasm/ort/     the .wasm files of tfjs-wasm and onnxruntime-web
//
// A backend package that does not resolve or does not compile is replaced by a stub whose
// import fails with the reason, so the page still builds and its menu shows that backend as
// unavailable, saying why.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** Backend packages the page may do without; name → its folder in the workspace. */
const OPTIONAL = {
  '@descent/backend-tfjs': join(root, 'packages/backend-tfjs'),
  '@descent/backend-onnx': join(root, 'packages/backend-onnx'),
};

const EMBEDDED = join(root, 'packages/core/data/fashion-mnist-subset');
const EMBEDDED_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz', 'LICENSE', 'README.md'];

/** Which .wasm files each runtime fetches (onnxruntime-web's bundled build loads the JSEP one). */
const WASM = [
  { from: '@tensorflow/tfjs-backend-wasm', via: OPTIONAL['@descent/backend-tfjs'], to: 'wasm/tfjs', files: /\.wasm$/ },
  { from: 'onnxruntime-web', via: OPTIONAL['@descent/backend-onnx'], to: 'wasm/ort', files: /^ort-wasm-simd-threaded\.jsep\.(wasm|mjs)$/ },
];

function stubPlugin(stubs) {
  return {
    name: 'stub-unavailable-backends',
    setup(b) {
      const names = Object.keys(stubs);
      if (names.length === 0) return;
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.-]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'unavailable-backend' }));
      b.onLoad({ filter: /.*/, namespace: 'unavailable-backend' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not part of this build: ${stubs[args.path]}`)});\nexport const providers = [];`,
        loader: 'js',
      }));
    },
  };
}

/** The optional package a build error comes from, if any. */
function culprit(error) {
  const file = error.location?.file ? resolve(root, error.location.file) : '';
  for (const [name, dir] of Object.entries(OPTIONAL)) {
    if (file.startsWith(dir + sep) || error.text?.includes(name)) return name;
  }
  return undefined;
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

async function copyDir(from, to, pick) {
  await mkdir(to, { recursive: true });
  const copied = [];
  for (const f of await readdir(from)) {
    if (!pick(f)) continue;
    await copyFile(join(from, f), join(to, f));
    copied.push(f);
  }
  return copied;
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
  const stubs = Object.fromEntries(omit.map((n) => [n, 'left out of the build (omit)']));
  for (const [name, dir] of Object.entries(OPTIONAL)) {
    if (stubs[name]) continue;
    try {
      await stat(join(dir, 'src', 'index.ts'));
    } catch {
      stubs[name] = `its source (${relative(root, join(dir, 'src', 'index.ts'))}) is missing`;
    }
  }
  let result;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await bundle(out, { minify, stubs });
      break;
    } catch (e) {
      const errors = e.errors ?? [];
      const blamed = [...new Set(errors.map(culprit).filter(Boolean))].filter((n) => !stubs[n]);
      if (blamed.length === 0 || attempt > 2) throw e;
      for (const n of blamed) {
        const first = errors.find((x) => culprit(x) === n);
        const where = first.location ? ` (${first.location.file}:${first.location.line})` : '';
        stubs[n] = `it does not build: ${first.text}${where}`;
        log(`warning: ${n} left out of the page: ${stubs[n]}`);
      }
    }
  }
  for (const f of ['index.html', 'styles.css']) await copyFile(join(here, 'src', f), join(out, f));
  await copyDir(EMBEDDED, join(out, 'data/fashion-mnist-subset'), (f) => EMBEDDED_FILES.includes(f));
  const runtimes = {};
  for (const w of WASM) {
    try {
      const entry = createRequire(join(w.via, 'package.json')).resolve(w.from);
      runtimes[w.to] = await copyDir(dirname(entry), join(out, w.to), (f) => w.files.test(f));
    } catch (e) {
      log(`warning: ${w.from} not found (${e.message.split('\n')[0]}): ${w.to}/ left empty; its backends will say they cannot load`);
      runtimes[w.to] = [];
    }
  }
  const sizes = Object.fromEntries(Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js')).map(([f, o]) => [relative(out, resolve(here, f)), o.bytes]));
  return { outdir: out, stubs, runtimes, sizes, metafile: result.metafile };
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
