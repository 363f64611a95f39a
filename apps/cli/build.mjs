// Bundles the CLI with esbuild into dist/descent.js (plus chunks for lazily loaded backends).
// Everything pure-JS is bundled in; runtimes that ship native or wasm files stay external
// (they find their .wasm/.node files next to their own modules), as dependencies of the CLI.
import { build } from 'esbuild';

const external = ['@tensorflow/*', 'onnxruntime-node', 'onnxruntime-web'];

await build({
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
  logLevel: 'warning',
});
