import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10_CLASS_NAMES, CIFAR10_IMAGE, makeDataset, Random } from '@descent/core';
import { encodeCifar10Batch, encodeNpy, encodeNpz } from '@descent/core/testing';

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

/**
 * A folder of numpy arrays as np.save writes them (x_train.npy uint8 N×8×8×3, y_train.npy int64,
 * x_test.npy, y_test.npy) with a classes.txt; each of 4 classes brightens its own channel.
 */
export function writeNpyFolder(train = 400, test = 100, seed = 1): string {
  const rng = new Random(seed);
  const dir = mkdtempSync(join(tmpdir(), 'descent-npy-'));
  const write = (n: number, x: string, y: string) => {
    const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
    const images = new Uint8Array(n * 192);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 192; p++) images[i * 192 + p] = Math.max(0, Math.min(255, (p % 3 === labels[i]! % 3 ? 150 : 60) + (labels[i] === 3 ? 40 : 0) + Math.round(25 * rng.normal())));
    }
    writeFileSync(join(dir, x), encodeNpy(images, [n, 8, 8, 3]));
    writeFileSync(join(dir, y), encodeNpy(BigInt64Array.from(labels, BigInt)));
  };
  write(train, 'x_train.npy', 'y_train.npy');
  write(test, 'x_test.npy', 'y_test.npy');
  writeFileSync(join(dir, 'classes.txt'), 'red\ngreen\nblue\nbright red\n');
  return dir;
}

/** The arrays of writeNpyFolder as one compressed .npz (np.savez_compressed's layout), with its classes.txt. */
export function writeNpzFile(folder = writeNpyFolder()): string {
  const names = ['x_train.npy', 'y_train.npy', 'x_test.npy', 'y_test.npy', 'classes.txt'];
  const path = join(mkdtempSync(join(tmpdir(), 'descent-npz-')), 'colours.npz');
  writeFileSync(path, encodeNpz(Object.fromEntries(names.map((n) => [n, new Uint8Array(readFileSync(join(folder, n)))])), { compressed: true }));
  return path;
}
