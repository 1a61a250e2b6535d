// Engines that are optional dependencies: whether they are installed, asked without loading them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const PGLITE_MISSING =
  'Postgres tasks need the optional package @electric-sql/pglite; install it with: npm install @electric-sql/pglite';

export function pgliteInstalled(): boolean {
  try {
    require.resolve('@electric-sql/pglite');
    return true;
  } catch {
    return false;
  }
}
