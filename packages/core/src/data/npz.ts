/**
 * numpy's .npz (np.savez, np.savez_compressed; Keras's mnist.npz): a zip archive of .npy files,
 * each stored or deflated. The central directory is read here (zip64 included: numpy writes
 * members with force_zip64), and everything is checked before and while anything is inflated:
 *
 * - at most MAX_ZIP_MEMBERS entries; names non-empty; only the members asked for are inflated
 *   (the others are skipped by name);
 * - each member's local header where the directory says, its data inside the file, no two
 *   members' data overlapping (the same deflate stream listed many times would cost its
 *   inflation again each time);
 * - declared sizes: a stored member's equal to its stored bytes, a deflated one's at most
 *   deflate's 1032:1, each and their sum at most MAX_INFLATED_BYTES;
 * - a deflated member is inflated in 4 KiB pieces and stopped as soon as its output passes its
 *   declared size (work stays within what is declared), and must end exactly there;
 * - every member's CRC-32 (a flipped byte is an error, not silently wrong pixels).
 * Every error is a DataError naming the archive and the member.
 */
import { Inflate } from 'fflate';
import { DataError } from '../errors.js';
import { crc32, MAX_INFLATED_BYTES } from './gzip.js';

/** Deflate's largest expansion: 258 bytes from 2 bits (about 1032:1). A member declaring more is corrupt. */
const MAX_DEFLATE_RATIO = 1032;
/** The most entries an archive's directory may list (numpy writes one per array). */
export const MAX_ZIP_MEMBERS = 1024;
const INPUT_CHUNK = 4096;

/** A zip archive's first bytes: a local file header (PK\x03\x04), or the end record of an empty one. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

export interface ZipMember {
  /** Its path inside the archive ('x_train.npy'). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

interface Entry { name: string; method: number; crc: number; size: number; originalSize: number; offset: number }

/**
 * The members of a zip archive that `want` accepts (by path), inflated and checked (see the
 * module comment); `limit` caps their declared sizes, each and together (MAX_INFLATED_BYTES).
 */
export function readZip(bytes: Uint8Array, source: string, want: (path: string) => boolean, limit = MAX_INFLATED_BYTES): ZipMember[] {
  const fail = (what: string): never => { throw new DataError(`${source}: ${what}`); };
  const entries = directory(bytes, fail);
  const picked = entries.filter((e) => !e.name.endsWith('/') && want(e.name));
  let total = 0;
  for (const e of picked) {
    const at = `${e.name} in ${source}`;
    if (e.method !== 0 && e.method !== 8) throw new DataError(`${at} is compressed with method ${e.method}: only stored and deflated members are read (numpy writes those)`);
    if (e.method === 0 && e.originalSize !== e.size) throw new DataError(`${at} is stored but declares ${e.originalSize} bytes for ${e.size} stored: a corrupt archive`);
    if (e.originalSize > MAX_DEFLATE_RATIO * e.size + 1024) {
      throw new DataError(`${at} declares ${e.originalSize} bytes from ${e.size} compressed, more than deflate can produce: a corrupt archive`);
    }
    total += e.originalSize;
    if (e.originalSize > limit || total > limit) {
      throw new DataError(`${at} declares ${e.originalSize} bytes${total > e.originalSize ? ` (${total} with the members before it)` : ''}, ` +
        `more than the ${limit} read from an archive (MAX_INFLATED_BYTES): unpack it and give the .npy files`);
    }
  }
  // Where each member's data lies, from its local header; no two may overlap.
  const spans = picked.map((e) => ({ e, start: dataStart(bytes, e, source) }));
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.start < sorted[k - 1]!.start + sorted[k - 1]!.e.size) {
      throw new DataError(`${sorted[k]!.e.name} in ${source} overlaps ${sorted[k - 1]!.e.name}: a corrupt or crafted archive`);
    }
  }
  return spans.map(({ e, start }) => {
    const data = bytes.subarray(start, start + e.size);
    const out = e.method === 0 ? data.slice() : inflateExactly(data, e.originalSize, `${e.name} in ${source}`);
    const crc = crc32(out);
    if (crc !== e.crc) throw new DataError(`${e.name} in ${source}: CRC-32 mismatch (the directory says ${hex8(e.crc)}, the data has ${hex8(crc)}): a damaged archive`);
    return { path: e.name, bytes: out };
  });
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
/** A little-endian u64 as a number, or Infinity past 2^53 (which no size here can be). */
const u64 = (b: Uint8Array, o: number) => { const v = u32(b, o) + u32(b, o + 4) * 2 ** 32; return Number.isSafeInteger(v) ? v : Infinity; };
const hex8 = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

/** The central directory's entries (zip64 sizes and offsets resolved), checked to lie inside the file. */
function directory(b: Uint8Array, fail: (what: string) => never): Entry[] {
  // The end record: 22 bytes plus a comment of at most 65535, at the end.
  let end = -1;
  for (let p = b.length - 22; p >= Math.max(0, b.length - 22 - 65535); p--) {
    if (u32(b, p) === 0x06054b50) { end = p; break; }
  }
  if (end < 0) fail('not a readable zip archive (no end-of-directory record: truncated, or not a zip)');
  let count = u16(b, end + 10), dirSize = u32(b, end + 12), dirOffset = u32(b, end + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || u32(b, locator) !== 0x07064b50) fail('not a readable zip archive (zip64 sizes without the zip64 locator)');
    const record = u64(b, locator + 8);
    if (!(record + 56 <= locator) || u32(b, record) !== 0x06064b50) fail('not a readable zip archive (the zip64 end record is not where its locator says)');
    count = u64(b, record + 32);
    dirSize = u64(b, record + 40);
    dirOffset = u64(b, record + 48);
  }
  if (count > MAX_ZIP_MEMBERS) fail(`the archive lists ${count} members, more than the ${MAX_ZIP_MEMBERS} read (MAX_ZIP_MEMBERS): not an .npz`);
  if (!(dirOffset + dirSize <= b.length)) fail(`not a readable zip archive (its directory, ${dirSize} bytes at ${dirOffset}, lies past the end of the file: truncated?)`);
  const entries: Entry[] = [];
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dirOffset + dirSize || u32(b, p) !== 0x02014b50) fail(`not a readable zip archive (directory entry ${k + 1} of ${count} is damaged)`);
    const nameLength = u16(b, p + 28), extraLength = u16(b, p + 30), commentLength = u16(b, p + 32);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > dirOffset + dirSize) fail(`not a readable zip archive (directory entry ${k + 1} runs past the directory)`);
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLength));
    if (name === '') fail(`directory entry ${k + 1} has no name: a corrupt archive`);
    let size = u32(b, p + 20), originalSize = u32(b, p + 24), offset = u32(b, p + 42);
    // zip64: the sizes and offset that read 0xffffffff follow in the extra field 0x0001, in this order.
    if (size === 0xffffffff || originalSize === 0xffffffff || offset === 0xffffffff) {
      let x = p + 46 + nameLength;
      const xEnd = x + extraLength;
      let found = false;
      while (x + 4 <= xEnd) {
        const id = u16(b, x), len = u16(b, x + 2);
        if (x + 4 + len > xEnd) break;
        if (id === 1) {
          let q = x + 4;
          const take = () => { if (q + 8 > x + 4 + len) fail(`${name}: its zip64 extra field is short: a corrupt archive`); const v = u64(b, q); q += 8; return v; };
          if (originalSize === 0xffffffff) originalSize = take();
          if (size === 0xffffffff) size = take();
          if (offset === 0xffffffff) offset = take();
          found = true;
          break;
        }
        x += 4 + len;
      }
      if (!found) fail(`${name}: zip64 sizes without a zip64 extra field: a corrupt archive`);
    }
    entries.push({ name, method: u16(b, p + 10), crc: u32(b, p + 16), size, originalSize, offset });
    p = next;
  }
  return entries;
}

/** Where a member's data starts: after its local header, which must be where the directory says. */
function dataStart(b: Uint8Array, e: Entry, source: string): number {
  const at = `${e.name} in ${source}`;
  if (!(e.offset + 30 <= b.length) || u32(b, e.offset) !== 0x04034b50) throw new DataError(`${at}: no local header where the directory says (byte ${e.offset}): a corrupt archive`);
  const start = e.offset + 30 + u16(b, e.offset + 26) + u16(b, e.offset + 28);
  if (!(start + e.size <= b.length)) throw new DataError(`${at}: its ${e.size} bytes of data run past the end of the file: truncated`);
  return start;
}

/** fflate's streaming inflate state: final block seen (f), inside a block (l). */
interface InflateInternals { s: { f?: number; l?: unknown } }

/** Inflates `data` into exactly `size` bytes: stops as soon as the output would pass it, and refuses less. */
function inflateExactly(data: Uint8Array, size: number, at: string): Uint8Array {
  const out = new Uint8Array(size);
  let got = 0;
  const inflater = new Inflate((chunk) => {
    if (got + chunk.length > size) throw new DataError(`${at} inflates to more than the ${size} bytes it declares: a corrupt or crafted archive`);
    out.set(chunk, got);
    got += chunk.length;
  });
  const state = inflater as unknown as InflateInternals;
  let done = false;
  try {
    for (let fed = 0; !done && fed < data.length; fed += INPUT_CHUNK) {
      inflater.push(data.subarray(fed, Math.min(data.length, fed + INPUT_CHUNK)), false);
      done = !!state.s.f && !state.s.l;
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${at}: corrupt deflate data (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!done) throw new DataError(`${at}: the deflate data ends early: truncated`);
  if (got !== size) throw new DataError(`${at} inflates to ${got} bytes but declares ${size}: a corrupt archive`);
  return out;
}
