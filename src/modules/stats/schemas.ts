import { Type, type TSchema } from '@sinclair/typebox';
import { DateOnly, nullable } from '../people/schemas.js';
import { AcademicYear } from '../classes/academic-year.js';

const Count = Type.Integer({ minimum: 0 });
const Percentage = Type.Number({ minimum: 0, maximum: 100, description: 'Of the total, two decimals; the entries sum to 100 ± 0.1 (all 0 when there is nobody).' });

export const GenderStats = Type.Object({ male: Count, female: Count, total: Count }, { $id: 'GenderStats' });

const share = (key: string, description: string, $id: string) =>
  Type.Array(Type.Object({ [key]: Type.String({ description }), count: Count, percentage: Percentage }), {
    $id,
    description: 'Every value of the reference list, in its order, 0 where nobody has it, then UNKNOWN for missing data.',
  });

export const ReligionDistribution = share('religion', 'A Religion value, or UNKNOWN.', 'ReligionDistribution');
export const TransportationStats = share('mode', 'A TransportationMode value, or UNKNOWN.', 'TransportationStats');
export const EmploymentStats = share('status', 'An EmploymentStatus value, or UNKNOWN.', 'EmploymentStats');

const Bucket = Type.Object({
  label: Type.String({ description: '`< 150`, `150–154`, `16`, `≥ 180`, or UNKNOWN (missing data).' }),
  from: nullable(Type.Integer({ description: 'Inclusive; null: no lower bound.' })),
  to: nullable(Type.Integer({ description: 'Exclusive; null: no upper bound.' })),
  count: Count,
});

const measureFields = {
  count: Type.Integer({ minimum: 0, description: 'People with a value (UNKNOWN bucket: those without).' }),
  min: nullable(Type.Number()),
  max: nullable(Type.Number()),
  mean: nullable(Type.Number({ description: 'Two decimals.' })),
  median: nullable(Type.Number()),
  buckets: Type.Array(Bucket),
};

export const MeasureStats = Type.Object(measureFields, {
  $id: 'MeasureStats',
  description:
    'Weight (kg) or height (cm). Bucket edges are configurable: STATS_WEIGHT_BUCKETS (default 40,45,50,55,60,65,70,80) and STATS_HEIGHT_BUCKETS (default 150,155,160,165,170,175,180); each bucket runs from one edge up to the next, plus one below the first, one from the last up, and UNKNOWN.',
});

export const AgeStats = Type.Object(
  { asOf: Type.String({ format: 'date', description: 'The day ages are counted on.' }), ...measureFields },
  {
    $id: 'AgeStats',
    description:
      'Age in whole years on `asOf` (default: today in the school’s time zone). Bucket edges: STATS_STUDENT_AGE_BUCKETS (default 15,16,17,18,19) for students, STATS_EMPLOYEE_AGE_BUCKETS (default 25,30,…,60) for teachers and staff.',
  },
);

export const ClassStats = Type.Array(
  Type.Object({ classId: Type.String(), name: Type.String(), gradeLevel: Type.Integer(), total: Count, male: Count, female: Count }),
  { $id: 'ClassStats', description: 'Each class of the academic year (default: the current one) with its ACTIVE students; classes without any show 0.' },
);

export const EconomyStats = Type.Object(
  {
    basis: Type.Union([Type.Literal('HOUSEHOLD'), Type.Literal('FATHER'), Type.Literal('MOTHER')], {
      description: 'Whose income: the father’s, the mother’s, or the household’s (the higher of the two; NO_INCOME ranks lowest).',
    }),
    brackets: share('bracket', 'An IncomeBracket value, or UNKNOWN (no income recorded).', 'IncomeDistribution'),
  },
  { $id: 'EconomyStats', description: 'Students by their parents’ monthly income bracket.' },
);

export const UsersSummary = Type.Object(
  {
    total: Count,
    byType: Type.Object({ STUDENT: Count, TEACHER: Count, STAFF: Count, ADMIN: Count }),
    banned: Count,
    activeSessions: Type.Integer({ minimum: 0, description: 'Sessions not yet expired (signed-in devices).' }),
    signedInUsers: Type.Integer({ minimum: 0, description: 'Users with at least one such session.' }),
    signInsToday: Type.Integer({ minimum: 0, description: 'Successful sign-ins since midnight in the school’s time zone.' }),
    signInsLast7Days: Type.Integer({ minimum: 0, description: 'Successful sign-ins today and the six days before.' }),
    failedSignInsToday: Count,
    since: Type.Object({ today: Type.String({ format: 'date-time' }), last7Days: Type.String({ format: 'date-time' }) }),
  },
  { $id: 'UsersSummary' },
);

export const STUDENT_STAT_SCHEMAS: Record<string, TSchema> = {
  gender: GenderStats, religion: ReligionDistribution, weight: MeasureStats, height: MeasureStats, age: AgeStats,
  transportation: TransportationStats, class: ClassStats, economy: EconomyStats,
};
export const EMPLOYEE_STAT_SCHEMAS: Record<string, TSchema> = { gender: GenderStats, religion: ReligionDistribution, employment: EmploymentStats, age: AgeStats };

const refs = (schemas: Record<string, TSchema>) => Type.Object(Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, Type.Ref(v)])));

export const AllStats = Type.Object(
  { students: refs(STUDENT_STAT_SCHEMAS), teachers: refs(EMPLOYEE_STAT_SCHEMAS), staff: refs(EMPLOYEE_STAT_SCHEMAS), users: Type.Ref(UsersSummary) },
  { $id: 'AllStats' },
);

export const StudentStatsQuery = Type.Object({
  academicYear: Type.Optional({ ...AcademicYear, description: 'Students enrolled in a class of this year (with gradeLevel/classId: that year’s classes; default the current year).' }),
  gradeLevel: Type.Optional(Type.Integer({ minimum: 10, maximum: 12, description: 'Students in a class of this grade.' })),
  classId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Students of this class.' })),
  asOf: Type.Optional({ ...DateOnly, description: 'The day ages are counted on (YYYY-MM-DD; default today in the school’s time zone).' }),
  basis: Type.Optional(Type.Union([Type.Literal('HOUSEHOLD'), Type.Literal('FATHER'), Type.Literal('MOTHER')], { description: 'Economy only: whose income (default HOUSEHOLD).' })),
});

export const EmployeeStatsQuery = Type.Object({
  asOf: Type.Optional({ ...DateOnly, description: 'The day ages are counted on (default today in the school’s time zone).' }),
});

export const statsComponents = [
  GenderStats, ReligionDistribution, TransportationStats, EmploymentStats, MeasureStats, AgeStats, ClassStats, EconomyStats, UsersSummary, AllStats,
];
