import type { Database } from 'better-sqlite3';

export const version = 3;
export const name = 'calibrations';

/**
 * Rasch calibrations of the items, one row per run (`backend-quiz calibrate`), newest last: the
 * latest gives the difficulties for ability estimates and adaptive sittings, and older ones stay
 * so a sitting can say which calibration it was measured against.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE calibrations (
      id          INTEGER PRIMARY KEY,          -- increasing: the highest is the current one
      created_at  TEXT NOT NULL,
      source      TEXT NOT NULL,                -- 'sessions', or the response file's name
      filters     TEXT NOT NULL,                -- JSON: the filters that chose the sessions
      data_hash   TEXT NOT NULL,                -- sha256 of the response matrix it saw
      persons     INTEGER NOT NULL,
      responses   INTEGER NOT NULL,
      settings    TEXT NOT NULL,                -- JSON: model, quadrature points, minimum responses, tolerance
      log_lik     REAL NOT NULL,
      iterations  INTEGER NOT NULL,
      converged   INTEGER NOT NULL CHECK (converged IN (0, 1))
    ) STRICT;

    CREATE TABLE calibration_items (
      calibration_id INTEGER NOT NULL REFERENCES calibrations (id) ON DELETE CASCADE,
      key            TEXT NOT NULL,             -- question key, <bank>/<id> (or a column of the response file)
      status         TEXT NOT NULL CHECK (status IN ('estimated', 'too-few-responses', 'all-right', 'all-wrong')),
      n              INTEGER NOT NULL,
      facility       REAL NOT NULL,
      b              REAL,                      -- NULL unless estimated
      se             REAL,
      infit          REAL,
      outfit         REAL,
      PRIMARY KEY (calibration_id, key),
      CHECK ((status = 'estimated') = (b IS NOT NULL))
    ) STRICT, WITHOUT ROWID;
  `);
}
