/**
 * The machine's floor for a workload: the larger of (bytes that must be read ÷ read
 * bandwidth) and (flops ÷ peak multiply-add rate), and the target verdicts. Pure functions
 * (floor.test.ts checks them).
 */

export interface Machine {
  /** GB/s (1e9 bytes per second). */
  readonly bandwidthGBs: number;
  /** GFLOP/s, a multiply-add counting 2. */
  readonly peakGflops: number;
  /** 'measured …' or 'documented defaults …'. */
  readonly source: string;
}

/** The documented defaults for this project's machine kind (shared/ENV-NOTES.md): one thread, AVX2. */
export const DEFAULT_MACHINE: Machine = { bandwidthGBs: 15, peakGflops: 95, source: 'documented defaults (ENV-NOTES: 15 GB/s, 95 GFLOP/s)' };

export interface Work {
  readonly bytes: number;
  readonly flops: number;
}

export interface Floor {
  readonly ms: number;
  /** Which term sets it. */
  readonly bound: 'memory' | 'compute';
  readonly memoryMs: number;
  readonly computeMs: number;
}

export function floorOf(work: Work, m: Machine): Floor {
  const memoryMs = work.bytes / (m.bandwidthGBs * 1e6);
  const computeMs = work.flops / (m.peakGflops * 1e6);
  return memoryMs >= computeMs ? { ms: memoryMs, bound: 'memory', memoryMs, computeMs } : { ms: computeMs, bound: 'compute', memoryMs, computeMs };
}

/**
 * Loss + gradient over `rows` rows of a float32 N×D design matrix, C classes: X's rows read
 * once (a fused pass forms the scores and accumulates Xᵀ·dS while the rows are in cache) plus
 * W; flops 2·rows·D·C for X·W and as many for Xᵀ·dS.
 */
export function lossGradientWork(rows: number, d: number, c: number): Work {
  return { bytes: 4 * (rows * d + d * c), flops: 4 * rows * d * c };
}

/**
 * A 2-D landscape by linearity: the scores of W, V₁, V₂ (X read once, 2·N·D·3C flops), then
 * every one of P·Q points combines three N×C score rows (at least one multiply-add per score:
 * 2·N·C flops a point; exponentials and logarithms not counted, so this is a generous floor).
 */
export function landscapeWork(n: number, d: number, c: number, points: number): Work {
  return { bytes: 4 * (n * d + 3 * d * c), flops: 2 * n * d * 3 * c + points * 2 * n * c };
}

/**
 * Numerical gradient of every coordinate by linearity: the scores once (X read once,
 * 2·N·D·C flops), then per coordinate and per sign one pass over the N rows touching one score
 * column (a multiply-add each, transcendental functions not counted).
 */
export function numericalGradientWork(n: number, d: number, c: number, probesPerCoordinate = 2): Work {
  return { bytes: 4 * (n * d + d * c), flops: 2 * n * d * c + d * c * probesPerCoordinate * 2 * n };
}

export interface Target {
  /**
   * 'max': the figure must be ≤ value (a time); 'min': ≥ value (an accuracy); 'numpy': the
   * figure ÷ numpy's for the same workload in the same run must be ≤ value.
   */
  readonly kind: 'max' | 'min' | 'numpy';
  readonly value: number;
}

/** "met" or "missed by X" (a factor for times, points for accuracies). */
export function verdict(measured: number | undefined, target: Target, numpy?: number): { met: boolean; text: string } {
  if (measured === undefined || !Number.isFinite(measured)) return { met: false, text: 'not measured' };
  if (target.kind === 'numpy') {
    if (numpy === undefined || !Number.isFinite(numpy)) return { met: false, text: 'numpy not measured' };
    const ratio = measured / numpy;
    return ratio <= target.value ? { met: true, text: `met (${ratio.toFixed(2)}× numpy)` }
      : { met: false, text: `missed by ${(ratio / target.value).toFixed(2)}× (${ratio.toFixed(2)}× numpy)` };
  }
  if (target.kind === 'max') {
    return measured <= target.value ? { met: true, text: 'met' } : { met: false, text: `missed by ${(measured / target.value).toFixed(2)}×` };
  }
  return measured >= target.value ? { met: true, text: 'met' }
    : { met: false, text: `missed by ${(100 * (target.value - measured)).toFixed(2)} points` };
}

/** Milliseconds in a short human form: 0.412 ms, 71.3 ms, 1.61 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toPrecision(3)} ms`;
}

export function formatRatio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : x >= 0.01 ? `${x.toFixed(2)}×` : `${x.toExponential(1)}×`;
}
