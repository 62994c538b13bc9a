import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind Kysely's SQLite dialect, with two additions:
 * - booleans and Dates are bound as 1/0 and ISO strings (better-sqlite3 refuses both), so
 *   repositories write the same values on SQLite as on PostgreSQL;
 * - prepared statements are cached by SQL text, since preparing dominates the cost of the small
 *   indexed queries on the request path.
 */
const STATEMENT_CACHE_SIZE = 500;

function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Prepared statements of one connection, by SQL text, at most STATEMENT_CACHE_SIZE of them. */
function statementCache(raw: BetterSqlite3.Database): (sql: string) => BetterSqlite3.Statement {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = raw.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

export function openSqlite(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');

  const statement = statementCache(raw);
  return {
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = statement(sql);
      return {
        reader: stmt.reader,
        all: (parameters) => stmt.all(...parameters.map(bindable)),
        run: (parameters) => stmt.run(...parameters.map(bindable)),
        iterate: (parameters) => stmt.iterate(...parameters.map(bindable)) as IterableIterator<unknown>,
      };
    },
  };
}

/**
 * A second, read-only connection for the few reads on every request (the session check). In WAL
 * mode it sees every committed write and never waits for, or blocks, the writing connection; and
 * being synchronous, it skips the promise round-trips of the async driver.
 */
export function openSqliteReader(file: string): { all(sql: string, parameters: readonly unknown[]): unknown[]; close(): void } {
  const raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  raw.pragma('busy_timeout = 5000');
  const statement = statementCache(raw);
  return {
    all: (sql, parameters) => statement(sql).all(...parameters.map(bindable)),
    close: () => raw.close(),
  };
}
