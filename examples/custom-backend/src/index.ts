/**
 * The example backend as a package: its provider, and the `backendPackage` a registry takes
 * (`registry.addPackage(backendPackage)`), which the conformance kit also takes.
 */
import type { BackendInfo, BackendModule, BackendPackage, BackendProvider } from '@descent/core';
import { JS_BACKEND_ID, JsBackend } from './backend.js';

export { JS_BACKEND_ID, JsBackend } from './backend.js';

const info: BackendInfo = {
  id: JS_BACKEND_ID, description: 'plain JavaScript loops, float64 (an example)', precision: 'float64',
  environments: ['node', 'browser'], priority: 0, device: 'cpu',
};

export const providers: BackendProvider[] = [{
  ...info,
  probe: async () => ({ available: true, detail: 'plain JavaScript, runs anywhere' }),
  create: async () => new JsBackend(),
}];

export const backendPackage: BackendPackage = {
  name: '@descent/example-custom-backend',
  backends: [info],
  load: async (): Promise<BackendModule> => ({ providers }),
};
