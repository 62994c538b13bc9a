import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';

/**
 * One row per stored file: presigned uploads (PENDING until their bytes arrive and pass the checks,
 * then UPLOADED) and profile images. The row is what lets the API say whether a file exists and who
 * owns it without asking the storage. The owner stays null once the account is deleted, so a
 * letter's attachment outlives its applicant's account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('file')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('ownerId', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('fileName', 'text', (c) => c.notNull())
    .addColumn('contentType', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expiresAt', t.timestamp, (c) => c.notNull())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('uploadedAt', t.timestamp)
    .execute();
  // The clean-up's question: which pending uploads have expired?
  await db.schema.createIndex('file_status_expires_idx').on('file').columns(['status', 'expiresAt']).execute();
  await db.schema.createIndex('file_owner_idx').on('file').column('ownerId').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file').execute();
}
