import type { Kysely } from 'kysely';
import { columnTypes } from './types.js';
import { addTableVersions } from './table-versions.js';

/**
 * Classes per academic year and their enrolments. A student is in at most one class per academic
 * year: class_student repeats the class's year so a unique index can say so, which holds even when
 * two enrolments race. Like the person tables, both have a version row (migration 0004) that any
 * change bumps, since a student's record shows the class of the current year.
 */
const TABLES = ['class', 'class_student'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('class')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('gradeLevel', 'integer', (c) => c.notNull())
    // 'YYYY/YYYY' text: sorts in time order on both engines.
    .addColumn('academicYear', 'text', (c) => c.notNull())
    .addColumn('homeroomTeacherId', 'text', (c) => c.references('teacher.id'))
    .addColumn('copiedFromId', 'text', (c) => c.references('class.id').onDelete('set null'))
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('class_name_year_unique', ['academicYear', 'name'])
    .execute();
  await db.schema.createIndex('class_year_grade_idx').on('class').columns(['academicYear', 'gradeLevel', 'name']).execute();
  await db.schema.createIndex('class_homeroom_idx').on('class').column('homeroomTeacherId').execute();

  await db.schema
    .createTable('class_student')
    .addColumn('classId', 'text', (c) => c.notNull().references('class.id').onDelete('cascade'))
    .addColumn('studentId', 'text', (c) => c.notNull().references('student.id'))
    .addColumn('academicYear', 'text', (c) => c.notNull())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('class_student_pk', ['classId', 'studentId'])
    .addUniqueConstraint('class_student_one_per_year', ['studentId', 'academicYear'])
    .execute();
  // A year's enrolments by class (class statistics, the students filter by year).
  await db.schema.createIndex('class_student_year_idx').on('class_student').columns(['academicYear', 'classId']).execute();

  await addTableVersions(db, TABLES);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('directory_version').where('name', 'in', [...TABLES]).execute();
  await db.schema.dropTable('class_student').execute();
  await db.schema.dropTable('class').execute();
}
