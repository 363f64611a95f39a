// Imports a workspace module from its TypeScript source in plain Node (build scripts run before
// any package is built): esbuild bundles the module with the 'source' condition into a
// temporary file, npm packages left external, and Node imports that.
import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {string} specifier e.g. '@descent/backends/node'
 * @param {string} resolveDir the folder the specifier is resolved from (a package that depends on it)
 */
export async function importSource(specifier, resolveDir) {
  const dir = await mkdtemp(join(tmpdir(), 'descent-import-'));
  const outfile = join(dir, 'module.mjs');
  try {
    await build({
      stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir, loader: 'js' },
      outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', conditions: ['source'],
      // Workspace packages (@descent/*) are bundled from source; npm packages stay where they
      // are, imported by absolute path (the temporary file has no node_modules of its own).
      plugins: [{ name: 'external-npm', setup(b) {
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.path.startsWith('@descent/') || args.pluginData === 'inner') return undefined;
          if (args.path.startsWith('node:')) return { path: args.path, external: true };
          const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
          if (r.errors.length > 0) return { errors: r.errors };
          if (r.external) return { path: args.path, external: true };
          return { path: pathToFileURL(r.path).href, external: true };
        });
      } }],
      logLevel: 'warning',
    });
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
