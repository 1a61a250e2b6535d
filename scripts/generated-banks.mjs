// 10,000 plain single-choice questions of user banks in five files of 2,000 (each under the 2 MB
// bank limit): the input of the memory and speed figures of validate, shared by the benchmark,
// the test that bounds validate's memory and the smoke test of each Node line.
// As a command: node scripts/generated-banks.mjs <dir>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Writes big-0.yaml … big-4.yaml into `dir` (made if missing) and returns their paths. */
export function writeGeneratedBanks(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  for (let f = 0; f < 5; f++) {
    const lines = [`bank: big-${f}`, `title: Generated ${f}`, 'questions:'];
    for (let i = 0; i < 2000; i++) {
      lines.push(
        `  - id: q${i}`,
        '    type: single',
        '    difficulty: medium',
        `    prompt: Generated question number ${i} of bank ${f}?`,
        '    choices:',
        '      - text: Right',
        '        correct: true',
        '      - text: Wrong',
        '        why: Because it is not right.',
        '    explanation: Because.',
        '    references: [https://example.org]',
      );
    }
    const file = path.join(dir, `big-${f}.yaml`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) {
    console.error('usage: node scripts/generated-banks.mjs <dir>');
    process.exit(2);
  }
  writeGeneratedBanks(process.argv[2]);
}
