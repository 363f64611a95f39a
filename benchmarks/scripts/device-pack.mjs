#!/usr/bin/env node
// Packs what `pnpm bench:gpu` and `bench:agree --no-browser` need on a lent GPU machine (the
// `device` tool) that has no Node and no network: run here, in the repository root, then call the
// tool with carry [".dev", ".gl"] and the command `bash .dev/run.sh` (or `bash .dev/run.sh agree`).
//
//   node benchmarks/scripts/device-pack.mjs
//
// .dev/pack.tar.xz holds this machine's node binary (as /opt/descent-node/node) and
// onnxruntime-node's Linux x64 build with onnxruntime-common at their absolute paths here, so the
// bundles in .dev/dist resolve them there as they do here (~37 MB). .gl/ holds Debian's Vulkan
// and GL loaders (the device README's list). Both folders are ignored (.git/info/exclude); the
// pack is a build product: never commit it. Measured use: docs/environment.md, "A GPU machine".
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const root = process.cwd();
if (!existsSync(join(root, 'pnpm-workspace.yaml'))) throw new Error('run from the repository root');
const exclude = join(root, '.git', 'info', 'exclude');
mkdirSync(dirname(exclude), { recursive: true });
const excluded = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
for (const line of ['/.dev/', '/.gl/']) if (!excluded.split('\n').includes(line)) appendFileSync(exclude, `${line}\n`);

// onnxruntime-node as the benchmarks package resolves it, with its own dependency folder (pnpm's layout).
const require = createRequire(join(root, 'packages', 'backend-onnx', 'package.json'));
const packageDir = (entry) => { let d = dirname(entry); while (!existsSync(join(d, 'package.json'))) d = dirname(d); return d; };
const ortDir = packageDir(require.resolve('onnxruntime-node'));
const storeDir = dirname(dirname(ortDir)); // …/.pnpm/onnxruntime-node@x/
const commonDir = packageDir(createRequire(join(ortDir, 'package.json')).resolve('onnxruntime-common'));
const commonStore = dirname(dirname(commonDir));
const bin = join(ortDir, 'bin', 'napi-v6');
const others = readdirSync(bin).flatMap((os) => readdirSync(join(bin, os)).map((arch) => join(bin, os, arch))).filter((p) => !p.endsWith(join('linux', 'x64')));

mkdirSync(join(root, '.dev', 'dist'), { recursive: true });
const rel = (p) => relative('/', p);
const tar = join(root, '.dev', 'pack.tar');
rmSync(`${tar}.xz`, { force: true });
execFileSync('tar', ['-cf', tar, '-C', '/', `--transform=s#^${rel(process.execPath)}$#opt/descent-node/node#`,
  ...others.map((p) => `--exclude=${rel(p)}`), rel(storeDir), rel(commonStore), rel(process.execPath)], { stdio: 'inherit' });
execFileSync('xz', ['-T2', '-6', tar], { stdio: 'inherit' });

// The bundles: onnxruntime-node by absolute path (in the pack), tfjs-core bundled, the other
// runtimes external (absent there: those backends report unavailable), no Chromium driver.
await build({
  entryPoints: { gpu: 'benchmarks/src/gpu/main.ts', agree: 'benchmarks/src/agree/main.ts' }, outdir: '.dev/dist', bundle: true, format: 'esm',
  platform: 'node', target: 'node20', conditions: ['source'], logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [{ name: 'device', setup(b) {
    b.onResolve({ filter: /^(playwright-core|esbuild)$/ }, (a) => ({ path: a.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const chromium = undefined; export const build = undefined; export default {};' }));
    b.onResolve({ filter: /^(onnxruntime-node|onnxruntime-web|@tensorflow\/tfjs-(backend|node|converter))/ }, (a) => (a.path.startsWith('onnxruntime-node')
      ? { path: createRequire(join(a.resolveDir, 'noop.js')).resolve(a.path), external: true } : { path: a.path, external: true }));
  } }],
});
execFileSync('cp', ['-r', 'benchmarks/python', '.dev/']);

writeFileSync(join(root, '.dev', 'run.sh'), `#!/bin/bash
# On the device machine: unpack, then bench:gpu (onnx-cpu and onnx-cuda with the peers, then
# onnx-webgpu alone, so a hang there loses nothing else), or the agreement suite ('agree').
cd "$(dirname "$0")/.."
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
[ -x /opt/descent-node/node ] || python3 -c "import tarfile; tarfile.open('.dev/pack.tar.xz').extractall('/')" || exit 1
export PATH=/opt/descent-node:$PATH
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; [ -f $icd ] && export VK_DRIVER_FILES=$icd
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
if [ "$1" = agree ]; then
  timeout 200 node .dev/dist/agree.js --no-browser 2>&1 | tee "$OUT/agree-log.txt"; cp .dev/results/agree.* "$OUT/" 2>/dev/null; exit
fi
mkdir -p "$OUT/cpu" "$OUT/webgpu"
timeout \${CPU_BUDGET:-250} node .dev/dist/gpu.js --backends onnx-cpu,onnx-cuda --threads \${THREADS:-1,16} --out "$OUT/cpu" 2>&1 | tee "$OUT/cpu/log.txt"
timeout \${GPU_BUDGET:-170} node .dev/dist/gpu.js --backends onnx-webgpu --no-peers --out "$OUT/webgpu" 2>&1 | tee "$OUT/webgpu/log.txt"
`);
chmodSync(join(root, '.dev', 'run.sh'), 0o755);

// Debian's Vulkan and GL loaders, amd64, as the device README lists them.
mkdirSync(join(root, '.gl'), { recursive: true });
mkdirSync('/tmp/amd64/partial', { recursive: true });
const apt = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', '-oDir::State::Lists=/tmp/amd64'];
execFileSync('apt-get', [...apt, 'update'], { stdio: 'ignore' });
execFileSync('apt-get', [...apt, 'download', 'libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'], { cwd: join(root, '.gl'), stdio: 'ignore' });
console.log(`device pack ready: ${readdirSync(join(root, '.dev')).join(', ')}; .gl: ${readdirSync(join(root, '.gl')).length} debs. `
  + 'Call the device tool with carry [".dev", ".gl"] and the command: bash .dev/run.sh');
