import { Command } from 'commander';
import { createRegistry } from '../backends.js';
import { printJson, table } from '../output.js';

export function backendsCommand(): Command {
  return new Command('backends')
    .description('list every backend, whether it runs here and, if not, why')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const rows = await createRegistry().probeAll();
      if (opts.json) {
        printJson({ command: 'backends', backends: rows.map((r) => ({
          id: r.id, description: r.description, precision: r.precision ?? null, available: r.result.available,
          ...(r.result.available ? { detail: r.result.detail ?? null } : { reason: r.result.reason }) })) });
        return;
      }
      process.stdout.write(table(['backend', 'runs here', 'precision', 'description / why not'],
        rows.map((r) => [r.id, r.result.available ? 'yes' : 'no', r.precision ?? '-',
          r.result.available ? r.description : r.result.reason])));
    });
}
