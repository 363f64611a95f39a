import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_CLASS_NAMES, CIFAR10_IMAGE, makeDataset, Random } from '@descent/core';
import { encodeCifar10Batch } from '@descent/core/testing';

/**
 * A small CIFAR-10 binary folder (data_batch_1..5.bin, test_batch.bin, batches.meta.txt) in
 * the real format. Each class gets its own colour tint plus noise, so a linear classifier
 * can learn it.
 */
export function writeCifarBinFolder(perBatch = 40, seed = 1): string {
  const rng = new Random(seed);
  const dir = join(mkdtempSync(join(tmpdir(), 'descent-cifar-')), 'cifar-10-batches-bin');
  mkdirSync(dir);
  const batch = (name: string) => {
    const labels = Uint8Array.from({ length: perBatch }, (_, i) => i % 10);
    const images = new Uint8Array(perBatch * 3072);
    for (let i = 0; i < perBatch; i++) {
      const k = labels[i]!;
      for (let c = 0; c < 3; c++) {
        const base = 40 + 20 * ((k + c * 3) % 10);
        for (let p = 0; p < 1024; p++) images[i * 3072 + c * 1024 + p] = Math.max(0, Math.min(255, base + Math.round(30 * rng.normal())));
      }
    }
    writeFileSync(join(dir, name), encodeCifar10Batch(makeDataset({ name, images, labels, image: CIFAR10_IMAGE, classNames: CIFAR10_CLASS_NAMES })));
  };
  for (let b = 1; b <= 5; b++) batch(`data_batch_${b}.bin`);
  batch('test_batch.bin');
  writeFileSync(join(dir, 'batches.meta.txt'), `${CIFAR10_CLASS_NAMES.join('\n')}\n`);
  return dir;
}
