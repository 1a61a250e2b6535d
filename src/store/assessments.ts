import type { Database } from 'better-sqlite3';
import type { Assessment } from '../assessment/definition.js';
import { canonicalJson } from '../assessment/digest.js';
import { isWholeDefinition, type PackKey } from '../assessment/pack.js';
import { UserError } from '../errors.js';

/**
 * Records a version of an assessment definition (once per digest). Only definitions written on
 * this machine are recorded now; rows with origin 'import' come from older versions, which stored
 * the copy a result file carried (its candidate could have edited it). A definition written here
 * replaces such a row, content included.
 */
export function saveAssessment(db: Database, a: Assessment, now: string, origin: 'local' | 'import' = 'local'): void {
  db.prepare(
    `INSERT INTO assessments (digest, id, title, definition, origin, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (digest) DO UPDATE SET origin = 'local', id = excluded.id, title = excluded.title, definition = excluded.definition
     WHERE excluded.origin = 'local'`,
  ).run(a.digest, a.id, a.title, JSON.stringify(a), origin, now);
}

export function getAssessment(db: Database, digest: string): Assessment | undefined {
  const row = db.prepare(`SELECT definition FROM assessments WHERE digest = ?`).get(digest) as { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as Assessment) : undefined;
}

/** The interviewer's own definition with this digest: written here, never one an older import stored. */
export function localAssessment(db: Database, digest: string): Assessment | undefined {
  const row = db.prepare(`SELECT definition FROM assessments WHERE digest = ? AND origin = 'local'`).get(digest) as
    { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as Assessment) : undefined;
}

/**
 * The definition reports use for an assessment id: the newest written here. `importedOnly` says
 * that the database holds only copies older versions took from result files: a report shows no
 * pass marks from those.
 */
export function latestAssessment(db: Database, id: string): { definition?: Assessment; importedOnly: boolean } {
  const rows = db
    .prepare(`SELECT definition, origin FROM assessments WHERE id = ? ORDER BY origin = 'local' DESC, created_at DESC`)
    .all(id) as { definition: string; origin: string }[];
  for (const row of rows) {
    if (row.origin !== 'local') return { importedOnly: true };
    // Older versions stored a key file's definition as it came, whole or not: such a row decides nothing.
    const a = JSON.parse(row.definition) as unknown;
    if (isWholeDefinition(a)) return { definition: a, importedOnly: false };
  }
  return { importedOnly: false };
}

/**
 * Keeps a pack's key; the same key twice is stored once. A key that differs from the stored key of
 * its pack, or whose definition differs from the one recorded here under the same digest, is
 * refused: one of them is not the interviewer's.
 */
export function savePackKey(db: Database, key: PackKey, now: string): void {
  db.transaction(() => {
    const stored = getPackKey(db, key.pack);
    if (stored && (stored.digest !== key.digest || canonicalJson(stored) !== canonicalJson(key)))
      throw new UserError(
        `it conflicts with the key of pack ${key.pack} already in this database (different content); the stored key was kept`,
      );
    const own = localAssessment(db, key.assessment.digest);
    if (own && canonicalJson(own) !== canonicalJson(key.assessment))
      throw new UserError(
        `its assessment '${key.assessment.id}' differs from the definition with the same digest in this database; the key was not stored`,
      );
    saveAssessment(db, key.assessment, now);
    db.prepare(`INSERT OR IGNORE INTO packs (id, digest, assessment_digest, key, created_at) VALUES (?, ?, ?, ?, ?)`).run(
      key.pack,
      key.packDigest,
      key.assessment.digest,
      JSON.stringify(key),
      now,
    );
  }).immediate();
}

export function getPackKey(db: Database, packId: string): PackKey | undefined {
  const row = db.prepare(`SELECT key FROM packs WHERE id = ?`).get(packId) as { key: string } | undefined;
  return row ? (JSON.parse(row.key) as PackKey) : undefined;
}
