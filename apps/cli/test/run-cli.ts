import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
export const cliBin = fileURLToPath(new URL('../dist/descent.js', import.meta.url));

/** Build the CLI bundle once per test file (esbuild: well under a second). */
export function buildCli(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: cliDir, stdio: 'inherit' });
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Run the built `descent` with arguments, as a user would. */
export function descent(args: string[], env: Record<string, string> = {}, timeout = 120_000): CliResult {
  const r = spawnSync(process.execPath, [cliBin, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, timeout, maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
