// Bundles the CLI with esbuild into dist/descent.js (plus chunks for lazily loaded backends),
// and copies the embedded data set into dist/data/fashion-mnist-subset/.
//
//   node build.mjs [--clean]
//
// Everything pure-JS is bundled in (the @descent packages from their TypeScript sources,
// commander, cli-progress, vega, protobufjs, fflate): they are devDependencies. Runtimes that
// ship native or wasm files stay external (they find their .wasm/.node files next to their own
// modules) and are the published package's only dependencies; the build fails when the bundle
// imports a package that package.json does not declare (see RUNTIME_ONLY_IN_BROWSER below).
//
// The embedded data set: core's embeddedDataPath() walks up from the folder of the module that
// calls it looking for data/fashion-mnist-subset/. Bundled, that module is dist/descent.js or
// one of its chunks (all in dist/), so dist/data/fashion-mnist-subset/ is found from a global
// install in any working directory, with no change to core.
//
// --clean (run by `prepack`) empties dist/ first, so a packed tarball holds no stale chunks of
// earlier builds. Plain builds leave dist/ alone: the CLI's tests build and run it from
// several test files at once, and must not delete each other's files.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

if (process.argv.includes('--clean')) rmSync(dist, { recursive: true, force: true });

const external = ['@tensorflow/*', 'onnxruntime-node', 'onnxruntime-web'];

const result = await build({
  absWorkingDir: here,
  entryPoints: { descent: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  external,
  // commander and cli-progress are CommonJS: give the ESM bundle a real `require`.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

// Packages the bundle imports at run time must be declared, or a global install breaks.
// These are imported by bundled code on paths Node never takes: the browser-only tfjs backends
// (the registry refuses them in Node before loading anything) and vega's optional `canvas`
// (imported inside a try, only to render PNG; the CLI writes SVG).
const RUNTIME_ONLY_IN_BROWSER = new Set(['@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-webgpu', 'canvas']);
const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {})]);
const builtins = new Set(builtinModules);
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const imported = new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports)
  .filter((i) => i.external && !i.path.startsWith('node:') && !builtins.has(i.path)).map((i) => packageName(i.path)));
const undeclared = [...imported].filter((p) => !declared.has(p) && !RUNTIME_ONLY_IN_BROWSER.has(p));
if (undeclared.length > 0) {
  console.error(`apps/cli/build.mjs: the bundle imports ${undeclared.join(', ')} at run time, but package.json does not `
    + 'declare them: add them to dependencies (or optionalDependencies), or bundle them');
  process.exit(1);
}

// The embedded data set, from core (a devDependency, linked by pnpm) into dist/data/.
const DATA_DIR = 'fashion-mnist-subset';
const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz', 'LICENSE', 'README.md'];
const from = join(here, 'node_modules', '@descent', 'core', 'data', DATA_DIR);
const to = join(dist, 'data', DATA_DIR);
mkdirSync(to, { recursive: true });
for (const f of DATA_FILES) {
  const src = join(from, f);
  const dest = join(to, f);
  const s = statSync(src);
  // Copied only when changed, and through a rename: a CLI started by another test may be
  // reading the file at this moment.
  if (existsSync(dest)) {
    const d = statSync(dest);
    if (d.size === s.size && d.mtimeMs >= s.mtimeMs) continue;
  }
  const tmp = `${dest}.${process.pid}.tmp`;
  copyFileSync(src, tmp);
  renameSync(tmp, dest);
}
