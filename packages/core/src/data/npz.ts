/**
 * numpy's .npz (np.savez, np.savez_compressed; Keras's mnist.npz): a zip archive of .npy files,
 * each stored or deflated. Read with fflate's unzip, bounded before anything is inflated: only
 * the members asked for are inflated (the others are skipped by name), each member's declared
 * size and their sum are capped at MAX_INFLATED_BYTES, a stored member must declare its own
 * size and a deflated one no more than deflate can produce from its compressed bytes. A member that inflates to other than its declared size, and every error inside the
 * archive, is a DataError naming the archive and the member.
 */
import { unzipSync } from 'fflate';
import { DataError } from '../errors.js';
import { MAX_INFLATED_BYTES } from './gzip.js';

/** Deflate's largest expansion: 258 bytes from 2 bits (about 1032:1). A member declaring more is corrupt. */
const MAX_DEFLATE_RATIO = 1032;

/** A zip archive's first bytes: a local file header (PK\x03\x04), or the end record of an empty one. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

export interface ZipMember {
  /** Its path inside the archive ('x_train.npy'). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * The members of a zip archive that `want` accepts (by path), inflated. Declared sizes are
 * checked first: each and their sum at most `limit` bytes (MAX_INFLATED_BYTES by default).
 */
export function readZip(bytes: Uint8Array, source: string, want: (path: string) => boolean, limit = MAX_INFLATED_BYTES): ZipMember[] {
  let total = 0;
  const declared = new Map<string, number>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/') || !want(f.name)) return false;
        if (f.compression !== 0 && f.compression !== 8) {
          throw new DataError(`${f.name} in ${source} is compressed with method ${f.compression}: only stored and deflated members are read (numpy writes those)`);
        }
        if (f.compression === 0 && f.originalSize !== f.size) {
          throw new DataError(`${f.name} in ${source} is stored but declares ${f.originalSize} bytes for ${f.size} stored: a corrupt archive`);
        }
        if (f.originalSize > MAX_DEFLATE_RATIO * f.size + 1024) {
          throw new DataError(`${f.name} in ${source} declares ${f.originalSize} bytes from ${f.size} compressed, more than deflate can produce: a corrupt archive`);
        }
        total += f.originalSize;
        if (f.originalSize > limit || total > limit) {
          throw new DataError(`${f.name} in ${source} declares ${f.originalSize} bytes${total > f.originalSize ? ` (${total} with the members before it)` : ''}, ` +
            `more than the ${limit} read from an archive (MAX_INFLATED_BYTES): unpack it and give the .npy files`);
        }
        declared.set(f.name, f.originalSize);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${source}: not a readable zip archive (${(e as Error).message})`, { cause: e });
  }
  return Object.entries(files).map(([path, data]) => {
    if (data.length !== declared.get(path)) {
      throw new DataError(`${path} in ${source} inflates to ${data.length} bytes but declares ${declared.get(path)}: a corrupt archive`);
    }
    return { path, bytes: data };
  });
}
