import type { Database } from 'better-sqlite3';
import * as m001 from './001-initial.js';
import * as m002 from './002-assessments.js';
import * as m003 from './003-calibrations.js';
import * as m004 from './004-practice.js';
import * as m005 from './005-task-drafts.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** In order; each version is one more than the last. */
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005];
