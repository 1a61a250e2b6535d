// IMS QTI 2.1 content package: one assessmentItem per question, an assessmentTest holding them
// all, and imsmanifest.xml, zipped. 2.1 rather than 3.0 because 2.1 is what LMSs and item banks
// import today (Blackboard, Inspera, TAO, ONYX/OPAL, OpenOLAT), while 3.0 import is still rare.
// Scoring uses the standard response-processing template map_response wherever it can: several
// LMSs (Blackboard, Inspera) skip or mishandle items with their own processing rules. That also
// means no modal feedback (it needs rules that set a FEEDBACK outcome), so choice feedback and
// explanations stay out of the package, and convert says so.
import { parseRegexEntry } from '../bank/parse.js';
import type { Bank, Question } from '../bank/types.js';
import { codeSpans, linesOf } from './markdown.js';
import { weightsFor, withoutTasks } from './common.js';
import { XML_DECLARATION, escapeXml } from './xml.js';
import { zip } from './zip.js';

const NS = 'http://www.imsglobal.org/xsd/imsqti_v2p1';
const ITEM_HEAD = `xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"`;

/** Inline text with `code` spans as <code>; everything escaped. */
function inline(s: string): string {
  return s
    .split(/(`+[^`]*?`+)/)
    .map((part) => {
      const code = /^`/.test(part) ? codeSpans(part) : undefined;
      return code?.length === 1 ? `<code>${escapeXml(code[0]!)}</code>` : escapeXml(part);
    })
    .join('')
    .replace(/\n/g, '<br/>');
}

/** A prompt (paragraphs and fenced code) as XHTML blocks. */
export function blocks(text: string): string {
  const out: string[] = [];
  let para: string[] = [];
  let code: string[] | undefined;
  const flush = (): void => {
    if (para.join('').trim()) out.push(`<p>${inline(para.join('\n').trim())}</p>`);
    para = [];
  };
  for (const l of linesOf(text)) {
    if (l.fence && code === undefined) {
      flush();
      code = [];
    } else if (l.fence && code !== undefined) {
      out.push(`<pre><code>${escapeXml(code.join('\n'))}</code></pre>`);
      code = undefined;
    } else if (code !== undefined) code.push(l.text);
    else if (l.text.trim() === '') flush();
    else para.push(l.text);
  }
  if (code !== undefined) out.push(`<pre><code>${escapeXml(code.join('\n'))}</code></pre>`);
  flush();
  return out.join('\n      ');
}

/** A QTI identifier (an XML name): ours are kebab-case, which may start with a digit. */
const ident = (s: string): string => (/^[A-Za-z_]/.test(s) ? s : `q-${s}`);

const MAP_RESPONSE = 'http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response';

interface ItemParts {
  declaration: string;
  body: string;
  processing: string;
}

/**
 * A mapping from responses to points, scored by the map_response template. QTI 2.1 requires
 * caseSensitive on every mapEntry (2.2 gave it a default).
 */
function mapped(
  cardinality: string,
  baseType: string,
  correct: string[],
  entries: [key: string, points: number][],
  points: number,
): string {
  const values = correct.map((v) => `<value>${escapeXml(v)}</value>`).join('');
  const caseSensitive = baseType === 'string' ? 'false' : 'true';
  const map = entries
    .map(([key, value]) => `<mapEntry mapKey="${escapeXml(key)}" mappedValue="${value}" caseSensitive="${caseSensitive}"/>`)
    .join('');
  return `<responseDeclaration identifier="RESPONSE" cardinality="${cardinality}" baseType="${baseType}"><correctResponse>${values}</correctResponse><mapping lowerBound="0" upperBound="${points}" defaultValue="0">${map}</mapping></responseDeclaration>`;
}

function parts(q: Question, notes: string[]): ItemParts {
  const prompt = blocks(q.prompt);
  const template = `<responseProcessing template="${MAP_RESPONSE}"/>`;
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'boolean': {
      const choices =
        q.type === 'boolean'
          ? [
              { text: 'True', correct: q.answer },
              { text: 'False', correct: !q.answer },
            ]
          : q.choices;
      const ids = choices.map((_, i) => `C${i + 1}`);
      const multiple = q.type === 'multiple';
      // Multiple choice: +1/n for each of n right choices and −1/n for a wrong one, at least 0:
      // the partial-credit rule. Otherwise the right choice is worth the points.
      const weights = multiple ? weightsFor(q.choices) : choices.map((c) => (c.correct ? 1 : 0));
      return {
        declaration: mapped(
          multiple ? 'multiple' : 'single',
          'identifier',
          ids.filter((_, i) => choices[i]!.correct),
          ids.map((id, i) => [id, weights[i]! * q.points]),
          q.points,
        ),
        body: `${prompt}\n      <choiceInteraction responseIdentifier="RESPONSE" shuffle="${q.type !== 'boolean'}" maxChoices="${multiple ? 0 : 1}">${choices.map((c, i) => `<simpleChoice identifier="${ids[i]}">${inline(c.text)}</simpleChoice>`).join('')}</choiceInteraction>`,
        processing: template,
      };
    }
    case 'text': {
      const literals = q.accept.filter((a) => !parseRegexEntry(a));
      const patterns = q.accept.filter((a) => parseRegexEntry(a));
      if (patterns.length)
        notes.push(
          `${q.key}: QTI's standard scoring matches listed answers only; ${patterns.join(', ')} ${patterns.length === 1 ? 'is' : 'are'} left out`,
        );
      return {
        declaration: mapped(
          'single',
          'string',
          literals.slice(0, 1),
          literals.map((a) => [a, q.points]),
          q.points,
        ),
        body: `${prompt}\n      <p><textEntryInteraction responseIdentifier="RESPONSE" expectedLength="30"/></p>`,
        processing: template,
      };
    }
    case 'number': {
      // No template knows a tolerance: a rule of our own, the one construct here that needs one.
      const tolerance = q.tolerance ? `toleranceMode="absolute" tolerance="${q.tolerance} ${q.tolerance}"` : 'toleranceMode="exact"';
      const score = (points: number): string =>
        `<setOutcomeValue identifier="SCORE"><baseValue baseType="float">${points}</baseValue></setOutcomeValue>`;
      return {
        declaration: `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>${q.answer}</value></correctResponse></responseDeclaration>`,
        body: `${prompt}\n      <p><textEntryInteraction responseIdentifier="RESPONSE" expectedLength="12"/></p>`,
        processing: `<responseProcessing><responseCondition><responseIf><equal ${tolerance}><variable identifier="RESPONSE"/><baseValue baseType="float">${q.answer}</baseValue></equal>${score(q.points)}</responseIf><responseElse>${score(0)}</responseElse></responseCondition></responseProcessing>`,
      };
    }
    case 'sql':
    case 'code':
      // Left out by withoutTasks before rendering.
      throw new Error(`${q.key}: a ${q.type} task reached the QTI writer`);
  }
}

/** One assessmentItem. */
export function renderQtiItem(q: Question, notes: string[] = []): string {
  const p = parts(q, notes);
  return [
    XML_DECLARATION,
    `<assessmentItem ${ITEM_HEAD} identifier="${escapeXml(ident(`${q.topic}--${q.id}`))}" title="${escapeXml(q.id)}" adaptive="false" timeDependent="false">`,
    `  ${p.declaration}`,
    `  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"><defaultValue><value>0</value></defaultValue></outcomeDeclaration>`,
    `  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float"><defaultValue><value>${q.points}</value></defaultValue></outcomeDeclaration>`,
    '  <itemBody>',
    `      ${p.body}`,
    '  </itemBody>',
    `  ${p.processing}`,
    '</assessmentItem>',
    '',
  ].join('\n');
}

/** The package's files: items, a test that holds them all, and the manifest. */
export function qtiFiles(all: Pick<Bank, 'id' | 'title' | 'questions'>, notes: string[] = []): { name: string; data: string }[] {
  const bank = withoutTasks(all, 'QTI', notes);
  const feedback = bank.questions.filter(
    (q) => q.explanation || ((q.type === 'single' || q.type === 'multiple') && q.choices.some((c) => c.why)),
  ).length;
  if (feedback)
    notes.push(
      `${bank.id}: explanations and choice feedback of ${feedback} question${feedback === 1 ? '' : 's'} are not in the QTI package (the standard scoring LMSs import shows no feedback)`,
    );
  const items = bank.questions.map((q) => ({
    q,
    id: ident(`${q.topic}--${q.id}`),
    name: `items/${q.id}.xml`,
    data: renderQtiItem(q, notes),
  }));
  const testId = ident(`${bank.id}--test`);
  const test = [
    XML_DECLARATION,
    `<assessmentTest ${ITEM_HEAD} identifier="${escapeXml(testId)}" title="${escapeXml(bank.title)}">`,
    '  <testPart identifier="part-1" navigationMode="nonlinear" submissionMode="simultaneous">',
    '    <assessmentSection identifier="section-1" title="Questions" visible="true">',
    ...items.map((i) => `      <assessmentItemRef identifier="${escapeXml(i.id)}" href="${escapeXml(i.name)}"/>`),
    '    </assessmentSection>',
    '  </testPart>',
    '</assessmentTest>',
    '',
  ].join('\n');
  const manifest = [
    XML_DECLARATION,
    `<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="${escapeXml(ident(`${bank.id}--package`))}" xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd">`,
    '  <metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion></metadata>',
    '  <organizations/>',
    '  <resources>',
    `    <resource identifier="${escapeXml(testId)}" type="imsqti_test_xmlv2p1" href="test.xml"><file href="test.xml"/>${items.map((i) => `<dependency identifierref="${escapeXml(i.id)}"/>`).join('')}</resource>`,
    ...items.map(
      (i) =>
        `    <resource identifier="${escapeXml(i.id)}" type="imsqti_item_xmlv2p1" href="${escapeXml(i.name)}"><file href="${escapeXml(i.name)}"/></resource>`,
    ),
    '  </resources>',
    '</manifest>',
    '',
  ].join('\n');
  return [
    { name: 'imsmanifest.xml', data: manifest },
    { name: 'test.xml', data: test },
    ...items.map(({ name, data }) => ({ name, data })),
  ];
}

/** The QTI 2.1 content package as a ZIP archive. */
export function renderQti(bank: Pick<Bank, 'id' | 'title' | 'questions'>, notes: string[] = []): Buffer {
  return zip(qtiFiles(bank, notes));
}
