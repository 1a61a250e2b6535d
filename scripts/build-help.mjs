// Writes dist/help.json: what the program prints for each plain request for help or the version,
// captured from commander itself, so main.ts can answer those without loading commander.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { createProgram } = await import(path.join(root, 'dist', 'cli.js'));
const { HELP_REQUESTS } = await import(path.join(root, 'dist', 'help.js'));

async function printed(argv) {
  let text = '';
  const program = createProgram({
    load: async () => ({ run: async () => 0 }),
    setExitCode: () => {},
    context: { stdin: { isTTY: false }, stdout: { isTTY: false } },
    output: { writeOut: (s) => (text += s), writeErr: (s) => (text += s) },
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (!['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(e.code)) throw e;
  }
  return text;
}

const texts = {};
for (const [key, requests] of Object.entries(HELP_REQUESTS)) texts[key] = await printed(requests[0]);
fs.writeFileSync(path.join(root, 'dist', 'help.json'), JSON.stringify(texts));
console.log(`build-help: ${Object.keys(texts).length} texts -> dist/help.json`);
