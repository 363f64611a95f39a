/**
 * The agreement report as data and text: backends × cases, each cell the worst error over the
 * case's specs as a fraction of its bound (|actual − expected| ÷ (atol + rtol·|expected|);
 * < 1 passes) and pass/fail. Pure functions, no I/O (matrix.test.ts checks them).
 */
import type { CaseResult } from '@descent/core/testing';

export interface MatrixCell {
  /** Largest worst-ratio over the case's specs (Infinity: a spec threw or compared NaN). */
  readonly worst: number;
  readonly specs: number;
  readonly failed: number;
}

export interface AgreementRow {
  /** Backend id and where it ran, e.g. "tfjs-wasm @chromium". */
  readonly backend: string;
  /** Cell per case name; absent when the backend did not run that case. */
  readonly cells: Readonly<Record<string, MatrixCell>>;
  readonly seconds: number;
}

export interface AgreementMatrix {
  readonly cases: readonly string[];
  readonly rows: readonly AgreementRow[];
  /** Every failure message (backend, case, spec, element, both values, bound). */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

/** Groups results (already labelled with where they ran) into the matrix; case order = first seen. */
export function agreementMatrix(runs: readonly { backend: string; results: readonly CaseResult[] }[]): AgreementMatrix {
  const cases: string[] = [];
  const failures: string[] = [];
  const rows: AgreementRow[] = [];
  for (const run of runs) {
    const cells: Record<string, MatrixCell> = {};
    let ms = 0;
    for (const r of run.results) {
      if (!cases.includes(r.case)) cases.push(r.case);
      const c = cells[r.case] ?? { worst: 0, specs: 0, failed: 0 };
      cells[r.case] = { worst: Math.max(c.worst, Number.isNaN(r.worst) ? Infinity : r.worst), specs: c.specs + 1,
        failed: c.failed + (r.ok ? 0 : 1) };
      ms += r.ms;
      if (!r.ok) failures.push(`${run.backend}: ${r.message ?? `${r.case} / ${r.spec} failed`}`);
    }
    if (run.results.length === 0) failures.push(`${run.backend}: no results (the run produced no specs)`);
    rows.push({ backend: run.backend, cells, seconds: ms / 1000 });
  }
  return { cases, rows, failures, ok: failures.length === 0 };
}

/** A ratio for a cell: "0.0012", "0.31", "12.5", "∞"; exactly 0 prints "0". */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x === 0) return '0';
  if (x >= 10) return x.toFixed(1);
  if (x >= 0.01) return x.toFixed(2);
  return x.toExponential(0);
}

export function formatCell(cell: MatrixCell | undefined): string {
  if (!cell) return '—';
  return `${formatRatio(cell.worst)} ${cell.failed === 0 ? 'pass' : `FAIL ${cell.failed}/${cell.specs}`}`;
}

/** Short column heads: c1, c2, … with a legend (case names are long). */
export function caseKeys(m: AgreementMatrix): string[] {
  return m.cases.map((_, i) => `c${i + 1}`);
}

export function formatMatrixText(m: AgreementMatrix): string {
  const keys = caseKeys(m);
  const head = ['backend', ...keys, 'seconds'];
  const body = m.rows.map((r) => [r.backend, ...m.cases.map((c) => formatCell(r.cells[c])), r.seconds.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const legend = m.cases.map((c, i) => `  ${keys[i]}: ${c}`);
  return [line(head), ...body.map(line), '', 'cases:', ...legend,
    '', 'cell: worst |actual − expected| ÷ (atol + rtol·|expected|) over the case\'s specs (< 1 passes), then pass/FAIL failed/specs; —: not run there'].join('\n');
}

export function formatMatrixMarkdown(m: AgreementMatrix, heading: string): string {
  const keys = caseKeys(m);
  const lines = [`# ${heading}`, '',
    'Each cell: worst |actual − expected| ÷ (atol + rtol·|expected|) over the case\'s specs (below 1 passes), and pass/FAIL; — : not run on that backend.', '',
    `| backend | ${keys.join(' | ')} | seconds |`, `|---|${keys.map(() => '---:').join('|')}|---:|`,
    ...m.rows.map((r) => `| ${r.backend} | ${m.cases.map((c) => formatCell(r.cells[c])).join(' | ')} | ${r.seconds.toFixed(1)} |`),
    '', ...m.cases.map((c, i) => `- ${keys[i]}: ${c}`)];
  if (m.failures.length) lines.push('', '## Failures', '', ...m.failures.map((f) => `- ${f.replace(/\n/g, ' ')}`));
  return lines.join('\n') + '\n';
}
