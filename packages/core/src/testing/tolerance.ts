/**
 * Agreement within a tolerance, "absolute OR relative" in one bound (as numpy's allclose and
 * onnxruntime's web test runner): |actual − expected| ≤ atol + rtol·|expected|. Absolute
 * alone is wrong for large values, relative alone for values that cancel to near 0.
 */
import type { Precision } from '../backend.js';

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/**
 * Per-precision tolerances, relative to the magnitude of what is compared.
 *
 * float32: Wᵀ and the gradient accumulator are stored in float32 (unit roundoff 2⁻²⁴ ≈ 6e-8);
 * a score or gradient entry sums D or N such rounded terms whose errors mostly cancel, so
 * 2⁻¹⁴ ≈ 6.1e-5 (about 1000 roundoffs) is a loose but meaningful bound.
 * float64: only the order of summation differs from the reference (unit roundoff 2⁻⁵³ ≈
 * 1.1e-16); 2⁻⁴⁰ ≈ 9.1e-13 (about 8000 roundoffs).
 */
export const PRECISION_RTOL: Readonly<Record<Precision, number>> = Object.freeze({
  float32: 2 ** -14,
  float64: 2 ** -40,
});

/**
 * The tolerance for comparing against `expected` in a precision: rtol from PRECISION_RTOL,
 * atol = rtol·scale where scale is the largest |expected| (at least 1), so entries that
 * cancel to near 0 are judged against the size of their neighbours, not their own.
 */
export function toleranceFor(precision: Precision, expected: number | ArrayLike<number>): Tolerance {
  const rtol = PRECISION_RTOL[precision];
  let scale = 1;
  if (typeof expected === 'number') scale = Math.max(scale, Math.abs(expected));
  else for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  return { atol: rtol * scale, rtol };
}

export interface CloseOptions extends Tolerance {
  /** Who and what is compared, e.g. "ts / cifar-shaped / softmax reg 0 / gradient". */
  readonly label: string;
}

/** How far actual is from expected: the worst error/bound ratio (< 1 passes) and, on failure, why. */
export interface Comparison {
  /** Largest |a − e| / (atol + rtol·|e|) over the elements (NaN counts as Infinity). */
  readonly worst: number;
  readonly failures: number;
  /** Names the label, the first failing index, both values, the difference and the bound. */
  readonly message?: string;
}

/**
 * Compares every element: |a − e| ≤ atol + rtol·|e| (NaN never agrees, equal infinities do).
 * Never throws: the browser conformance page reports comparisons as data.
 */
export function compareClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>,
  options: CloseOptions): Comparison {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  const { atol, rtol, label } = options;
  if (a.length !== e.length) {
    return { worst: Infinity, failures: 1, message: `${label}: length ${a.length}, expected ${e.length}` };
  }
  let failures = 0;
  let first = '';
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    const ai = a[i]!, ei = e[i]!;
    if (ai === ei) continue;
    const diff = Math.abs(ai - ei);
    const bound = atol + rtol * Math.abs(ei);
    const ratio = diff / bound;
    if (!(ratio <= worst)) worst = Number.isNaN(ratio) ? Infinity : ratio;
    if (diff <= bound) continue;
    if (failures === 0) {
      const where = typeof expected === 'number' ? '' : ` at index ${i}`;
      first = `${label}${where}: got ${ai}, expected ${ei} (|diff| ${diff.toExponential(3)} > bound ${bound.toExponential(3)} = atol ${atol.toExponential(2)} + rtol ${rtol.toExponential(2)}·|expected|)`;
    }
    failures++;
  }
  if (failures === 0) return { worst, failures };
  return { worst, failures, message: failures === 1 ? first
    : `${first}; ${failures} of ${e.length} elements outside the bound, worst by ×${worst.toPrecision(3)}` };
}

/** Throws compareClose's message unless every element agrees. */
export function expectClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>,
  options: CloseOptions): void {
  const c = compareClose(actual, expected, options);
  if (c.message !== undefined) throw new Error(c.message);
}
