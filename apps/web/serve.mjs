// Serves a built page (dist/, or the folder given) on 127.0.0.1 and prints its address.
//
//   node serve.mjs [folder]        PORT=8080 node serve.mjs
//
// Any static web server can host dist/; this one (the project's shared loopback server,
// scripts/static-server.mjs) adds the right types for .wasm and .mjs and the COOP/COEP headers
// that make the page cross-origin isolated (so runtimes may use threads; the page works
// without them). It answers GET and HEAD only, and only to a loopback Host.
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Starts the server; resolves to { url, close() } once it listens. port 0 picks a free one.
 */
export async function startServer({ root = join(here, 'dist'), port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const info = await stat(join(base, 'index.html')).catch(() => undefined);
  if (!info) throw new Error(`${base} holds no index.html: build the page first (node build.mjs)`);
  const { url, close } = await startStaticServer({ mounts: { '/': base }, headers: { 'Cache-Control': 'no-cache' }, port, host });
  return { url, close };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const folder = process.argv[2];
  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    console.error(`descent web: error: PORT must be a port number (0–65535), got '${process.env.PORT}'`);
    process.exit(2);
  }
  try {
    const { url } = await startServer({ ...(folder ? { root: folder } : {}), port });
    console.log(`descent web page: ${url}  (Ctrl-C to stop)`);
  } catch (e) {
    const why = e?.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use (choose another with PORT=…)`
      : e?.code === 'EACCES' ? `no permission to listen on port ${port}` : (e?.message ?? String(e));
    console.error(`descent web: error: ${why}`);
    process.exit(2);
  }
}
