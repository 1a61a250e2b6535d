// Compiles the built-in YAML banks into dist/banks.json once at build time, so a quiz starts
// without parsing YAML. A bank with problems fails the build with file:line:col messages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { loadBankFiles } = await import(path.join(root, 'dist/bank/load.js'));
const { formatProblem } = await import(path.join(root, 'dist/bank/types.js'));
const { summarize } = await import(path.join(root, 'dist/bank/summary.js'));

const result = loadBankFiles(['questions'], root);
if (result.problems.length) {
  for (const p of result.problems) console.error(formatProblem(p));
  console.error(`build-banks: ${result.problems.length} problem(s) in questions/`);
  process.exit(1);
}
// dist/banks.json is JSON.stringify({ banks }), written piece by piece to record where each
// question's text lies. dist/banks-index.json holds those byte ranges with what choosing questions
// reads (id, difficulty, type; key and topic follow from the bank), so a quiz parses in full only
// the questions it asks (bank/load.ts): 66 KB of index instead of 1.5 MB of questions.
// A question is [start, length, shape, id, difficulty, type]; a shape is its field names in order.
const shapes = [];
const shapeOf = (q) => {
  const names = JSON.stringify(Object.keys(q));
  let i = shapes.indexOf(names);
  if (i < 0) i = shapes.push(names) - 1;
  return i;
};
const pieces = ['{"banks":['];
let offset = Buffer.byteLength(pieces[0]);
const put = (text) => {
  pieces.push(text);
  offset += Buffer.byteLength(text);
};
const index = result.banks.map((bank, i) => {
  const { questions, ...meta } = bank;
  if (Object.keys(bank).at(-1) !== 'questions') throw new Error(`build-banks: ${bank.id}: questions must be the last field of a bank`);
  const head = JSON.stringify(meta);
  put(`${i ? ',' : ''}${head.slice(0, -1)},"questions":[`);
  const entries = questions.map((q, j) => {
    if (q.key !== `${bank.id}/${q.id}` || q.topic !== bank.id)
      throw new Error(`build-banks: ${q.key}: key and topic must follow from the bank id`);
    if (j) put(',');
    const text = JSON.stringify(q);
    const entry = [offset, Buffer.byteLength(text), shapeOf(q), q.id, q.difficulty, q.type];
    put(text);
    return entry;
  });
  put(']}');
  return { ...meta, questions: entries };
});
put(']}');
const json = pieces.join('');
if (json !== JSON.stringify({ banks: result.banks }))
  throw new Error('build-banks: the pieces of dist/banks.json do not add up to the whole');
fs.writeFileSync(path.join(root, 'dist/banks.json'), json);
fs.writeFileSync(
  path.join(root, 'dist/banks-index.json'),
  JSON.stringify({ bytes: offset, shapes: shapes.map((s) => JSON.parse(s)), banks: index }),
);
// What `topics` lists, so listing the built-in banks does not read all their questions.
fs.writeFileSync(path.join(root, 'dist/topics.json'), JSON.stringify(summarize(result.banks)));
const n = result.banks.reduce((s, b) => s + b.questions.length, 0);
console.log(`build-banks: ${result.banks.length} banks, ${n} questions -> dist/banks.json`);
