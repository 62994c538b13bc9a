import type { Config } from '../../config.js';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { AppError } from '../../http/errors.js';
import type { ListQuery } from '../../http/list.js';
import type { PersonFilters } from '../people/repository.js';
import { listPersons } from '../people/service.js';
import { STUDENT_KIND } from './kind.js';
import { DIRECTORY_FILTERS } from './schemas.js';

type StudentQuery = ListQuery & Record<string, unknown>;

/** The exact-match filters and conditions of a students list query. */
export function studentFilters(query: StudentQuery): Omit<PersonFilters, 'search' | 'includeDeleted'> {
  const equals = Object.fromEntries(STUDENT_KIND.filterColumns.map((column) => [column, query[column]]));
  const { specialNeed, classId, academicYear } = query as { specialNeed?: string; classId?: string; academicYear?: string };
  const enrolledWhere = (column: 'classId' | 'academicYear', value: string) => (eb: ExpressionBuilder<any, any>) =>
    eb('student.id', 'in', eb.selectFrom('class_student').select('class_student.studentId').where(`class_student.${column}`, '=', value));
  return {
    equals,
    where: [
      // A JSON array of values: the quoted value appears in its text on both engines.
      ...(specialNeed ? [(eb: ExpressionBuilder<any, any>) => eb(eb.cast(eb.ref('student.specialNeeds'), 'text'), 'like', `%"${specialNeed}"%`)] : []),
      ...(classId ? [enrolledWhere('classId', classId)] : []),
      ...(academicYear ? [enrolledWhere('academicYear', academicYear)] : []),
    ],
  };
}

/**
 * The students directory: what a caller without students:read (a student choosing classmates to
 * cc on a letter) may see — active students' names, gender and class. Filters and sorts that would
 * reveal more than that (religion, NISN order…) are refused rather than silently ignored.
 */
export async function listStudentDirectory(db: Db, config: Config, caller: Caller, query: StudentQuery) {
  const allowed = new Set<string>(DIRECTORY_FILTERS);
  const refused = Object.keys(query).filter((key) => query[key] !== undefined && !allowed.has(key));
  if (query.sort && !/^-?name$/.test(query.sort)) refused.push('sort');
  if (refused.length > 0) {
    throw new AppError(403, 'FORBIDDEN', `Without students:read only search, gender, classId and sort=name are available (refused: ${refused.join(', ')}).`);
  }
  const { items, meta } = await listPersons(db, config, STUDENT_KIND, caller, query, {
    equals: { status: 'ACTIVE', gender: query.gender },
    where: studentFilters({ ...query, status: undefined }).where ?? [],
    searchNamesOnly: true,
  });
  return {
    meta,
    items: items.map(({ id, userId, name, gender, classId, className }) => ({ id, userId, name, gender, classId: classId ?? null, className: className ?? null })),
  };
}
