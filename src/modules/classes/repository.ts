import { v7 as uuidv7 } from 'uuid';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readRows } from '../../db/prepared.js';
import { toCount, toIso } from '../../db/values.js';
import { searchColumns, type SortField } from '../../http/list.js';

type Executor = Kysely<Database>;

export interface ClassRecord {
  id: string;
  name: string;
  gradeLevel: number;
  academicYear: string;
  homeroomTeacher: { id: string; userId: string; name: string; email: string } | null;
  studentCount: number;
  maleCount: number;
  femaleCount: number;
  copiedFromId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ClassSort = 'name' | 'gradeLevel' | 'academicYear' | 'createdAt';

export interface ClassFilters {
  academicYear?: string | undefined;
  gradeLevel?: number | undefined;
  homeroomTeacherId?: string | undefined;
  search?: string | undefined;
}

function selectClasses(db: Executor) {
  return db
    .selectFrom('class')
    .leftJoin('teacher', 'teacher.id', 'class.homeroomTeacherId')
    .leftJoin('user', 'user.id', 'teacher.userId')
    .select([
      'class.id', 'class.name', 'class.gradeLevel', 'class.academicYear', 'class.homeroomTeacherId', 'class.copiedFromId',
      'class.createdAt', 'class.updatedAt', 'teacher.userId as teacherUserId', 'teacher.name as teacherName', 'user.email as teacherEmail',
    ]);
}

type ClassRow = Awaited<ReturnType<ReturnType<typeof selectClasses>['execute']>>[number];

/** Students, boys and girls of each class: live students only (a deleted one has left the class lists). */
async function countsOf(db: Executor, classIds: string[]) {
  const counts = new Map<string, { studentCount: number; maleCount: number; femaleCount: number }>();
  if (classIds.length === 0) return counts;
  const rows = await readRows(
    db,
    db
      .selectFrom('class_student')
      .innerJoin('student', 'student.id', 'class_student.studentId')
      .select(['class_student.classId', 'student.gender', (eb) => eb.fn.countAll().as('n')])
      .where('class_student.classId', 'in', classIds)
      .where('student.deletedAt', 'is', null)
      .groupBy(['class_student.classId', 'student.gender']),
  );
  for (const row of rows) {
    const entry = counts.get(row.classId) ?? { studentCount: 0, maleCount: 0, femaleCount: 0 };
    const n = toCount(row.n as number);
    entry.studentCount += n;
    if (row.gender === 'MALE') entry.maleCount += n;
    if (row.gender === 'FEMALE') entry.femaleCount += n;
    counts.set(row.classId, entry);
  }
  return counts;
}

async function toRecords(db: Executor, rows: ClassRow[]): Promise<ClassRecord[]> {
  const counts = await countsOf(db, rows.map((r) => r.id));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    gradeLevel: Number(row.gradeLevel),
    academicYear: row.academicYear,
    homeroomTeacher:
      row.homeroomTeacherId && row.teacherUserId
        ? { id: row.homeroomTeacherId, userId: row.teacherUserId, name: row.teacherName ?? '', email: row.teacherEmail ?? '' }
        : null,
    ...(counts.get(row.id) ?? { studentCount: 0, maleCount: 0, femaleCount: 0 }),
    copiedFromId: row.copiedFromId,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  }));
}

export async function findClass(db: Executor, id: string): Promise<ClassRecord | undefined> {
  const row = await selectClasses(db).where('class.id', '=', id).executeTakeFirst();
  return row ? (await toRecords(db, [row]))[0] : undefined;
}

export async function listClasses(
  db: Executor,
  filters: ClassFilters,
  page: { offset: number; limit: number; sort: SortField<ClassSort>[] },
): Promise<{ items: ClassRecord[]; total: number }> {
  let base = db.selectFrom('class');
  if (filters.academicYear) base = base.where('class.academicYear', '=', filters.academicYear);
  if (filters.gradeLevel !== undefined) base = base.where('class.gradeLevel', '=', filters.gradeLevel);
  if (filters.homeroomTeacherId) base = base.where('class.homeroomTeacherId', '=', filters.homeroomTeacherId);
  const search = filters.search;
  if (search) base = base.where((eb) => searchColumns(eb, [eb.ref('class.name')], search));
  const [countRow] = await readRows(db, base.select((eb) => eb.fn.countAll().as('total')));
  const total = toCount(countRow?.total as number);
  if (total === 0 || page.offset >= total) return { items: [], total };
  const order = [...page.sort, { field: 'id' as const, direction: 'asc' as const }];
  const ids = order.reduce((q, s) => q.orderBy(`class.${s.field}`, s.direction), base.select('class.id')).offset(page.offset).limit(page.limit);
  const rows = await order.reduce((q, s) => q.orderBy(`class.${s.field}`, s.direction), selectClasses(db).where('class.id', 'in', ids)).execute();
  return { total, items: await toRecords(db, rows) };
}

export async function classNameTaken(db: Executor, academicYear: string, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('class').select('id').where('academicYear', '=', academicYear).where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertClass(
  db: Executor,
  values: { name: string; gradeLevel: number; academicYear: string; homeroomTeacherId: string | null; copiedFromId?: string | null },
): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await db
    .insertInto('class')
    .values({ id, ...values, copiedFromId: values.copiedFromId ?? null, createdAt: now, updatedAt: now })
    .execute();
  return id;
}

export async function updateClassRow(
  db: Executor,
  id: string,
  patch: Partial<{ name: string; gradeLevel: number; academicYear: string; homeroomTeacherId: string | null }>,
): Promise<void> {
  await db.updateTable('class').set({ ...patch, updatedAt: new Date().toISOString() }).where('id', '=', id).execute();
  // The enrolments carry the class's year, for the one-class-per-year rule.
  if (patch.academicYear) await db.updateTable('class_student').set({ academicYear: patch.academicYear }).where('classId', '=', id).execute();
}

export async function deleteClassRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('class').where('id', '=', id).execute();
}

/** A live teacher record with that id exists. */
export async function teacherExists(db: Executor, teacherId: string): Promise<boolean> {
  const row = await db.selectFrom('teacher').select('id').where('id', '=', teacherId).where('deletedAt', 'is', null).executeTakeFirst();
  return row !== undefined;
}

export async function countEnrolments(db: Executor, classId: string): Promise<number> {
  const row = await db.selectFrom('class_student').select((eb) => eb.fn.countAll().as('n')).where('classId', '=', classId).executeTakeFirstOrThrow();
  return toCount(row.n as number);
}

export async function deleteEnrolments(db: Executor, classId: string, studentIds?: string[]): Promise<number> {
  let query = db.deleteFrom('class_student').where('classId', '=', classId);
  if (studentIds) query = query.where('studentId', 'in', studentIds);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/** Which of these students exist as live records. */
export async function liveStudentIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('student').select('id').where('id', 'in', ids).where('deletedAt', 'is', null).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The class each of these students has in an academic year (student → class, with the student's
 * name for messages): a student record's current class, and the one-class-per-year checks.
 */
export async function placementsIn(db: Executor, academicYear: string, studentIds: string[]) {
  const placements = new Map<string, { classId: string; className: string; studentName: string }>();
  if (studentIds.length === 0) return placements;
  const rows = await readRows(
    db,
    db
      .selectFrom('class_student')
      .innerJoin('class', 'class.id', 'class_student.classId')
      .innerJoin('student', 'student.id', 'class_student.studentId')
      .select(['class_student.studentId', 'class.id', 'class.name', 'student.name as studentName'])
      .where('class_student.academicYear', '=', academicYear)
      .where('class_student.studentId', 'in', studentIds),
  );
  for (const r of rows) placements.set(r.studentId, { classId: r.id, className: r.name, studentName: r.studentName });
  return placements;
}

export async function insertEnrolments(db: Executor, classId: string, academicYear: string, studentIds: string[]): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < studentIds.length; i += 500) {
    await db
      .insertInto('class_student')
      .values(studentIds.slice(i, i + 500).map((studentId) => ({ classId, studentId, academicYear, createdAt: now })))
      .execute();
  }
}

/** The live students of a class (the ids), optionally only those with a status. */
export async function studentIdsOfClass(db: Executor, classId: string, status?: string): Promise<string[]> {
  let query = db
    .selectFrom('class_student')
    .innerJoin('student', 'student.id', 'class_student.studentId')
    .select('student.id')
    .where('class_student.classId', '=', classId)
    .where('student.deletedAt', 'is', null);
  if (status) query = query.where('student.status', '=', status);
  // Ordered by the enrolment's key: ordering by name would lead the planner to walk the whole
  // students-by-name index (50,000 rows) looking for the class's forty.
  return (await query.orderBy('class_student.studentId').execute()).map((r) => r.id);
}

export interface ClassMember {
  id: string;
  userId: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  nisn: string | null;
  nipd: string | null;
  status: 'ACTIVE' | 'GRADUATED' | 'TRANSFERRED' | 'DROPPED_OUT';
  enrolledAt: string;
}

export async function listClassMembers(
  db: Executor,
  classId: string,
  filters: { search?: string | undefined },
  page: { offset: number; limit: number; sort: SortField<'name' | 'nisn' | 'enrolledAt'>[] },
): Promise<{ items: ClassMember[]; total: number }> {
  let base = db
    .selectFrom('class_student')
    .innerJoin('student', 'student.id', 'class_student.studentId')
    .where('class_student.classId', '=', classId)
    .where('student.deletedAt', 'is', null);
  const search = filters.search;
  if (search) base = base.where((eb) => searchColumns(eb, [eb.ref('student.name'), eb.ref('student.nisn'), eb.ref('student.nipd')], search));
  const [countRow] = await readRows(db, base.select((eb) => eb.fn.countAll().as('total')));
  const total = toCount(countRow?.total as number);
  if (total === 0 || page.offset >= total) return { items: [], total };
  const column = { name: 'student.name', nisn: 'student.nisn', enrolledAt: 'class_student.createdAt' } as const;
  const rows = await [...page.sort, { field: 'id' as const, direction: 'asc' as const }]
    .reduce(
      (q, s) => q.orderBy(s.field === 'id' ? 'student.id' : column[s.field], s.direction),
      base.select(['student.id', 'student.userId', 'student.name', 'student.gender', 'student.nisn', 'student.nipd', 'student.status', 'class_student.createdAt']),
    )
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id, userId: r.userId, name: r.name, gender: r.gender as ClassMember['gender'], nisn: r.nisn, nipd: r.nipd,
      status: r.status as ClassMember['status'], enrolledAt: toIso(r.createdAt),
    })),
  };
}

/** Every class of an academic year with its live students of a status (for the rollover). */
export async function classesOfYear(db: Executor, academicYear: string) {
  return db
    .selectFrom('class')
    .select(['id', 'name', 'gradeLevel', 'homeroomTeacherId'])
    .where('academicYear', '=', academicYear)
    .orderBy('gradeLevel')
    .orderBy('name')
    .execute();
}

export async function setStudentsStatus(db: Executor, studentIds: string[], status: string): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < studentIds.length; i += 500) {
    await db.updateTable('student').set({ status, updatedAt: now }).where('id', 'in', studentIds.slice(i, i + 500)).execute();
  }
}
