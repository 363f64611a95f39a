/** How a command reports while it works. */
export function outputMode(opts: { json?: boolean; quiet?: boolean }): 'bar' | 'lines' | 'none' {
  if (opts.json || opts.quiet) return 'none';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

/** JSON on stdout; NaN and ±Infinity (not JSON) become null. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}

export const seconds = (ms: number): number => Math.round(ms) / 1000;
