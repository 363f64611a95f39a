#!/usr/bin/env node
// Cuts the embedded default data set (packages/core/data/fashion-mnist-subset/) out of the real
// Fashion-MNIST: a class-balanced, seeded sample of 10000 training images (1000 per class) and
// 2000 test images (200 per class).
//
//   node scripts/make-embedded-dataset.mjs [source-folder] [output-folder]
//
// source-folder: the four Fashion-MNIST IDX files, gzipped (default: Debian's
//   /usr/share/datasets/fashion-mnist, from `apt-get install dataset-fashion-mnist`).
// output-folder: default packages/core/data/fashion-mnist-subset.
//
// Selection, per split: perm = new Random(SEED).permutation(n) with core's Random
// (packages/core/src/random.ts, re-implemented below bit for bit); walk perm and keep an index
// while its class has fewer than PER_CLASS kept; then sort the kept indices ascending, so the
// images stay in the original file's order (which is already class-mixed). The node tests
// re-derive this selection with core's own Random and compare it with the files.
//
// Reproducible: the same source gives the same output bytes on every run (gzip level 9 by
// Node's zlib, which writes mtime 0 and no file name).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? '/usr/share/datasets/fashion-mnist');
const output = resolve(process.argv[3] ?? join(root, 'packages/core/data/fashion-mnist-subset'));

const SPLITS = [
  { prefix: 'train', seed: 'fashion-mnist-subset/train', perClass: 1000 },
  { prefix: 't10k', seed: 'fashion-mnist-subset/t10k', perClass: 200 },
];
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
  'Sneaker', 'Bag', 'Ankle boot'];

// ---- core's Random (sfc32 seeded through splitmix32), same stream bit for bit ----
const mix = (z) => {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
};
const hashString = (s) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h >>> 0);
};
class Random {
  constructor(seed) {
    let s = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    const next = () => (s = (s + 0x9e3779b9) >>> 0);
    this.a = mix(next()); this.b = mix(next()); this.c = mix(next()); this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }
  uint32() {
    const { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }
  int(n) {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const v = this.uint32();
      if (v < limit) return v % n;
    }
  }
  permutation(n) {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }
}

// ---- IDX ----
function readIdx(path, dimsExpected) {
  const raw = gunzipSync(readFileSync(path));
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  if (magic !== (0x800 | dimsExpected)) throw new Error(`${path}: bad magic 0x${magic.toString(16)}`);
  const dims = [];
  for (let k = 0; k < dimsExpected; k++) dims.push(view.getUint32(4 + 4 * k));
  const header = 4 + 4 * dimsExpected;
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw.length !== header + count) throw new Error(`${path}: ${raw.length} bytes, expected ${header + count}`);
  return { dims, data: raw.subarray(header) };
}
function encodeIdx(data, dims) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 | dims.length, 0);
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return gzipSync(Buffer.concat([header, data]), { level: 9 });
}

function select(labels, seed, perClass, classes = 10) {
  const perm = new Random(seed).permutation(labels.length);
  const counts = new Array(classes).fill(0);
  const kept = [];
  for (const i of perm) {
    const c = labels[i];
    if (counts[c] < perClass) {
      counts[c]++;
      kept.push(i);
      if (kept.length === perClass * classes) break;
    }
  }
  if (kept.length !== perClass * classes) throw new Error(`not enough images for ${perClass} per class`);
  return Int32Array.from(kept).sort();
}

mkdirSync(output, { recursive: true });
const files = [];
const summary = [];
for (const { prefix, seed, perClass } of SPLITS) {
  const images = readIdx(join(source, `${prefix}-images-idx3-ubyte.gz`), 3);
  const labels = readIdx(join(source, `${prefix}-labels-idx1-ubyte.gz`), 1);
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n) throw new Error(`${prefix}: ${n} images but ${labels.dims[0]} labels`);
  const kept = select(labels.data, seed, perClass);
  const f = h * w;
  const outImages = Buffer.alloc(kept.length * f);
  const outLabels = Buffer.alloc(kept.length);
  kept.forEach((i, k) => {
    images.data.copy(outImages, k * f, i * f, (i + 1) * f);
    outLabels[k] = labels.data[i];
  });
  const counts = new Array(10).fill(0);
  for (const l of outLabels) counts[l]++;
  const firstIndices = Array.from(kept.subarray(0, 8));
  summary.push({ prefix, seed, perClass, n: kept.length, of: n, counts, firstIndices });
  for (const [name, bytes] of [[`${prefix}-images-idx3-ubyte.gz`, encodeIdx(outImages, [kept.length, h, w])],
    [`${prefix}-labels-idx1-ubyte.gz`, encodeIdx(outLabels, [kept.length])]]) {
    writeFileSync(join(output, name), bytes);
    files.push({ name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
}

// LICENSE: Fashion-MNIST's MIT (Expat) licence, as Debian's copyright file states it.
writeFileSync(join(output, 'LICENSE'), `Fashion-MNIST
Source: https://github.com/zalandoresearch/fashion-mnist
Copyright (c) 2017 Zalando SE, https://tech.zalando.com
License: MIT (Expat), as stated in Debian's /usr/share/doc/dataset-fashion-mnist/copyright

Permission is hereby granted, free of charge, to any person obtaining a
copy of this software and associated documentation files (the "Software"),
to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included
in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`);

const table = (s) => ['| class | name | images |', '|---|---|---|',
  ...s.counts.map((c, i) => `| ${i} | ${CLASS_NAMES[i]} | ${c} |`)].join('\n');
const total = files.reduce((a, f) => a + f.size, 0);
writeFileSync(join(output, 'README.md'), `# Embedded Fashion-MNIST subset

descent's default data set (\`loadDataset('embedded')\` in \`@descent/core/node\`): a small, class-balanced sample of
[Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) (Zalando Research; MIT
licence, see \`LICENSE\`), so the project trains on real images with nothing to download.
28×28 grayscale images, 10 classes, in the original IDX format (gzipped, level 9).

| file | images | from | bytes | sha256 |
|---|---|---|---|---|
${files.map((f) => {
    const s = summary.find((x) => f.name.startsWith(x.prefix));
    return `| \`${f.name}\` | ${s.n} | ${s.of} | ${f.size} | \`${f.sha256}\` |`;
  }).join('\n')}

Total: ${total} bytes.

## How it was cut
Made by \`scripts/make-embedded-dataset.mjs\` from the Debian package \`dataset-fashion-mnist\`
(\`/usr/share/datasets/fashion-mnist\`, the unmodified original files). Per split:

1. \`perm = new Random(seed).permutation(n)\` with descent's seeded PRNG (\`packages/core/src/random.ts\`).
2. Walk \`perm\`; keep an index while its class has fewer than the per-class quota.
3. Sort the kept indices ascending: images keep the original files' (class-mixed) order.

${summary.map((s) => `- **${s.prefix}**: seed \`'${s.seed}'\`, ${s.perClass} per class, ${s.n} of ${s.of} images; ` +
    `first original indices ${s.firstIndices.join(', ')}, …`).join('\n')}

Running the script again gives the same bytes (Node's zlib writes gzip mtime 0; a different
zlib version could compress differently, but the decompressed IDX data would be identical).
The node tests (\`packages/core/src/node/*.test.ts\`) re-derive the selection with core's
\`Random\` and, where Debian's files are installed, check every image against the original.

## Counts per class
${summary.map((s) => `### ${s.prefix} (${s.n})\n${table(s)}`).join('\n\n')}
`);

for (const f of files) console.log(`${f.name}  ${f.size} bytes  sha256 ${f.sha256}`);
console.log(`total ${total} bytes in ${output}`);
