import { stringify } from 'csv-stringify/sync';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../../db/index.js';
import { toBool, toCount, toIso } from '../../../db/values.js';
import { AppError } from '../../../http/errors.js';
import { offsetOf, pageMeta } from '../../../http/list.js';
import { formulaSafe } from './template.js';
import type { ImportError, ImportReport } from './service.js';

/** The import history: every import (dry runs too), who ran it, its counts and its error report. */

/** `by` is the signed-in user, or (the command line) no account at all. */
export async function recordImport(db: Db, by: { id: string | null; name: string }, fileName: string, report: ImportReport): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto('student_import')
    .values({
      id, userId: by.id, userName: by.name, fileName: fileName.slice(0, 255), dryRun: report.dryRun, mode: report.mode, committed: report.committed,
      rows: report.rows, created: report.created, updated: report.updated, skipped: report.skipped, failed: report.failed,
      errors: JSON.stringify(report.errors), createdAt: new Date().toISOString(),
    })
    .execute();
  return id;
}

export async function listImports(db: Db, query: { page: number; limit: number }) {
  const total = toCount((await db.selectFrom('student_import').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await db
    .selectFrom('student_import')
    .select(['id', 'userId', 'userName', 'fileName', 'dryRun', 'mode', 'committed', 'rows', 'created', 'updated', 'skipped', 'failed', 'createdAt'])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit)
    .offset(offsetOf(query))
    .execute();
  const items = rows.map((r) => ({
    id: r.id, by: { id: r.userId, name: r.userName }, fileName: r.fileName, dryRun: toBool(r.dryRun), mode: r.mode, committed: toBool(r.committed),
    rows: r.rows, created: r.created, updated: r.updated, skipped: r.skipped, failed: r.failed, createdAt: toIso(r.createdAt),
  }));
  return { items, meta: pageMeta(query, total) };
}

export async function importErrors(db: Db, id: string): Promise<ImportError[]> {
  const row = await db.selectFrom('student_import').select('errors').where('id', '=', id).executeTakeFirst();
  if (!row) throw AppError.notFound('Import');
  return (typeof row.errors === 'string' ? JSON.parse(row.errors) : row.errors) as ImportError[];
}

/** The error report as a CSV the office opens in Excel (UTF-8 with a BOM; cells safe from formulas). */
export function errorsCsv(errors: ImportError[]): Buffer {
  const rows = [['Baris (row)', 'Kolom (column)', 'Kode (code)', 'Pesan (message)'], ...errors.map((e) => [String(e.row), e.column, e.code, e.message].map(formulaSafe))];
  return Buffer.from(`\ufeff${stringify(rows)}`, 'utf8');
}
