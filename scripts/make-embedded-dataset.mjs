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
// (packages/core/src/random.ts, imported from source with import-source.mjs); walk perm and keep an index
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
import { gzipSync } from 'node:zlib';
import { importSource } from './import-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? '/usr/share/datasets/fashion-mnist');
const output = resolve(process.argv[3] ?? join(root, 'packages/core/data/fashion-mnist-subset'));

const SPLITS = [
  { prefix: 'train', seed: 'fashion-mnist-subset/train', perClass: 1000 },
  { prefix: 't10k', seed: 'fashion-mnist-subset/t10k', perClass: 200 },
];
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
  'Sneaker', 'Bag', 'Ankle boot'];

// core's own Random and IDX reader, and the IDX writer of '@descent/core/testing', from their
// TypeScript sources (Node 20 cannot import .ts; see import-source.mjs).
const core = join(root, 'packages/core');
const { Random, readIdxImages, readIdxLabels } = await importSource('@descent/core', core);
const { encodeIdx } = await importSource('@descent/core/testing', core);

/** IDX bytes gzipped by Node's zlib at level 9 (mtime 0): the same output bytes on every run. */
const gzippedIdx = (data, dims) => gzipSync(encodeIdx(data, dims, { gzip: false }), { level: 9 });

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
  const imagesFile = join(source, `${prefix}-images-idx3-ubyte.gz`);
  const labelsFile = join(source, `${prefix}-labels-idx1-ubyte.gz`);
  const images = readIdxImages(readFileSync(imagesFile), imagesFile);
  const labels = readIdxLabels(readFileSync(labelsFile), labelsFile);
  const { count: n, rows: h, cols: w } = images;
  if (labels.count !== n) throw new Error(`${prefix}: ${n} images but ${labels.count} labels`);
  const kept = select(labels.labels, seed, perClass);
  const f = h * w;
  const outImages = new Uint8Array(kept.length * f);
  const outLabels = new Uint8Array(kept.length);
  kept.forEach((i, k) => {
    outImages.set(images.pixels.subarray(i * f, (i + 1) * f), k * f);
    outLabels[k] = labels.labels[i];
  });
  const counts = new Array(10).fill(0);
  for (const l of outLabels) counts[l]++;
  const firstIndices = Array.from(kept.subarray(0, 8));
  summary.push({ prefix, seed, perClass, n: kept.length, of: n, counts, firstIndices });
  for (const [name, bytes] of [[`${prefix}-images-idx3-ubyte.gz`, gzippedIdx(outImages, [kept.length, h, w])],
    [`${prefix}-labels-idx1-ubyte.gz`, gzippedIdx(outLabels, [kept.length])]]) {
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
