// Bundles the built CLI (dist/main.js and what it imports) into cli/: main.js holds commander and
// the program; each command, with the libraries only it needs, is a chunk loaded when it runs.
// Measured before choosing this (median of 15 runs, alternated, ratio to `node -e 0`): --help
// 1.38x from dist/, 1.13x bundled (importing commander's own files alone costs 1.26x); topics
// 1.62x -> 1.38x; a scripted 10-question quiz 1.99x -> 1.69x. Resolving and loading some 150
// small modules (yaml alone has 80) costs more than running them. better-sqlite3 stays outside:
// it is a native addon.
// The bundle is CommonJS (main.cjs, chunks *.cjs; bin/ is CommonJS by bin/package.json): Node 20
// runs every ES module through its asynchronous loader (resolve, load, link, evaluate jobs), and
// on the scripted 10-question quiz, with ~35 chunks, that cost 2.53x against 2.27x for the same
// bundle as CommonJS (median of 15 alternated runs; a CommonJS bin saved a further 0.10x over an
// ES one importing main.cjs). A V8 code cache (vm.Script cachedData) on top gained under 0.03x
// and was left out. Dynamic import() becomes a lazy require(), so commands still load on demand.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { bundleTaskWorker } from './build-task-worker.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  input: path.join(root, 'dist', 'main.js'),
  platform: 'node',
  external: ['better-sqlite3'],
  // yaml's own ES module build (its 'default' export condition): the CommonJS one it gives Node
  // is 80 modules that run through the bundler's CommonJS wrappers on every start.
  resolve: { alias: { yaml: path.join(root, 'node_modules', 'yaml', 'browser', 'index.js') } },
  logLevel: 'warn',
  output: {
    // One level below the package root, as dist/ is: paths.ts finds questions/ and dist/ from it.
    dir: path.join(root, 'cli'),
    format: 'cjs',
    entryFileNames: 'main.cjs',
    chunkFileNames: '[name]-[hash].cjs',
    cleanDir: true,
  },
});
// The task engines' Worker gets its own entry: a thread starts on a file, and the bundled code that
// starts it (src/tasks/host.ts) looks for task-worker.cjs beside itself. The engines stay outside
// the bundle: each loads its .wasm from its own package directory.
await bundleTaskWorker(path.join(root, 'dist', 'tasks', 'worker.js'), path.join(root, 'cli', 'task-worker.cjs'));
console.log('build-cli: dist/main.js -> cli/, dist/tasks/worker.js -> cli/task-worker.cjs');
