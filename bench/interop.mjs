// convert at the size of the whole built-in library (1,000+ questions), each figure a ratio to a
// floor measured alternately in the same run: reading a foreign format against a bare parser of the
// same bytes (the yaml package for GIFT and Markdown, which is what a bank costs to read; saxes
// alone for Moodle XML), checking the drafts against parseBank of the library's YAML, and writing
// each format against JSON.stringify of the same banks.
// Run: npm run bench (after a build). `--quick` uses fewer repetitions.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate as alternateRuns } from './alternate.mjs';
import { SaxesParser } from 'saxes';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (m) => import(path.join(root, 'dist', m));
const { loadBankFiles } = await dist('bank/load.js');
const { parseBank } = await dist('bank/parse.js');
const { renderBankYaml } = await dist('bank/write.js');
const { Findings, draftsToBank } = await dist('interop/common.js');
const { parseGift, renderGift } = await dist('interop/gift.js');
const { parseMoodleXml, renderMoodleXml } = await dist('interop/moodle-xml.js');
const { parseMarkdown, renderMarkdown } = await dist('interop/markdown.js');
const { renderQti } = await dist('interop/qti.js');

const REPS = process.argv.includes('--quick') ? 3 : 7;
const banks = loadBankFiles([path.join(root, 'questions')], root).banks;
const n = banks.reduce((s, b) => s + b.questions.length, 0);
const yamlTexts = banks.map((b) => renderBankYaml(b));
const gift = banks.map((b) => renderGift(b));
const xml = banks.map((b) => renderMoodleXml(b));
const md = banks.map((b) => renderMarkdown(b));

const alternate = (floor, subject) => alternateRuns(floor, subject, REPS);

const kb = (texts) => `${Math.round(texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1024)} KB`;
const saxes = (text) => new SaxesParser().write(text).close();
const count = (results) => results.reduce((s, r) => s + r.drafts.length, 0);
const rows = [];
function figure(name, floorLabel, target, floor, subject) {
  rows.push({ name, floorLabel, target, ...alternate(floor, subject) });
}

let drafts = [];
figure(
  `read GIFT, ${n} questions (${kb(gift)})`,
  'yaml.parse of the same banks as YAML',
  3,
  () => yamlTexts.forEach((t) => parseYaml(t)),
  () => {
    drafts = gift.map((t, i) => parseGift(t, `${banks[i].id}.gift`));
    if (count(drafts) !== n) throw new Error('GIFT lost questions');
  },
);
figure(
  `read Moodle XML (${kb(xml)})`,
  'saxes alone over the same bytes',
  3,
  () => xml.forEach(saxes),
  () => {
    if (count(xml.map((t, i) => parseMoodleXml(t, banks[i].id))) !== n) throw new Error('Moodle XML lost questions');
  },
);
figure(
  `read Markdown (${kb(md)})`,
  'yaml.parse of the same banks as YAML',
  3,
  () => yamlTexts.forEach((t) => parseYaml(t)),
  () => {
    if (count(md.map((t, i) => parseMarkdown(t, banks[i].id))) !== n) throw new Error('Markdown lost questions');
  },
);
figure(
  'check drafts into banks (validator per question)',
  'parseBank of the library YAML',
  3,
  () => yamlTexts.forEach((t, i) => parseBank(t, banks[i].source)),
  () =>
    drafts.forEach((r, i) =>
      draftsToBank(
        r.drafts,
        { bankId: banks[i].id, title: banks[i].title, difficulty: 'medium', file: banks[i].id },
        new Findings(banks[i].id),
      ),
    ),
);
// Hostile input: a bare '&' after 400,000 CDATA sections was found by scanning to the end of the
// file once per section (12 s at 5.2 MB, four times that at twice the size).
const sections = '<![CDATA[y]]>'.repeat(400_000);
const cdata = `<?xml version="1.0"?>\n<quiz>${sections}&</quiz>\n`;
figure(
  `read Moodle XML: 400,000 CDATA, then a bare & (${kb([cdata])})`,
  "saxes alone over the same sections, no '&'",
  3,
  () => saxes(`<?xml version="1.0"?>\n<quiz>${sections}</quiz>\n`),
  () => {
    const r = parseMoodleXml(cdata, 'cdata.xml');
    if (!r.findings[0]?.message.includes("bare '&'")) throw new Error('the bare & was not found');
  },
);
for (const [name, render] of [
  ['GIFT', renderGift],
  ['Moodle XML', renderMoodleXml],
  ['Markdown', renderMarkdown],
  ['QTI 2.1 (zipped)', renderQti],
  ['bank YAML', renderBankYaml],
]) {
  figure(
    `write ${name}`,
    'JSON.stringify of the same banks',
    name === 'bank YAML' || name.startsWith('QTI') ? 30 : 10,
    () => banks.forEach((b) => JSON.stringify(b)),
    () => banks.forEach((b) => render(b)),
  );
}

const line = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
const widths = [48, 8, 8, 7, 7];
console.log(line(['figure', 'floor', 'subject', 'ratio', 'target'], widths));
let over = 0;
for (const r of rows) {
  const ratio = r.subject / r.floor;
  const miss = ratio > r.target ? '  over' : '';
  if (miss) over++;
  console.log(
    line([r.name, `${r.floor.toFixed(1)} ms`, `${r.subject.toFixed(1)} ms`, `${ratio.toFixed(2)}x`, `<=${r.target}x`], widths) + miss,
  );
  console.log(`  floor: ${r.floorLabel}`);
}
process.exit(over ? 1 : 0);
