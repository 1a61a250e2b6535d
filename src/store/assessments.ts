import type { Database } from 'better-sqlite3';
import type { Assessment } from '../assessment/definition.js';
import type { PackKey } from '../assessment/pack.js';

/**
 * Records a version of an assessment definition (once per digest). `import` records the one a
 * result file carries, which its candidate could have edited: a definition written here wins.
 */
export function saveAssessment(db: Database, a: Assessment, now: string, origin: 'local' | 'import' = 'local'): void {
  db.prepare(
    `INSERT INTO assessments (digest, id, title, definition, origin, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (digest) DO UPDATE SET origin = 'local' WHERE excluded.origin = 'local'`,
  ).run(a.digest, a.id, a.title, JSON.stringify(a), origin, now);
}

export function getAssessment(db: Database, digest: string): Assessment | undefined {
  const row = db.prepare(`SELECT definition FROM assessments WHERE digest = ?`).get(digest) as { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as Assessment) : undefined;
}

/** The definition reports use for an assessment id: the newest written here, else the newest imported. */
export function latestAssessment(db: Database, id: string): Assessment | undefined {
  const row = db
    .prepare(`SELECT definition FROM assessments WHERE id = ? ORDER BY origin = 'local' DESC, created_at DESC LIMIT 1`)
    .get(id) as { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as Assessment) : undefined;
}

/** Keeps a pack's key; a key imported twice is stored once. */
export function savePackKey(db: Database, key: PackKey, now: string): void {
  db.transaction(() => {
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
