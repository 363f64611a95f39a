/** How a command reports while it works. */
export function outputMode(opts: { json?: boolean; quiet?: boolean }): 'bar' | 'lines' | 'none' {
  if (opts.json || opts.quiet) return 'none';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

/** JSON text; NaN and ±Infinity (not JSON) become null, typed arrays become arrays. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  }, 2)}\n`;
}

/** JSON on stdout (see toJson). */
export function printJson(value: unknown): void {
  process.stdout.write(toJson(value));
}

export const seconds = (ms: number): number => Math.round(ms) / 1000;

/** A plain text table: numeric columns right-aligned, text left-aligned, the last column unpadded. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+(e[-+]?\d+)?%?$|^-$/i.test(String(r[j] ?? ''))));
  const line = (r: readonly string[]) => r.map((c, j) => (j === r.length - 1 && !numeric[j] ? c
    : numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return `${cells.map(line).join('\n')}\n`;
}
