import { Inflate } from 'fflate';
import { DataError } from '../errors.js';

/**
 * The most bytes a gzip file is allowed to decompress to when its reader cannot say better:
 * 256 MiB (268435456). The real data sets fit with room to spare (cifar-10-python.tar.gz and
 * cifar-10-binary.tar.gz hold about 185 MB of tar; Fashion-MNIST's largest file is 47 MB),
 * while a decompression bomb (a few MB that inflate to GBs) is refused once its output passes
 * this cap, before it can exhaust the machine or a browser tab. IDX files are held to the size
 * their header declares instead (at most this cap).
 */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  let t = crcTable;
  if (!t) {
    t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    crcTable = t;
  }
  return t;
}

/** CRC-32 (IEEE 802.3, as in gzip and PNG). With `crc`, continues the CRC of earlier bytes. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = table();
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A limit on the decompressed size, with the reason a message gives when it is passed. */
export interface GunzipLimit {
  readonly maxBytes: number;
  /** Completes "<source>: <why>", e.g. 'more than the 47040016 bytes its IDX header declares'. */
  readonly exceeded: string;
}

export interface GunzipOptions {
  /**
   * The most bytes the data may decompress to (default MAX_INFLATED_BYTES). Decompression
   * stops as soon as the output passes it, with a DataError naming the source and the limit.
   */
  readonly maxBytes?: number;
  /**
   * Decides a tighter limit from the first decompressed bytes (a header that declares the
   * payload's size): called with the output so far, while it is shorter than 64 KiB, until it
   * returns a limit. It may throw a DataError to refuse the data by its header alone.
   */
  readonly limitFromHead?: (head: Uint8Array) => GunzipLimit | undefined;
}

/** Input is fed to the inflater in pieces this size, so one step's output stays bounded (≤ ~1032× it). */
const INPUT_CHUNK = 4096;
const HEAD_BYTES = 65536;

/** fflate's streaming inflate state: final block seen (f), inside a block (l), bit position (p). */
interface InflateInternals { s: { f?: number; l?: unknown; p?: number }; p: Uint8Array }

/**
 * Decompresses a gzip file, member after member (concatenated members are read and each is
 * checked, as gzip does), checking what fflate does not: the header's flags, that the data is
 * complete, the CRC-32 and length in each member's trailer (so a flipped byte or a trailer
 * describing only part of the data is an error, not silently wrong pixels), and that nothing
 * but gzip members follows. Decompression is incremental and stops as soon as the output passes
 * the limit (see GunzipOptions). Errors are DataErrors naming `source`.
 */
export function gunzipChecked(bytes: Uint8Array, source: string, options: GunzipOptions = {}): Uint8Array {
  const corrupt = (what: string, cause?: unknown) =>
    new DataError(`${source}: corrupt gzip data: ${what}`, cause === undefined ? undefined : { cause });
  if (!isGzip(bytes)) throw corrupt('missing the gzip magic number 1f 8b');
  if (bytes.length < 18) {
    throw corrupt(`truncated: ${bytes.length} bytes, shorter than the 18-byte minimum of a gzip file`);
  }
  const cap = Math.min(options.maxBytes ?? MAX_INFLATED_BYTES, MAX_INFLATED_BYTES);
  let limit: GunzipLimit = {
    maxBytes: cap,
    exceeded: `decompresses to more than ${cap} bytes, the most allowed` +
      (cap === MAX_INFLATED_BYTES ? ' (MAX_INFLATED_BYTES): a decompression bomb, or not a data set file' : ''),
  };
  let decided = options.limitFromHead === undefined;
  // Output: a list of the inflater's chunks, joined at the end (so the cap bounds what is held
  // when a bomb is refused); once a header declares the exact size, one buffer of at most that size.
  let chunks: Uint8Array[] = [];
  let out: Uint8Array | undefined;
  let total = 0;
  const append = (chunk: Uint8Array) => {
    const need = total + chunk.length;
    if (need > limit.maxBytes) throw new DataError(`${source}: ${limit.exceeded}`);
    if (out) {
      if (need > out.length) {
        const grown = new Uint8Array(Math.min(limit.maxBytes, Math.max(need, out.length * 2)));
        grown.set(out.subarray(0, total));
        out = grown;
      }
      out.set(chunk, total);
    } else chunks.push(chunk);
    total = need;
    if (!decided) {
      const head = joined();
      const l = options.limitFromHead!(head);
      if (l !== undefined) {
        decided = true;
        if (l.maxBytes < limit.maxBytes) {
          limit = l;
          if (total > limit.maxBytes) throw new DataError(`${source}: ${limit.exceeded}`);
          out = new Uint8Array(Math.min(limit.maxBytes, Math.max(total, 65536)));
          out.set(head);
          chunks = [];
        }
      } else if (total >= HEAD_BYTES) decided = true;
    }
  };
  const joined = () => {
    if (out) return out.subarray(0, total);
    if (chunks.length !== 1) {
      const all = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) { all.set(c, o); o += c.length; }
      chunks = [all];
    }
    return chunks[0]!;
  };

  let pos = 0;
  let members = 0;
  while (pos < bytes.length) {
    if (members > 0 && !isGzip(bytes.subarray(pos))) {
      throw corrupt(`${bytes.length - pos} bytes of trailing data after the end of the gzip stream at byte ${pos}`);
    }
    const at = members === 0 ? '' : ` of the member at byte ${pos}`;
    if (bytes.length - pos < 18) throw corrupt(`truncated: the member at byte ${pos} has ${bytes.length - pos} bytes, shorter than 18`);
    if (bytes[pos + 2] !== 8) throw corrupt(`unknown compression method ${bytes[pos + 2]}${at} (only 8, deflate, exists)`);
    const flags = bytes[pos + 3]!;
    if (flags & 0xe0) throw corrupt(`reserved header flag bits set${at} (flags 0x${flags.toString(16)})`);
    let p = pos + 10;
    const need = (k: number, what: string) => {
      if (p + k > bytes.length) throw corrupt(`truncated inside the header's ${what}${at}`);
    };
    if (flags & 4) { // FEXTRA
      need(2, 'extra field');
      const xlen = bytes[p]! | (bytes[p + 1]! << 8);
      p += 2;
      need(xlen, 'extra field');
      p += xlen;
    }
    for (const [bit, what] of [[8, 'file name'], [16, 'comment']] as const) {
      if (flags & bit) {
        while (p < bytes.length && bytes[p] !== 0) p++;
        need(1, what);
        p++;
      }
    }
    if (flags & 2) { need(2, 'header CRC'); p += 2; } // FHCRC
    if (p + 8 > bytes.length) throw corrupt('truncated: no room for the deflate data and the 8-byte trailer');

    const start = total;
    let crc = 0;
    const inflater = new Inflate((chunk) => {
      crc = crc32(chunk, crc);
      append(chunk);
    });
    const state = inflater as unknown as InflateInternals;
    let fed = p;
    let done = false;
    try {
      while (!done && fed < bytes.length) {
        const end = Math.min(bytes.length, fed + INPUT_CHUNK);
        inflater.push(bytes.subarray(fed, end), false);
        fed = end;
        done = !!state.s.f && !state.s.l;
      }
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw corrupt(e instanceof Error ? e.message : String(e), e);
    }
    if (!done) throw corrupt('truncated (the compressed data ends early)');
    // Where the deflate data ended: the inflater keeps the unread input (ending at `fed`) and a bit offset into it.
    const t = fed - state.p.length + (((state.s.p ?? 0) + 7) >> 3);
    if (t + 8 > bytes.length) throw corrupt(`truncated inside the 8-byte trailer${at}`);
    const want = (bytes[t]! | (bytes[t + 1]! << 8) | (bytes[t + 2]! << 16) | (bytes[t + 3]! << 24)) >>> 0;
    const isize = (bytes[t + 4]! | (bytes[t + 5]! << 8) | (bytes[t + 6]! << 16) | (bytes[t + 7]! << 24)) >>> 0;
    const size = total - start;
    if (isize !== size % 2 ** 32) {
      throw corrupt(`length mismatch${at}: the trailer says ${isize} bytes, decompressing gave ${size} ` +
        '(damaged, or a forged trailer)');
    }
    if (crc !== want) {
      throw corrupt(`CRC-32 mismatch${at}: the trailer says ${hex8(want)}, the data has ${hex8(crc)} ` +
        '(damaged, or a forged trailer)');
    }
    pos = t + 8;
    members++;
  }
  if (total === 0) return new Uint8Array(0);
  const all = joined();
  return all.length === all.buffer.byteLength ? all : all.slice();
}

/** Gunzips when the bytes start with the gzip magic, else returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, source: string, options: GunzipOptions = {}):
  { bytes: Uint8Array; gzipped: boolean } {
  return isGzip(bytes) ? { bytes: gunzipChecked(bytes, source, options), gzipped: true } : { bytes, gzipped: false };
}

function hex8(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}
