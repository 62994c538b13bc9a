import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/** Synchronous readers registered for a database (SQLite's read-only connection, see sqlite.ts). */
const readers = new WeakMap<Kysely<any>, (sql: string, parameters: readonly unknown[]) => unknown[]>();

export function registerReader(db: Kysely<any>, read: (sql: string, parameters: readonly unknown[]) => unknown[]): void {
  readers.set(db, read);
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each compiled parameter, the index of the call argument it stands for (null: a constant). */
  slots: (number | null)[];
}

/**
 * A query built and compiled once per database, then run with new parameter values: for the few
 * queries on every request (the session check), where building a query costs more than running it.
 *
 * Where the database has a synchronous reader (SQLite), the query runs on it directly.
 *
 * `build` receives one placeholder per argument; the compiled parameters are matched back to the
 * arguments by identity, so constants written into the query stay as they are.
 */
export function prepared<DB, A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const cache = new WeakMap<Kysely<DB>, Compiled<R>>();
  return async function run(db: Kysely<DB>, ...args: A): Promise<R[]> {
    let compiled = cache.get(db);
    if (!compiled) {
      const placeholders = args.map((_, i) => ({ placeholder: i })) as unknown[];
      const query = build(db, ...(placeholders as A)).compile();
      compiled = {
        query,
        slots: query.parameters.map((p) => {
          const index = placeholders.indexOf(p);
          return index === -1 ? null : index;
        }),
      };
      cache.set(db, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((p, i) => {
      const slot = slots[i];
      return slot === null || slot === undefined ? p : args[slot];
    });
    return runCompiled(db, { ...query, parameters });
  };
}

/** On the database's synchronous reader when it has one, else through Kysely. */
async function runCompiled<R>(db: Kysely<any>, query: CompiledQuery<R>): Promise<R[]> {
  const read = readers.get(db);
  if (read) return read(query.sql, query.parameters) as R[];
  return (await db.executeQuery<R>(query)).rows;
}

/**
 * Runs a read query on the database's synchronous reader when it has one (SQLite outside a
 * transaction), else through Kysely. For list queries on busy endpoints.
 */
export function readRows<R>(db: Kysely<any>, query: Compilable<R>): Promise<R[]> {
  return runCompiled(db, query.compile());
}
