import { describe, expect, it } from 'vitest';
import type { Resident } from './backend.js';
import { PlacedSets } from './placed-sets.js';

const resident = (backendId: string): Resident => ({ backendId, n: 3, d: 2, classes: 2, y: new Int32Array(3) });

describe('PlacedSets', () => {
  it('holds state per resident and says why a data set is not here', () => {
    const sets = new PlacedSets<string>('ts');
    const a = resident('ts');
    sets.add(a, 'state of a');
    expect(sets.get(a)).toBe('state of a');
    expect(() => sets.get(resident('ts'))).toThrow("data set (3×2) is not placed on backend 'ts' (released, or placed on another instance)");
    expect(() => sets.get(resident('onnx-cpu'))).toThrow("data set was placed on backend 'onnx-cpu', not on 'ts'");
    expect(sets.delete(a)).toBe('state of a');
    expect(sets.delete(a)).toBeUndefined();
    expect(() => sets.get(a)).toThrow(/not placed/);
  });

  it('hands back everything on dispose, then refuses use', () => {
    const sets = new PlacedSets<number>('tfjs-wasm');
    sets.add(resident('tfjs-wasm'), 1);
    sets.add(resident('tfjs-wasm'), 2);
    expect(sets.dispose()).toEqual([1, 2]);
    expect(sets.isDisposed).toBe(true);
    expect(() => sets.live()).toThrow("backend 'tfjs-wasm' has been disposed");
    expect(() => sets.add(resident('tfjs-wasm'), 3)).toThrow(/disposed/);
  });
});
