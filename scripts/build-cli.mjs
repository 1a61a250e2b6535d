// Bundles the built CLI (dist/main.js and what it imports) into cli/: main.js holds commander and
// the program; each command, with the libraries only it needs, is a chunk loaded when it runs.
// Measured before choosing this (median of 15 runs, alternated, ratio to `node -e 0`): --help
// 1.38x from dist/, 1.13x bundled (importing commander's own files alone costs 1.26x); topics
// 1.62x -> 1.38x; a scripted 10-question quiz 1.99x -> 1.69x. Resolving and loading some 150
// small modules (yaml alone has 80) costs more than running them. better-sqlite3 stays outside:
// it is a native addon.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

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
    format: 'esm',
    entryFileNames: 'main.js',
    chunkFileNames: '[name]-[hash].js',
    cleanDir: true,
  },
});
console.log('build-cli: dist/main.js -> cli/');
