import { sql, type Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * A counter that every change to accounts, their roles or role names bumps, in the same
 * transaction (triggers). The users list caches pages against it: a page is served from memory only
 * while the counter is unchanged, so no instance ever answers with a stale page.
 */
const TABLES = ['user', 'user_role', 'role'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_version')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto('directory_version').values({ name: 'users', version: 0 }).execute();

  const { postgres } = columnTypes(db);
  if (postgres) {
    await sql`
      CREATE FUNCTION core_directory_changed() RETURNS trigger AS $$
      BEGIN
        UPDATE "directory_version" SET "version" = "version" + 1 WHERE "name" = 'users';
        RETURN NULL;
      END $$ LANGUAGE plpgsql`.execute(db);
    for (const table of TABLES) {
      await sql
        .raw(`CREATE TRIGGER ${table}_directory_changed AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION core_directory_changed()`)
        .execute(db);
    }
  } else {
    for (const table of TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        await sql
          .raw(`CREATE TRIGGER ${table}_directory_${event.toLowerCase()} AFTER ${event} ON "${table}" BEGIN
                  UPDATE directory_version SET version = version + 1 WHERE name = 'users';
                END`)
          .execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const { postgres } = columnTypes(db);
  if (postgres) await sql`DROP FUNCTION IF EXISTS core_directory_changed() CASCADE`.execute(db);
  else {
    for (const table of TABLES) for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_directory_${event}`).execute(db);
  }
  await db.schema.dropTable('directory_version').execute();
}
