import { describe, expect, it } from 'vitest';
import type { CaseResult } from '@descent/core/testing';
import { agreementMatrix, formatCell, formatMatrixMarkdown, formatMatrixText, formatRatio } from './matrix.js';

const r = (backend: string, c: string, worst: number, ok = worst < 1, message?: string): CaseResult =>
  ({ backend, suite: 'agreement', case: c, spec: 's', ok, worst, ms: 500, ...(message ? { message } : {}) });

describe('agreement matrix', () => {
  it('takes the worst ratio per backend and case, counts failures and keeps their messages', () => {
    const m = agreementMatrix([
      { backend: 'a @node', results: [r('a', 'x', 0.1), r('a', 'x', 0.3), r('a', 'y', 0)] },
      { backend: 'b @chromium', results: [r('b', 'y', 2.5, false, 'b / y / s: gradient at index 3: got 1, expected 2 (bound 0.1)'), r('b', 'z', NaN, false)] },
    ]);
    expect(m.cases).toEqual(['x', 'y', 'z']);
    expect(m.rows[0]!.cells['x']).toEqual({ worst: 0.3, specs: 2, failed: 0 });
    expect(m.rows[0]!.seconds).toBeCloseTo(1.5, 12);
    expect(m.rows[1]!.cells['y']).toEqual({ worst: 2.5, specs: 1, failed: 1 });
    expect(m.rows[1]!.cells['z']!.worst).toBe(Infinity);
    expect(m.rows[1]!.cells['x']).toBeUndefined();
    expect(m.ok).toBe(false);
    expect(m.failures).toEqual(['b @chromium: b / y / s: gradient at index 3: got 1, expected 2 (bound 0.1)', 'b @chromium: z / s failed']);
  });

  it('formats ratios and cells', () => {
    expect([0, 3.2e-5, 0.0123, 0.5, 12.34, Infinity].map(formatRatio)).toEqual(['0', '3e-5', '0.01', '0.50', '12.3', '∞']);
    expect(formatCell({ worst: 0.02, specs: 4, failed: 0 })).toBe('0.02 pass');
    expect(formatCell({ worst: 3, specs: 4, failed: 2 })).toBe('3.00 FAIL 2/4');
    expect(formatCell(undefined)).toBe('—');
  });

  it('prints aligned text and Markdown with a case legend, failures last', () => {
    const m = agreementMatrix([{ backend: 'ts @node', results: [r('ts', 'lecture', 5e-4), r('ts', 'big', 1.5, false, 'ts / big / s: loss: got 2, expected 1')] }]);
    const text = formatMatrixText(m).split('\n');
    expect(text[0]).toMatch(/^backend\s+c1\s+c2\s+seconds$/);
    expect(text[1]).toMatch(/^ts @node\s+5e-4 pass\s+1.50 FAIL 1\/1\s+1.0$/);
    expect(text).toContain('  c2: big');
    const md = formatMatrixMarkdown(m, 'agreement');
    expect(md).toContain('| ts @node | 5e-4 pass | 1.50 FAIL 1/1 | 1.0 |');
    expect(md).toContain('- c1: lecture');
    expect(md.trimEnd().split('\n').at(-1)).toBe('- ts @node: ts / big / s: loss: got 2, expected 1');
  });

  it('a backend with no results is a failure', () => {
    expect(agreementMatrix([{ backend: 'x', results: [] }]).failures).toEqual(['x: no results (the run produced no specs)']);
  });
});
