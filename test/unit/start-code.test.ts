// Start codes: the code, the encryption of a pack's questions and what a wrong code or a changed
// pack gets back. Round trips use the cheapest scrypt cost a pack may name, to keep the suite fast;
// one test seals with the real parameters to see them recorded.
import { describe, expect, it } from 'vitest';
import { parseAssessment } from '../../src/assessment/definition.js';
import {
  checkNewStartCode,
  generateStartCode,
  KDF_PARAMS,
  kdfProblem,
  lock,
  normalizeStartCode,
  unlock,
  WRONG_CODE,
} from '../../src/assessment/lock.js';
import { buildPack, lockPack, openPack, readKey, readPack } from '../../src/assessment/pack.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { UserError } from '../../src/errors.js';
import { aBank, aQuestion } from '../helpers.js';

const FAST = { N: 2 ** 14, r: 8, p: 1 };
const CODE = 'K7QD-3MXA-P9RT-WC2H';

describe('start codes', () => {
  it('are 4 groups of 4 Crockford base32 characters, 80 bits, each new', () => {
    const codes = Array.from({ length: 50 }, generateStartCode);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet turns up: the 5-bit groups are not biased to part of it.
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('read the same whatever the case, spacing and look-alike letters', () => {
    expect(normalizeStartCode('k7qd 3mxa-p9rt wc2h')).toBe(normalizeStartCode(CODE));
    expect(normalizeStartCode('OIL0-1110')).toBe('01101110');
  });

  it('chosen by hand must be long enough', () => {
    expect(() => checkNewStartCode('1234-5678')).toThrow(UserError);
    expect(checkNewStartCode('correct horse battery')).toBe('C0RRECTH0RSEBATTERY');
  });
});

describe('lock and unlock', () => {
  it('round trips, and records the key derivation it used', async () => {
    const locked = await lock('{"q-abcd":"secret prompt"}', CODE, 'header', FAST);
    expect(locked).toMatchObject({ cipher: 'aes-256-gcm', kdf: { name: 'scrypt', ...FAST } });
    expect(Buffer.from(locked.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(locked.iv, 'base64')).toHaveLength(12);
    expect(JSON.stringify(locked)).not.toContain('secret');
    expect(await unlock(locked, 'k7qd3mxap9rtwc2h', 'header')).toBe('{"q-abcd":"secret prompt"}');
  });

  it('refuses a wrong code without a word of the content', async () => {
    const locked = await lock('secret prompt', CODE, 'header', FAST);
    const err = await unlock(locked, 'K7QD-3MXA-P9RT-WC2J', 'header').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(WRONG_CODE);
  });

  it('refuses a changed ciphertext, tag or header, and a tag cut short', async () => {
    const locked = await lock('secret prompt, long enough to flip a byte in', CODE, 'header', FAST);
    const data = Buffer.from(locked.data, 'base64');
    data[3]! ^= 1;
    const cases = [
      [{ ...locked, data: data.toString('base64') }, 'header'],
      [{ ...locked, tag: Buffer.from(locked.tag, 'base64').reverse().toString('base64') }, 'header'],
      [{ ...locked, tag: Buffer.from(locked.tag, 'base64').subarray(0, 4).toString('base64') }, 'header'],
      [locked, 'another header'],
    ] as const;
    for (const [l, aad] of cases) await expect(unlock(l, CODE, aad)).rejects.toThrow(WRONG_CODE);
  });

  it('refuses key derivation costs a hostile pack could use to exhaust memory', async () => {
    const locked = await lock('x', CODE, 'h', FAST);
    expect(kdfProblem({ ...locked.kdf, N: 2 ** 20, r: 32 })).toMatch(/512 MiB/);
    expect(kdfProblem({ ...locked.kdf, N: 1000 })).toMatch(/power of two/);
    await expect(unlock({ ...locked, kdf: { ...locked.kdf, N: 2 ** 22, r: 8 } }, CODE, 'h')).rejects.toThrow(/not a usable/);
  });
});

describe('a pack locked with a start code', () => {
  const banks = [
    aBank('alpha', [
      aQuestion({ topic: 'alpha', id: 'a1', prompt: 'What does the canary prompt ask?' }),
      aQuestion({ topic: 'alpha', id: 'a2' }),
    ]),
  ];
  const a = parseAssessment(
    'assessment: t\ntitle: Timed\ninstructions: Work alone.\ntime_limit: 10m\nscripted: allowed\nsections:\n  - topic: alpha\n    count: 2\n',
    't.yaml',
  ).assessment!;

  it('keeps title, instructions, counts and time limit readable and nothing of the questions', async () => {
    const { pack, key } = await lockPack(buildPack(a, banks, mulberry32(1)), CODE, FAST);
    const text = JSON.stringify(pack, null, 2);
    expect(pack.questions).toBeUndefined();
    expect(text).not.toContain('canary');
    expect(text).not.toContain('alpha');
    expect(pack.assessment).toMatchObject({ title: 'Timed', instructions: 'Work alone.', timeLimitMs: 600_000, scripted: 'allowed' });
    expect(pack.sections.reduce((n, s) => n + s.count, 0)).toBe(2);
    // The digest covers the ciphertext, so the pack checks out without the code.
    expect(readPack(text, 'p.json').digest).toBe(pack.digest);
    expect(readKey(JSON.stringify(key), 'k.json').packDigest).toBe(pack.digest);
  });

  it('opens with its code to the questions it was sealed with', async () => {
    const sealed = buildPack(a, banks, mulberry32(1));
    const { pack } = await lockPack(sealed, CODE, FAST);
    const open = await openPack(readPack(JSON.stringify(pack), 'p.json'), CODE, 'p.json');
    expect(open.questions).toEqual(sealed.pack.questions);
    expect(open.digest).toBe(pack.digest);
    await expect(openPack(pack, 'AAAA-BBBB-CCCC-DDDD', 'p.json')).rejects.toThrow(WRONG_CODE);
  });

  it('refuses a pack whose readable part was changed and its digest recomputed', async () => {
    const { pack } = await lockPack(buildPack(a, banks, mulberry32(1)), CODE, FAST);
    const { contentDigest } = await import('../../src/assessment/digest.js');
    const { digest: _d, ...rest } = { ...pack, assessment: { ...pack.assessment, timeLimitMs: 6_000_000 } };
    const forged = { ...rest, digest: contentDigest(rest) };
    await expect(openPack(readPack(JSON.stringify(forged), 'p.json'), CODE, 'p.json')).rejects.toThrow(WRONG_CODE);
  });

  it('is sealed with the slow key derivation by default', async () => {
    const { pack } = await lockPack(buildPack(a, banks, mulberry32(1)), CODE);
    expect(pack.locked!.kdf).toMatchObject({ name: 'scrypt', ...KDF_PARAMS });
    expect(KDF_PARAMS.N * KDF_PARAMS.r * 128).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });
});
