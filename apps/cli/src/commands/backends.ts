import { Command } from 'commander';
import type { BackendRegistry } from '@descent/core';
import { createRegistry } from '../backends.js';
import { printJson, table } from '../output.js';

/** `descent backends --json`: every backend of the registry, probed, and what 'auto' picks here. */
export async function listBackends(registry: BackendRegistry = createRegistry()) {
  const rows = await registry.probeAll();
  // What 'auto' would pick: the first in priority order that runs here (not on a software GPU).
  const auto = (await registry.pick('auto'))?.chosen ?? null;
  return { command: 'backends' as const, settings: { environment: registry.environment }, auto,
    backends: rows.map((r) => ({
      id: r.id, description: r.description, precision: r.precision, priority: r.priority, device: r.device,
      available: r.result.available,
      ...(r.result.available ? { detail: r.result.detail ?? null, softwareFallback: r.result.softwareFallback ?? null }
        : { reason: r.result.reason }) })) };
}

export function backendsCommand(): Command {
  return new Command('backends')
    .description('list every backend, whether it runs here and, if not, why')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const r = await listBackends();
      if (opts.json) { printJson(r); return; }
      process.stdout.write(table(['backend', 'runs here', 'precision', 'priority', 'description / why not'],
        [...r.backends].sort((a, b) => b.priority - a.priority).map((b) => [b.id, b.available ? 'yes' : 'no', b.precision,
          b.priority, 'reason' in b ? b.reason : b.description])));
      process.stdout.write(`auto: ${r.auto ?? 'none runs here'}${r.auto ? ' (the highest priority that runs here)' : ''}\n`);
    });
}
