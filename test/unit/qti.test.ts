// QTI 2.1: the package, its XML and the scoring it declares.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { loadBankFiles } from '../../src/bank/load.js';
import { isTask } from '../../src/bank/types.js';
import { qtiFiles, renderQti, renderQtiItem } from '../../src/interop/qti.js';
import { aBank, aQuestion, root, tmpDir } from '../helpers.js';

const library = loadBankFiles([path.join(root, 'questions')], root).banks;

describe('QTI 2.1', () => {
  const bank = library.find((b) => b.id === 'caching')!;

  it('writes a ZIP package whose every file is well-formed XML, with a manifest naming each item', () => {
    const out = tmpDir();
    const file = path.join(out, 'caching.zip');
    fs.writeFileSync(file, renderQti(bank));
    const py = spawnSync(
      'python3',
      ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("\\n".join(z.namelist()))', file],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const names = py.stdout.trim().split('\n');
    expect(names.slice(0, 2)).toEqual(['imsmanifest.xml', 'test.xml']);
    // The bank's code tasks are left out of the package.
    const questions = bank.questions.filter((q) => !isTask(q));
    expect(questions.length).toBeLessThan(bank.questions.length);
    expect(names).toHaveLength(questions.length + 2);
    for (const f of qtiFiles(bank)) {
      expect(() => new SaxesParser({ xmlns: true }).write(f.data).close(), f.name).not.toThrow();
    }
    const manifest = qtiFiles(bank)[0]!.data;
    for (const q of questions) expect(manifest).toContain(`href="items/${q.id}.xml"`);
  });

  it('scores by the standard map_response template: the partial-credit rule for multiple answers', () => {
    const multiple = renderQtiItem(
      aQuestion({
        topic: 't',
        id: 'm',
        type: 'multiple',
        points: 2,
        choices: [
          { text: 'A', correct: true },
          { text: 'B', correct: true },
          { text: 'C', correct: false, why: 'no' },
        ],
      }),
    );
    expect(multiple).toContain(
      '<correctResponse><value>C1</value><value>C2</value></correctResponse><mapping lowerBound="0" upperBound="2" defaultValue="0"><mapEntry mapKey="C1" mappedValue="1" caseSensitive="true"/><mapEntry mapKey="C2" mappedValue="1" caseSensitive="true"/><mapEntry mapKey="C3" mappedValue="-1" caseSensitive="true"/></mapping>',
    );
    expect(multiple).toContain('<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>');
    const notes: string[] = [];
    const text = renderQtiItem(aQuestion({ topic: 't', id: 'x', type: 'text', accept: ['s-maxage', '/^s-?maxage$/i'] }), notes);
    expect(text).toContain('<mapEntry mapKey="s-maxage" mappedValue="1" caseSensitive="false"/>');
    expect(notes).toEqual(["t/x: QTI's standard scoring matches listed answers only; /^s-?maxage$/i is left out"]);
  });

  it('scores a number within its tolerance, and names items with XML-safe identifiers', () => {
    const num = renderQtiItem(aQuestion({ topic: '9s', id: 'n', type: 'number', answer: 42, tolerance: 0.5 }));
    expect(num).toContain('identifier="q-9s--n"');
    expect(num).toContain(
      '<equal toleranceMode="absolute" tolerance="0.5 0.5"><variable identifier="RESPONSE"/><baseValue baseType="float">42</baseValue></equal>',
    );
  });

  it('says that feedback stays out of the package', () => {
    const notes: string[] = [];
    qtiFiles(
      aBank('fb', [
        aQuestion({ topic: 'fb' }),
        aQuestion({ topic: 'fb', type: 'boolean', answer: true, explanation: undefined, choices: undefined }),
      ]),
      notes,
    );
    expect(notes).toEqual([
      'fb: explanations and choice feedback of 1 question are not in the QTI package (the standard scoring LMSs import shows no feedback)',
    ]);
  });
});
