import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and no whitespace: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `sha256:<hex>` over the canonical form of `value`. */
export function digestOf(value: unknown): string {
  return `sha256:${sha256(canonicalJson(value))}`;
}

/** The digest of a file-format object over everything but its own `digest` field. */
export function contentDigest(value: object): string {
  const { digest: _ignored, ...rest } = value as { digest?: string };
  return digestOf(rest);
}
