// The HTML report in a real browser: Debian's chromium, driven by playwright-core. Checks what only
// a browser can tell: nothing runs, nothing is fetched, the charts are there, and it prints.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { INSTALL_BROWSER, browserRequired, findChromium } from '../browser.js';
import { tmpDir } from '../helpers.js';
import { aCandidate, anAssessment, aReportInput, aReportQuestion } from '../report-builders.js';

const CHROMIUM = findChromium();
const SCRIPT_NAME = '<script>window.__pwned=1</script>';
const IMG_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_PROMPT = `Which header? ${SCRIPT_NAME} ${IMG_NAME} <link rel=stylesheet href=https://evil.example/x.css>`;

const TOPICS = ['http', 'sql', 'caching', 'queues'];
const NAMES = ['Amara Okafor', SCRIPT_NAME, 'Priya Raman', IMG_NAME, 'Hannah Schmidt', 'Wei Chen', 'Olu Adeyemi', 'Sofia Rossi'];

/** Eight candidates over four topics of three questions each; candidate i gets question j right when (i + j) % 4 ≠ 0, and fewer as i grows. */
function input() {
  const keys = TOPICS.flatMap((t) => [1, 2, 3].map((n) => `${t}/q${n}`));
  return aReportInput({
    assessment: anAssessment({ passMark: 60, topicPassMarks: { sql: 50 } }),
    questions: keys.map((k, j) => aReportQuestion(k, j === 0 ? { prompt: HOSTILE_PROMPT } : {})),
    candidates: NAMES.map((name, i) =>
      aCandidate(name, Object.fromEntries(keys.map((k, j) => [k, (i + j) % 4 !== 0 && j < keys.length - i ? 1 : 0])), {
        sessionId: `s-${i}`,
        timeUsedMs: 600_000 + i * 65_000,
      }),
    ),
  });
}

// Seven candidates over six questions whose prompts hold Python, as an interviewer's cohort looks:
// long topic names in narrow columns, one topic everyone below its pass mark at 0 %.
const COHORT_TOPICS = ['caching', 'databases-sql', 'messaging-streaming', 'distributed-systems', 'observability', 'security'];
const CODE_PROMPT = (n: number): string =>
  [
    `Question ${n}: what does this handler return when the cache is cold and the database is slow?`,
    '',
    '```python',
    'def get_user_profile_with_a_rather_long_function_name(user_identifier_from_the_request, cache_client):',
    '    cached_profile_serialised = cache_client.get(f"user-profile:{user_identifier_from_the_request}")',
    '    if cached_profile_serialised is not None:',
    '        return json.loads(cached_profile_serialised)',
    '    profile = database.fetch_profile(user_identifier_from_the_request)',
    '    cache_client.set(f"user-profile:{user_identifier_from_the_request}", json.dumps(profile), ex=300)',
    '    return profile',
    '```',
  ].join('\n');

function cohortInput(candidates: number) {
  const keys = COHORT_TOPICS.map((t) => `${t}/question-about-${t}`);
  return aReportInput({
    assessment: anAssessment({ passMark: 60, topicPassMarks: { security: 50 } }),
    questions: keys.map((k, j) => aReportQuestion(k, { prompt: CODE_PROMPT(j + 1) })),
    candidates: NAMES.slice(0, candidates).map((name, i) =>
      aCandidate(name, Object.fromEntries(keys.map((k, j) => [k, k.startsWith('security/') ? 0 : (i + j) % 3 ? 1 : 0])), {
        sessionId: `c-${i}`,
        scripted: i === 1,
      }),
    ),
  });
}

if (CHROMIUM === undefined) {
  // Without a browser only this is checked; test/global-setup.ts says how to install one.
  describe('HTML report in Chromium', () => {
    it('is not required here (CI sets BACKEND_QUIZ_REQUIRE_BROWSER=1 and installs Chromium)', () => {
      expect(browserRequired(), `Chromium is not installed but BACKEND_QUIZ_REQUIRE_BROWSER=1: ${INSTALL_BROWSER}`).toBe(false);
    });
  });
} else {
  // With a browser, what only a browser can tell.
  describe('HTML report in Chromium', () => {
    let browser: Browser;
    let page: Page;
    let file: string;
    const problems: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      file = path.join(tmpDir('bq-html-'), 'report.html');
      fs.writeFileSync(file, renderReport(input(), { format: 'html' }));
      page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('loads without errors and fetches nothing but itself', () => {
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
    });

    it('runs none of the hostile markup and shows it as text', async () => {
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.evaluate('document.scripts.length')).toBe(0);
      expect(await page.evaluate('document.images.length')).toBe(0);
      expect(await page.evaluate('document.querySelectorAll("link").length')).toBe(0);
      const text = await page.locator('body').innerText();
      expect(text).toContain(SCRIPT_NAME);
      expect(text).toContain(IMG_NAME);
      expect(text).toContain('<link rel=stylesheet href=https://evil.example/x.css>');
    });

    it('draws a bar per candidate and topic, and one per histogram band', async () => {
      expect(await page.locator('.topic-bar').count()).toBe(NAMES.length * TOPICS.length);
      expect(await page.locator('.hist-bar').count()).toBe(10);
      expect(await page.locator('.avg-mark').count()).toBe(NAMES.length * TOPICS.length);
      const box = await page.locator('.topic-bar').first().boundingBox();
      expect(box?.width).toBeGreaterThan(10);
    });

    it('prints: details start on a new page, candidate cards do not split, and a PDF comes out', async () => {
      await page.emulateMedia({ media: 'print' });
      expect(await page.evaluate('getComputedStyle(document.getElementById("details")).breakBefore')).toBe('page');
      expect(await page.evaluate('getComputedStyle(document.querySelector(".candidate")).breakInside')).toBe('avoid');
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
      await page.emulateMedia({ media: 'screen' });
    });

    it('takes a full-page screenshot', async () => {
      const png = path.join(path.dirname(file), 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      const bytes = fs.readFileSync(png);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(bytes.length).toBeGreaterThan(10_000);
      expect(bytes.readUInt32BE(20)).toBeGreaterThan(900); // IHDR height: the page is longer than the viewport
    });

    describe('HTML report of a cohort with code in its prompts', () => {
      let cohortPage: Page;
      const open = async (candidates: number): Promise<Page> => {
        const f = path.join(tmpDir('bq-html-'), 'cohort.html');
        fs.writeFileSync(f, renderReport(cohortInput(candidates), { format: 'html' }));
        const p = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await p.goto(pathToFileURL(f).href, { waitUntil: 'load' });
        return p;
      };
      const detailsHeight = (p: Page): Promise<number> =>
        p.evaluate('document.getElementById("details").getBoundingClientRect().height') as Promise<number>;

      beforeAll(async () => {
        cohortPage = await open(7);
      });

      it('shows each prompt once in the details, whatever the number of candidates', async () => {
        const one = await open(1);
        const seven = await detailsHeight(cohortPage);
        const single = await detailsHeight(one);
        // Six questions each with its prompt once and a row per candidate: far from seven times one.
        expect(seven).toBeLessThan(2.5 * single);
        expect(await cohortPage.locator('#details pre').count()).toBe(COHORT_TOPICS.length);
        await one.close();
      });

      it('never breaks code or a header inside a word', async () => {
        const broken = (await cohortPage.evaluate(`(() => {
          const out = [];
          for (const el of document.querySelectorAll('th, pre, code')) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              // A word here runs between spaces and hyphens: a line may end after a hyphen, never inside a word.
              for (const m of n.data.matchAll(/[^\\s-]+/g)) {
                const r = document.createRange();
                r.setStart(n, m.index);
                r.setEnd(n, m.index + m[0].length);
                const tops = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
                if (tops.size > 1) out.push(el.tagName + ': ' + m[0]);
              }
            }
          }
          return out;
        })()`)) as string[];
        expect(broken).toEqual([]);
        const styles = (await cohortPage.evaluate(
          `[...document.querySelectorAll('pre, code')].map((e) => { const s = getComputedStyle(e); return [e.tagName, s.whiteSpace, s.overflowWrap, s.wordBreak, s.overflowX].join(' '); })`,
        )) as string[];
        expect(new Set(styles.filter((s) => s.startsWith('PRE')))).toEqual(new Set(['PRE pre normal normal auto']));
        for (const s of styles) expect(s).not.toMatch(/anywhere|break-all/);
      });

      it('marks a topic below its pass mark red on the cards, at 0 % too', async () => {
        const security = cohortPage.locator('.candidate').first().locator('g', { hasText: 'security' });
        expect(await security.locator('text.figure').count()).toBe(1);
        expect(await security.locator('text.figure').textContent()).toBe('0%');
        const red = 'rgb(185, 28, 28)';
        const fill = (selector: string): Promise<string> =>
          security
            .locator(selector)
            .evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(e).fill);
        expect(await fill('text.figure')).toBe(red);
        expect(await fill('rect.track')).not.toBe('rgb(229, 231, 235)');
      });

      it('says how each sitting ended, a scripted one as scripted', async () => {
        const status = await cohortPage.locator('#ranking td.status').allTextContents();
        expect(status).toHaveLength(7);
        expect(status.filter((s) => s === 'scripted')).toHaveLength(1);
        expect(status.filter((s) => s === 'finished')).toHaveLength(6);
      });
    });
  });
}
