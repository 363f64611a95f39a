/**
 * The browser backends' wasm files for a page run: copied, as each backend package declares
 * them, into a temporary folder served under /assets/ (the page's registry has that assetBase).
 */
import { copyBackendAssets } from '@descent/backends/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withBackendAssets<T>(run: (staticDirs: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'descent-assets-'));
  try {
    const copied = await copyBackendAssets(dir);
    if (copied.missing.length > 0) throw new Error(`backend assets missing: ${copied.missing.join('; ')}`);
    return await run({ '/assets/': dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
