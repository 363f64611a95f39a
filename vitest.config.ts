import { defineConfig } from 'vitest/config';

// Tests run against source. Every workspace package exports its entries under the `source`
// condition first ("source": "./src/x.ts"), so resolving with that condition maps each
// @descent/* import (entries like '@descent/core/node' included) to the package's src/ file,
// whatever entries the packages add, with no alias list to keep in step. The packages are
// found through their node_modules symlinks; Vite resolves those to the real path
// (packages/*/src/..., outside node_modules), so they are transformed, not externalized.
// `ssr` is the environment Node tests run in (Vitest also hands its conditions to the worker
// processes as --conditions); `resolve` covers the client environment (jsdom/happy-dom
// tests). Vitest adds Vite's default conditions (node, development|production) to both.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'benchmarks/**/*.test.ts', 'tests/**/*.test.ts',
      'examples/custom-backend/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
