import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, deflateRawSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { encodeIdx, encodeTar } from '../testing/encoders.js';
import { readArchive } from './archive.js';
import { MAX_INFLATED_BYTES, crc32, gunzipChecked } from './gzip.js';
import { readIdxImages } from './idx.js';

const MiB = 1024 * 1024;

/** Raw deflate data that a sync flush leaves byte-aligned and not final, so pieces concatenate. */
function piece(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }));
}

/**
 * A gzip file of `prefix` followed by `zeroMiB` MiB of zeros, built from repeated compressed
 * pieces (about 1 KB per MiB) without ever holding the zeros. The trailer is forged (`crc`,
 * `isize`): a bomb is meant to be refused before its trailer is read.
 */
function zeroBomb(prefix: Uint8Array, zeroMiB: number, trailer = { crc: 0, isize: 0 }): Uint8Array {
  const head = piece(prefix);
  const zeros = piece(new Uint8Array(MiB));
  const parts = [Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff), head];
  for (let i = 0; i < zeroMiB; i++) parts.push(zeros);
  parts.push(Uint8Array.of(0x03, 0x00)); // a final fixed-Huffman block holding only end-of-block
  const t = new Uint8Array(8);
  new DataView(t.buffer).setUint32(0, trailer.crc >>> 0, true);
  new DataView(t.buffer).setUint32(4, trailer.isize >>> 0, true);
  parts.push(t);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const idxHeader = (n: number, rows: number, cols: number) => {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x803);
  v.setUint32(4, n); v.setUint32(8, rows); v.setUint32(12, cols);
  return h;
};

function errorOf(f: () => unknown): Error {
  try { f(); } catch (e) { return e as Error; }
  throw new Error('expected an error');
}

const dir = mkdtempSync(join(tmpdir(), 'descent-gzip-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a reader on a file in a fresh Node process and reports its peak RSS: the reader's
 * modules are bundled from source (esbuild), the file is written here.
 */
function inChild(reader: 'idx' | 'archive', bytes: Uint8Array): { name: string; message: string; peakMiB: number; ms: number } {
  const file = join(dir, `input-${reader}-${bytes.length}`);
  writeFileSync(file, bytes);
  const here = fileURLToPath(new URL('.', import.meta.url));
  const script = join(dir, `run-${reader}.mjs`);
  buildSync({
    stdin: { contents: `
      import { readFileSync } from 'node:fs';
      import { readIdxImages } from './idx.ts';
      import { readArchive } from './archive.ts';
      const bytes = new Uint8Array(readFileSync(process.argv[2]));
      const before = process.resourceUsage().maxRSS;
      const t0 = performance.now();
      let name = 'none', message = '';
      try { ${reader === 'idx' ? 'readIdxImages' : 'readArchive'}(bytes, 'bomb.gz'); } catch (e) { name = e.name; message = e.message; }
      const ms = performance.now() - t0;
      console.log(JSON.stringify({ name, message, ms, peakMiB: (process.resourceUsage().maxRSS - before) / 1024 }));
    `, resolveDir: here, loader: 'ts' },
    outfile: script, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe('decompression bombs', () => {
  // 47 MB declared (60000 28×28 images), 1 GiB of zeros in about 1 MB of gzip.
  const header = idxHeader(60000, 28, 28);
  const declared = 16 + 60000 * 28 * 28;

  it('an IDX bomb is refused past the size its header declares, quickly', () => {
    const bomb = zeroBomb(header, 1024);
    expect(bomb.length).toBeLessThan(1.5 * MiB);
    const t0 = performance.now();
    const e = errorOf(() => readIdxImages(bomb, 'train-images-idx3-ubyte.gz'));
    expect(performance.now() - t0).toBeLessThan(8000); // before: 16 s; about 1 s here unloaded
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`train-images-idx3-ubyte.gz: corrupt gzip data: it decompresses to more than the ${declared} ` +
      'bytes its IDX header describes (16-byte header + 60000×28×28 data): trailing bytes, damage, or a decompression bomb');
  });

  it('an IDX bomb, with or without a forged size field, stays within memory (child process peak RSS)', () => {
    for (const isize of [0, 0xffffffff]) {
      const r = inChild('idx', zeroBomb(header, 1024, { crc: 0, isize }));
      expect(r.name).toBe('DataError');
      expect(r.message).toMatch(/decompresses to more than the 47040016 bytes/);
      // Before: 1.1 GB (2.1 GB with the size forged). Now the declared 47 MB and a few MB of chunks.
      expect(r.peakMiB, JSON.stringify(r)).toBeLessThan(150);
      expect(r.ms).toBeLessThan(8000);
    }
  });

  it('a header declaring more than MAX_INFLATED_BYTES is refused by its header', () => {
    const bomb = zeroBomb(idxHeader(1_000_000, 1000, 1000), 4);
    expect(() => readIdxImages(bomb, 'huge.gz')).toThrow(
      `huge.gz: the IDX header declares 1000000000016 bytes (16-byte header + 1000000×1000×1000 data), more than ` +
      `the ${MAX_INFLATED_BYTES} bytes a gzipped file may decompress to (MAX_INFLATED_BYTES)`);
  });

  it('a .tar.gz bomb is refused at the documented cap, within memory', () => {
    const tarHead = encodeTar([{ path: 'cifar-10-batches-py/data_batch_1', bytes: new Uint8Array(0) }]).subarray(0, 512);
    const bomb = zeroBomb(tarHead, 1024);
    const r = inChild('archive', bomb);
    expect(r.name).toBe('DataError');
    expect(r.message).toBe(`bomb.gz: decompresses to more than ${MAX_INFLATED_BYTES} bytes, the most allowed ` +
      '(MAX_INFLATED_BYTES): a decompression bomb, or not a data set file');
    // Before: over 1 GiB. Now the 256 MiB cap (a buffer that grows by doubling: at most 1.5× it at once).
    expect(r.peakMiB, JSON.stringify(r)).toBeLessThan(450);
    expect(r.ms).toBeLessThan(20_000); // about 2 s unloaded: inflating the 256 MiB the cap allows
  });

  it('a caller may set a tighter cap', () => {
    const bomb = zeroBomb(new Uint8Array(0), 64);
    expect(() => gunzipChecked(bomb, 'b.gz', { maxBytes: MiB })).toThrow(
      'b.gz: decompresses to more than 1048576 bytes, the most allowed');
  });
});

describe('gzip trailer and stream end', () => {
  const data = encodeIdx(Uint8Array.from({ length: 4 * 9 }, (_, i) => i), [4, 3, 3]);

  it('a trailer that describes only a prefix of the data is an error', () => {
    // The whole stream holds data + 100 more bytes; the trailer's CRC and size describe `data` alone.
    const more = new Uint8Array(data.length + 100);
    more.set(data);
    const gz = gzipSync(more, { mtime: 0 });
    const t = gz.length - 8;
    new DataView(gz.buffer, gz.byteOffset).setUint32(t, crc32(data), true);
    new DataView(gz.buffer, gz.byteOffset).setUint32(t + 4, data.length, true);
    expect(() => gunzipChecked(gz, 'forged.gz')).toThrow(
      `forged.gz: corrupt gzip data: length mismatch: the trailer says ${data.length} bytes, decompressing gave ${more.length}`);
    // Same size, wrong CRC.
    new DataView(gz.buffer, gz.byteOffset).setUint32(t + 4, more.length, true);
    expect(() => gunzipChecked(gz, 'forged.gz')).toThrow(/^forged\.gz: corrupt gzip data: CRC-32 mismatch/);
  });

  it('concatenated members are each checked', () => {
    const a = gzipSync(data, { mtime: 0 });
    const b = gzipSync(Uint8Array.from([9, 9]), { mtime: 0 });
    b[b.length - 8]! ^= 1; // the second member's CRC
    const two = new Uint8Array(a.length + b.length);
    two.set(a);
    two.set(b, a.length);
    expect(() => gunzipChecked(two, 'two.gz')).toThrow(
      new RegExp(`^two\\.gz: corrupt gzip data: CRC-32 mismatch of the member at byte ${a.length}`));
  });

  it('bytes after the stream are an error', () => {
    const a = gzipSync(data, { mtime: 0 });
    for (const tail of [[0], [0, 0, 0, 0], [0x1f], [1, 2, 3]]) {
      const t = new Uint8Array(a.length + tail.length);
      t.set(a);
      t.set(tail, a.length);
      expect(() => gunzipChecked(t, 'tail.gz'), String(tail)).toThrow(DataError);
      expect(() => gunzipChecked(t, 'tail.gz'), String(tail)).toThrow(/^tail\.gz: corrupt gzip data: /);
    }
    const t = new Uint8Array(a.length + 3);
    t.set(a);
    expect(() => gunzipChecked(t, 'tail.gz')).toThrow(
      `tail.gz: corrupt gzip data: 3 bytes of trailing data after the end of the gzip stream at byte ${a.length}`);
  });

  it('a .tar.gz reads as before', () => {
    const tar = encodeTar([{ path: 'a/b.txt', bytes: Uint8Array.from([1, 2, 3]) }]);
    expect(readArchive(gzipSync(tar), 'x.tar.gz').map((e) => [e.path, [...e.bytes]])).toEqual([['a/b.txt', [1, 2, 3]]]);
  });
});
