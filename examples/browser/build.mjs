// Builds the page into dist/ (or the folder given): static files any web server can host.
//
//   node build.mjs [outdir]
//
//   index.html         the page
//   main.js, chunks/   the page's code; each backend package and its runtime (TensorFlow.js,
//                      ONNX Runtime Web) is a chunk of its own, loaded when that backend is used
//   wasm/tfjs/, wasm/ort/   the runtimes' .wasm files, copied by copyBackendAssets; the page
//                      tells the registry where they are (createRegistry({ assetBase }))
import { build } from 'esbuild';
import { copyBackendAssets } from '@descent/backends/node';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] ?? join(here, 'dist'));
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  absWorkingDir: here,
  entryPoints: { main: 'src/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));

const assets = await copyBackendAssets(join(outdir, 'wasm'));
for (const m of assets.missing) console.error(`missing asset: ${m}`);
console.log(`built ${outdir}: wasm ${Object.entries(assets.dirs).map(([d, f]) => `${d}/ (${f.join(', ')})`).join('; ')}`);
if (assets.missing.length > 0) process.exitCode = 1;
