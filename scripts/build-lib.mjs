// Builds a library package's entry points to dist/ with esbuild (ESM, one file per entry,
// workspace packages and npm dependencies left external).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const entries = process.argv.slice(2);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}), 'node:*'];

await build({
  entryPoints: entries,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
