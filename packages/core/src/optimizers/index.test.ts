import { describe, expect, test } from 'vitest';
import { OptionError, ShapeError } from '../errors.js';
import { Random } from '../random.js';
import { createOptimizer, DEFAULT_OPTIMIZER_OPTIONS, OPTIMIZER_NAMES, type OptimizerOptions } from './index.js';

describe('createOptimizer', () => {
  test.each(OPTIMIZER_NAMES)('creates %s', (name) => {
    expect(createOptimizer(name).name).toBe(name);
  });

  test('an unknown name throws OptionError listing the valid names', () => {
    expect(() => createOptimizer('adamw')).toThrow(OptionError);
    expect(() => createOptimizer('adamw')).toThrow(/unknown optimizer 'adamw'.*sgd, momentum, nesterov, adagrad, rmsprop, adam/);
    expect(() => createOptimizer('SGD')).toThrow(OptionError);
  });

  test('defaults are the usual ones', () => {
    expect(DEFAULT_OPTIMIZER_OPTIONS).toEqual({ momentum: 0.9, beta1: 0.9, beta2: 0.999, decay: 0.99, eps: 1e-8 });
  });

  const bad: [OptimizerOptions, RegExp][] = [
    [{ momentum: 1 }, /'momentum'.*\[0, 1\).*got 1\b/],
    [{ momentum: -0.1 }, /'momentum'.*got -0\.1/],
    [{ momentum: NaN }, /'momentum'.*got NaN/],
    [{ beta1: 1 }, /'beta1'.*got 1\b/],
    [{ beta2: 1.5 }, /'beta2'.*got 1\.5/],
    [{ beta2: -1e-3 }, /'beta2'.*got -0\.001/],
    [{ decay: 1 }, /'decay'.*got 1\b/],
    [{ eps: 0 }, /'eps'.*> 0.*got 0\b/],
    [{ eps: -1e-8 }, /'eps'.*got -1e-8/],
    [{ eps: Infinity }, /'eps'.*got Infinity/],
  ];
  test.each(bad)('rejects %o with OptionError', (options, message) => {
    // Checked whatever the optimizer, even one that ignores the option.
    for (const name of ['sgd', 'adam'] as const) {
      expect(() => createOptimizer(name, options)).toThrow(OptionError);
      expect(() => createOptimizer(name, options)).toThrow(message);
    }
  });

  test('accepts the edges of each domain', () => {
    expect(() => createOptimizer('momentum', { momentum: 0 })).not.toThrow();
    expect(() => createOptimizer('adam', { beta1: 0, beta2: 0.999999, eps: 1e-300 })).not.toThrow();
    expect(() => createOptimizer('rmsprop', { decay: 0 })).not.toThrow();
  });

  test('options reach the optimizer: momentum μ = 0.5 vs the default 0.9', () => {
    // Two steps with g = [1]: v = −lr·1, then v = μ·(−lr) − lr = −lr(1+μ); w = −lr − lr(1+μ)
    const run = (options?: OptimizerOptions) => {
      const opt = createOptimizer('momentum', options);
      const w = new Float64Array([0]);
      opt.step(w, new Float64Array([1]), 1);
      opt.step(w, new Float64Array([1]), 1);
      return w[0]!;
    };
    expect(run({ momentum: 0.5 })).toBeCloseTo(-2.5, 12);
    expect(run()).toBeCloseTo(-2.9, 12);
  });
});

describe.each(OPTIMIZER_NAMES)('%s: contract', (name) => {
  test('a gradient of another length throws ShapeError', () => {
    const opt = createOptimizer(name);
    expect(() => opt.step(new Float64Array(3), new Float64Array(2), 0.1)).toThrow(ShapeError);
    expect(() => opt.step(new Float64Array(3), new Float64Array(2), 0.1)).toThrow(/2 elements.*3/);
  });

  test('a bad learning rate throws OptionError', () => {
    const opt = createOptimizer(name);
    for (const lr of [-0.1, NaN, Infinity]) {
      expect(() => opt.step(new Float64Array(2), new Float64Array(2), lr)).toThrow(OptionError);
    }
  });

  test('reset() forgets state: the next step equals a fresh optimizer\'s first step', () => {
    // The same seeded history of 4 steps, played on two optimizers; one is then reset.
    const history = () => {
      const rng = new Random(`reset-${name}`);
      const opt = createOptimizer(name);
      const w = rng.fillNormal(new Float64Array(5)) as Float64Array;
      for (let t = 0; t < 4; t++) opt.step(w, rng.fillNormal(new Float64Array(5), 3), 0.05);
      return { opt, w };
    };
    const g = new Random('reset-gradient').fillNormal(new Float64Array(5));
    const reset = history();
    const kept = history();
    expect(Array.from(reset.w)).toEqual(Array.from(kept.w));
    const fresh = Float64Array.from(reset.w);

    reset.opt.reset();
    reset.opt.step(reset.w, g, 0.05);
    kept.opt.step(kept.w, g, 0.05);
    createOptimizer(name).step(fresh, g, 0.05);

    expect(Array.from(reset.w)).toEqual(Array.from(fresh));
    // Without the reset the state shows (except for stateless SGD).
    if (name === 'sgd') expect(Array.from(kept.w)).toEqual(Array.from(fresh));
    else expect(Array.from(kept.w)).not.toEqual(Array.from(fresh));
  });

  test('state is sized on the first step; another size needs reset()', () => {
    const opt = createOptimizer(name);
    opt.step(new Float64Array(4), new Float64Array(4).fill(1), 0.1);
    if (name !== 'sgd') {
      expect(() => opt.step(new Float64Array(6), new Float64Array(6), 0.1)).toThrow(ShapeError);
      expect(() => opt.step(new Float64Array(6), new Float64Array(6), 0.1)).toThrow(/reset\(\)/);
    }
    opt.reset();
    expect(() => opt.step(new Float64Array(6), new Float64Array(6).fill(1), 0.1)).not.toThrow();
  });

  test('accepts a float32 gradient and gives what the same float64 gradient gives', () => {
    const g32 = new Float32Array([0.5, -1.25, 3]);
    const a = new Float64Array([1, 2, 3]);
    const b = new Float64Array([1, 2, 3]);
    const oa = createOptimizer(name);
    const ob = createOptimizer(name);
    for (let t = 0; t < 3; t++) {
      oa.step(a, g32, 0.1);
      ob.step(b, Float64Array.from(g32), 0.1);
    }
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
