import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';
import { addTableVersions } from './table-versions.js';

/**
 * Letter requests, who is cc'd on them, their history, and the numbering. A letter number comes
 * from letter_sequence (one row per type and year, incremented inside the approving transaction,
 * so a rolled-back approval leaves no gap); the unique constraints make a duplicate impossible
 * even if two instances were ever to compute the same number. The letter table has a version row
 * (the cached totals of the reviewers' list trust it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('letter')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letterType', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('letterContent', 'text')
    .addColumn('beginDate', t.timestamp)
    .addColumn('endDate', t.timestamp)
    .addColumn('attachment', 'text')
    .addColumn('attachmentKey', 'text', (c) => c.references('file.key'))
    .addColumn('isPrinted', t.boolean, (c) => c.notNull())
    .addColumn('applicantId', 'text', (c) => c.notNull().references('user.id'))
    .addColumn('reviewerId', 'text', (c) => c.references('user.id'))
    .addColumn('letterDate', t.timestamp)
    .addColumn('numberYear', 'integer')
    .addColumn('sequence', 'integer')
    .addColumn('letterNumber', 'text', (c) => c.unique())
    .addColumn('verificationCode', 'text', (c) => c.unique())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('letter_sequence_unique', ['letterType', 'numberYear', 'sequence'])
    .execute();
  // The reviewers' list (newest first, optionally by status or type) and each applicant's own.
  await db.schema.createIndex('letter_created_idx').on('letter').columns(['createdAt', 'id']).execute();
  await db.schema.createIndex('letter_status_created_idx').on('letter').columns(['status', 'createdAt', 'id']).execute();
  await db.schema.createIndex('letter_type_created_idx').on('letter').columns(['letterType', 'createdAt', 'id']).execute();
  await db.schema.createIndex('letter_applicant_created_idx').on('letter').columns(['applicantId', 'createdAt', 'id']).execute();
  await db.schema.createIndex('letter_attachment_idx').on('letter').column('attachmentKey').execute();

  await db.schema
    .createTable('letter_cc')
    .addColumn('letterId', 'text', (c) => c.notNull().references('letter.id').onDelete('cascade'))
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('letter_cc_pk', ['letterId', 'userId'])
    .execute();
  await db.schema.createIndex('letter_cc_user_idx').on('letter_cc').columns(['userId', 'letterId']).execute();

  await db.schema
    .createTable('letter_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letterId', 'text', (c) => c.notNull().references('letter.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actorId', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('actorName', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('fromStatus', 'text')
    .addColumn('toStatus', 'text', (c) => c.notNull())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('letter_history_letter_idx').on('letter_history').columns(['letterId', 'createdAt']).execute();

  await db.schema
    .createTable('letter_sequence')
    .addColumn('letterType', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('lastNumber', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_sequence_pk', ['letterType', 'year'])
    .execute();

  await addTableVersions(db, ['letter']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('directory_version').where('name', '=', 'letter').execute();
  await db.schema.dropTable('letter_sequence').execute();
  await db.schema.dropTable('letter_history').execute();
  await db.schema.dropTable('letter_cc').execute();
  await db.schema.dropTable('letter').execute();
}
