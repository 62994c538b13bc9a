import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readRows } from '../../db/prepared.js';
import { toCount } from '../../db/values.js';

type Executor = Kysely<Database>;

/**
 * The statistics' queries: every number is a GROUP BY in the database over live records; Node
 * only receives the groups (a value and its count, a few hundred rows at most).
 */

export interface StudentScope {
  /** The year of the enrolments the class filters refer to. */
  academicYear: string;
  /** Only students enrolled in a class of `academicYear` (set when any of the three filters is given). */
  enrolledOnly: boolean;
  gradeLevel?: number | undefined;
  classId?: string | undefined;
}

export type PersonTable = 'student' | 'teacher' | 'staff';

/** Live records of a table; for students, ACTIVE ones within the scope. */
function scoped(db: Executor, table: PersonTable, scope?: StudentScope): SelectQueryBuilder<any, any, {}> {
  let query = (db as unknown as Kysely<any>).selectFrom(table).where(`${table}.deletedAt`, 'is', null);
  if (table === 'student') {
    query = query.where('student.status', '=', 'ACTIVE');
    if (scope?.enrolledOnly) {
      query = query.where('student.id', 'in', (eb: any) => {
        let enrolled = eb
          .selectFrom('class_student')
          .innerJoin('class', 'class.id', 'class_student.classId')
          .select('class_student.studentId')
          .where('class_student.academicYear', '=', scope.academicYear);
        if (scope.gradeLevel !== undefined) enrolled = enrolled.where('class.gradeLevel', '=', scope.gradeLevel);
        if (scope.classId) enrolled = enrolled.where('class.id', '=', scope.classId);
        return enrolled;
      });
    }
  }
  return query;
}

export type Histogram = { value: string | number | null; count: number }[];

/** Counts per value of a column (null: missing). */
export async function countByColumn(db: Executor, table: PersonTable, column: string, scope?: StudentScope): Promise<Histogram> {
  const ref = `${table}.${column}`;
  const rows = await readRows(db, scoped(db, table, scope).select([`${ref} as value`, (eb: any) => eb.fn.countAll().as('n')]).groupBy(ref));
  return (rows as { value: string | number | null; n: unknown }[]).map((r) => ({ value: r.value, count: toCount(r.n as number) }));
}

/** Counts per value of a numeric column (height, weight). */
export async function numericHistogram(db: Executor, table: PersonTable, column: string, scope?: StudentScope): Promise<Histogram> {
  const rows = await countByColumn(db, table, column, scope);
  return rows.map((r) => ({ value: r.value === null ? null : Number(r.value), count: r.count }));
}

/**
 * Counts per age in whole years on `asOf` (YYYY-MM-DD): the database counts students per birth date
 * (a few thousand dates at most, read from an index), each date is then turned into an age: the
 * difference of years, less one when the birthday is still to come on `asOf`.
 */
export async function ageHistogram(db: Executor, table: PersonTable, asOf: string, scope?: StudentScope): Promise<Histogram> {
  const byDate = await countByColumn(db, table, 'birthDate', scope);
  const ages = new Map<number | null, number>();
  for (const { value, count } of byDate) {
    const date = value === null ? null : String(value);
    const age = date === null ? null : Number(asOf.slice(0, 4)) - Number(date.slice(0, 4)) - (date.slice(5) > asOf.slice(5) ? 1 : 0);
    ages.set(age, (ages.get(age) ?? 0) + count);
  }
  return [...ages].map(([value, count]) => ({ value, count }));
}

/** Students counted by every category at once: one pass over one index, a few hundred groups. */
export interface StudentProfile {
  gender: string;
  religion: string | null;
  transportationMode: string | null;
  fatherIncome: string | null;
  motherIncome: string | null;
  count: number;
}

export async function studentProfiles(db: Executor, scope: StudentScope): Promise<StudentProfile[]> {
  const columns = ['gender', 'religion', 'transportationMode', 'fatherIncome', 'motherIncome'] as const;
  const rows = await readRows(
    db,
    scoped(db, 'student', scope)
      .select([...columns.map((c) => `student.${c}`), (eb: any) => eb.fn.countAll().as('n')])
      .groupBy(columns.map((c) => `student.${c}`)),
  );
  return (rows as (Omit<StudentProfile, 'count'> & { n: unknown })[]).map(({ n, ...profile }) => ({ ...profile, count: toCount(n as number) }));
}

/** Each class of the year (within the filters) with its ACTIVE live students by gender. */
export async function classCounts(db: Executor, scope: StudentScope) {
  let classes = db.selectFrom('class').select(['id', 'name', 'gradeLevel']).where('academicYear', '=', scope.academicYear);
  if (scope.gradeLevel !== undefined) classes = classes.where('gradeLevel', '=', scope.gradeLevel);
  if (scope.classId) classes = classes.where('id', '=', scope.classId);
  const list = await readRows(db, classes.orderBy('gradeLevel').orderBy('name'));
  const counts = await readRows(
    db,
    db
      .selectFrom('class_student')
      .innerJoin('student', 'student.id', 'class_student.studentId')
      .select(['class_student.classId', 'student.gender', (eb) => eb.fn.countAll().as('n')])
      .where('class_student.academicYear', '=', scope.academicYear)
      .where('student.deletedAt', 'is', null)
      .where('student.status', '=', 'ACTIVE')
      .groupBy(['class_student.classId', 'student.gender']),
  );
  const byClass = new Map<string, { male: number; female: number }>();
  for (const row of counts) {
    const entry = byClass.get(row.classId) ?? { male: 0, female: 0 };
    if (row.gender === 'MALE') entry.male += toCount(row.n as number);
    else entry.female += toCount(row.n as number);
    byClass.set(row.classId, entry);
  }
  return list.map((c) => {
    const { male, female } = byClass.get(c.id) ?? { male: 0, female: 0 };
    return { classId: c.id, name: c.name, gradeLevel: Number(c.gradeLevel), total: male + female, male, female };
  });
}

/** Accounts by type, banned ones, live sessions, and sign-ins since the given instants. */
export async function usersSummary(db: Executor, since: { today: string; last7Days: string }) {
  const now = new Date().toISOString();
  const [types, banned, sessions, signIns] = await Promise.all([
    readRows(db, db.selectFrom('user').select(['type', (eb) => eb.fn.countAll().as('n')]).groupBy('type')),
    readRows(db, db.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).where('banned', '=', true)),
    readRows(db, db.selectFrom('session').select([(eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.count('userId').distinct().as('users')]).where('expiresAt', '>', now)),
    readRows(
      db,
      db
        .selectFrom('login_history')
        .select([
          sql<number>`sum(case when ${sql.ref('success')} = ${sql.val(true)} and ${sql.ref('createdAt')} >= ${since.today} then 1 else 0 end)`.as('today'),
          sql<number>`sum(case when ${sql.ref('success')} = ${sql.val(true)} then 1 else 0 end)`.as('week'),
          sql<number>`sum(case when ${sql.ref('success')} <> ${sql.val(true)} and ${sql.ref('createdAt')} >= ${since.today} then 1 else 0 end)`.as('failedToday'),
        ])
        .where('createdAt', '>=', since.last7Days),
    ),
  ]);
  return {
    byType: new Map(types.map((t) => [t.type, toCount(t.n as number)])),
    banned: toCount(banned[0]?.n as number),
    activeSessions: toCount(sessions[0]?.n as number),
    signedInUsers: toCount(sessions[0]?.users as number),
    signInsToday: toCount(signIns[0]?.today),
    signInsLast7Days: toCount(signIns[0]?.week),
    failedSignInsToday: toCount(signIns[0]?.failedToday),
  };
}
