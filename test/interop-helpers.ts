// Helpers for the interop tests: fixtures and a one-line view of each draft.
import fs from 'node:fs';
import path from 'node:path';
import type { Draft, ImportResult } from '../src/interop/common.js';
import { fixtures } from './helpers.js';

export const interopDir = path.join(fixtures, 'interop');
export const readFixture = (name: string): string => fs.readFileSync(path.join(interopDir, name), 'utf8');

/** One line per draft: where, type, prompt and answers, enough to see every mapping at once. */
export function show(d: Draft): string {
  const b = d.body;
  const answers =
    b.type === 'single' || b.type === 'multiple'
      ? b.choices.map((c) => `${c.correct ? '+' : '-'}${c.text}${c.why ? `#${c.why}` : ''}`).join(' | ')
      : b.type === 'text'
        ? b.accept.join(' | ')
        : b.type === 'number'
          ? `${b.answer}±${b.tolerance}`
          : String(b.type === 'boolean' && b.answer);
  return `${d.at.line} ${b.type} ${JSON.stringify(d.prompt)} => ${answers}${d.explanation ? ` ## ${d.explanation}` : ''}`;
}

export const findings = (r: ImportResult): string[] => r.findings.map((f) => `${f.line}:${f.col} ${f.kind}: ${f.message}`);
