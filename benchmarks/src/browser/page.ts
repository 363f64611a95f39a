/** The conformance page module, relative to the benchmarks package root (for bundled scripts in dist/). */
export const CONFORMANCE_PAGE_FILE = 'src/browser/conformance.page.ts';
