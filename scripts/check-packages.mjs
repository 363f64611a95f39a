// pnpm check:packages — are the library packages installable outside this repository?
//
//   1. builds every public package under packages/ (turbo: JavaScript, declarations, maps);
//   2. packs each with `pnpm pack` (workspace:* becomes the real version) into a temp folder;
//   3. runs publint (--strict: warnings fail too) and attw (--profile esm-only: the packages
//      are ESM-only, so node10 and require() from CommonJS are not asked for) on each tarball;
//   4. checks that every source map and declaration map in a tarball names files it ships;
//   5. installs the tarballs' contents into a temp consumer project (third-party dependencies
//      linked from this workspace's node_modules, since only the @descent packages are under
//      test) and there (a) type-checks an import of every entry point with moduleResolution
//      nodenext and bundler (lib es2022 + dom, @types/node, skipLibCheck off), reporting errors
//      in the @descent declarations; (b) imports every entry point in Node; (c) finds core's
//      embedded data set in the installed package.
//
//   node scripts/check-packages.mjs [--no-build] [--keep]
//
// Exits non-zero when any step finds an error. Needs no network: attw runs with
// --no-definitely-typed and every dependency comes from the workspace.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];

function run(label, cmd, cmdArgs, options = {}) {
  console.log(`\n$ ${[cmd, ...cmdArgs].map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', cwd: options.cwd ?? root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...options.env } });
  if (r.error) throw r.error;
  if (r.status !== 0) failures.push(`${label} (exit ${r.status})`);
  return r;
}

/** Public packages under packages/: name, folder, manifest. */
const libraries = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => {
    const dir = join(root, 'packages', d.name);
    return { dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
  })
  .filter((l) => !l.pkg.private);
if (libraries.length === 0) throw new Error('no public packages under packages/');
console.log(`libraries: ${libraries.map((l) => l.pkg.name).join(', ')}`);

if (!args.has('--no-build')) {
  const r = run('build', bin('turbo'), ['run', 'build', '--output-logs=errors-only', ...libraries.map((l) => `--filter=${l.pkg.name}`)]);
  if (r.status !== 0) finish();
}

const tmp = mkdtempSync(join(tmpdir(), 'descent-packages-'));
const tarballs = join(tmp, 'tarballs');
mkdirSync(tarballs);

// Pack, then publint and attw each tarball.
for (const l of libraries) {
  const r = run(`pack ${l.pkg.name}`, 'pnpm', ['pack', '--pack-destination', tarballs, '--json'], { cwd: l.dir, capture: true });
  if (r.status !== 0) continue;
  const packed = JSON.parse(r.stdout);
  l.tarball = packed.filename;
  const files = packed.files.map((f) => f.path);
  const tests = files.filter((f) => f.endsWith('.test.ts'));
  console.log(`${relative(root, l.dir)}: ${files.length} files packed into ${relative(tmp, l.tarball)}`);
  if (tests.length > 0) failures.push(`${l.pkg.name}: packs test files (${tests.join(', ')})`);
  run(`publint ${l.pkg.name}`, bin('publint'), ['run', l.tarball, '--strict']);
  run(`attw ${l.pkg.name}`, bin('attw'), [l.tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'table-flipped', '--no-emoji',
    ...(process.stdout.isTTY ? [] : ['--no-color'])]);
}

// A consumer project outside the repository with the packed packages installed.
const consumer = join(tmp, 'consumer');
const modules = join(consumer, 'node_modules');
const specifiers = [];
const linked = new Map();
mkdirSync(modules, { recursive: true });
for (const l of libraries.filter((x) => x.tarball)) {
  const unpacked = join(tmp, 'unpacked', l.pkg.name);
  mkdirSync(unpacked, { recursive: true });
  run(`unpack ${l.pkg.name}`, 'tar', ['-xzf', l.tarball, '-C', unpacked, '--strip-components=1']);
  const target = join(modules, l.pkg.name);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(unpacked, target, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  // Source maps and declaration maps point at files the package ships (src/).
  const maps = readdirSync(join(target, 'dist'), { recursive: true }).filter((f) => f.endsWith('.map'));
  const dangling = maps.flatMap((m) => JSON.parse(readFileSync(join(target, 'dist', m), 'utf8')).sources
    .map((s) => join(dirname(join('dist', m)), s)).filter((s) => !existsSync(join(target, s))));
  console.log(`${l.pkg.name}: ${maps.length} maps, ${dangling.length} sources missing from the package`);
  if (dangling.length > 0) failures.push(`${l.pkg.name}: maps name files it does not ship (${[...new Set(dangling)].slice(0, 5).join(', ')})`);
  for (const key of Object.keys(manifest.exports ?? { '.': null })) specifiers.push(key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`);
  // Third-party dependencies: linked to the copies this workspace installed for the package.
  const deps = { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies };
  for (const dep of Object.keys(deps)) {
    if (dep.startsWith('@descent/') || linked.has(dep)) continue;
    const from = join(l.dir, 'node_modules', dep);
    if (!existsSync(from)) {
      if (!manifest.dependencies?.[dep]) continue; // an optional or peer dependency not installed here
      failures.push(`${l.pkg.name}: dependency ${dep} is not installed in the workspace`);
      continue;
    }
    linked.set(dep, realpathSync(from));
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(realpathSync(from), join(modules, dep), 'dir');
  }
}
for (const dep of ['@types/node', 'typescript']) {
  mkdirSync(dirname(join(modules, dep)), { recursive: true });
  symlinkSync(realpathSync(join(root, 'node_modules', dep)), join(modules, dep), 'dir');
}
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
writeFileSync(join(consumer, 'index.ts'), specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n')
  + `\nexport const modules = [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`);
const consumerConfigs = {
  'tsconfig.nodenext.json': { module: 'nodenext', moduleResolution: 'nodenext' },
  'tsconfig.bundler.json': { module: 'esnext', moduleResolution: 'bundler' },
};
for (const [file, resolution] of Object.entries(consumerConfigs)) {
  writeFileSync(join(consumer, file), JSON.stringify({
    compilerOptions: { ...resolution, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false },
    files: ['index.ts'],
  }, null, 2));
  // Errors inside third-party declarations are theirs, not what this check is about.
  console.log(`\n$ tsc -p ${file}   (consumer in ${relative(tmp, consumer)}; errors outside node_modules/@descent and index.ts ignored)`);
  const r = spawnSync(process.execPath, [join(modules, 'typescript', 'bin', 'tsc'), '-p', file, '--pretty', 'false'], { cwd: consumer, encoding: 'utf8' });
  const errors = r.stdout.split('\n').filter((line) => /error TS/.test(line));
  const ours = errors.filter((line) => line.startsWith('index.ts') || line.startsWith('node_modules/@descent/'));
  for (const line of ours) console.log(line);
  console.log(`${ours.length} errors in @descent declarations (${errors.length - ours.length} in third-party ones ignored)`);
  if (ours.length > 0) failures.push(`consumer type check ${file}`);
}
const load = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); console.log(s + ': ' + Object.keys(m).length + ' exports'); }`;
run('consumer import', process.execPath, ['--input-type=module', '-e', load], { cwd: consumer });
// The embedded data set ships with core and is found from the installed package.
if (specifiers.includes('@descent/core/node')) {
  const data = `const { embeddedDataPath } = await import('@descent/core/node');
    const p = embeddedDataPath(); console.log('embedded data: ' + p);
    if (!p.startsWith(process.cwd())) throw new Error('embedded data found outside the consumer project');`;
  run('embedded data', process.execPath, ['--input-type=module', '-e', data], { cwd: consumer, env: { DESCENT_EMBEDDED_DATA: '' } });
}

if (args.has('--keep')) console.log(`\nkept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
finish();

function finish() {
  if (failures.length > 0) {
    console.error(`\ncheck:packages failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`\ncheck:packages: ${libraries.length} packages pass publint --strict, attw --profile esm-only and the consumer checks`);
}
