import { CompiledQuery, type Kysely } from 'kysely';

/**
 * Inserts many rows into one table, a chunk per statement, for bulk writes (the student import).
 * Building a multi-row insert through the query builder makes a node per value and a new SQL text
 * per chunk: megabytes of short-lived objects for every few hundred rows, which pile up while the
 * statement runs. Here the SQL text is built once per chunk length and each chunk sends only its
 * values, in the order of `columns` (a missing value is NULL).
 */
export function bulkInsert(db: Kysely<any>, table: string, columns: readonly string[]) {
  const texts = new Map<number, string>();
  return async function insert(rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((row) => columns.map((column) => row[column] ?? null));
    let text = texts.get(rows.length);
    if (text === undefined) {
      const compiled = db.insertInto(table).values(values.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])))).compile();
      // Every value must be a parameter of its own, in row order, for the text to be reused.
      if (compiled.parameters.length !== rows.length * columns.length) throw new Error(`bulkInsert: ${table} compiled to ${compiled.parameters.length} parameters`);
      text = compiled.sql;
      texts.set(rows.length, text);
    }
    await db.executeQuery(CompiledQuery.raw(text, values.flat()));
  };
}
