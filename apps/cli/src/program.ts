import { Command, CommanderError } from 'commander';
import { DescentError } from '@descent/core';
import { backendsCommand } from './commands/backends.js';
import { batchesCommand } from './commands/batches.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { gradcheckCommand } from './commands/gradcheck.js';
import { landscapeCommand } from './commands/landscape.js';
import { predictCommand } from './commands/predict.js';
import { searchCommand } from './commands/search.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { tuneCommand } from './commands/tune.js';

/**
 * `descent <command>`. Errors a user can fix (DescentError: bad data, bad options, a backend
 * that cannot run) print one line, no stack trace; anything else is a bug and says so.
 */
export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const program = new Command('descent')
    .description('Train and inspect linear image classifiers by optimization, on the backend you choose.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of [trainCommand(), gradcheckCommand(), sweepCommand(), landscapeCommand(), searchCommand(),
    batchesCommand(), tuneCommand(), predictCommand(), evaluateCommand(), exportCommand(), backendsCommand()]) {
    program.addCommand(command.exitOverride());
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed it
    if (e instanceof DescentError) {
      process.stderr.write(`descent: error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`descent: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.DESCENT_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    else process.stderr.write('(set DESCENT_DEBUG=1 to see the stack trace, and please report it)\n');
    return 1;
  }
}

let guarded = false;
/**
 * A reader that closes the pipe early (`descent predict … | head -1`) is normal: stop quietly,
 * status 0, instead of an EPIPE stack trace.
 */
function quietOnClosedPipe(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}
