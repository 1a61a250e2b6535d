// Said once, after the run, where it is seen: the browser checks of the HTML report did not run.
import { INSTALL_BROWSER, browserRequired, findChromium } from './browser.js';

export default function setup(): () => void {
  const missing = findChromium() === undefined && !browserRequired();
  return () => {
    if (missing)
      process.stderr.write(
        `\nnotice: Chromium was not found, so the HTML report was not checked in a browser; install it with: ${INSTALL_BROWSER}\n`,
      );
  };
}
