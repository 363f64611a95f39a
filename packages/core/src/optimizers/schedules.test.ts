import { describe, expect, test } from 'vitest';
import { OptionError } from '../errors.js';
import { createSchedule, SCHEDULE_NAMES, type ScheduleOptions } from './schedules.js';

describe('createSchedule', () => {
  test('constant: lr0 at every epoch', () => {
    const s = createSchedule('constant', 0.1);
    for (const e of [0, 0.37, 10, 1e6]) expect(s(e)).toBe(0.1);
  });

  test('step: lr0·factor^⌊epoch/every⌋ (defaults every 10, factor 0.5)', () => {
    const s = createSchedule('step', 1);
    expect(s(0)).toBe(1);
    expect(s(9.999)).toBe(1);
    expect(s(10)).toBe(0.5); // ⌊10/10⌋ = 1
    expect(s(25)).toBe(0.25); // ⌊2.5⌋ = 2
    expect(s(30)).toBe(0.125); // ⌊3⌋ = 3
    const t = createSchedule('step', 0.5, { every: 2, factor: 0.1 });
    expect(t(1.5)).toBe(0.5);
    expect(t(4.5)).toBeCloseTo(0.005, 15); // 0.5·0.1², ⌊4.5/2⌋ = 2
    expect(createSchedule('step', 0.3, { factor: 1 })(100)).toBe(0.3);
  });

  test('exponential: lr0·e^(−k·epoch) (default k 0.1)', () => {
    const s = createSchedule('exponential', 1);
    expect(s(0)).toBe(1);
    expect(s(10)).toBeCloseTo(0.36787944117144233, 15); // e^−1
    // k = ln 2 halves per epoch: 0.2·2^−3 = 0.025
    expect(createSchedule('exponential', 0.2, { k: Math.LN2 })(3)).toBeCloseTo(0.025, 15);
  });

  test('inverse (1/t): lr0/(1 + k·epoch) (default k 0.1)', () => {
    const s = createSchedule('inverse', 1);
    expect(s(0)).toBe(1);
    expect(s(10)).toBe(0.5); // 1/(1 + 1)
    expect(s(30)).toBe(0.25); // 1/(1 + 3)
    expect(createSchedule('inverse', 0.3, { k: 0.5 })(4)).toBeCloseTo(0.1, 15); // 0.3/(1 + 2)
  });

  test('k = 0 makes exponential and inverse constant', () => {
    for (const name of ['exponential', 'inverse']) {
      expect(createSchedule(name, 0.7, { k: 0 })(123.4)).toBe(0.7);
    }
  });

  test.each(SCHEDULE_NAMES)('%s starts at lr0 and never increases', (name) => {
    const s = createSchedule(name, 0.05, { every: 1.5, k: 0.3 });
    expect(s(0)).toBe(0.05);
    let prev = Infinity;
    for (let e = 0; e <= 20; e += 0.25) {
      const lr = s(e);
      expect(lr).toBeGreaterThan(0);
      expect(lr).toBeLessThanOrEqual(prev);
      prev = lr;
    }
  });

  test('an unknown name throws OptionError listing the valid names', () => {
    expect(() => createSchedule('cosine', 0.1)).toThrow(OptionError);
    expect(() => createSchedule('cosine', 0.1)).toThrow(/'cosine'.*constant, step, exponential, inverse/);
  });

  test.each([0, -0.1, NaN, Infinity])('rejects lr0 = %s', (lr0) => {
    expect(() => createSchedule('constant', lr0)).toThrow(OptionError);
    expect(() => createSchedule('constant', lr0)).toThrow(new RegExp(`'lr0'.*got ${String(lr0)}`));
  });

  const bad: [ScheduleOptions, RegExp][] = [
    [{ factor: 0 }, /'factor'.*\(0, 1\].*got 0\b/],
    [{ factor: 1.5 }, /'factor'.*got 1\.5/],
    [{ factor: -0.5 }, /'factor'.*got -0\.5/],
    [{ k: -0.1 }, /'k'.*>= 0.*got -0\.1/],
    [{ k: NaN }, /'k'.*got NaN/],
    [{ every: 0 }, /'every'.*> 0.*got 0\b/],
    [{ every: -2 }, /'every'.*got -2/],
  ];
  test.each(bad)('rejects %o with OptionError', (options, message) => {
    // Checked for every schedule, even one that ignores the option.
    for (const name of SCHEDULE_NAMES) {
      expect(() => createSchedule(name, 0.1, options)).toThrow(OptionError);
      expect(() => createSchedule(name, 0.1, options)).toThrow(message);
    }
  });

  test('a negative or non-finite epoch throws OptionError', () => {
    const s = createSchedule('step', 0.1);
    expect(() => s(-1)).toThrow(OptionError);
    expect(() => s(NaN)).toThrow(/epoch/);
  });
});
