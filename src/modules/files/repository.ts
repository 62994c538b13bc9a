import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Selectable } from 'kysely';
import type { Database, FileTable } from '../../db/schema.js';
import { toIso } from '../../db/values.js';

type Executor = Kysely<Database>;

/** A file row with its timestamps as ISO strings. */
export type FileRecord = Omit<Selectable<FileTable>, 'expiresAt' | 'createdAt' | 'uploadedAt'> & {
  expiresAt: string;
  createdAt: string;
  uploadedAt: string | null;
};

export type NewFile = Omit<FileRecord, 'id' | 'createdAt' | 'uploadedAt' | 'ownerId'> & { ownerId: string };

function toRecord(row: Selectable<FileTable>): FileRecord {
  return {
    ...row,
    size: Number(row.size),
    expiresAt: toIso(row.expiresAt),
    createdAt: toIso(row.createdAt),
    uploadedAt: toIso(row.uploadedAt),
  };
}

export async function insertFile(db: Executor, file: NewFile, now: string): Promise<FileRecord> {
  const row = { id: uuidv7(), ...file, createdAt: now, uploadedAt: file.status === 'UPLOADED' ? now : null };
  await db.insertInto('file').values(row).execute();
  return toRecord(row);
}

export async function findFileByKey(db: Executor, key: string): Promise<FileRecord | null> {
  const row = await db.selectFrom('file').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Marks a pending upload as arrived; false when it was not pending any more (a second PUT, a clean-up). */
export async function markUploaded(db: Executor, key: string, size: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('file')
    .set({ status: 'UPLOADED', size, uploadedAt: now })
    .where('key', '=', key)
    .where('status', '=', 'PENDING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteFileRecord(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('file').where('key', '=', key).execute();
}

export async function expiredPendingUploads(db: Executor, before: string, limit: number): Promise<FileRecord[]> {
  const rows = await db
    .selectFrom('file')
    .selectAll()
    .where('status', '=', 'PENDING')
    .where('expiresAt', '<', before)
    .orderBy('expiresAt')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** Removes the owner's profile-image rows other than `keep`, returning their keys (to delete the bytes after commit). */
export async function removeOtherProfileImages(db: Executor, ownerId: string, keep: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('file')
    .where('ownerId', '=', ownerId)
    .where('purpose', '=', 'profile-image')
    .where('key', '!=', keep)
    .returning('key')
    .execute();
  return rows.map((row) => row.key);
}
