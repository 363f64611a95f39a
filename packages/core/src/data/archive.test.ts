import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { isTar, readArchive, readTar } from './archive.js';
import { encodeTar } from '../testing/encoders.js';

const text = (s: string) => new TextEncoder().encode(s);
const files = [
  { path: 'cifar-10-batches-py/readme.html', bytes: text('<html></html>') },
  { path: 'cifar-10-batches-py/data_batch_1', bytes: Uint8Array.from({ length: 1500 }, (_, i) => i % 251) },
  { path: 'cifar-10-batches-py/empty', bytes: new Uint8Array(0) },
  { path: `${'d'.repeat(120)}/long-name-in-the-prefix.bin`, bytes: text('x') },
];

const hasTar = (() => {
  try { execFileSync('tar', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

describe('tar archives', () => {
  it('encodeTar / readTar round-trip: paths, sizes, contents, the ustar prefix field', () => {
    const tar = encodeTar(files);
    expect(tar.length % 512).toBe(0);
    expect(isTar(tar)).toBe(true);
    const back = readTar(tar, 'a.tar');
    expect(back.map((e) => e.path)).toEqual(files.map((f) => f.path));
    back.forEach((e, i) => expect(e.bytes).toEqual(files[i]!.bytes));
  });

  it('readArchive tells .tar.gz from .tar by content, not name', () => {
    const tar = encodeTar(files);
    expect(readArchive(gzipSync(tar), 'renamed.bin').map((e) => e.path)).toEqual(files.map((f) => f.path));
    expect(readArchive(tar, 'x.tar.gz')).toHaveLength(4);
    expect(() => readArchive(text('hello'), 'notes.txt')).toThrow(
      'notes.txt: not a .tar.gz or .tar archive (no gzip magic number 1f 8b and no tar header in the first 512 bytes)');
    expect(() => readArchive(gzipSync(text('hello'.repeat(200))), 'h.gz')).toThrow(
      'h.gz: gzip-compressed, but what it holds is not a tar archive');
  });

  it('truncated and corrupt archives are DataErrors naming the archive', () => {
    const tar = encodeTar(files);
    const gz = gzipSync(tar);
    expect(() => readArchive(gz.subarray(0, gz.length - 100), 'cifar-10-python.tar.gz')).toThrow(DataError);
    expect(() => readArchive(gz.subarray(0, gz.length - 100), 'cifar-10-python.tar.gz')).toThrow(
      /^cifar-10-python\.tar\.gz: corrupt gzip data: .*truncated/);
    expect(() => readTar(tar.subarray(0, 1024 + 700), 'c.tar')).toThrow(
      "c.tar: truncated tar archive: member 'cifar-10-batches-py/data_batch_1' needs 1500 bytes from byte 1536, but the archive ends at byte 1724");
    expect(() => readTar(tar.subarray(0, 1024), 'c.tar')).toThrow(
      "c.tar: truncated tar archive: it ends at byte 1024 after 'cifar-10-batches-py/readme.html', without the end-of-archive blocks");
    const flipped = tar.slice();
    flipped[1024 + 5] = flipped[1024 + 5]! ^ 0x20; // a letter of the second header's name
    expect(() => readTar(flipped, 'f.tar')).toThrow('f.tar: corrupt tar archive: header checksum mismatch at byte 1024');
  });

  it.runIf(hasTar)('reads what GNU tar writes (gzip, long names, directories)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-tar-'));
    try {
      const deep = join(dir, 'src', 'cifar-10-batches-bin', 'x'.repeat(110));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(dir, 'src', 'cifar-10-batches-bin', 'test_batch.bin'), new Uint8Array(3073).fill(7));
      writeFileSync(join(deep, 'y'.repeat(120)), text('deep'));
      for (const format of ['gnu', 'pax', 'ustar']) {
        const out = join(dir, `a-${format}.tgz`);
        try {
          execFileSync('tar', ['--format', format, '-czf', out, '-C', join(dir, 'src'), '.'], { stdio: 'ignore' });
        } catch {
          if (format === 'ustar') continue; // a 230-byte path does not fit ustar
          throw new Error(`tar --format ${format} failed`);
        }
        const entries = readArchive(new Uint8Array(readFileSync(out)), out);
        const names = entries.map((e) => e.path).sort();
        expect(names, format).toEqual(['cifar-10-batches-bin/test_batch.bin',
          `cifar-10-batches-bin/${'x'.repeat(110)}/${'y'.repeat(120)}`]);
        expect(entries.find((e) => e.path.endsWith('.bin'))!.bytes).toEqual(new Uint8Array(3073).fill(7));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
