import { describe, expect, it } from 'vitest';
import type { ComputeBackend } from './backend.js';
import { BackendError } from './errors.js';
import { BackendRegistry, describeChoice, parseBackendSpec, type BackendInfo, type BackendPackage, type ProbeResult } from './registry.js';

/** A fake backend package: each id's probe answer and whether create() fails; counts loads. */
function fakePackage(name: string, backends: { id: string; priority: number; device?: 'cpu' | 'gpu'; probe?: ProbeResult;
  fails?: boolean; environments?: BackendInfo['environments']; priorityIn?: BackendInfo['priorityIn'] }[]) {
  const calls = { load: 0, assetBase: [] as string[], created: [] as string[] };
  const infos: BackendInfo[] = backends.map((b) => ({ id: b.id, description: `${b.id} backend`, precision: 'float32',
    environments: b.environments ?? ['node', 'browser'], priority: b.priority, device: b.device ?? 'cpu',
    ...(b.priorityIn ? { priorityIn: b.priorityIn } : {}) }));
  const pkg: BackendPackage = {
    name, backends: infos,
    load: async () => {
      calls.load++;
      return {
        setAssetBase: (base: string) => { calls.assetBase.push(base); },
        providers: backends.map((b, i) => ({
          ...infos[i]!,
          probe: async () => b.probe ?? { available: true },
          create: async () => {
            if (b.fails) throw new Error(`${b.id} blew up`);
            calls.created.push(b.id);
            return { id: b.id, precision: 'float32' } as ComputeBackend;
          },
        })),
      };
    },
  };
  return { pkg, calls };
}

describe('BackendRegistry with backend packages', () => {
  it('orders by the priority for its own environment where a backend declares one', async () => {
    const backends = [{ id: 'cpu', priority: 60 }, { id: 'gpu', priority: 85, device: 'gpu' as const, priorityIn: { node: 58 } }];
    const node = new BackendRegistry({ environment: 'node' }).addPackage(fakePackage('p', backends).pkg);
    const browser = new BackendRegistry({ environment: 'browser' }).addPackage(fakePackage('p', backends).pkg);
    expect(node.candidates().map((b) => b.id)).toEqual(['cpu', 'gpu']);
    expect(node.info('gpu').priority).toBe(58);
    expect((await node.probe('gpu')).priority).toBe(58);
    expect((await node.resolve('auto')).choice.chosen).toBe('cpu');
    expect(browser.candidates().map((b) => b.id)).toEqual(['gpu', 'cpu']);
    expect(browser.info('gpu').priority).toBe(85);
  });

  it('threads reach a package that takes options (providersFor), once; a bad count is refused at once', async () => {
    const a = fakePackage('pkg-a', [{ id: 'a1', priority: 1 }]);
    const asked: { threads?: number }[] = [];
    const pkg: BackendPackage = { ...a.pkg, load: async () => {
      const m = await a.pkg.load();
      return { ...m, providersFor: (o: { threads?: number }) => { asked.push(o); return m.providers.map((p) => ({ ...p, description: `${p.id} on ${o.threads} threads` })); } };
    } };
    const r = new BackendRegistry({ environment: 'node', threads: 3 }).addPackage(pkg);
    await r.create('a1');
    await r.probe('a1');
    expect(asked).toEqual([{ threads: 3 }]);
    // Without the option the package's own providers serve.
    const plain = new BackendRegistry({ environment: 'node' }).addPackage(pkg);
    await plain.create('a1');
    expect(asked).toHaveLength(1);
    for (const bad of [0, 1.5, 257, NaN]) {
      expect(() => new BackendRegistry({ threads: bad })).toThrow(`threads must be an integer from 1 to 256, got ${bad}`);
    }
  });

  it('loads a package only when one of its backends is probed, once, and tells it the asset base', async () => {
    const a = fakePackage('pkg-a', [{ id: 'a1', priority: 1 }, { id: 'a2', priority: 2 }]);
    const r = new BackendRegistry({ assetBase: 'https://x/assets/', environment: 'browser' }).addPackage(a.pkg);
    expect(r.ids()).toEqual(['a1', 'a2']);
    expect(r.info('a2')).toMatchObject({ priority: 2, description: 'a2 backend' });
    expect(a.calls.load).toBe(0);
    await r.probeAll();
    await r.create('a1');
    expect(a.calls.load).toBe(1);
    expect(a.calls.assetBase).toEqual(['https://x/assets/']);
  });

  it("'auto' takes the highest priority that runs here, passing over unavailable, software-GPU and failing backends with reasons", async () => {
    const a = fakePackage('pkg-a', [
      { id: 'gpu-real-but-missing', priority: 100, device: 'gpu', probe: { available: false, reason: 'no CUDA' } },
      { id: 'gpu-soft', priority: 90, device: 'gpu', probe: { available: true, softwareFallback: 'SwiftShader' } },
      { id: 'broken', priority: 70, fails: true },
      { id: 'fast', priority: 60 },
      { id: 'slow', priority: 10 },
      { id: 'elsewhere', priority: 80, environments: ['browser'] },
    ]);
    const r = new BackendRegistry({ environment: 'node' }).addPackage(a.pkg);
    expect(r.candidates().map((i) => i.id)).toEqual(['gpu-real-but-missing', 'gpu-soft', 'broken', 'fast', 'slow']);
    expect(r.list().map((i) => i.id)).toEqual(['gpu-real-but-missing', 'gpu-soft', 'broken', 'fast', 'slow']);
    const { backend, choice } = await r.resolve('auto');
    expect(backend.id).toBe('fast');
    expect(choice).toEqual({ requested: 'auto', chosen: 'fast', skipped: [
      { id: 'gpu-real-but-missing', reason: 'no CUDA' },
      { id: 'gpu-soft', reason: 'software adapter only: SwiftShader' },
      { id: 'broken', reason: "backend 'broken' failed to start: broken blew up" },
    ] });
    expect(describeChoice(choice, { reasons: 'none' })).toBe('fast (auto; skipped gpu-real-but-missing, gpu-soft, broken)');
    expect(describeChoice(choice, { reasons: 'short' })).toBe("fast (auto; skipped gpu-real-but-missing: no CUDA; gpu-soft: software adapter only; broken: backend 'broken' failed to start)");
    // pick() answers from the probes alone: it cannot know 'broken' fails to start.
    expect((await r.pick('auto'))?.chosen).toBe('broken');
  });

  it('a list is tried in order (a software GPU named explicitly is used), may end in auto, and skips nothing silently', async () => {
    const a = fakePackage('pkg-a', [
      { id: 'gpu-soft', priority: 90, device: 'gpu', probe: { available: true, softwareFallback: 'SwiftShader' } },
      { id: 'x', priority: 5 }, { id: 'y', priority: 50, probe: { available: false, reason: 'y is absent' } },
    ]);
    const r = new BackendRegistry({ environment: 'browser' }).addPackage(a.pkg);
    expect((await r.resolve('y, gpu-soft, x')).choice).toEqual({ requested: 'y, gpu-soft, x', chosen: 'gpu-soft',
      skipped: [{ id: 'y', reason: 'y is absent' }] });
    expect((await r.resolve('y,auto')).choice).toEqual({ requested: 'y,auto', chosen: 'x',
      skipped: [{ id: 'y', reason: 'y is absent' }, { id: 'gpu-soft', reason: 'software adapter only: SwiftShader' }] });
  });

  it('one named backend is that backend or its own error; unknown ids and empty specs are errors at once', async () => {
    const a = fakePackage('pkg-a', [{ id: 'x', priority: 5 }, { id: 'y', priority: 50, probe: { available: false, reason: 'y is absent' } }]);
    const r = new BackendRegistry({ environment: 'node' }).addPackage(a.pkg);
    await expect(r.resolve('y')).rejects.toThrow("backend 'y' cannot run here: y is absent");
    await expect(r.resolve('x,typo')).rejects.toThrow("unknown backend 'typo'; known backends: auto, x, y");
    await expect(r.resolve(' , ')).rejects.toThrow(/no backend named/);
    expect(parseBackendSpec(' a , b,auto ')).toEqual(['a', 'b', 'auto']);
    const none = new BackendRegistry({ environment: 'node' }).addPackage(fakePackage('p', [{ id: 'z', priority: 1, probe: { available: false, reason: 'nope' } }]).pkg);
    await expect(none.resolve('auto')).rejects.toThrow("no backend could run for 'auto': z: nope");
    expect(await none.pick()).toBeUndefined();
  });

  it('a package that fails to load is reported per backend and retried later; duplicates and reserved ids are refused', async () => {
    let attempts = 0;
    const flaky: BackendPackage = { name: 'flaky', backends: [{ id: 'f', description: 'f', precision: 'float64',
      environments: ['node'], priority: 1, device: 'cpu' }], load: async () => { attempts++; throw new Error('chunk missing'); } };
    const r = new BackendRegistry({ environment: 'node' }).addPackage(flaky);
    expect((await r.probe('f')).result).toEqual({ available: false, reason: 'failed to load: chunk missing' });
    await expect(r.create('f')).rejects.toThrow(BackendError);
    expect(attempts).toBe(1); // the probe is remembered
    expect(() => r.addPackage(flaky)).toThrow("backend 'f' is registered twice");
    expect(() => new BackendRegistry().addPackage({ ...flaky, backends: [{ ...flaky.backends[0]!, id: 'auto' }] })).toThrow("'auto' cannot be a backend id");
  });
});
