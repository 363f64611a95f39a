/**
 * The shared loopback static server (scripts/static-server.mjs, behind apps/web/serve.mjs and
 * the Chromium harness): thousands of requests, hundreds of downloads abandoned mid-stream,
 * files that cannot be served, malformed URLs, other methods and foreign Hosts, after which
 * it still answers and holds no more file descriptors than before. Loopback only, bounded.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIG = 8 << 20;

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function get(port: number, path: string, options: { method?: string; host?: string; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((ok, bad) => {
    const req = request({
      host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false,
      headers: { host: options.host ?? `127.0.0.1:${port}` },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', bad);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', bad);
    req.end();
  });
}

/** Starts downloading path on a raw socket and hangs up after the first chunk (or at once). */
function abandon(port: number, path: string, atOnce: boolean): Promise<void> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      if (atOnce) setImmediate(() => socket.destroy());
    });
    socket.once('data', () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => ok());
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) { const i = next++; out[i] = await job(i); }
  }));
  return out;
}

const openFds = () => readdirSync('/proc/self/fd').length;

async function settledFds(limit: number): Promise<number> {
  let n = openFds();
  for (let i = 0; i < 50 && n > limit; i++) { await new Promise((r) => setTimeout(r, 100)); n = openFds(); }
  return n;
}

describe('the shared static server', () => {
  let dir: string;
  let root: string;
  let server: StaticServer;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'descent-static-'));
    root = join(dir, 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(join(root, 'dir.js'));
    mkdirSync(join(dir, 'ort'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(root, 'sub', 'a.js'), 'export const a = 1;\n');
    writeFileSync(join(root, 'sub', 'x.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
    writeFileSync(join(root, 'empty.txt'), '');
    writeFileSync(join(root, 'big.bin'), Buffer.alloc(BIG, 7));
    writeFileSync(join(dir, 'ort', 'm.onnx'), 'onnx');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'locked.txt'), 'locked');
    chmodSync(join(root, 'locked.txt'), 0);
    symlinkSync(join(dir, 'secret.txt'), join(root, 'out.txt'));
    symlinkSync(dir, join(root, 'up'));
    symlinkSync(join(root, 'sub', 'a.js'), join(root, 'inside.js'));
    execFileSync('mkfifo', [join(root, 'pipe.js')]);
    server = await startStaticServer({
      mounts: { '/': root, '/ort/': join(dir, 'ort') },
      files: { '/entry.js': { type: 'text/javascript; charset=utf-8', body: 'console.log(1);' } },
      headers: { 'Cache-Control': 'no-cache' },
    });
    port = server.port;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves files, with COOP/COEP, types and HEAD', async () => {
    const home = await get(port, '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('<title>t</title>');
    expect(home.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(home.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(home.headers['cache-control']).toBe('no-cache');
    expect((await get(port, '/sub/a.js?v=1')).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get(port, '/sub/x.wasm')).headers['content-type']).toBe('application/wasm');
    expect((await get(port, '/ort/m.onnx')).body.toString()).toBe('onnx');
    expect((await get(port, '/entry.js')).body.toString()).toBe('console.log(1);');
    expect((await get(port, '/inside.js')).status).toBe(200);
    expect((await get(port, '/sub/%61.js')).status).toBe(200);
    const empty = await get(port, '/empty.txt');
    expect([empty.status, empty.body.length]).toEqual([200, 0]);
    const head = await get(port, '/big.bin', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(BIG), 0]);
    expect((await get(port, '/nope.js')).status).toBe(404);
  });

  it('answers 400 to malformed URLs, 405 to other methods, 421 to a foreign Host', async () => {
    for (const path of ['/%', '/%zz', '/a%', '/sub%2fa.js', '/%00', '/sub%5ca.js']) expect((await get(port, path)).status, path).toBe(400);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const a = await get(port, '/index.html', { method });
      expect(a.status, method).toBe(405);
      expect(a.headers['allow']).toBe('GET, HEAD');
      expect(a.body.toString()).not.toContain('<title>');
    }
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `192.168.0.1:${port}`, `localhost.evil:${port}`]) {
      const a = await get(port, '/', { host });
      expect(a.status, host).toBe(421);
      expect(a.body.toString()).not.toContain('<title>');
    }
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) expect((await get(port, '/', { host })).status, host).toBe(200);
  });

  it('serves nothing outside its root', async () => {
    for (const path of ['/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/ort/../secret.txt', '/ort/%2E%2E/root/index.html']) {
      const a = await get(port, path);
      expect([403, 404], path).toContain(a.status);
      expect(a.body.toString()).not.toContain('secret\n');
    }
    for (const path of ['/out.txt', '/up/secret.txt', '/up/ort/m.onnx']) {
      const a = await get(port, path);
      expect(a.status, path).toBe(403);
      expect(a.body.toString()).not.toBe('secret');
    }
  });

  it('refuses what is not a readable regular file and keeps answering', async () => {
    expect((await get(port, '/dir.js')).status).toBe(404);
    expect((await get(port, '/dir.js/')).status).toBe(404);
    expect((await get(port, '/pipe.js')).status).toBe(404);   // a FIFO: must not block waiting for a writer
    const locked = await get(port, '/locked.txt');
    // chmod 000 stops everyone but root; as root the file is readable and served.
    expect(locked.status).toBe(process.getuid?.() === 0 ? 200 : 403);
    expect((await get(port, '/')).status).toBe(200);
  });

  it('survives thousands of requests and hundreds of abandoned downloads with a constant number of open files', async () => {
    for (let i = 0; i < 5; i++) { await get(port, '/'); await abandon(port, '/big.bin', false); }
    await new Promise((r) => setTimeout(r, 200));
    const before = openFds();
    const paths = ['/', '/sub/a.js', '/entry.js', '/nope', '/%', '/pipe.js', '/dir.js', '/out.txt', '/ort/m.onnx', '/index.html'];
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const answers = await pool(2000, 16, (i) => get(port, paths[i % paths.length]!, { agent, ...(i % 7 === 0 ? { method: 'HEAD' } : {}) }));
    agent.destroy();
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(900);
    await pool(300, 20, (i) => abandon(port, '/big.bin', i % 3 === 0));
    const aborted = await get(port, '/big.bin');
    expect([aborted.status, aborted.body.length]).toEqual([200, BIG]);
    const after = await settledFds(before + 8);
    expect(after).toBeLessThanOrEqual(before + 8);
    expect((await get(port, '/')).status).toBe(200);
  }, 60_000);
});

describe('apps/web/serve.mjs', () => {
  it('says clearly that a port is busy', async () => {
    const busy = await startStaticServer({});
    try {
      const dist = mkdtempSync(join(tmpdir(), 'descent-serve-'));
      writeFileSync(join(dist, 'index.html'), 'x');
      const child = spawn(process.execPath, [join(repo, 'apps/web/serve.mjs'), dist], { env: { ...process.env, PORT: String(busy.port) } });
      let err = '';
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      const code = await new Promise<number | null>((ok) => child.on('close', ok));
      rmSync(dist, { recursive: true, force: true });
      expect(code).toBe(2);
      expect(err).toContain(`port ${busy.port} on 127.0.0.1 is already in use`);
    } finally {
      await busy.close();
    }
  });

  it('outlives running out of file descriptors (ulimit -n 100, 150 stalled downloads)', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'descent-serve-'));
    writeFileSync(join(dist, 'index.html'), 'page');
    writeFileSync(join(dist, 'big.bin'), Buffer.alloc(BIG, 1));
    const child = spawn('bash', ['-c', `ulimit -n 100 && exec "${process.execPath}" "${join(repo, 'apps/web/serve.mjs')}" "${dist}"`],
      { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    try {
      const port = await new Promise<number>((ok, bad) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => { out += c.toString(); const m = /127\.0\.0\.1:(\d+)/.exec(out); if (m) ok(Number(m[1])); });
        child.on('close', () => bad(new Error(`serve.mjs exited: ${err}`)));
      });
      for (let round = 0; round < 2; round++) {
        const sockets = Array.from({ length: 150 }, () => {
          const s = connect(port, '127.0.0.1', () => s.write(`GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
          s.on('error', () => {});
          s.pause();
          return s;
        });
        await new Promise((r) => setTimeout(r, 1000));
        for (const s of sockets) s.destroy();
        await new Promise((r) => setTimeout(r, 300));
        const home = await get(port, '/');
        expect([home.status, home.body.toString()]).toEqual([200, 'page']);
      }
      expect(child.exitCode).toBe(null);
      expect(readdirSync(`/proc/${child.pid}/fd`).length).toBeLessThan(40);
    } finally {
      child.kill();
      rmSync(dist, { recursive: true, force: true });
    }
  }, 30_000);

  it('keeps startServer({ root, port, host })', async () => {
    type StartServer = (o: { root: string; port?: number; host?: string }) => Promise<{ url: string; close(): Promise<void> }>;
    const { startServer } = (await import(pathToFileURL(join(repo, 'apps/web/serve.mjs')).href)) as { startServer: StartServer };
    const dist = mkdtempSync(join(tmpdir(), 'descent-serve-'));
    writeFileSync(join(dist, 'index.html'), '<p>page</p>');
    const s = await startServer({ root: dist, port: 0, host: '127.0.0.1' });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(s.url);
      expect(await res.text()).toBe('<p>page</p>');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect((await fetch(s.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await s.close();
      rmSync(dist, { recursive: true, force: true });
    }
    await expect(startServer({ root: join(dist, 'missing') })).rejects.toThrow(/no index.html/);
  });
});
