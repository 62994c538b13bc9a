import { sql, type Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * A version row per table in directory_version, bumped by a trigger in the same transaction as any
 * change to the table (db/versioned-cache.ts trusts cached answers only while it is unchanged).
 * Used by migrations 0004 and 0005; what it creates must never change, as released migrations do not.
 */
export async function addTableVersions(db: Kysely<any>, tables: readonly string[]): Promise<void> {
  const { postgres } = columnTypes(db);
  for (const table of tables) {
    await db.insertInto('directory_version').values({ name: table, version: 0 }).execute();
    if (postgres) {
      await sql
        .raw(`CREATE TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION core_table_changed('${table}')`)
        .execute(db);
      continue;
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql
        .raw(`CREATE TRIGGER ${table}_version_${event.toLowerCase()} AFTER ${event} ON "${table}" BEGIN
                UPDATE directory_version SET version = version + 1 WHERE name = '${table}';
              END`)
        .execute(db);
    }
  }
}

/** The function the PostgreSQL triggers call (created once, by migration 0004). */
export async function createTableChangedFunction(db: Kysely<any>): Promise<void> {
  if (!columnTypes(db).postgres) return;
  await sql`
    CREATE FUNCTION core_table_changed() RETURNS trigger AS $$
    BEGIN
      UPDATE "directory_version" SET "version" = "version" + 1 WHERE "name" = TG_ARGV[0];
      RETURN NULL;
    END $$ LANGUAGE plpgsql`.execute(db);
}
