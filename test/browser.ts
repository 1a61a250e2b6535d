// Where the HTML report's browser checks find Chromium, and whether they must. CI installs Debian's
// chromium and sets BACKEND_QUIZ_REQUIRE_BROWSER=1 (.ci/run), so a missing browser fails there;
// elsewhere `npm test` passes without one and says once how to install it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const INSTALL_BROWSER = 'apt-get install -y chromium';

export const browserRequired = (env: NodeJS.ProcessEnv = process.env): boolean => env.BACKEND_QUIZ_REQUIRE_BROWSER === '1';

/** BACKEND_QUIZ_CHROMIUM, else Debian's /usr/bin/chromium, else chromium on the PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BACKEND_QUIZ_CHROMIUM !== undefined) return fs.existsSync(env.BACKEND_QUIZ_CHROMIUM) ? env.BACKEND_QUIZ_CHROMIUM : undefined;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim().split('\n')[0] : undefined;
}
