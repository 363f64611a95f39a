// Builds a library package (run in its folder) into dist/:
//   - JavaScript: esbuild, ESM, one file per entry (shared code in chunks), workspace packages
//     and npm dependencies left external, with source maps (dist/*.js.map → ../src/*.ts);
//   - declarations: tsc (emitDeclarationOnly) for the same entries, with declaration maps
//     (dist/**/*.d.ts.map → ../src/**/*.ts, which the package ships too).
//
//   node scripts/build-lib.mjs [--tsconfig FILE] [ENTRY.ts ...]
//
// Entries default to the `source` targets of package.json `exports`, so a new export needs no
// other change here. Compiler options come from the package's tsconfig.json (or --tsconfig),
// with the resolution switched to what consumers of the published package get: NodeNext
// (declarations that are valid under node16/nodenext are valid under bundler too) and no
// `source` condition, so other @descent packages resolve to their built dist/*.d.ts (turbo
// builds dependencies first) instead of being compiled into this package's output.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
let tsconfig = 'tsconfig.json';
const named = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tsconfig') tsconfig = args[++i];
  else named.push(args[i]);
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every `source` target of the exports map (one per entry point). */
function exportEntries(exports) {
  const out = [];
  const walk = (v) => {
    if (typeof v !== 'object' || v === null) return;
    if (typeof v.source === 'string') out.push(v.source);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(exports);
  return out.map((p) => p.replace(/^\.\//, ''));
}

const entries = named.length > 0 ? named : exportEntries(pkg.exports);
if (entries.length === 0) throw new Error(`${pkg.name}: no entries (no "source" condition in exports, none named)`);
for (const e of entries) {
  if (!e.startsWith('src/') || !e.endsWith('.ts')) throw new Error(`${pkg.name}: entry ${e} is not a .ts file under src/`);
}

// A clean dist/: stale files from an earlier layout must not ship.
rmSync('dist', { recursive: true, force: true });

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

// Declarations.
const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } };
const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, host);
if (!parsed) throw new Error(`${pkg.name}: cannot read ${tsconfig}`);
const options = {
  ...parsed.options,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: true,
  declarationMap: true,
  sourceMap: false,
  inlineSourceMap: false,
  composite: false,
  incremental: false,
  tsBuildInfoFile: undefined,
  outDir: resolve('dist'),
  rootDir: resolve('src'),
  declarationDir: undefined,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  customConditions: [],
  allowImportingTsExtensions: false,
};
const program = ts.createProgram({ rootNames: entries.map((e) => resolve(e)), options });
const emitted = program.emit();
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length > 0) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    process.stderr.write(`${pkg.name}: declarations failed\n`);
    process.exit(1);
  }
}

// Every entry has its JavaScript and its declarations where exports say.
const missing = entries.flatMap((e) => {
  const base = e.replace(/^src\//, 'dist/').replace(/\.ts$/, '');
  return [`${base}.js`, `${base}.d.ts`].filter((f) => !existsSync(f));
});
if (missing.length > 0) {
  process.stderr.write(`${pkg.name}: build did not produce ${missing.join(', ')}\n`);
  process.exit(1);
}
