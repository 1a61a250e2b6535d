// Builds the command line. Imports only commander (and the lint rules' numbers, for the help):
// each action loads its command module on demand, so --help and --version never load SQLite, YAML
// or Inquirer.
import { Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { createRequire } from 'node:module';
import { CURRICULUM_RULES } from './bank/rules.js';
import { EXCLUSIVE } from './take/modes.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command's run() has its own parameters
type Runner = (...args: any[]) => Promise<number>;
export type Loader = (
  name:
    | 'take'
    | 'menu'
    | 'history'
    | 'show'
    | 'topics'
    | 'validate'
    | 'assessment'
    | 'import'
    | 'report'
    | 'convert'
    | 'calibrate'
    | 'practice'
    | 'stats'
    | 'doctor',
) => Promise<{ run: Runner }>;

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
  convert: () => import('./commands/convert.js'),
  calibrate: () => import('./commands/calibrate.js'),
  practice: () => import('./commands/practice.js'),
  stats: () => import('./commands/stats.js'),
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

function percent(name: string) {
  return (value: string): number => {
    const n = Number(value.trim().replace(/%$/, ''));
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
      throw new InvalidArgumentError(`${name} is a percent from 0 to 100.`);
    return n;
  };
}

function decimal(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d*\.?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a number, such as ${min < 1 ? '0.35' : '30'}.`);
    const n = Number(value);
    if (n <= min || n > max) throw new InvalidArgumentError(`${name} must be above ${min} and at most ${max}.`);
    return n;
  };
}

/**
 * Collects repeated options and comma lists: --topic http-apis,security. --banks is repeatable
 * rather than variadic because a variadic global option would swallow the command name after it.
 */
/** Collects a repeatable option whose values may hold commas (file names). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function list(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

const EXAMPLES = `
Examples:
  $ backend-quiz                                   start menu (in a terminal)
  $ backend-quiz take --topic http-apis security --count 15
  $ backend-quiz take --difficulty hard --feedback immediate
  $ backend-quiz take --answers answers.yaml --json --seed 42   scripted run
  $ backend-quiz practice                          due questions, then new ones
  $ backend-quiz take --retry mistakes             your latest mistakes, again
  $ backend-quiz stats                             progress per topic
  $ backend-quiz history --candidate alice
  $ backend-quiz show k3f9x2abcd
  $ backend-quiz validate ./my-banks
  $ backend-quiz assessment init senior.yaml       an interviewer's assessment
  $ backend-quiz take senior.pack.json             sit a sealed pack
  $ backend-quiz import results/                   store result files
  $ backend-quiz report --assessment senior-backend
  $ backend-quiz convert export.gift -o bank.yaml  bring questions in
  $ backend-quiz calibrate && backend-quiz take --adaptive
  $ backend-quiz doctor                            check the results database

Environment:
  BACKEND_QUIZ_DB      results database (default: the user data directory)
  BACKEND_QUIZ_BANKS   extra bank directories, separated by ':' (';' on Windows)
  NO_COLOR             turn colour off

Exit codes: 0 done, 1 failed (a gate of take, problems found by validate, a
file refused by import), 2 bad usage or input (also a damaged or unwritable
database), 129 terminal closed (SIGHUP), 130 interrupted (Ctrl-C), 143 stopped
(SIGTERM).`;

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
    // The root has an action (the start menu), so commander's own help command would not be
    // reached; the one declared last below also walks into subcommands (`help assessment pack`).
    .helpCommand(false)
    .showSuggestionAfterError()
    .allowExcessArguments()
    .addHelpText('after', EXAMPLES)
    .action(async (_opts, cmd: Command) => {
      if (cmd.args.length)
        cmd.error(`error: unknown command '${cmd.args[0]}' (see 'backend-quiz --help')`, { code: 'commander.unknownCommand', exitCode: 2 });
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
    .addOption(new Option('--assessment <file>', 'sit an assessment file (YAML)'))
    .addOption(new Option('--resume [session-id]', 'continue a stopped sitting; without an id, list them').conflicts([...EXCLUSIVE.resume]))
    .addOption(
      new Option(
        '--retry <session-id>',
        "ask again what a session got wrong or partly right; 'mistakes': your latest such answers",
      ).conflicts([...EXCLUSIVE.retry]),
    )
    .option('-o, --output <file>', "write an assessment's result file here (default: its own name in --result-dir)")
    .option('--result-dir <dir>', "write an assessment's result file into this folder, under its own name (default: .)")
    .option('-t, --topic <id...>', 'topics to draw from (default: all; see `topics`)', list)
    .option('--tasks', 'draw hands-on tasks (write SQL or code) instead of questions')
    .option('-n, --count <n>', 'number of questions (default: 10)', integer('--count', 1, 10000))
    .option('-d, --difficulty <level...>', 'easy, medium and/or hard (default: all)', list)
    .option('--seed <n>', 'seed for question and choice order (default: random, recorded)', integer('--seed', 0, 0xffffffff))
    .option('-c, --candidate <name>', 'name recorded with the results (default: your user name)')
    .addOption(
      new Option('--feedback <when>', 'when to show right answers and explanations').choices(['immediate', 'end', 'none']).default('end'),
    )
    .option('-a, --answers <file>', 'answer from a YAML or JSON file instead of prompting (scripted run)')
    .option('--json', 'print the result as JSON on stdout (same as --reporter json)')
    .option('--min-score <percent>', 'gate: exit 1 if the score is below this percent', percent('--min-score'))
    .option('--min-topic-score <topic=percent>', 'gate per topic, e.g. databases-sql=60 (repeatable)', list)
    .option('--reporter <name[:file]>', 'junit, tap, github, json or md, to stdout or a file (repeatable)', list)
    .option('--print-form', 'print the drawn questions without answers (with --json: as JSON); stores nothing')
    .option('--answers-template <file>', 'write an answers file to fill in for the drawn questions')
    .option('--start-code <code>', 'the code that opens a locked pack (asked for when left out)')
    .option('--check', 'check a pack and this machine before the sitting; asks nothing, starts no clock')
    .addOption(
      new Option('--adaptive', 'choose each question from the answers so far and report ability (θ ± SE)').conflicts([
        ...EXCLUSIVE.adaptive,
      ]),
    )
    .option('--max-items <n>', 'adaptive: ask at most this many questions (default 30)', integer('--max-items', 1, 1000))
    .option('--target-se <se>', 'adaptive: stop once the standard error is this small (default 0.35)', decimal('--target-se', 0, 5))
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz take --topic databases-sql --difficulty medium hard
  $ backend-quiz take -t http-apis -n 5 --feedback immediate
  $ backend-quiz take --tasks -t databases-sql     hands-on: write SQL, run it
  $ backend-quiz take --answers answers.yaml --json > result.json
  $ backend-quiz take senior.pack.json            a sealed pack
  $ backend-quiz take senior.pack.json --check    before the sitting: no clock
  $ backend-quiz take --assessment senior.yaml --result-dir results/
  $ backend-quiz take --resume                    stopped sittings
  $ backend-quiz take --retry k3f9x2abcd          that session's mistakes, again
  $ backend-quiz take --retry mistakes -t caching  your caching mistakes

In CI (gates, reports, questions for a script to answer):
  $ backend-quiz take -t http-apis -n 20 --seed 7 --answers-template a.yaml
  $ backend-quiz take -t http-apis -n 20 --seed 7 --answers a.yaml \\
      --min-score 70 --min-topic-score http-apis=60 --reporter junit:quiz.xml
  $ backend-quiz take --adaptive -t http-apis security --target-se 0.4

An answers file maps question keys (see \`topics\`) to answers:
  http-apis/safe-methods: [GET, HEAD, OPTIONS]          # multiple: choice texts
  security/tls13-forward-secrecy: true                  # boolean
  caching/s-maxage-directive: s-maxage                  # text
  scalability-performance/littles-law-in-flight: 10     # number
  (single choice: the text of the chosen choice)`,
    )
    .action(async (pack: string | undefined, _opts, cmd: Command) => call('take', cmd, pack));

  program
    .command('practice')
    .description('a practice round: questions due for review first, then new ones')
    .option('-t, --topic <id...>', 'topics to practise (default: all)', list)
    .option('-d, --difficulty <level...>', 'easy, medium and/or hard (default: all)', list)
    .option('-n, --count <n>', 'questions in the round', integer('--count', 1, 10000), 10)
    .option('-c, --candidate <name>', 'whose schedule (default: your user name)')
    .option('--seed <n>', 'seed for new questions and choice order (default: random, recorded)', integer('--seed', 0, 0xffffffff))
    .option('-a, --answers <file>', 'answer from a YAML or JSON file instead of prompting (scripted run)')
    .option('--json', "print the round's result as JSON (as take --json)")
    .option('--status', 'show what is due, learning, learned and not yet seen per topic; asks nothing')
    .option('--at <date>', 'with --status: as things will stand then (a date means the end of that day, UTC)')
    .addHelpText(
      'after',
      `
Each round asks the questions due for review, most overdue first, then questions
you have not answered yet, with the right answer and explanation after each.
Every answer outside an assessment (practice or take) moves the schedule (FSRS):
a miss is due again in the next round, a right answer days later, then weeks.

Examples:
  $ backend-quiz practice
  $ backend-quiz practice -t databases-sql caching -n 20
  $ backend-quiz practice --status
  $ backend-quiz practice --status --at 2026-11-02      what is due that day
  $ backend-quiz practice --answers answers.yaml --json  a scripted round`,
    )
    .action(async (_opts, cmd: Command) => call('practice', cmd));

  program
    .command('stats')
    .description('progress per topic: questions seen, share right, trend per week, what is due')
    .option('-c, --candidate <name>', 'whose progress (default: your user name)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Topics come weakest first: by the share of answers fully right over the last
30 days (or overall, for a topic not answered lately). Every sitting counts,
assessments included; answers to a sealed pack count once they are graded.

Examples:
  $ backend-quiz stats
  $ backend-quiz stats --candidate alice --json`,
    )
    .action(async (_opts, cmd: Command) => call('stats', cmd));

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
    .description('list the topics and their questions per difficulty; with topic ids, their question keys')
    .argument('[id...]', 'topics whose questions to list, with each key (<bank>/<id>), difficulty, type and prompt')
    .option('--json', 'print JSON')
    .action(async (ids: string[], _opts, cmd: Command) => call('topics', cmd, ids));

  program
    .command('validate')
    .description('check question banks; exit 1 if any has a problem')
    .argument('[paths...]', 'bank files or directories (default: the built-in banks and --banks)')
    .option(
      '--lint',
      `also check curriculum content: ${CURRICULUM_RULES.minQuestions}+ questions, difficulty mix, ${CURRICULUM_RULES.minTypes}+ types, references, near-duplicate prompts, giveaways, facts checked within 12 months`,
    )
    .option(
      '--stale',
      'with --lint: list the questions due for a check of facts (checked over 12 months ago, or never), with their references',
    )
    .option('--no-run', "skip running each task's reference solution (must pass every test) and starter (must fail one)")
    .option('--json', 'print JSON (same as --reporter json)')
    .option('--reporter <name[:file]>', 'junit, tap, github, json or md, to stdout or a file (repeatable)', list)
    .addHelpText(
      'after',
      '\nProblems are printed as file:line:col: message.\n\nExamples:\n  $ backend-quiz validate ./my-banks\n  $ backend-quiz validate --lint          built-in banks, with content checks\n  $ backend-quiz validate --lint --stale  and list questions due for a check\n  $ backend-quiz validate ./banks --reporter github --reporter junit:banks.xml',
    )
    .action(async (paths: string[], _opts, cmd: Command) => call('validate', cmd, paths));

  const assessment = program
    .command('assessment')
    .description('write, check and seal assessments (for interviewers)')
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz assessment init senior.yaml
  $ backend-quiz assessment check senior.yaml
  $ backend-quiz assessment pack senior.yaml -o senior.pack.json`,
    );
  assessment
    .command('init')
    .description('write a commented starter assessment')
    .argument('<file>', 'the assessment file to write (YAML)')
    .option('--force', 'overwrite the file if it exists')
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'init', file));
  assessment
    .command('check')
    .description('validate an assessment against the banks and record it as yours; exit 1 if it has problems')
    .argument('<file>', 'the assessment file (YAML)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nA valid definition is recorded in your results database: `import` takes pass\nmarks, the time limit and the form from it, never from a result file.',
    )
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'check', file));
  assessment
    .command('pack')
    .description('seal an assessment into a pack without the answer key, for candidates')
    .argument('<file>', 'the assessment file (YAML)')
    .requiredOption('-o, --output <file>', 'the pack file to write (send only this to candidates)')
    .option('--key-out <file>', 'also write the answer key, to import results on another machine')
    .option('--start-code [code]', 'lock the questions until this code is given (no value: generate one)')
    .addHelpText(
      'after',
      '\nThe key stays in your results database: import results on this machine, or\nwith --key-out, name the key file on another one: import --key <key.json>.\nA pack that draws on the built-in banks hides nothing of those questions (their\nanswers ship with backend-quiz): use banks of your own for graded hiring.\n\nWith --start-code the pack can be sent ahead: its questions cannot be read\nuntil you give the code, and the clock starts when the code opens it.',
    )
    .action(async (file: string, _opts, cmd: Command) => call('assessment', cmd, 'pack', file));

  program
    .command('import')
    .description("store candidates' result files, each graded against the interviewer's own copy")
    .argument('[paths...]', 'result files (*.result.json), or folders of them')
    .option('--key <file>', 'the answer key of a sealed pack (from `assessment pack --key-out`); repeatable', collect)
    .option('--assessment <file>', 'record this assessment definition (YAML) as yours before grading; repeatable', collect)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz import results/
  $ backend-quiz import --key senior.key.json inbox/*.result.json
  $ backend-quiz import --assessment senior.yaml inbox/
  $ backend-quiz import --key senior.key.json   # the key alone, results later

A result file is trusted for its answers only. Its questions must be the form
your definition (or key) draws, its times must be in order, and answers after
your time limit (plus 30 s of grace) count as unanswered and flag the sitting
over time. Pass marks and limits come from your definition: one written here by
\`take --assessment\`, \`assessment check\` or \`assessment pack\`, or given with
--assessment. Keys are read only from --key, never from among the results.

Exit code 0 when every file was imported or already present, 1 when any was
refused (each refusal names the file and the reason), 2 for usage errors.`,
    )
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
    .option('--json', 'print JSON (the same as --format json)')
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .option('--no-details', "leave out each candidate's answers")
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz report --assessment senior-backend
  $ backend-quiz report --assessment senior-backend --format html -o cohort.html
  $ backend-quiz report k3f9x2abcd --format md
  $ backend-quiz report --assessment senior-backend --since 2026-11-01 -o c.csv

The format defaults to text, or to the extension of --output (.md .html .csv
.json).`,
    )
    .action(async (ids: string[], _opts, cmd: Command) => call('report', cmd, ids));

  program
    .command('convert')
    .description('bring questions in from GIFT, Aiken, Moodle XML or Markdown; send banks out')
    .argument('[file]', 'a question file (.gift .txt .xml .md) to import, or a bank (.yaml) to export')
    .addOption(
      new Option('--from <format>', 'format of <file> (default: its extension)').choices(['gift', 'aiken', 'moodle-xml', 'md', 'yaml']),
    )
    .addOption(
      new Option('--to <format>', 'format to write (default: yaml for an import, else from --output)').choices([
        'yaml',
        'gift',
        'moodle-xml',
        'qti',
        'md',
      ]),
    )
    .option('-o, --output <file>', 'write here (default: stdout); needed for qti, a ZIP package')
    .option('-t, --topic <id>', 'export this bank (built-in or from --banks) instead of a file')
    .option('--bank <id>', 'id of the imported bank (default: from its category or file name)')
    .addOption(
      new Option('-d, --difficulty <level>', 'level of imported questions that give none (default: medium)').choices([
        'easy',
        'medium',
        'hard',
      ]),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz convert moodle-export.gift -o networking.yaml
  $ backend-quiz convert quiz.txt --from aiken --difficulty easy > quiz.yaml
  $ backend-quiz convert questions.xml --bank databases -o databases.yaml
  $ backend-quiz convert notes.md -o notes.yaml
  $ backend-quiz convert --topic http-apis --to gift -o http-apis.gift
  $ backend-quiz convert my-bank.yaml --to moodle-xml -o my-bank.xml
  $ backend-quiz convert --topic caching -o caching.zip          QTI 2.1 package
  $ backend-quiz convert --topic security --to md > security.md

Questions of kinds backend-quiz lacks (matching, essay, cloze with several
gaps, …) are listed with their line and left out; notes say what could not be
kept as it was. A problem in the file (file:line:col) stops the import and
nothing is written (exit 2).`,
    )
    .action(async (file: string | undefined, _opts, cmd: Command) => call('convert', cmd, file));

  program
    .command('calibrate')
    .description("estimate each question's difficulty (Rasch model) from stored answers")
    .option('--assessment <id>', "only an assessment's sittings")
    .option('-t, --topic <id...>', 'only questions of these topics', list)
    .option('--since <date>', 'sittings started on or after this date (YYYY-MM-DD or ISO time)')
    .option('--until <date>', 'sittings started before the end of this date')
    .option('--status <status...>', 'finished, timed_out, abandoned, in_progress (default: finished, timed_out)', list)
    .option('--responses <file>', 'calibrate a CSV response matrix instead: a header of item keys, rows of 1, 0 or empty')
    .option('--min-responses <n>', 'questions answered by fewer people are not estimated (default 30)', integer('--min-responses', 1))
    .option('--quadrature <n>', 'Gauss-Hermite points (default 41)', integer('--quadrature', 21, 200))
    .option('--no-save', 'print the calibration without storing it')
    .option('--show', 'print the current calibration')
    .option(
      '--simulate [n]',
      'simulate n candidates (default 1000): adaptive sittings against random forms',
      integer('--simulate', 10, 100000),
    )
    .option('--synthetic', 'simulate on a synthetic pool even when a calibration exists')
    .option('--seed <n>', 'seed of the simulation (default 1)', integer('--seed', 0, 0xffffffff))
    .option('--max-items <n>', 'simulation: most questions an adaptive sitting asks (default 30)', integer('--max-items', 1, 1000))
    .option('--target-se <se>', 'simulation: standard error an adaptive sitting stops at (default 0.35)', decimal('--target-se', 0, 5))
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The latest calibration gives the ability estimates (θ ± SE and percentile) of
show, history --json and report, and the difficulties of take --adaptive. A
right answer counts 1; partial, wrong and unanswered 0; a question not on a
sitting's form is missing, not wrong.

Examples:
  $ backend-quiz calibrate
  $ backend-quiz calibrate --assessment senior-backend --since 2026-01-01
  $ backend-quiz calibrate --responses lsat.csv --no-save   compare with R's ltm
  $ backend-quiz calibrate --show --json
  $ backend-quiz calibrate --simulate 2000      does adaptive testing pay here?`,
    )
    .action(async (_opts, cmd: Command) => call('calibrate', cmd));

  program
    .command('doctor')
    .description('check the results database for damage (PRAGMA integrity_check), read-only')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ backend-quiz doctor
  $ backend-quiz doctor --db results.db --json

Exit code 0 when the database is sound, 1 when it is damaged (restore it from a
backup or move it aside), 2 when it is missing or not a backend-quiz database.`,
    )
    .action(async (_opts, cmd: Command) => call('doctor', cmd));

  program
    .command('help')
    .description('show the help of a command (as <command> --help)')
    .argument('[command...]', 'a command, and a subcommand where it has them')
    .action((names: string[], _opts, cmd: Command) => {
      let at: Command = program;
      for (const name of names) {
        const next = at.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next)
          cmd.error(`error: unknown command '${names.join(' ')}' (see 'backend-quiz --help')`, {
            code: 'commander.unknownCommand',
            exitCode: 2,
          });
        at = next;
      }
      at.outputHelp();
    });

  return program;
}
