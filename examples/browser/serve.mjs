// Serves dist/ (or the folder given) on http://127.0.0.1:$PORT/ (8080; 0 picks a free port),
// with serve-static (Express's static-file middleware, on `send`): it refuses paths outside
// the folder, closes the file of a download the client abandons, and answers a read error
// with an error status instead of crashing. What this file adds: loopback only (a request
// naming another host is refused, so a DNS-rebinding page cannot read through it), GET and
// HEAD only, and the COOP/COEP headers that make the page cross-origin isolated, so the wasm
// runtimes may use threads.
//
//   node serve.mjs [dir]
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import serveStatic from 'serve-static';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'dist'));
const files = serveStatic(root, {
  index: ['index.html'],
  fallthrough: true, // a missing file reaches the handler below
});

const server = createServer((req, res) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return end(res, 421, 'this server answers only to 127.0.0.1 or localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return end(res, 405, `${req.method} is not allowed`);
  }
  files(req, res, (err) => end(res, err?.status ?? err?.statusCode ?? (err ? 500 : 404), err ? err.message : `not found: ${req.url}`));
});

function end(res, status, text) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`serving ${root} on http://127.0.0.1:${server.address().port}/`);
});
