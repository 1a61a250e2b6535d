// Start codes: a pack's questions encrypted under a key derived from a code the interviewer reads
// out when the sitting begins, so the file can travel ahead of time without being readable.
// AES-256-GCM authenticates as it decrypts: a wrong code and a changed ciphertext both fail the tag,
// and nothing of the content comes out either way.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { UserError } from '../errors.js';

/**
 * Crockford's base32: digits and capitals without I, L, O and U, so a code read out over the
 * phone has no pair that sounds or looks alike; 16 characters carry 80 bits.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 16;
/** A code chosen by hand must be at least this long (after spaces and hyphens are dropped). */
export const MIN_CODE_CHARS = 12;

/**
 * scrypt N=2^17, r=8, p=1 takes 128 MiB and about 0.6 s on a 2-core build machine (1 s under
 * load): slow enough that guessing a hand-chosen code is costly, quick enough for a candidate.
 */
export const KDF_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** A pack from elsewhere cannot make us spend more than this on one guess. */
const MAX_KDF_MEMORY = 512 * 1024 * 1024;

export interface Locked {
  cipher: 'aes-256-gcm';
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  /** base64 */
  iv: string;
  /** base64 GCM tag */
  tag: string;
  /** base64 ciphertext */
  data: string;
}

export const WRONG_CODE = 'that start code does not open this pack';

/** A new code: 4 groups of 4 Crockford base32 characters (80 bits). */
export function generateStartCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = CODE_CHARS - 1; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/**
 * The code as the key is derived from it: case, spaces and hyphens do not matter, and the letters
 * Crockford leaves out read as the digits they resemble (O → 0, I and L → 1).
 */
export function normalizeStartCode(code: string): string {
  return code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Refuses a code too short to hold off guessing. */
export function checkNewStartCode(code: string): string {
  const n = normalizeStartCode(code);
  if ([...n].length < MIN_CODE_CHARS)
    throw new UserError(
      `--start-code needs at least ${MIN_CODE_CHARS} characters (spaces and hyphens aside); leave the value out to have one generated`,
    );
  return n;
}

function deriveKey(code: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: MAX_KDF_MEMORY + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(normalizeStartCode(code), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Encrypts `plain` under `code`; `aad` (the pack's readable part) is bound to it without being hidden. */
export async function lock(
  plain: string,
  code: string,
  aad: string,
  params: { N: number; r: number; p: number } = KDF_PARAMS,
): Promise<Locked> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(code, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return {
    cipher: 'aes-256-gcm',
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Why the parameters of a locked pack cannot be used, or undefined. */
export function kdfProblem(k: Locked['kdf']): string | undefined {
  const powerOfTwo = Number.isInteger(Math.log2(k.N));
  if (!powerOfTwo || k.N < 2 ** 14) return 'its key derivation cost (N) is not a power of two from 2^14';
  if (128 * k.N * k.r * k.p > MAX_KDF_MEMORY) return 'its key derivation would need more than 512 MiB';
  if (Buffer.from(k.salt, 'base64').length < 16) return 'its salt is shorter than 16 bytes';
  return undefined;
}

/** Decrypts; a wrong code and a changed pack both end in WRONG_CODE, which says nothing of the content. */
export async function unlock(locked: Locked, code: string, aad: string): Promise<string> {
  const problem = kdfProblem(locked.kdf);
  if (problem) throw new UserError(`not a usable backend-quiz pack: ${problem}`);
  const key = await deriveKey(code, Buffer.from(locked.kdf.salt, 'base64'), locked.kdf);
  try {
    // A fixed tag length: GCM would otherwise accept a tag cut short, which is easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(locked.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(locked.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(locked.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new UserError(WRONG_CODE);
  }
}
