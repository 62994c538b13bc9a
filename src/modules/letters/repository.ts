import { v7 as uuidv7 } from 'uuid';
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Database, UserTable, LetterHistoryTable, LetterStatusValue, LetterTable, LetterTypeValue } from '../../db/schema.js';
import { readRows } from '../../db/prepared.js';
import { toBool, toCount, toIso } from '../../db/values.js';
import { searchColumns, type SortField } from '../../http/list.js';
import type { ApplicantDetails } from './content.js';

type Executor = Kysely<Database>;

export interface Party {
  id: string;
  name: string;
  email: string;
}

export interface LetterRecord {
  id: string;
  letterNumber: string | null;
  letterType: LetterTypeValue;
  status: LetterStatusValue;
  subject: string;
  reason: string | null;
  letterContent: string | null;
  letterDate: string | null;
  beginDate: string | null;
  endDate: string | null;
  cc: string[];
  attachment: string | null;
  isPrinted: boolean;
  applicant: Party;
  reviewer: Party | null;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryEntry {
  action: LetterHistoryTable['action'];
  actor: { id: string | null; name: string };
  note: string | null;
  fromStatus: LetterStatusValue | null;
  toStatus: LetterStatusValue;
  createdAt: string;
}

/** Who sees which letters: everyone (reviewers), or the letters a user applied for or is cc'd on. */
export type Scope = { all: true } | { all: false; userId: string };

export type LetterSort = 'createdAt' | 'letterDate' | 'subject';

export interface LetterFilters {
  status?: LetterStatusValue | undefined;
  letterType?: LetterTypeValue | undefined;
  /** createdAt bounds: from inclusive, to exclusive (ISO instants). */
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
  /** Only letters this user applied for (GET /api/users/:userId/letters). */
  applicantId?: string | undefined;
}

function selectLetters(db: Executor) {
  return db
    .selectFrom('letter')
    .innerJoin('user as applicant', 'applicant.id', 'letter.applicantId')
    .leftJoin('user as reviewer', 'reviewer.id', 'letter.reviewerId')
    .selectAll('letter')
    .select([
      'applicant.name as applicantName', 'applicant.email as applicantEmail',
      'reviewer.name as reviewerName', 'reviewer.email as reviewerEmail',
    ]);
}

type LetterRow = Selectable<LetterTable> & { applicantName: string; applicantEmail: string; reviewerName: string | null; reviewerEmail: string | null };

function toRecord(row: LetterRow, cc: string[]): LetterRecord {
  return {
    id: row.id,
    letterNumber: row.letterNumber,
    letterType: row.letterType,
    status: row.status,
    subject: row.subject,
    reason: row.reason,
    letterContent: row.letterContent,
    letterDate: toIso(row.letterDate),
    beginDate: toIso(row.beginDate),
    endDate: toIso(row.endDate),
    cc,
    attachment: row.attachment,
    isPrinted: toBool(row.isPrinted),
    applicant: { id: row.applicantId, name: row.applicantName, email: row.applicantEmail },
    reviewer: row.reviewerId ? { id: row.reviewerId, name: row.reviewerName ?? '', email: row.reviewerEmail ?? '' } : null,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}

async function ccOf(db: Executor, letterIds: string[]): Promise<Map<string, string[]>> {
  const byLetter = new Map<string, string[]>();
  if (letterIds.length === 0) return byLetter;
  const rows = await readRows(db, db.selectFrom('letter_cc').select(['letterId', 'userId']).where('letterId', 'in', letterIds).orderBy('userId'));
  for (const row of rows) byLetter.set(row.letterId, [...(byLetter.get(row.letterId) ?? []), row.userId]);
  return byLetter;
}

/**
 * Letters this user applied for or is cc'd on. Written as one set of ids from two index lookups
 * (rather than an OR, which would have both engines test every letter).
 */
function visibleTo(userId: string) {
  return (eb: ExpressionBuilder<Database, 'letter'>) =>
    eb(
      'letter.id',
      'in',
      eb
        .selectFrom('letter as own')
        .select('own.id')
        .where('own.applicantId', '=', userId)
        .union(eb.selectFrom('letter_cc').select('letter_cc.letterId as id').where('letter_cc.userId', '=', userId)),
    );
}

/** The letters matching: on the letter table alone, so counting them joins nothing. */
function matching(db: Executor, scope: Scope, filters: LetterFilters) {
  return db
    .selectFrom('letter')
    .$if(!scope.all, (q) => q.where(visibleTo((scope as { userId: string }).userId)))
    .$if(filters.status !== undefined, (q) => q.where('letter.status', '=', filters.status!))
    .$if(filters.letterType !== undefined, (q) => q.where('letter.letterType', '=', filters.letterType!))
    .$if(filters.from !== undefined, (q) => q.where('letter.createdAt', '>=', filters.from!))
    .$if(filters.to !== undefined, (q) => q.where('letter.createdAt', '<', filters.to!))
    .$if(filters.applicantId !== undefined, (q) => q.where('letter.applicantId', '=', filters.applicantId!))
    .$if(Boolean(filters.search), (q) => q.where((eb) => searchColumns(eb, [eb.ref('letter.subject'), eb.ref('letter.letterNumber')], filters.search!)));
}

export async function countLetters(db: Executor, scope: Scope, filters: LetterFilters): Promise<number> {
  const [row] = await readRows(db, matching(db, scope, filters).select((eb) => eb.fn.countAll<number>().as('count')));
  return toCount(row!.count);
}

export async function listLetters(db: Executor, scope: Scope, filters: LetterFilters, sort: SortField<LetterSort>[], limit: number, offset: number): Promise<LetterRecord[]> {
  let page = matching(db, scope, filters).select('letter.id');
  for (const { field, direction } of sort) page = page.orderBy(`letter.${field}`, direction);
  page = page.orderBy('letter.id', sort[0]?.direction ?? 'desc').limit(limit).offset(offset);
  // The page's ids first (an index walk), then the twenty rows with their people.
  let query = selectLetters(db).where('letter.id', 'in', page);
  for (const { field, direction } of sort) query = query.orderBy(`letter.${field}`, direction);
  const rows = await readRows(db, query.orderBy('letter.id', sort[0]?.direction ?? 'desc'));
  const cc = await ccOf(db, rows.map((r) => r.id));
  return rows.map((row) => toRecord(row, cc.get(row.id) ?? []));
}

export async function findLetter(db: Executor, id: string): Promise<LetterRecord | undefined> {
  const row = await selectLetters(db).where('letter.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return toRecord(row, (await ccOf(db, [id])).get(id) ?? []);
}

/** The fields the verification page and the document need beyond the record. */
export async function letterExtras(db: Executor, id: string) {
  return db.selectFrom('letter').select(['verificationCode', 'numberYear', 'sequence']).where('id', '=', id).executeTakeFirst();
}

export async function findLetterByCode(db: Executor, code: string) {
  return selectLetters(db).where('letter.verificationCode', '=', code).executeTakeFirst();
}

export async function letterHistory(db: Executor, id: string): Promise<HistoryEntry[]> {
  const rows = await db.selectFrom('letter_history').selectAll().where('letterId', '=', id).orderBy('createdAt').orderBy('id').execute();
  return rows.map((r) => ({
    action: r.action,
    actor: { id: r.actorId, name: r.actorName },
    note: r.note,
    fromStatus: r.fromStatus,
    toStatus: r.toStatus,
    createdAt: toIso(r.createdAt),
  }));
}

export async function isVisibleTo(db: Executor, letterId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('letter')
    .select('letter.id')
    .where('letter.id', '=', letterId)
    .where(visibleTo(userId))
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a stored file is the attachment of a letter this user may see (or of any letter, for reviewers). */
export async function attachmentVisibleTo(db: Executor, key: string, scope: Scope): Promise<boolean> {
  const row = await db
    .selectFrom('letter')
    .select('letter.id')
    .where('letter.attachmentKey', '=', key)
    .$if(!scope.all, (q) => q.where(visibleTo((scope as { userId: string }).userId)))
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewLetter {
  letterType: LetterTypeValue;
  subject: string;
  reason: string | null;
  beginDate: string | null;
  endDate: string | null;
  attachment: string | null;
  attachmentKey: string | null;
  isPrinted: boolean;
  applicantId: string;
}

export async function insertLetter(db: Executor, letter: NewLetter, cc: string[], now: string): Promise<string> {
  const id = uuidv7();
  await db
    .insertInto('letter')
    .values({
      id, ...letter, status: 'PENDING', letterContent: null, reviewerId: null, letterDate: null, numberYear: null, sequence: null,
      letterNumber: null, verificationCode: null, createdAt: now, updatedAt: now,
    })
    .execute();
  if (cc.length > 0) await db.insertInto('letter_cc').values(cc.map((userId) => ({ letterId: id, userId }))).execute();
  return id;
}

export async function insertHistory(
  db: Executor,
  entry: { letterId: string; action: LetterHistoryTable['action']; actor: { id: string; name: string }; note: string | null; fromStatus: LetterStatusValue | null; toStatus: LetterStatusValue },
  now: string,
): Promise<void> {
  await db
    .insertInto('letter_history')
    .values({
      id: uuidv7(), letterId: entry.letterId, action: entry.action, actorId: entry.actor.id, actorName: entry.actor.name,
      note: entry.note, fromStatus: entry.fromStatus, toStatus: entry.toStatus, createdAt: now,
    })
    .execute();
}

/**
 * Moves a PENDING letter to another status. The condition on the status makes the move happen at
 * most once however many reviewers click at the same moment; false when the letter was no longer PENDING.
 */
export async function leavePending(
  db: Executor,
  id: string,
  set: { status: LetterStatusValue; reviewerId?: string; letterDate?: string; updatedAt: string },
): Promise<boolean> {
  const result = await db.updateTable('letter').set(set).where('id', '=', id).where('status', '=', 'PENDING').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setLetterNumber(
  db: Executor,
  id: string,
  values: { numberYear: number; sequence: number; letterNumber: string; verificationCode: string; letterContent: string },
): Promise<void> {
  await db.updateTable('letter').set(values).where('id', '=', id).execute();
}

export async function existingUserIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('user').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Name, numbers and the class of the academic year, from the applicant's student or teacher record. */
export async function applicantDetails(db: Executor, userId: string, academicYear: string): Promise<ApplicantDetails> {
  const student = await db
    .selectFrom('student')
    .leftJoin('class_student', (join) => join.onRef('class_student.studentId', '=', 'student.id').on('class_student.academicYear', '=', academicYear))
    .leftJoin('class', 'class.id', 'class_student.classId')
    .select(['student.name', 'student.nisn', 'student.birthPlace', 'student.birthDate', 'class.name as className'])
    .where('student.userId', '=', userId)
    .executeTakeFirst();
  if (student) return { ...student, nip: null };
  const teacher = await db.selectFrom('teacher').select(['name', 'nip']).where('userId', '=', userId).executeTakeFirst();
  const user = await db.selectFrom('user').select('name').where('id', '=', userId).executeTakeFirstOrThrow();
  return { name: teacher?.name ?? user.name, nip: teacher?.nip ?? null, nisn: null, className: null, birthPlace: null, birthDate: null };
}

export interface Recipient {
  id: string;
  name: string;
  type: UserTable['type'];
  image: string | null;
  canReview: boolean;
}

export interface RecipientFilters {
  search?: string | undefined;
  type?: UserTable['type'] | undefined;
  canReview?: boolean | undefined;
}

function reviewers(eb: ExpressionBuilder<Database, 'user'>) {
  return eb.exists(
    eb
      .selectFrom('user_role')
      .innerJoin('role_permission', 'role_permission.roleId', 'user_role.roleId')
      .select('user_role.userId')
      .whereRef('user_role.userId', '=', 'user.id')
      .where('role_permission.permission', '=', 'letters:review'),
  );
}

function recipientQuery(db: Executor, filters: RecipientFilters) {
  return db
    .selectFrom('user')
    .where('user.banned', '=', false)
    .$if(filters.type !== undefined, (q) => q.where('user.type', '=', filters.type!))
    .$if(filters.canReview === true, (q) => q.where(reviewers))
    .$if(filters.canReview === false, (q) => q.where((eb) => eb.not(reviewers(eb))))
    .$if(Boolean(filters.search), (q) => q.where((eb) => searchColumns(eb, [eb.ref('user.name')], filters.search!)));
}

export async function listRecipients(
  db: Executor,
  filters: RecipientFilters,
  limit: number,
  offset: number,
): Promise<{ items: Recipient[]; total: number }> {
  const total = toCount((await recipientQuery(db, filters).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);
  const rows = await recipientQuery(db, filters)
    .select(['user.id', 'user.name', 'user.type', 'user.image'])
    .select((eb) => reviewers(eb).as('canReview'))
    .orderBy('user.name')
    .orderBy('user.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: rows.map((r) => ({ ...r, canReview: toBool(r.canReview as number | boolean) })), total };
}
