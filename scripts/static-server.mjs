// The one static-file server of the project: apps/web/serve.mjs (the built page) and the
// Chromium harness of benchmarks/src/browser/harness.ts (a bundle, a page and static folders)
// both use it. Loopback only, GET and HEAD only, COOP/COEP on every answer (the page is
// cross-origin isolated: SharedArrayBuffer, wasm threads).
//
// - Listens on 127.0.0.1 (or another loopback address) and answers only requests whose Host
//   header names a loopback address with the server's port (127.0.0.1, localhost, [::1]);
//   others get 421 (a DNS-rebinding page cannot read files through it).
// - GET and HEAD; any other method gets 405 with Allow: GET, HEAD.
// - A malformed URL (bad percent-encoding, an encoded '/' or NUL, not a path) gets 400.
// - Nothing outside the root: '..' segments get 403, and so do symlinks leading out of it.
// - Only regular files are served (a directory, FIFO or device where a file is expected gets
//   404); a file that cannot be opened gets 403 or 404, and a read error mid-download ends
//   that response only. A download the client abandons closes its file at once
//   (stream.pipeline), so aborted requests leak no file descriptors.
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.gz': 'application/gzip', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.onnx': 'application/octet-stream',
});

const LOOPBACK_LISTEN = new Set(['127.0.0.1', 'localhost', '::1']);
const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
};

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/**
 * Starts a static server; resolves to { url, port, server, close() } once it listens.
 *
 * options.mounts: { '/prefix/': '/abs/dir', ... } (prefix starts and ends with '/'; '/' mounts a root)
 * options.files:  { '/path': { type, body } } in-memory answers, matched before the mounts
 * options.index:  file served for a path ending in '/' inside a mount (default 'index.html'; null: none)
 * options.headers: extra headers on every answer (e.g. { 'Cache-Control': 'no-cache' })
 * options.port: 0 (default) picks a free port; options.host: a loopback address (default 127.0.0.1)
 */
export async function startStaticServer({ mounts = {}, files = {}, index = 'index.html', headers = {}, port = 0, host = '127.0.0.1' } = {}) {
  if (!LOOPBACK_LISTEN.has(host)) throw new Error(`the static server listens on a loopback address only (127.0.0.1, localhost, ::1), not '${host}'`);
  const table = [];
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`mount prefix '${prefix}' must start and end with '/'`);
    const base = resolve(dir);
    table.push({ prefix, base, real: await realpath(base).catch(() => base) });
  }
  table.sort((a, b) => b.prefix.length - a.prefix.length);
  const memory = new Map(Object.entries(files).map(([p, f]) => [p, { type: f.type, body: Buffer.from(f.body) }]));
  let bound = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `internal error: ${e?.code ?? e?.message ?? e}`;
      fail(res, status, message);
    });
  });

  async function handle(req, res) {
    for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...headers })) res.setHeader(k, v);
    if (!hostAllowed(req.headers.host, bound)) throw new HttpError(421, 'this server answers only to a loopback Host (127.0.0.1, localhost, [::1]) with its port');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, `method ${req.method} not allowed (GET, HEAD)`);
    }
    const path = parsePath(req.url ?? '');
    const mem = memory.get(path);
    if (mem) {
      res.writeHead(200, { 'Content-Type': mem.type, 'Content-Length': mem.body.length });
      res.end(req.method === 'HEAD' ? undefined : mem.body);
      return;
    }
    const mount = table.find((m) => path.startsWith(m.prefix));
    if (!mount) throw new HttpError(404, `not found: ${path}`);
    let rest = path.slice(mount.prefix.length);
    if (rest === '' || rest.endsWith('/')) {
      if (!index) throw new HttpError(404, `not found: ${path}`);
      rest += index;
    }
    await sendFile(req, res, mount, rest, path);
  }

  await new Promise((ok, bad) => {
    server.once('error', bad);
    server.listen(port, host, () => { server.off('error', bad); ok(); });
  });
  // After listening, an error (EMFILE on accept, say) must not kill the process: the
  // connection is lost, the server goes on.
  server.on('error', () => {});
  bound = server.address().port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}/`,
    port: bound,
    server,
    close: () => new Promise((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}

function hostAllowed(header, port) {
  if (typeof header !== 'string') return false;
  const h = header.toLowerCase();
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
    if (h === `${name}:${port}` || (port === 80 && h === name)) return true;
  }
  return false;
}

/** The request target's path, percent-decoded per segment, '.' and empty segments dropped. */
function parsePath(target) {
  if (!target.startsWith('/')) throw new HttpError(400, 'malformed request target (not a path)');
  const raw = target.split(/[?#]/, 1)[0];
  const segments = [];
  for (const seg of raw.split('/')) {
    let s;
    try {
      s = decodeURIComponent(seg);
    } catch {
      throw new HttpError(400, 'malformed URL (bad percent-encoding)');
    }
    if (s.includes('/') || s.includes('\\') || s.includes('\0')) throw new HttpError(400, 'malformed URL (encoded separator or NUL)');
    if (s === '' || s === '.') continue;
    if (s === '..') throw new HttpError(403, 'forbidden: the path leaves the served folder');
    segments.push(s);
  }
  const trailing = raw.endsWith('/') || raw.endsWith('/.') || segments.length === 0;
  return '/' + segments.join('/') + (trailing && segments.length ? '/' : '');
}

async function sendFile(req, res, mount, rest, shown) {
  const file = join(mount.base, rest);
  if (!file.startsWith(mount.base + sep)) throw new HttpError(403, 'forbidden: the path leaves the served folder');
  let real;
  try {
    real = await realpath(file);
  } catch (e) {
    throw new HttpError(e?.code === 'EACCES' ? 403 : 404, `not found: ${shown}`);
  }
  if (!real.startsWith(mount.real + sep)) throw new HttpError(403, 'forbidden: the path leaves the served folder');
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below as not a file).
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e?.code === 'EMFILE' || e?.code === 'ENFILE') throw new HttpError(503, 'too many open files: try again');
    throw new HttpError(e?.code === 'EACCES' || e?.code === 'EPERM' ? 403 : 404, `cannot open ${shown}`);
  }
  let streaming = false;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new HttpError(404, `not found: ${shown}`);
    res.writeHead(200, { 'Content-Type': TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': info.size });
    if (req.method === 'HEAD' || info.size === 0) { res.end(); return; }
    streaming = true;
    const stream = handle.createReadStream({ autoClose: true, start: 0, end: info.size - 1 });
    // pipeline destroys both sides when either fails or the client goes away: the file closes.
    await pipeline(stream, res).catch(() => { res.destroy(); });
  } finally {
    if (!streaming) await handle.close().catch(() => {});
  }
}

function fail(res, status, message) {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) + 1 });
  res.end(`${message}\n`);
}
