import { inflateSync } from 'fflate';
import { DataError } from '../errors.js';

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as in gzip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let table = crcTable;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    crcTable = table;
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Decompresses a single-member gzip file, checking what fflate's gunzipSync does not: the
 * header's flags, that the data is complete, and the CRC-32 and length in the trailer (so a
 * flipped byte is an error, not silently wrong pixels). Errors are DataErrors naming `source`.
 */
export function gunzipChecked(bytes: Uint8Array, source: string): Uint8Array {
  const corrupt = (what: string, cause?: unknown) =>
    new DataError(`${source}: corrupt gzip data: ${what}`, cause === undefined ? undefined : { cause });
  if (!isGzip(bytes)) throw corrupt('missing the gzip magic number 1f 8b');
  if (bytes.length < 18) {
    throw corrupt(`truncated: ${bytes.length} bytes, shorter than the 18-byte minimum of a gzip file`);
  }
  if (bytes[2] !== 8) throw corrupt(`unknown compression method ${bytes[2]} (only 8, deflate, exists)`);
  const flags = bytes[3]!;
  if (flags & 0xe0) throw corrupt(`reserved header flag bits set (flags 0x${flags.toString(16)})`);
  let p = 10;
  const need = (k: number, what: string) => {
    if (p + k > bytes.length) throw corrupt(`truncated inside the header's ${what}`);
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
  const t = bytes.length - 8;
  const crc = (bytes[t]! | (bytes[t + 1]! << 8) | (bytes[t + 2]! << 16) | (bytes[t + 3]! << 24)) >>> 0;
  const isize = (bytes[t + 4]! | (bytes[t + 5]! << 8) | (bytes[t + 6]! << 16) | (bytes[t + 7]! << 24)) >>> 0;
  const body = bytes.subarray(p, t);
  // Deflate expands at most ~1032:1; a larger claimed size means the trailer is not a trailer
  // (a truncated file), so let fflate grow its buffer instead of allocating the claim.
  const plausible = isize <= body.length * 1040 + 1024;
  let out: Uint8Array;
  try {
    out = plausible ? inflateSync(body, { out: new Uint8Array(isize) }) : inflateSync(body);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/unexpected EOF/i.test(msg)) {
      throw corrupt('truncated (the compressed data ends early)', e);
    }
    throw corrupt(msg, e);
  }
  if (!plausible) {
    throw corrupt(`truncated or damaged: the trailer claims ${isize} bytes of data, implausible ` +
      `for ${bytes.length} compressed bytes`);
  }
  if (out.length !== isize) {
    throw corrupt(`length mismatch: the trailer says ${isize} bytes, decompressing gave ${out.length} ` +
      '(truncated, damaged, or a multi-member gzip file, which is not supported)');
  }
  const actual = crc32(out);
  if (actual !== crc) {
    throw corrupt(`CRC-32 mismatch: the trailer says ${hex8(crc)}, the data has ${hex8(actual)} ` +
      '(damaged, truncated, or a multi-member gzip file, which is not supported)');
  }
  return out;
}

/** Gunzips when the bytes start with the gzip magic, else returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, source: string): { bytes: Uint8Array; gzipped: boolean } {
  return isGzip(bytes) ? { bytes: gunzipChecked(bytes, source), gzipped: true } : { bytes, gzipped: false };
}

function hex8(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}
