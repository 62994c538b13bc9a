import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * Who changed which role, how and when. Entries outlive the role (no foreign key on roleId) and
 * the actor (set to null when the account is deleted).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('role_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('roleId', 'text', (c) => c.notNull())
    .addColumn('roleName', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', t.json, (c) => c.notNull())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('role_history_role_idx').on('role_history').columns(['roleId', 'createdAt']).execute();
  await db.schema.createIndex('role_createdAt_idx').on('role').columns(['createdAt', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('role_createdAt_idx').execute();
  await db.schema.dropTable('role_history').execute();
}
