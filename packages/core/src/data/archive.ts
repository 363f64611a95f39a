/**
 * Tar archives, gzipped or not (the CIFAR-10 downloads cifar-10-python.tar.gz and
 * cifar-10-binary.tar.gz), read from bytes into their regular files.
 *
 * A tar file is a sequence of 512-byte blocks: each member has one header block (name at 0,
 * size in octal at 124, checksum at 148, type flag at 156, 'ustar' magic at 257, name prefix
 * at 345) followed by its data padded to a whole block; two zero blocks end the archive.
 * Long names come from GNU 'L' members or POSIX pax 'x' headers (path=…, size=…).
 * No library is used: nanotar skips checksums and silently drops a truncated tail, and
 * modern-tar is async-only; the format needed here is small, and this reader names what is
 * wrong (bad checksum at byte X, member Y truncated) and stays synchronous for browsers and Node.
 */
import { DataError } from '../errors.js';
import { gunzipChecked, isGzip } from './gzip.js';

/** One regular file of an archive: its path inside the archive and a view of its bytes. */
export interface ArchiveEntry {
  /** Path inside the archive, '/'-separated, without a leading './' (e.g. 'cifar-10-batches-py/data_batch_1'). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The tar block size (exported for testing/encoders.ts; core does not re-export it). */
export const BLOCK = 512;

/** Sum of the header's bytes with the 8-byte checksum field counted as spaces (unsigned and signed, as old tars used either). */
export function headerSums(h: Uint8Array): { unsigned: number; signed: number } {
  let unsigned = 0, signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

function cString(h: Uint8Array, offset: number, size: number): string {
  const field = h.subarray(offset, offset + size);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

/** A numeric header field: octal digits (space/NUL padded) or GNU base-256 (high bit of the first byte set). */
function numberField(h: Uint8Array, offset: number, size: number): number | undefined {
  if (h[offset]! & 0x80) {
    let v = h[offset]! & 0x7f;
    for (let i = 1; i < size; i++) v = v * 256 + h[offset + i]!;
    return Number.isSafeInteger(v) ? v : undefined;
  }
  const text = cString(h, offset, size).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function isZeroBlock(h: Uint8Array): boolean {
  for (let i = 0; i < h.length; i++) if (h[i] !== 0) return false;
  return true;
}

/** True when the first 512 bytes are a tar header with a valid checksum. */
export function isTar(bytes: Uint8Array): boolean {
  if (bytes.length < BLOCK) return false;
  const h = bytes.subarray(0, BLOCK);
  if (isZeroBlock(h)) return false;
  const stored = numberField(h, 148, 8);
  const { unsigned, signed } = headerSums(h);
  return stored !== undefined && (stored === unsigned || stored === signed);
}

/** Parses pax extended-header records "LEN key=value\n". */
function paxRecords(data: Uint8Array, source: string, at: number): Map<string, string> {
  const out = new Map<string, string>();
  let p = 0;
  while (p < data.length) {
    let q = p;
    while (q < data.length && data[q] !== 0x20) q++;
    const len = Number(new TextDecoder().decode(data.subarray(p, q)));
    if (!(Number.isInteger(len) && len > q - p && p + len <= data.length)) {
      if (data.subarray(p).every((b) => b === 0)) break;
      throw new DataError(`${source}: corrupt tar archive: bad pax extended header record at byte ${at + p}`);
    }
    const rec = new TextDecoder().decode(data.subarray(q + 1, p + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    p += len;
  }
  return out;
}

/**
 * Reads an uncompressed tar archive into its regular files (directories, links and other
 * members are skipped). Every header's checksum is verified, and an archive that ends inside
 * a member or before its end-of-archive blocks is a DataError naming `source`. Entries' bytes
 * are views into `bytes`, not copies.
 */
export function readTar(bytes: Uint8Array, source: string): ArchiveEntry[] {
  const corrupt = (what: string) => new DataError(`${source}: corrupt tar archive: ${what}`);
  const truncated = (what: string) => new DataError(`${source}: truncated tar archive: ${what}`);
  const entries: ArchiveEntry[] = [];
  let p = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  for (;;) {
    if (p + BLOCK > bytes.length) {
      const last = entries.length > 0 ? ` after '${entries[entries.length - 1]!.path}'` : '';
      throw truncated(`it ends at byte ${bytes.length}${last}, without the end-of-archive blocks` +
        (p < bytes.length ? ` (${bytes.length - p} bytes of a partial header)` : ''));
    }
    const h = bytes.subarray(p, p + BLOCK);
    if (isZeroBlock(h)) break; // end of archive (one zero block is enough; a second may follow)
    const stored = numberField(h, 148, 8);
    const { unsigned, signed } = headerSums(h);
    if (stored === undefined || (stored !== unsigned && stored !== signed)) {
      throw corrupt(p === 0 && !/ustar/.test(cString(h, 257, 6))
        ? 'not a tar archive (the first 512 bytes are not a tar header)'
        : `header checksum mismatch at byte ${p} (stored ${stored ?? cString(h, 148, 8)}, computed ${unsigned})`);
    }
    const type = String.fromCharCode(h[156]!);
    let name = cString(h, 0, 100);
    const magic = cString(h, 257, 6);
    if (magic === 'ustar' || magic === 'ustar ') {
      const prefix = magic === 'ustar' ? cString(h, 345, 155) : '';
      if (prefix) name = `${prefix}/${name}`;
    }
    let size = numberField(h, 124, 12);
    const paxSize = pax.get('size') ?? globalPax.get('size');
    if (paxSize !== undefined && /^\d+$/.test(paxSize)) size = Number(paxSize);
    if (size === undefined) throw corrupt(`bad size field '${cString(h, 124, 12)}' in the header at byte ${p}`);
    const start = p + BLOCK;
    // Link, directory, character/block device and FIFO members carry no data.
    const hasData = !['1', '2', '3', '4', '5', '6'].includes(type);
    const dataSize = hasData ? size : 0;
    if (start + dataSize > bytes.length) {
      throw truncated(`member '${longName ?? pax.get('path') ?? name}' needs ${dataSize} bytes from byte ${start}, ` +
        `but the archive ends at byte ${bytes.length}`);
    }
    const data = bytes.subarray(start, start + dataSize);
    p = start + Math.ceil(dataSize / BLOCK) * BLOCK;
    if (type === 'L') { longName = cString(data, 0, data.length); continue; }
    if (type === 'x') { pax = paxRecords(data, source, start); continue; }
    if (type === 'g') { globalPax = new Map([...globalPax, ...paxRecords(data, source, start)]); continue; }
    const path = normalizePath(longName ?? pax.get('path') ?? globalPax.get('path') ?? name);
    longName = undefined;
    pax = new Map();
    if ((type === '0' || type === '\0' || type === '7') && !path.endsWith('/')) entries.push({ path, bytes: data });
  }
  return entries;
}

function normalizePath(path: string): string {
  return path.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

/**
 * Reads a .tar.gz (gunzipped with its CRC checked) or a plain .tar, told apart by their
 * bytes, not by the name. Anything else is a DataError naming `source`.
 */
export function readArchive(bytes: Uint8Array, source: string): ArchiveEntry[] {
  if (isGzip(bytes)) {
    const tar = gunzipChecked(bytes, source);
    if (!isTar(tar)) {
      throw new DataError(`${source}: gzip-compressed, but what it holds is not a tar archive` +
        ' (the first 512 bytes after decompression are not a tar header)');
    }
    return readTar(tar, source);
  }
  if (!isTar(bytes)) {
    throw new DataError(`${source}: not a .tar.gz or .tar archive (no gzip magic number 1f 8b and ` +
      'no tar header in the first 512 bytes)');
  }
  return readTar(bytes, source);
}
