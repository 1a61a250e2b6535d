// Builds the command line. Imports only commander: each action loads its command module on
// demand, so --help and --version never load SQLite, YAML or Inquirer.
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

type Runner = (...args: any[]) => Promise<number>;
export type Loader = (name: 'take' | 'menu' | 'history' | 'show' | 'topics' | 'validate' | 'assessment' | 'import' | 'report' | 'doctor') => Promise<{ run: Runner }>;

export interface ProgramDeps {
  /** Loads a command module; tests replace it to see the options each command receives. */
  load?: Loader;
  /** Merged into every command's options (tests pass streams, env, cwd). */
  context?: Record<string, unknown>;
  /** Receives each command's exit code. */
  setExitCode?: (code: number) => void;
  /** Where commander writes help and errors (inherited by every command). */
  output?: OutputConfiguration;
}

// One import() per command, spelled out, so the bundler (scripts/build-cli.mjs) makes each
// command a chunk of its own that --help never loads.
const COMMANDS: Record<Parameters<Loader>[0], () => Promise<{ run: Runner }>> = {
  take: () => import('./commands/take.js'),
  menu: () => import('./commands/menu.js'),
  history: () => import('./commands/history.js'),
  show: () => import('./commands/show.js'),
  topics: () => import('./commands/topics.js'),
  validate: () => import('./commands/validate.js'),
  assessment: () => import('./commands/assessment.js'),
  import: () => import('./commands/import.js'),
  report: () => import('./commands/report.js'),
  doctor: () => import('./commands/doctor.js'),
};
const defaultLoad: Loader = (name) => COMMANDS[name]();

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be from ${min} to ${max}.`);
    return n;
  };
}

/**
 * Collects repeated options and comma lists: --topic http-apis,security. --banks is repeatable
 * rather than variadic because a variadic global option would swallow the command name after it.
 */
function list(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

const EXAMPLES = `
Examples:
  $ backend-quiz                                   start menu (in a terminal)
  $ backend-quiz take --topic http-apis security --count 15
  $ backend-quiz take --difficulty hard --feedback immediate
  $ backend-quiz take --answers answers.yaml --json --seed 42   scripted run
  $ backend-quiz history --candidate alice
  $ backend-quiz show k3f9x2abcd
  $ backend-quiz validate ./my-banks
  $ backend-quiz assessment init senior.yaml       an interviewer's assessment
  $ backend-quiz take senior.pack.json             a candidate sits a pack
  $ backend-quiz import results/                   results sent back
  $ backend-quiz report --assessment senior-backend
  $ backend-quiz doctor                            check the results database

Environment:
  BACKEND_QUIZ_DB      results database (default: the user data directory)
  BACKEND_QUIZ_BANKS   extra bank directories, separated by ':' (';' on Windows)
  NO_COLOR             turn colour off

Exit codes: 0 done, 1 failed (validate found problems, import refused a file),
2 bad usage or input (also a damaged or unwritable database), 129 terminal
closed (SIGHUP), 130 interrupted (Ctrl-C), 143 stopped (SIGTERM).`;

export function createProgram(deps: ProgramDeps = {}): Command {
  const load = deps.load ?? defaultLoad;
  const setExit = deps.setExitCode ?? ((code: number) => (process.exitCode = code));
  const program = new Command('backend-quiz');
  if (deps.output) program.configureOutput(deps.output);

  const call = async (name: Parameters<Loader>[0], cmd: Command, ...args: unknown[]): Promise<void> => {
    const { run } = await load(name);
    setExit(await run(...args, { ...cmd.optsWithGlobals(), ...deps.context }));
  };

  program
    .description('Assess backend-engineering skills in the terminal.')
    .version(version, '-V, --version')
    .option('--banks <dir>', 'add a question bank directory to the built-in ones (repeatable)', list)
    .option('--db <path>', 'results database file')
    .option('--no-color', 'turn colour off')
    .exitOverride() // inherited by the subcommands below: run.ts maps usage errors to exit 2
    // 80 columns whatever the terminal, so help fits the house width and the text precomputed
    // at build time (help.ts) is the same one commander prints.
    .configureHelp({ helpWidth: 80 })
    .showSuggestionAfterError()
    .allowExcessArguments()
    .addHelpText('after', EXAMPLES)
    .action(async (_opts, cmd: Command) => {
      if (cmd.args.length) cmd.error(`error: unknown command '${cmd.args[0]}' (see 'backend-quiz --help')`, { code: 'commander.unknownCommand', exitCode: 2 });
      const ctx = (deps.context ?? {}) as { stdin?: { isTTY?: boolean }; stdout?: { isTTY?: boolean } };
      const stdin = ctx.stdin ?? process.stdin;
      const stdout = ctx.stdout ?? process.stdout;
      if (stdin.isTTY && stdout.isTTY) await call('menu', cmd);
      else cmd.outputHelp();
    });

  program
    .command('take')
    .description('take a quiz, an assessment or a sealed pack')
    .argument('[pack]', 'a sealed pack file from an interviewer (*.pack.json)')
    .option('--assessment <file>', 'sit an assessment file (YAML)')
    .option('--resume [session-id]', 'continue a stopped sitting; without an id, list them')
    .option('-o, --out <dir>', "where an assessment's result file is written", '.')
    .option('-t, --topic <id...>', 'topics to draw from (default: all; see `topics`)', list)
    .option('-n, --count <n>', 'number of questions', integer('--count', 1, 10000), 10)
    .option('-d, --difficulty <level...>', 'easy, medium and/or hard (default: all)', list)
    .option('--seed <n>', 'seed for question and choice order (default: random, recorded)', integer('--seed', 0, 0xffffffff))
    .option('-c, --candidate <name>', 'name recorded with the results (default: your user name)')
    .addOption(new Option('--feedback <when>', 'when to show right answers and explanations').choices(['immediate', 'end', 'none']).default('end'))
    .option('-a, --answers <file>', 'answer from a YAML or JSON file instead of prompting (scripted run)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz take --topic databases-sql --difficulty medium hard
  $ backend-quiz take -t http-apis -n 5 --feedback immediate
  $ backend-quiz take --answers answers.yaml --json > result.json
  $ backend-quiz take senior.pack.json            an interviewer's sealed pack
  $ backend-quiz take --assessment senior.yaml --out results/
  $ backend-quiz take --resume                    list stopped sittings

An answers file maps question keys (see \`topics\`) to answers:
  http-apis/safe-methods: [GET, HEAD, OPTIONS]          # multiple: choice texts
  security/tls13-forward-secrecy: true                  # boolean
  caching/s-maxage-directive: s-maxage                  # text
  scalability-performance/littles-law-in-flight: 10     # number
  (single choice: the text of the chosen choice)`,
    )
    .action(async (pack: string | undefined, _opts, cmd: Command) => call('take', cmd, pack));

  program
    .command('history')
    .description('list past sessions, newest first')
    .option('-c, --candidate <name>', 'only this candidate')
    .option('--limit <n>', 'at most this many', integer('--limit', 1))
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => call('history', cmd));

  program
    .command('show')
    .description('review one session: score, per-topic results and every answer')
    .argument('<session-id>', 'a session id from `history` (a unique prefix of 4+ characters will do)')
    .option('--json', 'print JSON')
    .action(async (id: string, _opts, cmd: Command) => call('show', cmd, id));

  program
    .command('topics')
    .description('list the topics and their questions per difficulty')
    .option('--json', 'print JSON')
    .action(async (_opts, cmd: Command) => call('topics', cmd));

  program
    .command('validate')
    .description('check question banks; exit 1 if any has a problem')
    .argument('[paths...]', 'bank files or directories (default: the built-in banks and --banks)')
    .option('--lint', 'also check curriculum content: 30+ questions, difficulty mix, 3+ types, references, near-duplicate prompts')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nProblems are printed as file:line:col: message.\n\nExamples:\n  $ backend-quiz validate ./my-banks\n  $ backend-quiz validate --lint          built-in banks and content checks')
    .action(async (paths: string[], _opts, cmd: Command) => call('validate', cmd, paths));

  const assessment = program
    .command('assessment')
    .description('write, check and seal assessments (for interviewers)')
    .addHelpText('after', `
Examples:
  $ backend-quiz assessment init senior.yaml
  $ backend-quiz assessment check senior.yaml
  $ backend-quiz assessment pack senior.yaml -o senior.pack.json`);
  assessment
    .command('init')
    .description('write a commented starter assessment')
    .argument('<file>', 'the assessment file to write (YAML)')
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'init', file));
  assessment
    .command('check')
    .description('validate an assessment against the banks; exit 1 if it has problems')
    .argument('<file>', 'the assessment file (YAML)')
    .option('--json', 'print JSON')
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'check', file));
  assessment
    .command('pack')
    .description('seal an assessment into a pack without the answer key, for candidates')
    .argument('<file>', 'the assessment file (YAML)')
    .requiredOption('-o, --out <file>', 'the pack file to write (send only this to candidates)')
    .option('--key-out <file>', 'also write the answer key, to import results on another machine')
    .addHelpText('after', '\nThe key stays in your results database: import results on this machine, or\nwith --key-out, give the key file to `import` on another one.')
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'pack', file));

  program
    .command('import')
    .description("store candidates' result files (and pack keys), graded against the key")
    .argument('<paths...>', 'result files (*.result.json), key files, or folders of them')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  $ backend-quiz import results/
  $ backend-quiz import senior.key.json inbox/*.result.json

Exit code 0 when every file was imported or already present, 1 when any was
refused (each refusal names the file and the reason), 2 for usage errors.`)
    .action(async (paths: string[], _opts, cmd: Command) => call('import', cmd, paths));

  program
    .command('report')
    .description("report on sessions: one candidate's, or an assessment's cohort")
    .argument('[session-ids...]', 'sessions to report on (see `history`)')
    .option('--assessment <id>', "the cohort of an assessment's sittings")
    .option('-c, --candidate <name>', 'only this candidate')
    .option('--since <date>', 'sittings started on or after this date (YYYY-MM-DD or ISO time)')
    .option('--until <date>', 'sittings started before the end of this date')
    .option('--status <status...>', 'finished, timed_out, abandoned, in_progress (default: finished, timed_out)', list)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'md', 'html', 'csv', 'json']))
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .option('--no-details', "leave out each candidate's answers")
    .addHelpText('after', `
Examples:
  $ backend-quiz report --assessment senior-backend
  $ backend-quiz report --assessment senior-backend --format html -o cohort.html
  $ backend-quiz report k3f9x2abcd --format md
  $ backend-quiz report --assessment senior-backend --since 2026-11-01 -f csv

The format defaults to text, or to the extension of -o (.md .html .csv .json).`)
    .action(async (ids: string[], _opts, cmd: Command) => call('report', cmd, ids));

  program
    .command('doctor')
    .description('check the results database for damage (PRAGMA integrity_check), read-only')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  $ backend-quiz doctor
  $ backend-quiz doctor --db results.db --json

Exit code 0 when the database is sound, 1 when it is damaged (restore it from a
backup or move it aside), 2 when it is missing or not a backend-quiz database.`)
    .action(async (_opts, cmd: Command) => call('doctor', cmd));

  return program;
}
