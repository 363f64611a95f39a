/** Error text helpers shared by the runtime loaders and probes. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The default export of a CommonJS module imported with import(), or the namespace itself. */
export function moduleExports<T>(ns: unknown, marker: string): T {
  const m = ns as Record<string, unknown>;
  return (marker in m ? m : m['default']) as T;
}
