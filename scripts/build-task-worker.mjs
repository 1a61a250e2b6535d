// Bundles the task engines' Worker entry (src/tasks/worker.ts and the modules it loads) into one
// file. The engines' packages stay outside: each finds its .wasm next to its own files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
export const ENGINE_PACKAGES = [
  'sql.js',
  'quickjs-emscripten-core',
  '@jitl/quickjs-wasmfile-release-sync',
  'sucrase',
  '@electric-sql/pglite',
];

/** input: the worker entry (dist/tasks/worker.js, or src/tasks/worker.ts when run from sources). */
export async function bundleTaskWorker(input, outFile, format = 'cjs') {
  await build({
    input,
    platform: 'node',
    external: (id) => ENGINE_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`)),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    logLevel: 'warn',
    output: {
      file: outFile,
      format,
      // One file: the engines are loaded by the Worker alone, so splitting them saves nothing.
      codeSplitting: false,
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundleTaskWorker(path.join(root, 'dist', 'tasks', 'worker.js'), path.join(root, 'cli', 'task-worker.cjs'));
  console.log('build-task-worker: dist/tasks/worker.js -> cli/task-worker.cjs');
}
