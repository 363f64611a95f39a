import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against source: each workspace package name resolves to its src/.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@descent\/core\/node$/, replacement: src('./packages/core/src/node.ts') },
      { find: /^@descent\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@descent\/backend-ts\/ids$/, replacement: src('./packages/backend-ts/src/ids.ts') },
      { find: /^@descent\/backend-ts$/, replacement: src('./packages/backend-ts/src/index.ts') },
      { find: /^@descent\/backend-tfjs\/ids$/, replacement: src('./packages/backend-tfjs/src/ids.ts') },
      { find: /^@descent\/backend-tfjs$/, replacement: src('./packages/backend-tfjs/src/index.ts') },
      { find: /^@descent\/backend-onnx\/ids$/, replacement: src('./packages/backend-onnx/src/ids.ts') },
      { find: /^@descent\/backend-onnx$/, replacement: src('./packages/backend-onnx/src/index.ts') },
      { find: /^@descent\/plots$/, replacement: src('./packages/plots/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'benchmarks/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
