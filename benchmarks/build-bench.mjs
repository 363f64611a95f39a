// Bundles the benchmark (src/bench/main.ts → dist/bench.js), the agreement report
// (src/agree/main.ts → dist/agree.js) and the streaming benchmark (src/stream → dist/stream.js) for Node: @descent/* from their
// TypeScript sources ('source' condition), npm code bundled, except packages that load .wasm
// or .node files next to their own code: those stay external, imported by absolute path (the
// benchmarks package itself does not list them, so a bare name would not resolve from dist/).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Package-name prefixes kept external (append yours: their files must stay where npm put them). */
const EXTERNAL = ['@tensorflow/', 'onnxruntime-node', 'onnxruntime-web'];
/** Kept external by bare name: root devDependencies, found from dist/ by Node's walk up to the root's node_modules. */
const EXTERNAL_BARE = ['esbuild', 'playwright-core'];

const keepExternal = {
  name: 'external-by-absolute-path',
  setup(b) {
    const filter = new RegExp(`^(${EXTERNAL.map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})`);
    b.onResolve({ filter }, (args) => {
      const require = createRequire(join(args.resolveDir, 'noop.js'));
      try {
        return { path: require.resolve(args.path), external: true };
      } catch (e) {
        return { errors: [{ text: `cannot resolve ${args.path} from ${args.resolveDir}: ${e.message}` }] };
      }
    });
  },
};

await build({
  // Extra entries as arguments name=path (e.g. an experiment: node build-bench.mjs try=src/bench/try.ts).
  entryPoints: { bench: 'src/bench/main.ts', agree: 'src/agree/main.ts', stream: 'src/stream/main.ts', 'stream-run': 'src/stream/run.ts', liblinear: 'src/liblinear/main.ts', 'make-probe': 'src/liblinear/make.ts', gpu: 'src/gpu/main.ts', protocol: 'src/protocol/main.ts', ...Object.fromEntries(process.argv.slice(2).map((a) => a.split('='))) },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  plugins: [keepExternal],
  external: EXTERNAL_BARE,
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies may call require(); give the ES module one.
  banner: { js: "import { createRequire as __descentCreateRequire } from 'node:module'; const require = __descentCreateRequire(import.meta.url);" },
});
