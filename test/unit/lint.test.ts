import { describe, expect, it } from 'vitest';
import { CURRICULUM_RULES, lintBanks, STALE_AFTER_MONTHS, staleQuestions, WARN_NEVER_CHECKED } from '../../src/bank/lint.js';
import type { Difficulty, Question } from '../../src/bank/types.js';
import { aBank, aQuestion } from '../helpers.js';

/** The rules under test here are not about freshness, and the questions built here carry no checked: month. */
const lintQuiet: typeof lintBanks = (banks, w, rules, opts) => lintBanks(banks, w, rules, { warnNeverChecked: false, ...opts });

const where = (q: Question) => ({ file: `${q.topic}.yaml`, line: 7, col: 5 });

/** A bank that passes every rule: 48 questions, 15/21/12 mix, four types, varied wording. */
function goodBank(id = 'good'): Question[] {
  const levels: Difficulty[] = [...Array(15).fill('easy'), ...Array(21).fill('medium'), ...Array(12).fill('hard')];
  const types = ['single', 'single', 'multiple', 'multiple', 'boolean', 'number'];
  return levels.map((difficulty, i) => {
    const type = types[i % types.length];
    const base = {
      topic: id,
      id: `q${i}`,
      difficulty,
      type,
      prompt: `Question ${i} of ${id} asks about subject ${i * 7} in context ${id}-${i}?`,
    };
    if (type === 'boolean') return aQuestion({ ...base, answer: true });
    if (type === 'number') return aQuestion({ ...base, answer: i, tolerance: 0 });
    return aQuestion({
      ...base,
      choices: [
        { text: 'Short', correct: true },
        { text: 'A longer wrong one', correct: false, why: 'w' },
        { text: 'Mid wrong', correct: false, why: 'w' },
      ],
    });
  });
}

describe('content lint', () => {
  it('accepts a bank that meets the rules', () => {
    expect(lintQuiet([aBank('good', goodBank())], where)).toEqual([]);
  });

  it('flags too few questions, a skewed mix and too few types', () => {
    const qs = Array.from({ length: 10 }, (_, i) =>
      aQuestion({ topic: 'thin', id: `t${i}`, difficulty: 'easy', prompt: `Different prompt number ${i} about topic ${i * 13}` }),
    );
    const messages = lintQuiet([aBank('thin', qs)], where).map((p) => p.message);
    expect(messages).toContain("bank 'thin': has 10 questions; a curriculum bank needs at least 48");
    expect(messages).toContain("bank 'thin': 100% of questions are easy; aim for about 30% (±10%)");
    expect(messages).toContain("bank 'thin': uses 1 question type(s) (single); use at least 3");
  });

  it('flags a bank whose right choice is usually the longest', () => {
    const qs = goodBank('tell').map((q) =>
      q.type === 'single'
        ? {
            ...q,
            choices: [
              { text: 'The right and conspicuously detailed answer', correct: true },
              { text: 'No', correct: false, why: 'w' },
            ],
          }
        : q,
    );
    expect(lintQuiet([aBank('tell', qs)], where).map((p) => p.message)).toContain(
      "bank 'tell': the right choice is the longest in 16 of 16 single-choice questions; make distractors as specific as the answer",
    );
  });

  it('flags missing or insecure references, order-dependent choices and wrong choices without why, at the question', () => {
    const qs = goodBank('refs');
    qs[0] = { ...qs[0]!, references: [] };
    qs[1] = { ...qs[1]!, references: ['http://example.org'] } as Question;
    qs[2] = {
      ...qs[2]!,
      choices: [
        { text: 'All of the above', correct: true },
        { text: 'B', correct: false },
      ],
    } as Question;
    const problems = lintQuiet([aBank('refs', qs)], where);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      'refs.yaml:7:5: refs/q0: has no reference; add an authoritative https link',
      'refs.yaml:7:5: refs/q1: reference http://example.org is not https',
      'refs.yaml:7:5: refs/q2: choice "All of the above" depends on the order of choices, which is shuffled',
      `refs.yaml:7:5: refs/q2: wrong choice "B" has no 'why'`,
    ]);
  });

  it('requires an explanation for the curriculum', () => {
    const qs = goodBank('bare');
    const { explanation: _, ...bare } = qs[0]!;
    qs[0] = bare as Question;
    expect(lintQuiet([aBank('bare', qs)], where).map((p) => p.message)).toEqual([
      'bare/q0: has no explanation; add 2-5 sentences on why the right answer is right',
    ]);
  });

  it('flags duplicate and near-duplicate prompts across banks', () => {
    const a = goodBank('a');
    const b = goodBank('b');
    b[3] = { ...b[3]!, prompt: a[3]!.prompt };
    b[4] = { ...b[4]!, prompt: `${a[5]!.prompt} Explain.` };
    const messages = lintQuiet([aBank('a', a), aBank('b', b)], where).map((p) => p.message);
    expect(messages).toEqual([
      'b/q3: prompt duplicates a/q3 (a.yaml:7); ask something different',
      'b/q4: prompt nearly duplicates a/q5 (a.yaml:7); ask something different',
    ]);
  });

  it('has the curriculum targets of the question library', () => {
    expect(CURRICULUM_RULES).toMatchObject({ minQuestions: 48, mix: { easy: 0.3, medium: 0.45, hard: 0.25 }, minTypes: 3 });
  });
});

const choice = (text: string, correct = false) => (correct ? { text, correct } : { text, correct, why: 'w' });
const right = (text: string) => choice(text, true);
/** The question-level problems of one question, without its key. */
function tells(over: Record<string, unknown>): string[] {
  const q = aQuestion({ topic: 'tells', id: 'q', ...over });
  return lintQuiet([aBank('tells', [q])], where)
    .filter((p) => p.message.startsWith('tells/q: '))
    .map((p) => p.message.slice('tells/q: '.length));
}

describe('tells that give the answer away', () => {
  describe('a hedged right choice among absolute wrong ones', () => {
    it.each([
      {
        name: 'a qualifier against one absolute',
        choices: [
          right('The cache usually serves it from memory'),
          choice('The cache always reads it from disk'),
          choice('The cache evicts it at once'),
        ],
        message:
          "only the right choice hedges ('usually') while wrong choices are absolute ('always'), which gives the answer away; qualify a wrong choice too or word the answer as firmly",
      },
      {
        name: 'a modal against all-absolute wrong choices',
        choices: [
          right('A retry can deliver it twice'),
          choice("It can't be delivered twice"),
          choice('Every message arrives exactly once'),
        ],
        message:
          "only the right choice hedges ('can') while wrong choices are absolute ('can't', 'every', 'exactly'), which gives the answer away; qualify a wrong choice too or word the answer as firmly",
      },
      {
        name: 'multiple choice: the hedged choices are exactly the right ones',
        type: 'multiple',
        choices: [
          right('Payloads of up to 6 MB are accepted'),
          right('Memory can be set per function'),
          choice('The limit cannot be raised'),
          choice('Every function has 100 slots'),
        ],
        message:
          "only the right choices hedge ('up to', 'can') while wrong choices are absolute ('cannot', 'every'), which gives the answer away; qualify a wrong choice too or word the answer as firmly",
      },
    ])('fires on $name', ({ type = 'single', choices, message }) => {
      expect(tells({ type, choices })).toEqual([message]);
    });

    it.each([
      {
        name: 'a modal with one wrong choice that is not absolute',
        choices: [right('A retry can deliver it twice'), choice('It is never delivered twice'), choice('The broker compresses it')],
      },
      {
        name: 'a wrong choice that hedges too',
        choices: [right('It usually stays in memory'), choice('It always goes to disk'), choice('It may be evicted at once')],
      },
      {
        name: 'a right choice that is absolute as well',
        choices: [right('At least once, and never lost'), choice('Always exactly once'), choice('Only when acknowledged')],
      },
      {
        name: 'a negated modal',
        choices: [right('Neither team can change it alone'), choice('Writes must be serialized'), choice('The table cannot scale')],
      },
      {
        name: '"cannot", which is no hedge',
        choices: [
          right('It cannot be derived from these values'),
          choice('It always equals the maximum'),
          choice('It is never above the mean'),
        ],
      },
      {
        name: 'hedge words inside other words',
        choices: [right('A full scan of the canonical table'), choice('It always uses the index'), choice('It never reads the heap')],
      },
      {
        name: 'multiple choice with an unhedged right choice',
        type: 'multiple',
        choices: [
          right('Payloads of up to 6 MB are accepted'),
          right('Memory is set per function'),
          choice('The limit cannot be raised'),
          choice('Every function has 100 slots'),
        ],
      },
    ])('stays quiet on $name', ({ type = 'single', choices }) => {
      expect(tells({ type, choices })).toEqual([]);
    });
  });

  describe('a right choice that alone repeats the prompt', () => {
    it.each([
      {
        name: 'an identifier in backticks',
        prompt: 'A consumer uses `max.poll.records=500` and leaves its group. What helps?',
        choices: [right('Lower max.poll.records'), choice('Add partitions to the topic'), choice('Raise the heap size')],
        message:
          "only the right choice repeats 'max.poll.records' from the prompt, which gives the answer away; let wrong choices use the prompt's details too",
      },
      {
        name: 'a number in a fenced block',
        prompt: 'The API answers:\n\n```http\nHTTP/1.1 429 Too Many Requests\nretry-after: 20\n```\n\nWhat should the client do?',
        choices: [right('Wait 20 s, then retry with backoff'), choice('Retry at once in a loop'), choice('Give up on the request')],
        message:
          "only the right choice repeats '20' from the prompt, which gives the answer away; let wrong choices use the prompt's details too",
      },
      {
        name: 'multiple choice: exactly the right choices repeat it',
        type: 'multiple',
        prompt: 'Which statements hold for a topic with `cleanup.policy=compact`?',
        choices: [
          right('compact keeps the newest value per key'),
          right('A cleanup.policy of compact runs in the background'),
          choice('Records expire by age'),
          choice('Segments are rewritten in place'),
        ],
        message:
          "only the right choices repeat 'compact', 'cleanup.policy' from the prompt, which gives the answer away; let wrong choices use the prompt's details too",
      },
      {
        name: 'every wrong choice sharing a detail the right one lacks',
        prompt: 'Four hosts report their p99: 100 ms, 120 ms, 110 ms and 400 ms. What is the fleet p99?',
        choices: [
          right('It cannot be derived from these values'),
          choice('182.5 ms, the mean of the p99 values'),
          choice('400 ms, the worst p99'),
          choice('115 ms, the median p99'),
        ],
        message:
          "every wrong choice repeats 'p99' from the prompt and the right one does not, so the odd one out is the answer; vary the wrong choices",
      },
    ])('fires on $name', ({ type = 'single', prompt, choices, message }) => {
      expect(tells({ type, prompt, choices })).toEqual([message]);
    });

    it.each([
      {
        name: 'a wrong choice that repeats it too',
        prompt: 'A consumer uses `max.poll.records=500` and leaves its group. What helps?',
        choices: [right('Lower max.poll.records'), choice('Raise max.poll.records to 1000'), choice('Raise the heap size')],
      },
      {
        name: 'prose words',
        prompt: 'Why does the consumer leave its group?',
        choices: [right('The consumer polls too slowly'), choice('The group is full'), choice('The broker restarts')],
      },
      {
        name: 'a product name in prose',
        prompt: 'A PostgreSQL standby on Node.js lags. Why?',
        choices: [right('PostgreSQL replays WAL in one process'), choice('Node.js blocks the socket'), choice('The disk is full')],
      },
      {
        name: 'a number that merely contains the prompt’s',
        prompt: 'The service listens on port 80. What is wrong?',
        choices: [right('The proxy forwards to 8080'), choice('The firewall drops traffic'), choice('The certificate expired')],
      },
      {
        name: 'wrong choices that each repeat something different',
        prompt: 'A producer sets `acks=all` and `retries=3`. What keeps order?',
        choices: [right('Enable idempotence'), choice('Set acks to 1'), choice('Lower the retries')],
      },
    ])('stays quiet on $name', ({ prompt, choices }) => {
      expect(tells({ prompt, choices })).toEqual([]);
    });
  });

  describe('an accept pattern that takes a near miss', () => {
    const sMaxage = { type: 'text', prompt: 'Which directive sets the lifetime for shared caches only?' };
    it('fires when the question quotes wrong spellings the pattern accepts', () => {
      const explanation = 'Only `s-maxage` is a directive; `s-max-age` and "smaxage" are ignored by caches.';
      expect(tells({ ...sMaxage, accept: ['s-maxage', '/^s-?max-?age$/i'], explanation })).toEqual([
        `accept pattern /^s-?max-?age$/i also takes "s-max-age", "smaxage", which the question quotes as near misses of 's-maxage'; narrow the pattern to the right spellings`,
      ]);
    });

    it.each([
      { name: 'no near miss quoted', accept: ['s-maxage', '/^s-?max-?age$/i'], explanation: 'Only s-maxage applies to shared caches.' },
      {
        name: 'a near miss that is a listed right spelling',
        accept: ['s-maxage', 'smaxage', '/^s-?max-?age$/i'],
        explanation: 'Also written `smaxage` by some caches.',
      },
      { name: 'a pattern that refuses the near miss', accept: ['s-maxage', '/^s-maxage$/i'], explanation: 'Not `s-max-age`.' },
      {
        name: 'a longer right form far from the answer',
        accept: ['kubectl logs --previous', '/^kubectl logs( \\S+)? --previous$/'],
        explanation: 'For example `kubectl logs web-1 --previous`.',
      },
      { name: 'patterns only, with no literal answer', accept: ['/^s-?max-?age$/i'], explanation: 'Not `s-max-age`.' },
    ])('stays quiet on $name', ({ accept, explanation }) => {
      expect(tells({ ...sMaxage, accept, explanation })).toEqual([]);
    });
  });

  it('reports a tell at the question', () => {
    const q = aQuestion({ topic: 'tells', id: 'q', choices: [right('It usually stays'), choice('It always goes'), choice('It goes')] });
    expect(lintQuiet([aBank('tells', [q])], where).filter((p) => p.message.startsWith('tells/q'))).toEqual([
      { file: 'tells.yaml', line: 7, col: 5, message: expect.stringContaining("tells/q: only the right choice hedges ('usually')") },
    ]);
  });
});

describe('facts age: checked months', () => {
  const now = new Date('2026-12-08T00:00:00Z');
  const qs = ['fresh', 'year', 'old', 'never'].map((id) =>
    aQuestion({
      topic: 'age',
      id,
      prompt: `A prompt about ${id} that differs from the others in ${id}?`,
      references: [`https://example.org/${id}`],
    }),
  );
  const checked = new Map([
    ['age/fresh', '2026-12'],
    ['age/year', '2025-12'],
    ['age/old', '2025-11'],
  ]);
  const ageMessages = (opts: Parameters<typeof lintBanks>[3]): string[] =>
    lintBanks([aBank('age', qs)], where, CURRICULUM_RULES, opts)
      .map((p) => p.message)
      .filter((m) => /checked/.test(m));

  it('warns on a check more than twelve months before the current month, counted in months', () => {
    expect(ageMessages({ checked, now, warnNeverChecked: false })).toEqual([
      `age/old: its facts were last checked 2025-11, 13 months ago (more than ${STALE_AFTER_MONTHS}); check them against its references again and update 'checked:'`,
    ]);
    // A month later, December 2025 is thirteen months old too.
    expect(ageMessages({ checked, now: new Date('2027-01-01T00:00:00Z'), warnNeverChecked: false })).toHaveLength(2);
  });

  it('does not warn on a missing checked: month with the switch off', () => {
    expect(ageMessages({ checked, now, warnNeverChecked: false }).join('\n')).not.toContain('age/never');
    expect(ageMessages({ checked: new Map(), now, warnNeverChecked: false })).toEqual([]);
  });

  it('warns on a missing checked: month by default, now that every built-in question has one', () => {
    expect(WARN_NEVER_CHECKED).toBe(true);
    expect(ageMessages({ checked, now })).toContain(
      "age/never: has no 'checked:' month; check its facts against its references and record the month (checked: YYYY-MM)",
    );
    expect(ageMessages({ checked, now, warnNeverChecked: true })).toContain(
      "age/never: has no 'checked:' month; check its facts against its references and record the month (checked: YYYY-MM)",
    );
  });

  it('lists stale and never-checked questions with their references and positions', () => {
    expect(staleQuestions([aBank('age', qs)], where, { checked, now })).toEqual([
      { key: 'age/old', file: 'age.yaml', line: 7, col: 5, checked: '2025-11', months: 13, references: ['https://example.org/old'] },
      { key: 'age/never', file: 'age.yaml', line: 7, col: 5, checked: null, months: null, references: ['https://example.org/never'] },
    ]);
  });
});

// Giveaways the December audit found that a rule can catch. Questions quoted from the audit (and
// made up around them for the negatives); giveaways that need judgement (a stem that rules the
// distractors out, right choices restating facts the stem planted) are for readers, not lint.
describe('giveaways from the audit', () => {
  const streamsPrompt = [
    'A fraud pipeline reads change records from the DynamoDB Stream of the `authorizations` table. Its',
    'consumer was stopped for 30 hours during an incident. On restart, asking for a shard iterator at its last',
    'checkpoint fails with `TrimmedDataAccessException`. What happened to the changes made in the first hours',
    'of the outage?',
  ].join('\n');
  const streamsChoices = [
    right('Records older than 24 hours were trimmed from the stream and are now unreadable'),
    choice('They are intact; the error means the checkpoint must be converted to a new iterator type'),
    choice('They were moved to a dead-letter queue that DynamoDB keeps for every stream'),
    choice('The stream was disabled after a day without readers and must be enabled again'),
  ];
  const echo = (words: string): string =>
    `only the right choice uses ${words}, a word of a name the prompt shows, which gives the answer away; use the word in a wrong choice too, or reword the answer`;

  describe('echo of a quoted name', () => {
    it.each([
      {
        name: 'dynamodb-streams-24-hours: "trimmed" from TrimmedDataAccessException',
        prompt: streamsPrompt,
        choices: streamsChoices,
        message: echo("'trimmed' (from TrimmedDataAccessException)"),
      },
      {
        name: 'secrets-for-reset-tokens: the module a name in the prompt comes from',
        prompt: 'The portal compares tokens with `secrets.compare_digest`. Which call should create the reset token?',
        choices: [
          right('secrets.token_urlsafe(32), which returns URL-safe text'),
          choice('random.choices(string.ascii_letters, k=32) joined into a string'),
          choice('str(uuid.uuid1()), which is unique per host and time'),
        ],
        message: echo("'secrets' (from secrets.compare_digest)"),
      },
      {
        name: 'a stem met loosely: restartPolicy and "restarts"',
        prompt: 'The Pod spec sets `restartPolicy: OnFailure` and the container exits with code 1. What does the kubelet do?',
        choices: [
          right('It restarts the container after a back-off'),
          choice('It recreates the Pod on another node'),
          choice('It leaves the Pod stopped'),
        ],
        message: echo("'restart' (from restartPolicy)"),
      },
      {
        name: 'snake_case in a fenced block',
        prompt:
          'A consumer runs with:\n\n```text\nmax_poll_interval_ms = 300000\n```\n\nIts handler takes 6 minutes a batch. What happens?',
        choices: [
          right('It leaves the group once the interval passes'),
          choice('The broker deletes the batch'),
          choice('The broker kills the handler'),
        ],
        message: echo("'interval' (from max_poll_interval_ms)"),
      },
    ])('fires on $name', ({ prompt, choices, message }) => {
      expect(tells({ prompt, choices })).toEqual([message]);
    });

    it.each([
      {
        name: 'a wrong choice uses the word too',
        prompt: streamsPrompt,
        choices: [...streamsChoices.slice(0, 3), choice('Only records the consumer had read were trimmed; the rest are intact')],
      },
      {
        name: 'the word is in the prose of the prompt as well',
        prompt: streamsPrompt.replace('What happened', 'Were they trimmed? What happened'),
        choices: streamsChoices,
      },
      {
        name: 'a one-word name (echoTell sees whole names)',
        prompt: 'A job runs `ANALYZE` nightly on the events table. What does the planner get from it?',
        choices: [right('Fresh statistics for analyzing row estimates'), choice('A rebuilt index'), choice('Reclaimed disk space')],
      },
      {
        name: 'a wrong choice with the word inside its own ("asynchronous")',
        prompt: 'A primary runs with `synchronous_commit = on` and its only standby fails. What happens to commits?',
        choices: [
          right('They wait for a synchronous standby'),
          choice('They drop to asynchronous replication'),
          choice('They fail at once'),
        ],
      },
      {
        name: "a word of the bank's own topic",
        topic: 'caching',
        prompt: 'The handler calls `cache.delete_user(uid)` and then reads from a lagging replica. What goes wrong?',
        choices: [
          right('A reader caches the stale row for an hour'),
          choice('The row is deleted twice'),
          choice('The replica refuses reads'),
        ],
      },
      {
        name: 'a media type',
        prompt: 'A POST with `Content-Type: application/x-www-form-urlencoded` moves money. What stops forged requests?',
        choices: [right('A secret token in the form'), choice('HttpOnly cookies'), choice('HSTS')],
      },
      {
        name: 'a stop word of code ("select" from select_related)',
        prompt: 'A view calls `Order.objects.select_related("customer")` in a loop. What does it save?',
        choices: [right('One query per order, by joining in SQL'), choice('Nothing at all'), choice('Memory, by streaming rows')],
      },
    ])('does not fire on $name', ({ topic, prompt, choices }) => {
      const q = aQuestion({ topic: topic ?? 'tells', id: 'q', prompt, choices });
      const found = lintQuiet([aBank(topic ?? 'tells', [q])], where).map((p) => p.message);
      expect(found.filter((m) => m.includes('a word of a name the prompt shows'))).toEqual([]);
    });
  });

  describe('lone hedge', () => {
    const lone = (which: string, words: string): string =>
      `only the right ${which} (${words}) and no wrong choice does, which gives the answer away; qualify a wrong choice too or word the answer as firmly`;
    it.each([
      {
        name: 'monotonic-range-shard-hotspot: "Nearly all" against plain wrong choices',
        choices: [
          choice('Inserts spread evenly, because every shard owns an equal-sized ID range'),
          right('Nearly all inserts land on the shard owning the highest range'),
          choice('Inserts are balanced, but point lookups by order_id must query every shard'),
          choice('The router spreads inserts round-robin, and only reads are routed by ID range'),
        ],
        message: lone('choice hedges', "'nearly all'"),
      },
      {
        name: '"usually" among statements that are neither hedged nor absolute',
        choices: [
          right('The planner usually picks the index'),
          choice('The planner scans the table'),
          choice('The planner caches the plan'),
        ],
        message: lone('choice hedges', "'usually'"),
      },
      {
        name: '"most" as an amount',
        choices: [right('Most requests hit the cache'), choice('Requests bypass the cache'), choice('Requests wait for the origin')],
        message: lone('choice hedges', "'most'"),
      },
      {
        name: 'multiple choice: every right choice hedges, no wrong one does',
        type: 'multiple',
        choices: [
          right('Retries may deliver a message twice'),
          right('Consumers typically dedupe by id'),
          choice('The broker drops duplicates'),
        ],
        message: lone('choices hedge', "'may', 'typically'"),
      },
    ])('fires on $name', ({ type = 'single', choices, message }) => {
      expect(tells({ type, choices })).toEqual([message]);
    });

    it.each([
      {
        name: 'a wrong choice hedges too, even with "can"',
        choices: [
          right('Their new events may be read before older ones'),
          choice('Order can be kept by moving records'),
          choice('Order is kept'),
        ],
      },
      {
        name: '"can" stating an ability',
        choices: [
          right('A pure cache can be refilled from the database'),
          choice('Raise maxmemory'),
          choice('Switch to appendfsync always'),
        ],
      },
      {
        name: '"up to" stating a limit',
        choices: [right('Use long polling, waiting up to 20 seconds'), choice('Lower the visibility timeout'), choice('Use a FIFO queue')],
      },
      {
        name: '"often" and "rarely" describing the subject',
        choices: [
          right('It suits data read often and written rarely'),
          choice('It offers compare-and-set'),
          choice('Writes are visible at once'),
        ],
      },
      {
        name: '"the most" and "at most" are no hedges',
        choices: [
          right('It keeps the most recent value, at most one per key'),
          choice('It keeps every value'),
          choice('It keeps the first value'),
        ],
      },
      {
        name: 'a right choice that is absolute elsewhere',
        choices: [
          right('Users cannot tell 100% from slightly less, yet the target would stop nearly all change'),
          choice('Monitoring tools cannot measure it'),
          choice('SLAs are never written at 100 percent'),
        ],
      },
    ])('does not fire on $name', ({ choices }) => {
      expect(tells({ choices }).filter((m) => m.includes('and no wrong choice does'))).toEqual([]);
    });
  });
});
