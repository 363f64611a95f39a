import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { decodeModel, encodeModel, type Model } from '../model/model-file.js';
import { writeFileAtomic } from './atomic-write.js';

/** Save a model file atomically (see model/model-file.ts for the format). */
export async function saveModel(path: string, model: Model): Promise<void> {
  await writeFileAtomic(path, encodeModel(model));
}

/** Read and check a model file; a missing, corrupt or newer-version file is a DataError. */
export async function loadModel(path: string): Promise<Model> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `model file not found: ${path}` : `cannot read model file ${path}: ${(e as Error).message}`);
  }
  return decodeModel(text, path);
}
