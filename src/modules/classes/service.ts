import type { Config } from '../../config.js';
import { refusingDuplicates, type Db } from '../../db/index.js';
import { AppError, type FieldError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { currentAcademicYear, isAcademicYear, nextAcademicYear } from './academic-year.js';
import {
  classesOfYear, classNameTaken, countEnrolments, deleteClassRow, deleteEnrolments, findClass, insertClass, insertEnrolments,
  listClasses, listClassMembers, liveStudentIds, placementsIn, setStudentsStatus, studentIdsOfClass, teacherExists, updateClassRow,
  type ClassFilters, type ClassRecord, type ClassSort,
} from './repository.js';

/**
 * Classes across academic years: enrolment (one class per student per year), copying a class
 * into another year, and the whole-school rollover.
 */

function nameTaken(field = 'body.name'): AppError {
  return AppError.conflict('A class with this name already exists in that academic year.', [
    { code: 'DUPLICATE', field, message: 'is already used by another class of the academic year' },
  ]);
}

function checkAcademicYear(value: string | undefined, field: string): FieldError[] {
  return value !== undefined && !isAcademicYear(value)
    ? [{ code: 'INVALID_VALUE', field, message: 'must be two consecutive years, e.g. 2026/2027' }]
    : [];
}

async function checkHomeroom(db: Db, teacherId: string | null | undefined, field = 'body.homeroomTeacherId'): Promise<FieldError[]> {
  if (!teacherId) return [];
  return (await teacherExists(db, teacherId)) ? [] : [{ code: 'NOT_FOUND', field, message: 'is not a teacher' }];
}

function refuse(errors: FieldError[]): void {
  if (errors.length > 0) throw AppError.validation(errors);
}

async function requireClass(db: Db, id: string): Promise<ClassRecord> {
  const found = await findClass(db, id);
  if (!found) throw AppError.notFound('Class');
  return found;
}

/** The grade a class name starts with, in roman or arabic numerals: `XI IPA 2`, `12-3`. */
const GRADE_PREFIX = /^(XII|XI|X|10|11|12)(?=$|[\s\-./])/i;
const ROMAN_GRADES: Record<string, number> = { X: 10, XI: 11, XII: 12 };

/** `XI-1` → 11, `12 IPA 2` → 12; null when the name does not start with a grade. */
export function gradeOfClassName(name: string): number | null {
  const match = GRADE_PREFIX.exec(name);
  if (!match) return null;
  return ROMAN_GRADES[match[1]!.toUpperCase()] ?? Number(match[1]);
}

/** `X-1` → `XI-1`, `11 IPA 2` → `12 IPA 2`: the grade at the start of a name follows the new grade. */
export function nameForGrade(name: string, gradeLevel: number): string {
  const roman: Record<number, string> = { 10: 'X', 11: 'XI', 12: 'XII' };
  const match = GRADE_PREFIX.exec(name);
  if (!match) return name;
  const replacement = /^\d/.test(match[1]!) ? String(gradeLevel) : roman[gradeLevel]!;
  return replacement + name.slice(match[1]!.length);
}

/** "These students are already in a class of that year", naming each. */
function alreadyPlaced(placed: [string, { className: string; studentName: string }][], academicYear: string): AppError {
  return AppError.conflict(
    `${placed.length} student(s) already have a class in ${academicYear}.`,
    placed.map(([studentId, p]) => ({ code: 'ALREADY_ENROLLED', field: 'body.studentIds', message: `${p.studentName} (${studentId}) is already in ${p.className}` })),
  );
}

/** Refuses (409) when any of these students already has a class in that year. */
async function refusePlaced(db: Db, academicYear: string, studentIds: string[]): Promise<void> {
  const placed = [...(await placementsIn(db, academicYear, studentIds))];
  if (placed.length > 0) throw alreadyPlaced(placed, academicYear);
}

async function checkStudents(db: Db, studentIds: string[]): Promise<void> {
  const live = await liveStudentIds(db, studentIds);
  refuse(studentIds.filter((id) => !live.has(id)).map((id) => ({ code: 'NOT_FOUND', field: 'body.studentIds', message: `no student with id ${id}` })));
}

export async function getClasses(db: Db, query: ListQuery & ClassFilters) {
  const { items, total } = await listClasses(db, query, {
    offset: offsetOf(query),
    limit: query.limit,
    sort: parseSort<ClassSort>(query.sort, '-academicYear,gradeLevel,name'),
  });
  return { items, meta: pageMeta(query, total) };
}

export function getClass(db: Db, id: string): Promise<ClassRecord> {
  return requireClass(db, id);
}

export async function createClass(
  db: Db,
  input: { name: string; gradeLevel: number; academicYear: string; homeroomTeacherId?: string | null | undefined },
): Promise<ClassRecord> {
  refuse([...checkAcademicYear(input.academicYear, 'body.academicYear'), ...(await checkHomeroom(db, input.homeroomTeacherId))]);
  const name = input.name.trim();
  if (await classNameTaken(db, input.academicYear, name)) throw nameTaken();
  const id = await refusingDuplicates(
    () => insertClass(db, { name, gradeLevel: input.gradeLevel, academicYear: input.academicYear, homeroomTeacherId: input.homeroomTeacherId ?? null }),
    () => nameTaken(),
  );
  return requireClass(db, id);
}

export async function updateClass(
  db: Db,
  id: string,
  patch: { name?: string | undefined; gradeLevel?: number | undefined; academicYear?: string | undefined; homeroomTeacherId?: string | null | undefined },
): Promise<ClassRecord> {
  const current = await requireClass(db, id);
  refuse([...checkAcademicYear(patch.academicYear, 'body.academicYear'), ...(await checkHomeroom(db, patch.homeroomTeacherId))]);
  const name = patch.name?.trim() ?? current.name;
  const academicYear = patch.academicYear ?? current.academicYear;
  if ((name !== current.name || academicYear !== current.academicYear) && (await classNameTaken(db, academicYear, name, id))) throw nameTaken();
  if (academicYear !== current.academicYear) {
    // Its students go with it into the new year, so none may already be placed there.
    await refusePlaced(db, academicYear, await studentIdsOfClass(db, id));
  }
  await refusingDuplicates(
    () =>
      db.transaction().execute((trx) =>
        updateClassRow(trx, id, {
          ...(patch.name !== undefined ? { name } : {}),
          ...(patch.gradeLevel !== undefined ? { gradeLevel: patch.gradeLevel } : {}),
          ...(patch.academicYear !== undefined ? { academicYear } : {}),
          ...(patch.homeroomTeacherId !== undefined ? { homeroomTeacherId: patch.homeroomTeacherId } : {}),
        }),
      ),
    (violated) => (violated.includes('studentId') || violated.includes('one_per_year') ? AppError.conflict('A student of this class is already placed in that academic year.') : nameTaken()),
  );
  return requireClass(db, id);
}

export async function deleteClass(db: Db, id: string, force: boolean): Promise<{ enrolmentsRemoved: number }> {
  await requireClass(db, id);
  const enrolled = await countEnrolments(db, id);
  if (enrolled > 0 && !force) {
    throw AppError.conflict(`This class has ${enrolled} enrolment(s); remove them first or delete with force=true.`);
  }
  // Enrolments go with the class (ON DELETE CASCADE); copies keep existing, unlinked.
  await deleteClassRow(db, id);
  return { enrolmentsRemoved: enrolled };
}

export async function getClassStudents(db: Db, id: string, query: ListQuery) {
  await requireClass(db, id);
  const { items, total } = await listClassMembers(db, id, { search: query.search }, {
    offset: offsetOf(query),
    limit: query.limit,
    sort: parseSort<'name' | 'nisn' | 'enrolledAt'>(query.sort, 'name'),
  });
  return { items, meta: pageMeta(query, total) };
}

/**
 * Bulk enrolment, all or nothing: unknown students are a 400, students placed in another class of
 * the year a 409 naming each (or, with `move`, taken from that class). The unique index on
 * (student, academic year) makes the rule hold when two enrolments race.
 */
export async function enrolStudents(db: Db, id: string, input: { studentIds: string[]; move?: boolean | undefined }) {
  const target = await requireClass(db, id);
  await checkStudents(db, input.studentIds);
  const placements = await placementsIn(db, target.academicYear, input.studentIds);
  const alreadyEnrolled = input.studentIds.filter((s) => placements.get(s)?.classId === id);
  const elsewhere = input.studentIds.filter((s) => placements.has(s) && placements.get(s)!.classId !== id);
  if (elsewhere.length > 0 && !input.move) {
    throw alreadyPlaced(elsewhere.map((studentId) => [studentId, placements.get(studentId)!]), target.academicYear);
  }
  const enrolled = input.studentIds.filter((s) => !placements.has(s));
  const moved = elsewhere.map((studentId) => ({ studentId, fromClassId: placements.get(studentId)!.classId }));
  await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        for (const { studentId, fromClassId } of moved) await deleteEnrolments(trx, fromClassId, [studentId]);
        await insertEnrolments(trx, id, target.academicYear, [...enrolled, ...moved.map((m) => m.studentId)]);
      }),
    () => AppError.conflict('Another enrolment placed one of these students in a class of this year at the same moment; try again.'),
  );
  return { enrolled, moved, alreadyEnrolled };
}

export async function removeStudent(db: Db, id: string, studentId: string): Promise<void> {
  await requireClass(db, id);
  const removed = await deleteEnrolments(db, id, [studentId]);
  if (removed === 0) throw AppError.notFound('Student in this class');
}

/** The class a copy makes, with its defaults filled in and checked (no writes). */
async function planCopy(
  db: Db,
  source: ClassRecord,
  input: { academicYear?: string | undefined; name?: string | undefined; gradeLevel?: number | undefined; homeroomTeacherId?: string | null | undefined; studentIds?: string[] | undefined },
) {
  const academicYear = input.academicYear ?? nextAcademicYear(source.academicYear);
  const errors = [...checkAcademicYear(input.academicYear, 'body.academicYear'), ...(await checkHomeroom(db, input.homeroomTeacherId))];
  const gradeLevel = input.gradeLevel ?? (academicYear > source.academicYear ? source.gradeLevel + 1 : source.gradeLevel);
  if (gradeLevel > 12) errors.push({ code: 'REQUIRED', field: 'body.gradeLevel', message: 'is required: a grade-12 class has no next grade (its students graduate)' });
  if (academicYear === source.academicYear) errors.push({ code: 'INVALID_VALUE', field: 'body.academicYear', message: 'must differ from the class’s own academic year' });
  const members = await studentIdsOfClass(db, source.id);
  const studentIds = input.studentIds ?? members;
  const memberSet = new Set(members);
  for (const studentId of studentIds) {
    if (!memberSet.has(studentId)) errors.push({ code: 'NOT_FOUND', field: 'body.studentIds', message: `${studentId} is not a student of this class` });
  }
  refuse(errors);
  const name = input.name?.trim() ?? nameForGrade(source.name, gradeLevel);
  return {
    academicYear,
    name,
    gradeLevel,
    homeroomTeacherId: input.homeroomTeacherId === undefined ? (source.homeroomTeacher?.id ?? null) : input.homeroomTeacherId,
    studentIds,
  };
}

/** Create a Class Copy: a new class in another year, carrying all or the listed students, atomically. */
export async function copyClass(db: Db, id: string, input: Parameters<typeof planCopy>[2]): Promise<ClassRecord> {
  const source = await requireClass(db, id);
  const plan = await planCopy(db, source, input);
  if (await classNameTaken(db, plan.academicYear, plan.name)) throw nameTaken(input.name ? 'body.name' : 'body.name (derived)');
  await refusePlaced(db, plan.academicYear, plan.studentIds);
  const newId = await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        const classId = await insertClass(trx, { name: plan.name, gradeLevel: plan.gradeLevel, academicYear: plan.academicYear, homeroomTeacherId: plan.homeroomTeacherId, copiedFromId: source.id });
        await insertEnrolments(trx, classId, plan.academicYear, plan.studentIds);
        return classId;
      }),
    (violated) => (violated.includes('studentId') || violated.includes('one_per_year') ? AppError.conflict('A student was placed in that year at the same moment; try again.') : nameTaken()),
  );
  return requireClass(db, newId);
}

type RolloverPlan = {
  fromAcademicYear: string;
  toAcademicYear: string;
  dryRun: boolean;
  classes: { sourceClassId: string; sourceName: string; name: string; gradeLevel: number; homeroomTeacherId: string | null; studentIds: string[]; classId: string | null }[];
  graduated: string[];
  conflicts: { code: string; message: string; classId: string | null; studentId: string | null }[];
};

/**
 * The whole-school rollover: each grade-10 and grade-11 class of the year is copied to grade + 1 in
 * the next year with its ACTIVE students, and the ACTIVE students of grade-12 classes graduate.
 * The dry run and the real run build the same plan; the real run applies it in one transaction, and
 * refuses (409, nothing changed) when the plan has conflicts.
 */
export async function rollover(db: Db, config: Config, input: { fromAcademicYear?: string | undefined; dryRun?: boolean | undefined }): Promise<RolloverPlan> {
  refuse(checkAcademicYear(input.fromAcademicYear, 'body.fromAcademicYear'));
  const fromAcademicYear = input.fromAcademicYear ?? currentAcademicYear(config);
  const toAcademicYear = nextAcademicYear(fromAcademicYear);
  const dryRun = input.dryRun ?? true;
  const plan: RolloverPlan = { fromAcademicYear, toAcademicYear, dryRun, classes: [], graduated: [], conflicts: [] };

  const names = new Set<string>();
  for (const source of await classesOfYear(db, fromAcademicYear)) {
    const active = await studentIdsOfClass(db, source.id, 'ACTIVE');
    if (source.gradeLevel >= 12) {
      plan.graduated.push(...active);
      continue;
    }
    const gradeLevel = source.gradeLevel + 1;
    const name = nameForGrade(source.name, gradeLevel);
    if (names.has(name.toLowerCase()) || (await classNameTaken(db, toAcademicYear, name))) {
      plan.conflicts.push({ code: 'CLASS_EXISTS', message: `A class named ${name} already exists in ${toAcademicYear}.`, classId: source.id, studentId: null });
    }
    names.add(name.toLowerCase());
    plan.classes.push({ sourceClassId: source.id, sourceName: source.name, name, gradeLevel, homeroomTeacherId: source.homeroomTeacherId, studentIds: active, classId: null });
  }
  const carried = plan.classes.flatMap((c) => c.studentIds);
  for (const [studentId, placement] of await placementsIn(db, toAcademicYear, carried)) {
    plan.conflicts.push({ code: 'ALREADY_ENROLLED', message: `Already in ${placement.className} in ${toAcademicYear}.`, classId: placement.classId, studentId });
  }
  if (dryRun) return plan;
  if (plan.conflicts.length > 0) {
    throw AppError.conflict(
      `The rollover has ${plan.conflicts.length} conflict(s); nothing was changed. Run it with dryRun=true to see them.`,
      plan.conflicts.map((c) => ({ code: c.code, field: c.studentId ? `student:${c.studentId}` : `class:${c.classId}`, message: c.message })),
    );
  }
  await db.transaction().execute(async (trx) => {
    for (const entry of plan.classes) {
      entry.classId = await insertClass(trx, { name: entry.name, gradeLevel: entry.gradeLevel, academicYear: toAcademicYear, homeroomTeacherId: entry.homeroomTeacherId, copiedFromId: entry.sourceClassId });
      await insertEnrolments(trx, entry.classId, toAcademicYear, entry.studentIds);
    }
    await setStudentsStatus(trx, plan.graduated, 'GRADUATED');
  });
  return plan;
}
