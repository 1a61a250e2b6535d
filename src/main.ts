// The entry point. A plain request for help or the version is answered from the text that
// commander itself printed at build time (scripts/build-help.mjs), without loading commander:
// importing commander alone costs a quarter of node's own start-up. Everything else runs the
// program (run.ts), the one place that decides the exit code.
import path from 'node:path';
import { precomputedHelp } from './help.js';
import { cacheDir, packageRoot } from './paths.js';

// A closed pipe (`backend-quiz history | head`) is not an error. EIO means the terminal is gone
// (closed window, dropped ssh): what is left to say has nowhere to go, and the quiz, told by
// SIGHUP, is already saving its state; an unhandled 'error' event would crash it midway.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  if (e.code !== 'EIO') throw e;
});
process.stderr.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EIO' && e.code !== 'EPIPE') throw e;
});

const help = precomputedHelp(process.argv.slice(2));
if (help !== undefined) process.stdout.write(help);
// The rest of the bundle's code is compiled through a code cache (code-cache.ts says why), which
// plain help does not load. No top-level await: the bundle is CommonJS (scripts/build-cli.mjs).
else {
  void import('./code-cache.js')
    .then((c) => c.installCodeCache(path.join(packageRoot, 'cli'), path.join(cacheDir(), 'code')))
    .then(() => import('./run.js'))
    .then((m) => m.run());
}
