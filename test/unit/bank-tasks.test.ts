// sql and code tasks in a bank: read into SqlTask/CodeTask with their defaults, written back, and
// part of the question's hash.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/bank/parse.js';
import { renderBankYaml } from '../../src/bank/write.js';
import type { CodeTask, SqlTask } from '../../src/bank/types.js';
import { questionHash } from '../../src/store/sessions.js';
import { DEFAULT_LIMITS } from '../../src/tasks/limits.js';
import { fixtures } from '../helpers.js';

const NOW = new Date('2026-12-08T00:00:00Z');
const text = fs.readFileSync(path.join(fixtures, 'banks', 'tasks', 'tasks.yaml'), 'utf8');
const parsed = parseBank(text, 'tasks.yaml', { now: NOW });
const [sql, code] = (parsed.bank?.questions ?? []) as [SqlTask, CodeTask];

describe('tasks in a bank', () => {
  it('reads a bank with tasks without problems', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.bank?.questions.map((q) => q.type)).toEqual(['sql', 'code']);
    expect(parsed.checked).toEqual(new Map([['task-fixture/customers-with-order-counts', '2026-11']]));
  });

  it('reads an sql task with its defaults', () => {
    expect(sql.dialect).toBe('sqlite');
    expect(sql.hiddenData.map((d) => [d.name, d.weight])).toEqual([
      ['no orders at all', 1],
      ['hidden data 2', 2],
    ]);
    expect(sql.compare).toEqual({ order: true, columns: false, tolerance: 1e-9 });
    expect(sql.limits).toEqual({ ...DEFAULT_LIMITS, timeMs: 5000 });
    expect(sql.starter).toBe('SELECT\n');
    expect(sql.check).toBeUndefined();
  });

  it('reads a code task and names its tests', () => {
    expect(code.language).toBe('typescript');
    expect(code.function).toBe('retryAfterMs');
    expect(code.limits).toEqual(DEFAULT_LIMITS);
    expect(code.tests.map((t) => t.name)).toEqual(['retryAfterMs("120", 0)', 'an HTTP date']);
    expect(code.tests[0]).toEqual({ name: 'retryAfterMs("120", 0)', weight: 1, args: ['120', 0], expect: 120000 });
    const names = code.hiddenTests.map((t) => t.name);
    expect(names[0]).toHaveLength(60);
    expect(names[0]).toMatch(/^retryAfterMs\("a very long header.*…$/);
    expect(names.slice(1)).toEqual(['assertion 1', 'assertion 2']);
    expect(code.hiddenTests[1]!.weight).toBe(2);
  });

  it('writes tasks back as the same questions', () => {
    const again = parseBank(renderBankYaml(parsed.bank!, parsed.checked), 'again.yaml', { now: NOW });
    expect(again.problems).toEqual([]);
    expect(again.bank!.questions).toEqual(parsed.bank!.questions);
    expect(again.checked).toEqual(parsed.checked);
  });

  it.each([
    ['the solution', (y: string) => y.replace('count(o.id) AS orders', 'count(*) AS orders')],
    ['a hidden data set', (y: string) => y.replace("(1, 'Grace')", "(1, 'Ada')")],
    ['the comparison', (y: string) => y.replace('order: true', 'order: false')],
    ['a limit', (y: string) => y.replace('time_ms: 5000', 'time_ms: 4000')],
    ['a test', (y: string) => y.replace('expect: 120000', 'expect: 120001')],
    ['the function', (y: string) => y.replaceAll('retryAfterMs', 'retryAfter')],
  ])('gives an edited task a new hash: %s', (_what, edit) => {
    const edited = parseBank(edit(text), 'tasks.yaml', { now: NOW });
    expect(edited.problems).toEqual([]);
    const before = parsed.bank!.questions.map(questionHash);
    const after = edited.bank!.questions.map(questionHash);
    expect(after).not.toEqual(before);
  });

  const task = (fields: string): string =>
    `bank: b\ntitle: T\nquestions:\n  - id: t\n    type: code\n    difficulty: easy\n    prompt: P\n${fields}`;
  const ok = `    function: add\n    solution: function add(a, b) { return a + b; }\n    tests:\n      - args: [1, 2]\n        expect: 3\n`;

  it.each([
    ['a task without tests', `    function: add\n    solution: function add(a, b) { return a + b; }\n`, ["4:5 a code task needs 'tests'"]],
    [
      'a function that is not a name',
      ok.replace('function: add', 'function: 2add'),
      ["8:15 'function' must be a JavaScript name such as retryAfterMs; got '2add'"],
    ],
    [
      'a test without expect',
      ok.replace('        expect: 3\n', ''),
      ["11:9 a test needs 'args' and 'expect' (a call and its value), or 'assert' (a snippet); 'expect' is missing"],
    ],
    [
      'an unknown limit',
      `${ok}    limits:\n      cpu: 1\n`,
      ["14:7 unknown field 'cpu' in 'limits' (allowed: time_ms, memory_mb, output_kb, answer_kb)"],
    ],
    ['a memory limit too high', `${ok}    limits:\n      memory_mb: 4096\n`, ["14:18 'memory_mb' must be <= 1024; got number 4096"]],
    ['an unknown language', `    language: python\n${ok}`, ["8:15 'language' must be one of javascript, typescript; got 'python'"]],
    [
      'a field of an sql task',
      `${ok}    dialect: sqlite\n`,
      [
        `13:5 unknown field 'dialect' in code question 't' (allowed: id, type, difficulty, prompt, explanation, references, checked, tags, points, language, function, starter, solution, tests, hidden_tests, limits)`,
      ],
    ],
    [
      'a starter without the function',
      `${ok}    starter: function other() {}\n`,
      ["13:14 the starter does not declare 'add', the function the tests call; declare it (function add(...) {...}) or fix 'function'"],
    ],
  ])('refuses %s', (_name, fields, expected) => {
    const r = parseBank(task(fields), 'b.yaml', { now: NOW });
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual(expected);
    expect(r.bank).toBeUndefined();
  });

  it('accepts a declaration as const, class or export', () => {
    for (const solution of ['const add = (a, b) => a + b;', 'export function add(a, b) { return a + b; }', 'class add {}']) {
      const r = parseBank(task(ok.replace('function add(a, b) { return a + b; }', JSON.stringify(solution))), 'b.yaml', { now: NOW });
      expect(r.problems).toEqual([]);
    }
  });
});
