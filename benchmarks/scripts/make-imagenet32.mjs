#!/usr/bin/env node
// An ImageNet-32-shaped numpy folder, made here instead of downloaded: x_train.npy (N×32×32×3
// uint8), y_train.npy (int64), x_test.npy and y_test.npy (N/25 rows, ImageNet's 50000 to its
// 1.28 M) and classes.txt. Each class has its own smooth mean image; every pixel adds seeded
// noise, so a linear classifier learns something and no two images are alike. Ten classes by
// default: the least computation per byte read, the hardest case for streaming; --classes 1000
// gives ImageNet's count.
//
//   node benchmarks/scripts/make-imagenet32.mjs --out /tmp/imagenet32 [--rows 1281167] [--classes 10] [--seed 1]
//
// Written in pieces of 8192 rows (25 MB): the script never holds the set. Never commit its output.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string' }, rows: { type: 'string', default: '1281167' }, classes: { type: 'string', default: '10' },
  seed: { type: 'string', default: '1' } } });
if (!values.out) {
  process.stderr.write('usage: make-imagenet32.mjs --out <folder> [--rows N] [--seed S]\n');
  process.exit(2);
}
const rows = Number(values.rows), seed = Number(values.seed);
if (!(Number.isInteger(rows) && rows >= 25 && rows <= 4_000_000)) throw new Error(`--rows must be an integer from 25 to 4000000, got ${values.rows}`);
const CLASSES = Number(values.classes), F = 32 * 32 * 3, PIECE = 8192;
if (!(Number.isInteger(CLASSES) && CLASSES >= 1 && CLASSES <= 4096)) throw new Error(`--classes must be an integer from 1 to 4096, got ${values.classes}`);

/** A numpy .npy header (format 1.0) for a C-order array. */
function npyHeader(descr, shape) {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = Buffer.alloc(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  return out;
}

// xorshift32: fast, seeded, good enough for pixel noise.
let state = (seed * 2654435761) >>> 0 || 1;
const next = () => {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
};

// Each class: a smooth pattern of two waves per channel around grey.
const means = new Float64Array(CLASSES * F);
for (let k = 0; k < CLASSES; k++) {
  const a = (next() % 1000) / 1000 * 6, b = (next() % 1000) / 1000 * 6;
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) {
    // Faint beside the noise (±64), so the classes overlap as real ones do: not every image is told apart.
    means[k * F + (y * 32 + x) * 3 + c] = 128 + 1.5 * Math.sin(a * x / 32 + c) * Math.cos(b * y / 32 + k);
  }
}

function write(name, n) {
  mkdirSync(values.out, { recursive: true });
  const x = openSync(join(values.out, `x_${name}.npy`), 'w');
  writeSync(x, npyHeader('|u1', [n, 32, 32, 3]));
  const labels = new BigInt64Array(n);
  const piece = new Uint8Array(PIECE * F);
  for (let start = 0; start < n; start += PIECE) {
    const count = Math.min(PIECE, n - start);
    for (let i = 0; i < count; i++) {
      const k = next() % CLASSES;
      labels[start + i] = BigInt(k);
      const m = k * F, o = i * F;
      for (let j = 0; j < F; j++) {
        const v = means[m + j] + ((next() & 127) - 64);
        piece[o + j] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    writeSync(x, piece, 0, count * F);
  }
  closeSync(x);
  writeFileSync(join(values.out, `y_${name}.npy`), Buffer.concat([npyHeader('<i8', [n]), Buffer.from(labels.buffer)]));
}

write('train', rows);
write('test', Math.max(5, Math.round(rows / 25.6)));
writeFileSync(join(values.out, 'classes.txt'), Array.from({ length: CLASSES }, (_, k) => `class ${k}`).join('\n') + '\n');
process.stdout.write(`${values.out}: ${rows} training images (${(rows * F / 2 ** 30).toFixed(2)} GiB) and ${Math.max(5, Math.round(rows / 25.6))} test images, 32×32×3, ${CLASSES} classes\n`);
