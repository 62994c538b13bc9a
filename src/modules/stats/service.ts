import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import { versionedCache } from '../../db/versioned-cache.js';
import { AppError } from '../../http/errors.js';
import { EMPLOYMENT_STATUS, INCOME_BRACKET, RELIGION, TRANSPORTATION_MODE, USER_TYPE, valuesOf } from '../reference/lists.js';
import { currentAcademicYear, isAcademicYear } from '../classes/academic-year.js';
import { startOfDay, todayIn } from '../../school-time.js';
import {
  ageHistogram, classCounts, countByColumn, numericHistogram, studentProfiles, usersSummary,
  type Histogram, type PersonTable, type StudentProfile, type StudentScope,
} from './repository.js';

/**
 * Dashboard statistics. The database groups and counts; this module turns the groups into the
 * answer: every listed value with its count (0 where empty) and an UNKNOWN entry for missing data,
 * percentages of the total (two decimals, so they sum to 100 ± 0.1), and for measures the minimum,
 * maximum, mean, median and buckets.
 */

export const UNKNOWN = 'UNKNOWN';

function percentage(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 10_000) / 100;
}

/** `[{<key>: value, count, percentage}]` for each value of the list, then UNKNOWN. */
export function distribution<K extends string>(key: K, values: readonly string[], histogram: Histogram) {
  const counts = new Map<string, number>([...values, UNKNOWN].map((v) => [v, 0]));
  for (const { value, count } of histogram) {
    const name = value !== null && counts.has(String(value)) && String(value) !== UNKNOWN ? String(value) : UNKNOWN;
    counts.set(name, counts.get(name)! + count);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts].map(([value, count]) => ({ [key]: value, count, percentage: percentage(count, total) }) as { [P in K]: string } & { count: number; percentage: number });
}

function genderOf(histogram: Histogram) {
  const male = histogram.find((h) => h.value === 'MALE')?.count ?? 0;
  const female = histogram.find((h) => h.value === 'FEMALE')?.count ?? 0;
  return { male, female, total: male + female };
}

/**
 * Minimum, maximum, mean and median of a measure from its histogram (value → count), and its
 * buckets: below the first edge, from each edge up to the next (`from` inclusive, `to` exclusive),
 * from the last edge up, and UNKNOWN for missing values.
 */
export function measure(histogram: Histogram, edges: number[]) {
  const known = histogram.filter((h): h is { value: number; count: number } => h.value !== null).sort((a, b) => a.value - b.value);
  const unknown = histogram.filter((h) => h.value === null).reduce((a, h) => a + h.count, 0);
  const n = known.reduce((a, h) => a + h.count, 0);
  const at = (position: number) => {
    let seen = 0;
    for (const h of known) {
      seen += h.count;
      if (position < seen) return h.value;
    }
    return known.at(-1)!.value;
  };
  const round = (v: number) => Math.round(v * 100) / 100;
  const bounds: { from: number | null; to: number | null }[] = [
    { from: null, to: edges[0]! },
    ...edges.map((from, i) => ({ from, to: edges[i + 1] ?? null })),
  ];
  const buckets = bounds.map(({ from, to }) => ({
    label: from === null ? `< ${to}` : to === null ? `≥ ${from}` : to - from === 1 ? String(from) : `${from}–${to - 1}`,
    from,
    to,
    count: known.filter((h) => (from === null || h.value >= from) && (to === null || h.value < to)).reduce((a, h) => a + h.count, 0),
  }));
  return {
    count: n,
    min: n === 0 ? null : known[0]!.value,
    max: n === 0 ? null : known.at(-1)!.value,
    mean: n === 0 ? null : round(known.reduce((a, h) => a + h.value * h.count, 0) / n),
    median: n === 0 ? null : n % 2 === 1 ? at((n - 1) / 2) : round((at(n / 2 - 1) + at(n / 2)) / 2),
    buckets: [...buckets, { label: UNKNOWN, from: null, to: null, count: unknown }],
  };
}

export interface StatsQuery {
  academicYear?: string | undefined;
  gradeLevel?: number | undefined;
  classId?: string | undefined;
  asOf?: string | undefined;
  basis?: 'FATHER' | 'MOTHER' | 'HOUSEHOLD' | undefined;
}

function resolve(config: Config, query: StatsQuery) {
  if (query.academicYear !== undefined && !isAcademicYear(query.academicYear)) {
    throw AppError.validation([{ code: 'INVALID_VALUE', field: 'querystring.academicYear', message: 'must be two consecutive years, e.g. 2026/2027' }]);
  }
  const scope: StudentScope = {
    academicYear: query.academicYear ?? currentAcademicYear(config),
    enrolledOnly: query.academicYear !== undefined || query.gradeLevel !== undefined || query.classId !== undefined,
    gradeLevel: query.gradeLevel,
    classId: query.classId,
  };
  return { scope, asOf: query.asOf ?? todayIn(config.timeZone), basis: query.basis ?? 'HOUSEHOLD' };
}

// Every statistic over people is cached until any person, class, enrolment or account changes
// (versionedCache): the next answer after a change is computed afresh.
const cached = versionedCache<unknown>(['users', 'student', 'teacher', 'staff', 'class', 'class_student'], 500);

function once<T>(db: Db, key: unknown[], compute: () => Promise<T>): Promise<T> {
  return cached(db, JSON.stringify(key), compute) as Promise<T>;
}

export const STUDENT_STATS = ['gender', 'religion', 'weight', 'height', 'age', 'transportation', 'class', 'economy'] as const;
export const EMPLOYEE_STATS = ['gender', 'religion', 'employment', 'age'] as const;
export type StudentStat = (typeof STUDENT_STATS)[number];
export type EmployeeStat = (typeof EMPLOYEE_STATS)[number];

// Income brackets in order of income; "no income" is the lowest. A household's bracket is the
// higher of the two parents'.
const INCOME_RANK = ['NO_INCOME', ...valuesOf(INCOME_BRACKET).filter((v) => v !== 'NO_INCOME')];
const rank = (bracket: string | null) => (bracket === null ? -1 : INCOME_RANK.indexOf(bracket));

/** One category's counts from the students' profiles (categories counted together in one pass). */
function tally(profiles: StudentProfile[], valueOf: (p: StudentProfile) => string | null): Histogram {
  const counts = new Map<string | null, number>();
  for (const p of profiles) counts.set(valueOf(p), (counts.get(valueOf(p)) ?? 0) + p.count);
  return [...counts].map(([value, count]) => ({ value, count }));
}

function incomeOf(basis: 'FATHER' | 'MOTHER' | 'HOUSEHOLD') {
  return (p: StudentProfile) => {
    const chosen = basis === 'FATHER' ? rank(p.fatherIncome) : basis === 'MOTHER' ? rank(p.motherIncome) : Math.max(rank(p.fatherIncome), rank(p.motherIncome));
    return chosen >= 0 ? INCOME_RANK[chosen]! : null;
  };
}

export function studentStat(db: Db, config: Config, stat: StudentStat, query: StatsQuery): Promise<unknown> {
  const { scope, asOf, basis } = resolve(config, query);
  const profiles = () => once(db, ['student', 'profiles', scope], () => studentProfiles(db, scope));
  return once(db, ['student', stat, scope, asOf, stat === 'economy' ? basis : ''], async () => {
    switch (stat) {
      case 'gender':
        return genderOf(tally(await profiles(), (p) => p.gender));
      case 'religion':
        return distribution('religion', valuesOf(RELIGION), tally(await profiles(), (p) => p.religion));
      case 'transportation':
        return distribution('mode', valuesOf(TRANSPORTATION_MODE), tally(await profiles(), (p) => p.transportationMode));
      case 'weight':
        return measure(await numericHistogram(db, 'student', 'weight', scope), config.statsBuckets.weight);
      case 'height':
        return measure(await numericHistogram(db, 'student', 'height', scope), config.statsBuckets.height);
      case 'age':
        return { asOf, ...measure(await ageHistogram(db, 'student', asOf, scope), config.statsBuckets.studentAge) };
      case 'class':
        return classCounts(db, scope);
      case 'economy':
        return { basis, brackets: distribution('bracket', valuesOf(INCOME_BRACKET), tally(await profiles(), incomeOf(basis))) };
    }
  });
}

export function employeeStat(db: Db, config: Config, table: Exclude<PersonTable, 'student'>, stat: EmployeeStat, query: StatsQuery): Promise<unknown> {
  const { asOf } = resolve(config, query);
  return once(db, [table, stat, asOf], async () => {
    switch (stat) {
      case 'gender':
        return genderOf(await countByColumn(db, table, 'gender'));
      case 'religion':
        return distribution('religion', valuesOf(RELIGION), await countByColumn(db, table, 'religion'));
      case 'employment':
        return distribution('status', valuesOf(EMPLOYMENT_STATUS), await countByColumn(db, table, 'employmentStatus'));
      case 'age':
        return { asOf, ...measure(await ageHistogram(db, table, asOf), config.statsBuckets.employeeAge) };
    }
  });
}

// Sessions and sign-ins change all day, so the summary is kept only for SUMMARY_SECONDS (and, like
// everything here, only while no account changes).
const SUMMARY_SECONDS = 10;
const cachedSummary = versionedCache<Awaited<ReturnType<typeof computeUsersSummary>>>(['users'], 4);

export function usersSummaryStats(db: Db, config: Config) {
  return cachedSummary(db, String(Math.floor(Date.now() / (SUMMARY_SECONDS * 1000))), () => computeUsersSummary(db, config));
}

async function computeUsersSummary(db: Db, config: Config) {
  const start = startOfDay(todayIn(config.timeZone), config.timeZone);
  const since = { today: start.toISOString(), last7Days: new Date(start.getTime() - 6 * 86_400_000).toISOString() };
  const summary = await usersSummary(db, since);
  const byType = Object.fromEntries(valuesOf(USER_TYPE).map((type) => [type, summary.byType.get(type) ?? 0])) as Record<(typeof USER_TYPE)[number]['value'], number>;
  return {
    total: Object.values(byType).reduce((a, b) => a + b, 0),
    byType,
    banned: summary.banned,
    activeSessions: summary.activeSessions,
    signedInUsers: summary.signedInUsers,
    signInsToday: summary.signInsToday,
    signInsLast7Days: summary.signInsLast7Days,
    failedSignInsToday: summary.failedSignInsToday,
    since,
  };
}

/**
 * Every statistic at once, itself cached as one answer (so a dashboard's request is one version
 * check); the users summary inside it follows its own 10-second rule.
 */
export function allStats(db: Db, config: Config, query: StatsQuery) {
  const { scope, asOf, basis } = resolve(config, query);
  return once(db, ['all', scope, asOf, basis, Math.floor(Date.now() / (SUMMARY_SECONDS * 1000))], () => computeAllStats(db, config, query));
}

async function computeAllStats(db: Db, config: Config, query: StatsQuery) {
  const students = Object.fromEntries(await Promise.all(STUDENT_STATS.map(async (stat) => [stat, await studentStat(db, config, stat, query)] as const)));
  const teachers = Object.fromEntries(await Promise.all(EMPLOYEE_STATS.map(async (stat) => [stat, await employeeStat(db, config, 'teacher', stat, query)] as const)));
  const staff = Object.fromEntries(await Promise.all(EMPLOYEE_STATS.map(async (stat) => [stat, await employeeStat(db, config, 'staff', stat, query)] as const)));
  return { students, teachers, staff, users: await usersSummaryStats(db, config) };
}
