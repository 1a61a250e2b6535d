// The one place that decides the process's exit code and prints top-level errors (main.ts runs
// it for everything but a plain request for help).
import { CommanderError } from 'commander';
import { createProgram } from './cli.js';
import { EXIT, InterruptedError, UserError } from './errors.js';
import { safeText } from './text.js';

async function main(): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message already; help and version are not errors.
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
      return;
    }
    // Messages quote file names and file content; whatever a message site missed is caught here.
    if (e instanceof UserError) {
      process.stderr.write(`${e instanceof InterruptedError ? '' : 'backend-quiz: '}${safeText(e.message)}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(
      `${safeText((e as Error)?.stack ?? String(e))}\n\nThis is a bug in backend-quiz. Please report it with the command you ran and the output above.\n`,
    );
    process.exitCode = 70;
  }
}

export async function run(): Promise<void> {
  await main();
  // Inquirer, a pending timer or a dead terminal must not keep a stopped run alive.
  const stopped: unknown[] = [EXIT.interrupted, EXIT.hangup, EXIT.terminated];
  if (stopped.includes(process.exitCode)) process.exit(process.exitCode);
}
