/**
 * What a Node build script needs to ship the browser backends: copyBackendAssets().
 *
 * @module @descent/backends/node
 */
// @descent/backends/node: what a Node build script needs to ship the browser backends.
import { copyFile, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescentError, type BackendPackage } from '@descent/core';
import { BACKEND_PACKAGES } from './packages.js';

export { BACKEND_PACKAGES } from './packages.js';

/**
 * The folder of npm package `name` as Node's lookup finds it from `from`: the first
 * node_modules/<name>/package.json walking up (realpath'd: pnpm links packages). Looked up by
 * folder, not through `exports`, so it needs neither a built entry nor a package.json export.
 */
async function packageRoot(name: string, from: string): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    try {
      if (JSON.parse(await readFile(join(candidate, 'package.json'), 'utf8')).name === name) return await realpath(candidate);
    } catch { /* not here */ }
    if (dir === dirname(dir)) break;
  }
  throw new DescentError(`cannot find ${name} (needed for a browser backend's assets) in any node_modules above ${from}`);
}

export interface CopiedAssets {
  /** Per asset folder (relative to outdir), the files copied into it. */
  readonly dirs: Record<string, string[]>;
  /** Assets that could not be found, with why (their backends will say they cannot load). */
  readonly missing: readonly string[];
}

/**
 * Copies every browser backend's run-time files (wasm binaries) into `outdir/<dir>/`, as each
 * package's `assets` declares them; serve `outdir` and pass its URL as `assetBase` to
 * createRegistry. `from` is where the packages are resolved from (default: this package).
 */
export async function copyBackendAssets(outdir: string,
  options: { packages?: readonly BackendPackage[]; from?: string } = {}): Promise<CopiedAssets> {
  const from = options.from ?? dirname(fileURLToPath(import.meta.url));
  const dirs: Record<string, string[]> = {};
  const missing: string[] = [];
  for (const pkg of options.packages ?? BACKEND_PACKAGES) {
    for (const asset of pkg.assets ?? []) {
      dirs[asset.dir] ??= [];
      let root: string;
      try {
        // A backend package is a dependency of this one (of @descent/backends) and the asset's
        // package a dependency of the backend package: look each up from there.
        const backendRoot = await packageRoot(pkg.name, from)
          .catch(async () => packageRoot(pkg.name, await packageRoot('@descent/backends', from)));
        root = await packageRoot(asset.package, backendRoot);
      } catch (e) {
        missing.push(`${asset.package} (for ${pkg.name}): ${(e as Error).message}`);
        continue;
      }
      await mkdir(join(outdir, asset.dir), { recursive: true });
      for (const file of asset.files) {
        await copyFile(join(root, file), join(outdir, asset.dir, parse(file).base));
        dirs[asset.dir]!.push(parse(file).base);
      }
    }
  }
  return { dirs, missing };
}
