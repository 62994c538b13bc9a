import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';
import { openSqlite, openSqliteReader } from './sqlite.js';
import { registerReader } from './prepared.js';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** Throws when the database cannot answer (used by the readiness check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createDb(config: DatabaseConfig): DbHandle {
  if (config.kind === 'sqlite') {
    const database = openSqlite(config.file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    const reader = config.file === ':memory:' ? undefined : openSqliteReader(config.file);
    if (reader) registerReader(db, reader.all);
    return {
      db,
      dialect: 'sqlite',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        reader?.close();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', // PostgreSQL: shutdown, connection failures
  'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL',
]);

/** True when an error means the database cannot be reached (→ 503), not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /connection (is not open|terminated)|timeout exceeded when trying to connect|driver has already been destroyed|Cannot use a pool after calling end/i.test(error.message);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `work`, answering `conflict()` for a unique-constraint violation on either engine: the
 * duplicate that slipped past a service's own check in a race.
 */
export async function refusingDuplicates<T>(work: () => Promise<T>, conflict: (violated: string) => Error): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isUniqueViolation(error) ? conflict(violatedConstraint(error)) : error;
  }
}

/**
 * What a unique violation names: `student.nisn` (SQLite's message) or `student_nisn_key`
 * (PostgreSQL's constraint), for a service to tell which field was duplicated.
 */
function violatedConstraint(error: unknown): string {
  const { constraint, message } = error as { constraint?: string; message?: string };
  return constraint ?? message?.replace(/^UNIQUE constraint failed: /, '') ?? '';
}
