/**
 * import('onnxruntime-node') with a literal specifier, so Node bundlers can resolve or
 * externalize it. Browser bundles swap this file for ort-node-import.browser.ts (package.json
 * "browser" field): the native addon cannot be bundled for a page.
 */
export const importOrtNodeModule = (): Promise<unknown> => import('onnxruntime-node');
