import { Type } from '@sinclair/typebox';
import { ListQuerySchema } from '../../http/list.js';
import { Gender, nullable } from '../people/schemas.js';
import { StudentStatus } from '../students/schemas.js';
import { AcademicYear } from './academic-year.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const ClassName = Type.String({ minLength: 1, maxLength: 50, description: 'As the school writes it: `X-1`, `XI IPA 2`. Unique within an academic year (case-insensitively).' });
const GradeLevel = Type.Integer({ minimum: 10, maximum: 12, description: '10, 11 or 12 (kelas X, XI, XII).' });
const StudentIds = Type.Array(Id, { minItems: 1, maxItems: 2000, uniqueItems: true });

export const Actor = Type.Object(
  { id: Type.String({ description: 'The teacher record.' }), userId: Type.String(), name: Type.String(), email: Type.String() },
  { $id: 'Actor', description: 'A person acting in a role (a homeroom teacher).' },
);

export const ClassSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    gradeLevel: Type.Integer(),
    academicYear: Type.String(),
    homeroomTeacher: Type.Union([Type.Ref(Actor), Type.Null()]),
    studentCount: Type.Integer({ minimum: 0 }),
    maleCount: Type.Integer({ minimum: 0 }),
    femaleCount: Type.Integer({ minimum: 0 }),
    copiedFromId: nullable(Type.String({ description: 'The class this one was copied from (a rollover).' })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Class', description: 'A class (rombongan belajar) of one academic year. Counts are of live students.' },
);

export const ClassMemberSchema = Type.Object(
  {
    id: Type.String({ description: 'The student record.' }),
    userId: Type.String(),
    name: Type.String(),
    gender: Gender,
    nisn: nullable(Type.String()),
    nipd: nullable(Type.String()),
    status: StudentStatus,
    enrolledAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ClassMember' },
);

export const ClassListQuery = ListQuerySchema({
  sortable: ['name', 'gradeLevel', 'academicYear', 'createdAt'] as const,
  defaultSort: '-academicYear,gradeLevel,name',
  searchHint: 'Case-insensitive, within the class name.',
  filters: {
    academicYear: Type.Optional(AcademicYear),
    gradeLevel: Type.Optional(GradeLevel),
    homeroomTeacherId: Type.Optional(Id),
  },
});

export const ClassMemberQuery = ListQuerySchema({
  sortable: ['name', 'nisn', 'enrolledAt'] as const,
  defaultSort: 'name',
  searchHint: 'Case-insensitive, within name, NISN and NIPD.',
});

export const CreateClassBody = Type.Object(
  { name: ClassName, gradeLevel: GradeLevel, academicYear: AcademicYear, homeroomTeacherId: Type.Optional(nullable(Id)) },
  { additionalProperties: false },
);

export const UpdateClassBody = Type.Object(
  {
    name: Type.Optional(ClassName),
    gradeLevel: Type.Optional(GradeLevel),
    academicYear: Type.Optional({ ...AcademicYear, description: 'Only while no student of the class is placed in another class of the new year.' }),
    homeroomTeacherId: Type.Optional(nullable(Id)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ClassIdParams = Type.Object({ id: Id });
export const ClassStudentParams = Type.Object({ id: Id, studentId: Id });

export const DeleteClassQuery = Type.Object({
  force: Type.Boolean({ default: false, description: 'Also remove the enrolments of a class that has students.' }),
});

export const EnrolBody = Type.Object(
  {
    studentIds: StudentIds,
    move: Type.Optional(Type.Boolean({ description: 'Move students placed in another class of the same year here, instead of a 409.' })),
  },
  { additionalProperties: false },
);

export const EnrolResult = Type.Object({
  enrolled: Type.Array(Type.String(), { description: 'Students added to the class.' }),
  moved: Type.Array(Type.Object({ studentId: Type.String(), fromClassId: Type.String() }), { description: 'With move=true: students taken from another class of the year.' }),
  alreadyEnrolled: Type.Array(Type.String(), { description: 'Students who were in the class already (nothing changed for them).' }),
});

export const CopyClassBody = Type.Object(
  {
    academicYear: Type.Optional({ ...AcademicYear, description: 'Default: the year after the class’s.' }),
    name: Type.Optional(ClassName),
    gradeLevel: Type.Optional(GradeLevel),
    homeroomTeacherId: Type.Optional(nullable(Id)),
    studentIds: Type.Optional(Type.Array(Id, { maxItems: 2000, uniqueItems: true, description: 'Default: every live student of the class. Each must be in the class; [] copies none.' })),
  },
  { additionalProperties: false },
);

export const RolloverBody = Type.Object(
  {
    fromAcademicYear: Type.Optional({ ...AcademicYear, description: 'Default: the current academic year.' }),
    dryRun: Type.Optional(Type.Boolean({ default: true, description: 'Default true: only show what would change.' })),
  },
  { additionalProperties: false },
);

export const RolloverPlan = Type.Object(
  {
    fromAcademicYear: Type.String(),
    toAcademicYear: Type.String(),
    dryRun: Type.Boolean(),
    classes: Type.Array(
      Type.Object({
        sourceClassId: Type.String(),
        sourceName: Type.String(),
        name: Type.String(),
        gradeLevel: Type.Integer(),
        homeroomTeacherId: nullable(Type.String()),
        studentIds: Type.Array(Type.String()),
        classId: nullable(Type.String({ description: 'The new class (null in a dry run).' })),
      }),
      { description: 'Each class of grade 10 and 11 copied to grade + 1 in the next year with its active students.' },
    ),
    graduated: Type.Array(Type.String(), { description: 'Active students of grade-12 classes, marked GRADUATED.' }),
    conflicts: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), classId: nullable(Type.String()), studentId: nullable(Type.String()) }), {
      description: 'What stops the rollover (a class name already used in the next year, a student already placed there). Applying with conflicts is a 409 and changes nothing.',
    }),
  },
  { $id: 'RolloverPlan' },
);

export const classComponents = [Actor, ClassSchema, ClassMemberSchema, RolloverPlan];
