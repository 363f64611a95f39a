// Serves a built page (dist/, or the folder given) on 127.0.0.1 and prints its address.
//
//   node serve.mjs [folder]        PORT=8080 node serve.mjs
//
// Any static web server can host dist/; this one only adds the right types for .wasm and .mjs
// and the COOP/COEP headers that make the page cross-origin isolated (so runtimes may use
// threads; the page works without them).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.gz': 'application/gzip', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Starts the server; resolves to { url, close() } once it listens. port 0 picks a free one.
 */
export async function startServer({ root = join(here, 'dist'), port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const info = await stat(join(base, 'index.html')).catch(() => undefined);
  if (!info) throw new Error(`${base} holds no index.html: build the page first (node build.mjs)`);
  const server = createServer(async (req, res) => {
    try {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) return fail(res, 403, 'forbidden');
      const st = await stat(file).catch(() => undefined);
      if (!st?.isFile()) return fail(res, 404, `not found: ${path}`);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size,
        'Cache-Control': 'no-cache' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (e) {
      fail(res, 500, String(e));
    }
  });
  await new Promise((ok, bad) => { server.once('error', bad); server.listen(port, host, ok); });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}

function fail(res, status, message) {
  if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
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
