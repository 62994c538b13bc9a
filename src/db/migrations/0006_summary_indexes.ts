import type { Kysely } from 'kysely';

/**
 * For the users summary: sign-ins of the last days across all accounts are a range over the first
 * index, and banned accounts a lookup in the second, instead of scans of two large tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('login_history_createdAt_idx').on('login_history').columns(['createdAt', 'success']).execute();
  await db.schema.createIndex('user_banned_idx').on('user').column('banned').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('user_banned_idx').execute();
  await db.schema.dropIndex('login_history_createdAt_idx').execute();
}
