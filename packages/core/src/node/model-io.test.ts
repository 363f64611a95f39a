import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModel, type Model } from '../model/model-file.js';
import { writeFileAtomic } from './atomic-write.js';
import { loadModel, saveModel } from './model-io.js';

const model: Model = {
  classNames: ['x', 'y'],
  image: { height: 1, width: 2, channels: 1, layout: 'hwc' },
  preprocessing: { features: 2, scale: 1, bias: true, mean: Float32Array.from([0, 0]) },
  weights: Float64Array.from([1, -1, 0.5, 2, 0.25, -0.25]),
  objective: { loss: 'svm', reg: 0, delta: 1 },
};

describe('saving and loading models', () => {
  it('saves atomically (no temporary file left) and loads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-model-'));
    const path = join(dir, 'sub', 'model.json');
    await saveModel(path, model);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['model.json']);
    const back = await loadModel(path);
    expect(Array.from(back.weights)).toEqual(Array.from(model.weights));
    expect(back.objective).toEqual({ loss: 'svm', reg: 0, delta: 1 });
  });

  it('replaces an existing file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-model-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, 'old contents');
    await writeFileAtomic(path, encodeModel(model));
    expect(readFileSync(path, 'utf8')).toBe(encodeModel({ ...model, createdAt: JSON.parse(readFileSync(path, 'utf8')).createdAt }));
  });

  it('a missing or corrupt file is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-model-'));
    await expect(loadModel(join(dir, 'none.json'))).rejects.toThrow(/model file not found: .*none\.json/);
    writeFileSync(join(dir, 'bad.json'), '{"format": "descent-model", "version": 1, "classes"');
    await expect(loadModel(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json is truncated: it ends after 51 characters, inside the JSON/);
  });
});
