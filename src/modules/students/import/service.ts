import { setImmediate as nextTurn } from 'node:timers/promises';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Type } from '@sinclair/typebox';
import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Config } from '../../../config.js';
import { bulkInsert } from '../../../db/bulk-insert.js';
import { refusingDuplicates, type Db } from '../../../db/index.js';
import type { Database } from '../../../db/schema.js';
import { AppError, type FieldError } from '../../../http/errors.js';
import { validationErrors } from '../../../http/error-handler.js';
import { todayIn } from '../../../school-time.js';
import { currentAcademicYear } from '../../classes/academic-year.js';
import { placementsIn } from '../../classes/repository.js';
import { gradeOfClassName } from '../../classes/service.js';
import { COMMON_COLUMNS, COMMON_JSON_COLUMNS, MERGED_OBJECTS } from '../../people/kind.js';
import { searchRows, toRecord, toRow, updatePersonRow } from '../../people/repository.js';
import { checkBirthDate } from '../../people/rules.js';
import { findRoleIdByName } from '../../roles/repository.js';
import { STUDENT_KIND } from '../kind.js';
import { CreateStudentBody } from '../schemas.js';
import { COLUMNS, type ImportColumn } from './columns.js';
import { CheckedBodies } from './checked-bodies.js';
import { openSheetInWorker } from './read-in-worker.js';

/**
 * Bulk student import: every row goes through the checks of POST /api/students (the same schema
 * and the same rules), duplicates inside the file and against the school are errors (or, with
 * upsert, NISN matches are updates), and nothing is written unless every row passes. Accounts are
 * created without a password (first passwords are a separate, deliberate step).
 */
export interface ImportOptions {
  dryRun: boolean;
  mode: 'create' | 'upsert';
  /** Called as rows are read and written (the command line's progress bar). */
  onProgress?: ((progress: { phase: 'reading' | 'writing'; done: number; total?: number }) => void) | undefined;
}

export interface ImportError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface ImportReport {
  dryRun: boolean;
  mode: 'create' | 'upsert';
  /** Whether anything was written: false for a dry run and whenever a row failed. */
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  /** Blank rows, and (upsert) rows identical to the record already there. */
  skipped: number;
  failed: number;
  errors: ImportError[];
  unknownColumns: string[];
  generatedEmails: { row: number; email: string }[];
  createdClasses: string[];
}

const ROW_SCHEMA = Type.Omit(CreateStudentBody, ['password']);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateRow = ajv.compile(ROW_SCHEMA);

const columnOfField = new Map(COLUMNS.map((c) => [c.field, c]));

/** The column a field error belongs to: `body.father.nik` → "NIK Ayah". */
function columnLabel(field: string): string {
  const path = field.replace(/^body\./, '').replace(/\[\d+\]/g, '');
  if (path.startsWith('address.location')) return 'Lintang/Bujur';
  for (let parts = path.split('.'); parts.length > 0; parts.pop()) {
    const column = columnOfField.get(parts.join('.'));
    if (column) return column.label;
  }
  return path;
}

const pathOf = new Map(COLUMNS.map((c) => [c, c.field.split('.')]));

function setPath(target: Record<string, unknown>, parts: string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) node = (node[parts[i]!] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

interface Candidate {
  row: number;
  body: Record<string, unknown>;
  className: string | null;
  emailGenerated: boolean;
}

/** A row that passed its checks, waiting for the rest of the file: the few values the duplicate checks look at, and where its body is kept. */
interface CheckedRow {
  row: number;
  nisn: string | undefined;
  nik: string | undefined;
  email: string;
  className: string | null;
  emailGenerated: boolean;
  /** Its body in the import's CheckedBodies. */
  body: number;
}

function checkedRow(candidate: Candidate, bodies: CheckedBodies): CheckedRow {
  const { row, body, className, emailGenerated } = candidate;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { row, nisn: text(body.nisn), nik: text(body.nik), email: body.email as string, className, emailGenerated, body: bodies.add(body) };
}

/** A row's cells as a student body; `readable` is false when a cell could not be read (its error is in `errors`). */
function toBody(row: number, cells: Map<ImportColumn, string>, config: Config, errors: ImportError[]): { candidate: Candidate; readable: boolean } {
  const body: Record<string, unknown> = {};
  let className: string | null = null;
  const before = errors.length;
  for (const [column, cell] of cells) {
    if (cell === '') continue;
    // A CSV can carry a NUL past the first 8 KB (the file check looks there); PostgreSQL cannot store
    // one, so the row fails on both engines, as a NUL sent to the API does (http/unstorable-input.ts).
    if (cell.includes('\u0000')) {
      errors.push({ row, column: column.label, code: 'INVALID_CHARACTER', message: 'must not contain a NUL character' });
      continue;
    }
    const parsed = column.parse(cell);
    if ('error' in parsed) {
      errors.push({ row, column: column.label, code: 'INVALID_VALUE', message: `"${cell.slice(0, 60)}" ${parsed.error}` });
      continue;
    }
    // (The cells are the worker's copies, not slices of its XML chunks: keeping one keeps nothing else.)
    if (column.field === 'className') className = parsed.value as string;
    else setPath(body, pathOf.get(column)!, parsed.value);
  }
  const address = body.address as Record<string, unknown> | undefined;
  if (address && ('latitude' in address || 'longitude' in address)) {
    const { latitude, longitude, ...rest } = address;
    if (latitude === undefined || longitude === undefined) {
      errors.push({ row, column: latitude === undefined ? 'Lintang' : 'Bujur', code: 'REQUIRED', message: 'is required when the other coordinate is given' });
    }
    body.address = { ...rest, ...(latitude !== undefined && longitude !== undefined ? { location: { type: 'Point', coordinates: [longitude, latitude] } } : {}) };
  }
  let emailGenerated = false;
  if (typeof body.email === 'string') body.email = body.email.toLowerCase();
  else if (body.nisn || body.nipd) {
    body.email = config.studentImport.emailPattern
      .replace('{nisn}', String(body.nisn ?? ''))
      .replace('{nipd}', String(body.nipd ?? '').toLowerCase())
      .replace('{domain}', config.studentImport.schoolDomain);
    emailGenerated = true;
  } else if (![...cells].some(([column, cell]) => (column.field === 'nisn' || column.field === 'nipd') && cell !== '')) {
    // (A NISN that failed to parse has its own error already.)
    errors.push({ row, column: 'E-Mail', code: 'REQUIRED', message: 'is required when the row has no NISN or NIPD to make one from' });
  }
  return { candidate: { row, body, className, emailGenerated }, readable: errors.length === before };
}

function checkCandidate(candidate: Candidate, today: string, errors: ImportError[]): boolean {
  const found: FieldError[] = [];
  if (!validateRow(candidate.body)) found.push(...validationErrors('body', validateRow.errors as Parameters<typeof validationErrors>[1]));
  else found.push(...checkBirthDate('body.birthDate', candidate.body.birthDate, today), ...(STUDENT_KIND.check?.(candidate.body, today) ?? []));
  for (const error of found) {
    const message = error.code === 'UNKNOWN_FIELD' ? 'is not a column of a student' : error.message;
    errors.push({ row: candidate.row, column: columnLabel(error.field), code: error.code, message });
  }
  return found.length === 0;
}

async function inChunks<T, R>(items: T[], size: number, work: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await work(items.slice(i, i + size))));
  return results;
}

/** Checks and (unless a dry run or a row fails) writes a file of students. `bytes` are handed to the reading thread. */
export async function importStudents(db: Db, config: Config, bytes: Buffer, options: ImportOptions): Promise<ImportReport> {
  const format = bytes.subarray(0, 2).toString('latin1') === 'PK' ? 'xlsx' : 'csv';
  // Anything that is neither a zip (XLSX) nor text: an old .xls, a PDF, an image.
  if (format === 'csv' && bytes.subarray(0, 8192).includes(0)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send an .xlsx workbook or a .csv file.', [
      { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'body.file', message: 'must be an .xlsx or .csv file' },
    ]);
  }
  const sheet = await openSheetInWorker(bytes, format, { maxRows: config.studentImport.maxRows, maxUnpackedBytes: config.studentImport.maxUnpackedBytes, maxEntries: 1000 });
  const today = todayIn(config.timeZone);
  const academicYear = currentAcademicYear(config);
  const classes = new Map((await db.selectFrom('class').select(['id', 'name']).where('academicYear', '=', academicYear).execute()).map((c) => [c.name, c.id]));
  const errors: ImportError[] = [];
  const candidates: CheckedRow[] = [];
  const bodies = new CheckedBodies();
  const failedRows = new Set<number>();
  let rows = 0;
  let blank = 0;
  for await (const { row, cells } of sheet.rows) {
    if ([...cells.values()].every((cell) => cell === '')) {
      blank += 1;
      continue;
    }
    rows += 1;
    const { candidate, readable } = toBody(row, cells, config, errors);
    const valid = readable && checkCandidate(candidate, today, errors);
    if (candidate.className && !classes.has(candidate.className) && gradeOfClassName(candidate.className) === null) {
      errors.push({ row, column: 'Rombel Saat Ini', code: 'UNKNOWN_GRADE', message: `"${candidate.className}" is not a class of ${academicYear}, and its name does not start with its grade (X, XI, XII) to create it` });
      failedRows.add(row);
    } else if (valid) candidates.push(checkedRow(candidate, bodies));
    if (!valid) failedRows.add(row);
    // Thousands of rows must not hold the event loop: other requests go on being answered.
    if (rows % 500 === 0) {
      options.onProgress?.({ phase: 'reading', done: rows });
      await nextTurn();
    }
  }

  // Duplicates inside the file: the first row keeps the value, later ones are errors.
  const seen = { nisn: new Map<string, number>(), nik: new Map<string, number>(), email: new Map<string, number>() };
  const labels = { nisn: 'NISN', nik: 'NIK', email: 'E-Mail' };
  for (const candidate of candidates) {
    for (const field of ['nisn', 'nik', 'email'] as const) {
      const value = candidate[field];
      if (value === undefined) continue;
      const first = seen[field].get(value);
      if (first !== undefined) {
        errors.push({ row: candidate.row, column: labels[field], code: 'DUPLICATE_IN_FILE', message: `"${value}" is also in row ${first}` });
        failedRows.add(candidate.row);
      } else seen[field].set(value, candidate.row);
    }
  }

  // Against the school: NISN, NIK and email already in use (with upsert, a NISN match is the record to update).
  const existing = new Map<string, Record<string, unknown>>();
  for (const row of await inChunks([...seen.nisn.keys()], 500, (chunk) =>
    db.selectFrom('student').innerJoin('user', 'user.id', 'student.userId').selectAll('student').select(['user.email', 'user.image']).where('student.nisn', 'in', chunk).execute(),
  )) existing.set(row.nisn!, toRecord(STUDENT_KIND, row as unknown as Record<string, unknown>));
  const nikOwners = new Map((await inChunks([...seen.nik.keys()], 500, (chunk) => db.selectFrom('student').select(['nik', 'id']).where('nik', 'in', chunk).execute())).map((r) => [r.nik!, r.id]));
  const emailOwners = new Map((await inChunks([...seen.email.keys()], 500, (chunk) => db.selectFrom('user').select(['email', 'id']).where('email', 'in', chunk).execute())).map((r) => [r.email, r.id]));

  // The class each matched student has this year: an upsert naming the same class changes nothing.
  const placed = await placementsIn(db, academicYear, [...existing.values()].map((r) => r.id as string));
  const creations: CheckedRow[] = [];
  const updates: { candidate: CheckedRow; record: Record<string, unknown> }[] = [];
  let unchanged = 0;
  for (const candidate of candidates) {
    if (failedRows.has(candidate.row)) continue;
    const match = candidate.nisn !== undefined ? existing.get(candidate.nisn) : undefined;
    const refuse = (column: string, message: string) => {
      errors.push({ row: candidate.row, column, code: 'DUPLICATE', message });
      failedRows.add(candidate.row);
    };
    if (match && options.mode === 'create') refuse('NISN', 'is already used by another student (import with upsert to update it)');
    const nikOwner = candidate.nik !== undefined ? nikOwners.get(candidate.nik) : undefined;
    if (nikOwner && nikOwner !== match?.id) refuse('NIK', 'is already used by another student');
    const emailOwner = emailOwners.get(candidate.email);
    if (emailOwner && emailOwner !== match?.userId) refuse('E-Mail', 'is already used by another account');
    if (failedRows.has(candidate.row)) continue;
    if (!match) {
      creations.push(candidate);
      continue;
    }
    const merged: Record<string, unknown> = { ...match };
    for (const [field, value] of Object.entries(bodies.get(candidate.body))) {
      merged[field] = MERGED_OBJECTS.has(field) && match[field] && value ? { ...(match[field] as object), ...(value as object) } : value;
    }
    if (candidate.emailGenerated) merged.email = match.email;
    const same = JSON.stringify(toRow(STUDENT_KIND, merged)) === JSON.stringify(toRow(STUDENT_KIND, match)) && merged.email === match.email;
    const sameClass = !candidate.className || placed.get(match.id as string)?.className === candidate.className;
    if (same && sameClass) unchanged += 1;
    else updates.push({ candidate: sameClass ? { ...candidate, className: null } : candidate, record: merged });
  }

  errors.sort((a, b) => a.row - b.row);
  const report: ImportReport = {
    dryRun: options.dryRun,
    mode: options.mode,
    committed: false,
    rows,
    created: creations.length,
    updated: updates.length,
    skipped: blank + unchanged,
    failed: failedRows.size,
    errors,
    unknownColumns: sheet.unknownColumns,
    generatedEmails: [...creations, ...updates.map((u) => u.candidate)].filter((c) => c.emailGenerated && !(c.nisn !== undefined && existing.has(c.nisn))).map((c) => ({ row: c.row, email: c.email })),
    createdClasses: [],
  };

  const classNames = [...new Set([...creations, ...updates.map((u) => u.candidate)].map((c) => c.className).filter((n): n is string => n !== null))];
  report.createdClasses = classNames.filter((name) => !classes.has(name));
  report.failed = failedRows.size;
  if (report.failed > 0) {
    report.created = 0;
    report.updated = 0;
  }
  if (options.dryRun || report.failed > 0) return report;

  await refusingDuplicates(
    () => db.transaction().execute((trx) => writeImport(trx, { creations, bodies, updates, academicYear, classes, newClasses: report.createdClasses }, options.onProgress)),
    () => AppError.conflict('Another change took one of these NISN, NIK or email addresses while the file was being read. Import it again.'),
  );
  report.committed = true;
  return report;
}

// Every column an imported row fills (a value the row does not give is NULL).
const USER_COLUMNS = ['id', 'name', 'email', 'emailVerified', 'image', 'type', 'banned', 'banReason', 'secondaryEmail', 'mustChangePassword', 'createdAt', 'updatedAt'];
const STUDENT_COLUMNS = [
  ...COMMON_COLUMNS, ...STUDENT_KIND.columns, ...COMMON_JSON_COLUMNS, ...STUDENT_KIND.jsonColumns, ...Object.keys(STUDENT_KIND.derivedColumns?.({}) ?? {}),
  'id', 'userId', 'deletedAt', 'createdAt', 'updatedAt',
];
const SEARCH_COLUMNS = ['token', 'personId', 'kind'];

async function writeImport(
  trx: Kysely<Database>,
  plan: {
    creations: CheckedRow[];
    bodies: CheckedBodies;
    updates: { candidate: CheckedRow; record: Record<string, unknown> }[];
    academicYear: string;
    classes: Map<string, string>;
    newClasses: string[];
  },
  onProgress: ImportOptions['onProgress'],
): Promise<void> {
  const total = plan.creations.length + plan.updates.length;
  const now = new Date().toISOString();
  for (const name of plan.newClasses) {
    const id = uuidv7();
    await trx.insertInto('class').values({ id, name, gradeLevel: gradeOfClassName(name)!, academicYear: plan.academicYear, homeroomTeacherId: null, copiedFromId: null, createdAt: now, updatedAt: now }).execute();
    plan.classes.set(name, id);
  }
  const roleId = (await findRoleIdByName(trx, 'student'))!;
  const placements: { studentId: string; classId: string }[] = [];
  const untypedTrx = trx as unknown as Kysely<any>;
  const insertUsers = bulkInsert(untypedTrx, 'user', USER_COLUMNS);
  const insertRoles = bulkInsert(untypedTrx, 'user_role', ['userId', 'roleId', 'createdAt']);
  const insertStudents = bulkInsert(untypedTrx, 'student', STUDENT_COLUMNS);
  const insertTokens = bulkInsert(untypedTrx, 'person_search', SEARCH_COLUMNS);
  // Records are made from their JSON a chunk at a time, so only one chunk's objects exist at once.
  for (let i = 0; i < plan.creations.length; i += 300) {
    const chunk = plan.creations.slice(i, i + 300).map((candidate) => {
      const { email, ...record } = plan.bodies.get(candidate.body);
      const userId = uuidv7();
      const studentId = uuidv7();
      if (candidate.className) placements.push({ studentId, classId: plan.classes.get(candidate.className)! });
      return { record: { ...STUDENT_KIND.defaults, ...record }, email: email as string, userId, studentId };
    });
    await insertUsers(chunk.map((p) => ({
      id: p.userId, name: p.record.name, email: p.email, emailVerified: false, image: null, type: 'STUDENT', banned: false,
      banReason: null, secondaryEmail: null, mustChangePassword: false, createdAt: now, updatedAt: now,
    })));
    await insertRoles(chunk.map((p) => ({ userId: p.userId, roleId, createdAt: now })));
    await insertStudents(chunk.map((p) => ({ ...toRow(STUDENT_KIND, p.record), id: p.studentId, userId: p.userId, deletedAt: null, createdAt: now, updatedAt: now })));
    const tokens = chunk.flatMap((p) => searchRows(STUDENT_KIND, p.studentId, p.record));
    for (let j = 0; j < tokens.length; j += 1000) await insertTokens(tokens.slice(j, j + 1000) as unknown as Record<string, unknown>[]);
    onProgress?.({ phase: 'writing', done: i + chunk.length, total });
    // Let requests that need no write be answered between chunks.
    await nextTurn();
  }
  for (const { candidate, record } of plan.updates) {
    const { email, ...fields } = record;
    await updatePersonRow(trx, STUDENT_KIND, record.id as string, fields);
    await trx.updateTable('user').set({ name: record.name as string, email: email as string, updatedAt: now }).where('id', '=', record.userId as string).execute();
    if (candidate.className) placements.push({ studentId: record.id as string, classId: plan.classes.get(candidate.className)! });
  }
  if (plan.updates.length > 0) onProgress?.({ phase: 'writing', done: total, total });
  // A student's class of the year is the one in the file: earlier placements that year give way.
  const moved = plan.updates.filter((u) => u.candidate.className).map((u) => u.record.id as string);
  for (let i = 0; i < moved.length; i += 500) {
    await trx.deleteFrom('class_student').where('academicYear', '=', plan.academicYear).where('studentId', 'in', moved.slice(i, i + 500)).execute();
  }
  for (let i = 0; i < placements.length; i += 500) {
    await trx.insertInto('class_student').values(placements.slice(i, i + 500).map((p) => ({ ...p, academicYear: plan.academicYear, createdAt: now }))).execute();
  }
}

