// Wrapping measures terminal columns: CJK characters and emoji take two, and text without spaces
// breaks at the edge of the line.
import { render } from '../prompt.js';
import { select } from '@inquirer/prompts';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderBody } from '../../src/report/text.js';
import { columns, wrap, wrapCode } from '../../src/report/wrap.js';
import { questionPrompt } from '../../src/ui/prompts.js';
import { makePaint } from '../../src/ui/style.js';
import { aQuestion } from '../helpers.js';

const widest = (text: string): number => Math.max(...text.split('\n').map((l) => stringWidth(l)));
const JAPANESE =
  'HTTPのPUTメソッドは冪等であり、同じリクエストを何度送ってもサーバーの状態は一度送った場合と同じになりますが、POSTはそうではありません。どれが正しいですか？';
const CHINESE = '在分布式系统中，幂等性意味着同一个请求执行一次和执行多次对系统状态产生的影响相同，这对于网络超时后的安全重试至关重要。';

describe('wrap', () => {
  it('counts columns, not UTF-16 code units', () => {
    expect(columns('冪等')).toBe(4);
    expect(columns('👍')).toBe(2);
    expect(columns('é')).toBe(1);
  });

  it.each([
    ['Japanese', JAPANESE],
    ['Chinese', CHINESE],
    ['emoji', `${'🚀'.repeat(30)} deploy ${'✅'.repeat(30)}`],
  ])('keeps %s text within the width, breaking where a column boundary falls', (_name, text) => {
    for (const width of [80, 60, 40]) {
      const out = wrap(text, width);
      expect(widest(out)).toBeLessThanOrEqual(width);
      // Nothing is lost or reordered: only line breaks (and the spaces they replace) are added.
      expect(out.replace(/\n/g, '').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  it('fills a line with the start of a CJK run instead of leaving it half empty', () => {
    const out = wrap(`Question: ${CHINESE}`, 40).split('\n');
    expect(out[0]!.startsWith('Question: 在分布式')).toBe(true);
    expect(stringWidth(out[0]!)).toBeGreaterThanOrEqual(39);
  });

  it('never splits a character that takes two columns across lines', () => {
    // 39 columns of room after "a ": the 20th ideograph would need columns 40 and 41.
    const out = wrap(`a ${'字'.repeat(30)}`, 41).split('\n');
    expect(out[0]).toBe(`a ${'字'.repeat(19)}`);
    expect(out[1]).toBe('字'.repeat(11));
  });

  it('moves a Latin word to the next line whole, and cuts only one longer than the line', () => {
    expect(wrap('The quick brown fox jumps over the lazy dog', 20)).toBe('The quick brown fox\njumps over the lazy\ndog');
    const url = `see https://example.org/${'a'.repeat(60)}`;
    expect(wrap(url, 30).split('\n')).toEqual(['see', `https://example.org/${'a'.repeat(10)}`, 'a'.repeat(30), 'a'.repeat(20)]);
  });

  it('hangs list items and keeps indentation, measured in columns', () => {
    const out = wrap(`- ${'漢字'.repeat(20)}`, 40, '  ').split('\n');
    expect(out[0]!.startsWith('  - 漢字')).toBe(true);
    expect(out.slice(1).every((l) => l.startsWith('    漢') || l.startsWith('    字'))).toBe(true);
    expect(widest(out.join('\n'))).toBeLessThanOrEqual(40);
  });

  it('renders a Japanese prompt within 80 columns in the terminal', async () => {
    const body = renderBody(JAPANESE, makePaint(false), 78);
    expect(widest(body)).toBeLessThanOrEqual(78);
    const q = aQuestion({
      prompt: JAPANESE,
      choices: [
        { text: `正しい：${'冪等'.repeat(30)}`, correct: true },
        { text: '誤り', correct: false, why: 'x' },
      ],
    });
    const p = questionPrompt({ question: q, choiceOrder: [0, 1] }, { index: 0, total: 1 }, makePaint(false));
    if (p.kind !== 'select') throw new Error(p.kind);
    const { getScreen } = await render(select, p.config);
    expect(widest(getScreen())).toBeLessThanOrEqual(80);
  });
});

describe('wrapCode', () => {
  it('keeps each line and its indentation, breaks only at spaces, and leaves a token wider than the line whole', () => {
    const token = 'x'.repeat(30);
    expect(wrapCode(`if a:\n    call(${token}, ${token})`, 30, '> ')).toBe(`> if a:\n>     call(${token},\n>       ${token})`);
  });
});
