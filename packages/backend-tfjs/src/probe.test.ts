import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '@descent/core';
import { createTfjsBackend, providers, TFJS_BACKEND_IDS } from './index.js';

const byId = (id: string) => providers.find((p) => p.id === id)!;

describe('tfjs providers in Node', () => {
  it('provide every tfjs id, float32', () => {
    expect(providers.map((p) => p.id)).toEqual([...TFJS_BACKEND_IDS]);
    for (const p of providers) expect(p.precision).toBe('float32');
  });

  it.each(['tfjs-cpu', 'tfjs-wasm'])('%s is available and says what tfjs reports', async (id) => {
    const r = await byId(id).probe();
    expect(r).toEqual({ available: true, detail: expect.stringMatching(/tfjs 4\.22\.0 '(cpu|wasm)' backend, floatPrecision 32 bits/) });
  });

  it('tfjs-webgl and tfjs-webgpu say they need a browser', async () => {
    expect(await byId('tfjs-webgl').probe()).toEqual({ available: false,
      reason: expect.stringContaining('WebGL needs a browser: Node has no WebGL2 context') });
    expect(await byId('tfjs-webgpu').probe()).toEqual({ available: false,
      reason: expect.stringContaining('WebGPU needs a browser that exposes navigator.gpu') });
  });

  // tfjs-node cannot install on this machine (its install step downloads libtensorflow).
  it.each(['tfjs-node', 'tfjs-node-gpu'])('%s says what is missing and how to install it', async (id) => {
    const pkg = `@tensorflow/${id}`;
    const r = await byId(id).probe();
    expect(r.available).toBe(false);
    const reason = (r as { reason: string }).reason;
    expect(reason).toContain(`${pkg} is not installed: \`npm install ${pkg}@4.22.0\` or \`pnpm add ${pkg}@4.22.0\``);
    expect(reason).toContain('downloads libtensorflow');
    await expect(createTfjsBackend(id)).rejects.toThrow(`${pkg} is not installed`);
  });

  it('a registry lists every tfjs row with its reason', async () => {
    const registry = new BackendRegistry().registerProviders(providers);
    const rows = await registry.probeAll();
    expect(rows.filter((r) => r.result.available).map((r) => r.id)).toEqual(['tfjs-cpu', 'tfjs-wasm']);
    expect(await registry.probe('tfjs-webgl')).toMatchObject({ result: { available: false, reason: 'runs only in browser, not in node' } });
    await expect(registry.create('tfjs-node')).rejects.toThrow("backend 'tfjs-node' cannot run here: @tensorflow/tfjs-node is not installed");
  });
});
