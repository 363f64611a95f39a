import { describe, expect, it } from 'vitest';
import { DEFAULT_MACHINE, floorOf, formatMs, formatRatio, landscapeWork, lossGradientWork, numericalGradientWork, verdict } from './floor.js';

describe('the machine floor', () => {
  it('full batch, CIFAR shape, on the documented defaults: compute-bound at 4·N·D·C flops ÷ 95 GFLOP/s', () => {
    const w = lossGradientWork(50000, 3073, 10);
    expect(w.flops).toBe(4 * 50000 * 3073 * 10); // 6.146e9
    expect(w.bytes).toBe(4 * (50000 * 3073 + 30730)); // 614.7 MB
    const f = floorOf(w, DEFAULT_MACHINE);
    expect(f.bound).toBe('compute');
    expect(f.computeMs).toBeCloseTo(6.146e9 / 95e6, 9); // 64.69 ms
    expect(f.memoryMs).toBeCloseTo(614722920 / 15e6, 9); // 40.98 ms
    expect(f.ms).toBe(f.computeMs);
  });

  it('memory-bound when the bandwidth is the smaller term', () => {
    const f = floorOf({ bytes: 3e9, flops: 1e9 }, { bandwidthGBs: 10, peakGflops: 100, source: 'test' });
    expect(f).toEqual({ ms: 300, bound: 'memory', memoryMs: 300, computeMs: 10 });
  });

  it('counts the landscape and numerical-gradient work', () => {
    expect(landscapeWork(10000, 3073, 10, 101 * 101)).toEqual({ bytes: 4 * (10000 * 3073 + 3 * 30730), flops: 2 * 10000 * 3073 * 30 + 10201 * 2 * 10000 * 10 });
    expect(numericalGradientWork(500, 3073, 10)).toEqual({ bytes: 4 * (500 * 3073 + 30730), flops: 2 * 500 * 3073 * 10 + 30730 * 2 * 2 * 500 });
  });

  it('says met, or missed by a factor (times) or by points (accuracies)', () => {
    expect(verdict(140, { kind: 'max', value: 150 })).toEqual({ met: true, text: 'met' });
    expect(verdict(0.88, { kind: 'max', value: 0.6 })).toEqual({ met: false, text: 'missed by 1.47×' });
    expect(verdict(0.8439, { kind: 'min', value: 0.85 })).toEqual({ met: false, text: 'missed by 0.61 points' });
    expect(verdict(undefined, { kind: 'max', value: 1 })).toEqual({ met: false, text: 'not measured' });
    expect(verdict(0.4, { kind: 'numpy', value: 0.5 }, 1)).toEqual({ met: true, text: 'met (0.40× numpy)' });
    expect(verdict(0.8, { kind: 'numpy', value: 0.5 }, 1)).toEqual({ met: false, text: 'missed by 1.60× (0.80× numpy)' });
    expect(verdict(0.8, { kind: 'numpy', value: 0.5 })).toEqual({ met: false, text: 'numpy not measured' });
  });

  it('formats times and ratios', () => {
    expect([0.4123, 71.34, 412.6, 1612].map(formatMs)).toEqual(['0.412 ms', '71.3 ms', '413 ms', '1.61 s']);
    expect([0.000965, 0.0412, 2.27, 56.8, 1273].map(formatRatio)).toEqual(['9.7e-4×', '0.04×', '2.27×', '56.8×', '1273×']);
  });
});
