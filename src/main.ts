// The one place that decides the process's exit code and prints top-level errors.
import { CommanderError } from 'commander';
import { createProgram } from './cli.js';
import { EXIT, UserError } from './errors.js';

// A closed pipe (`backend-quiz history | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

async function main(): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message already; help and version are not errors.
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof UserError) {
      process.stderr.write(`${e.exitCode === EXIT.interrupted ? '' : 'backend-quiz: '}${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n\nThis is a bug in backend-quiz. Please report it with the command you ran and the output above.\n`);
    process.exitCode = 70;
  }
}

await main();
// Inquirer or a pending timer must not keep an interrupted run alive.
if (process.exitCode === EXIT.interrupted) process.exit(EXIT.interrupted);
