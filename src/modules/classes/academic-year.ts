import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import { todayIn } from '../../school-time.js';

/**
 * Academic years are 'YYYY/YYYY' with the second year one after the first. An Indonesian school
 * year starts in July: on 1 July 2026 the current year becomes 2026/2027. ACADEMIC_YEAR fixes it
 * instead (a school rolling over early or late); ACADEMIC_YEAR_START_MONTH moves the start.
 */
export const AcademicYear = Type.String({ pattern: '^[0-9]{4}/[0-9]{4}$', description: 'YYYY/YYYY, the second year one after the first (2026/2027).' });

export function isAcademicYear(value: string): boolean {
  const match = /^(\d{4})\/(\d{4})$/.exec(value);
  return match !== null && Number(match[2]) === Number(match[1]) + 1;
}

export function currentAcademicYear(config: Pick<Config, 'academicYear' | 'timeZone'>, now = new Date()): string {
  if (config.academicYear.fixed) return config.academicYear.fixed;
  const [year, month] = todayIn(config.timeZone, now).split('-').map(Number) as [number, number];
  const start = month >= config.academicYear.startMonth ? year : year - 1;
  return `${start}/${start + 1}`;
}

export function nextAcademicYear(year: string): string {
  const start = Number(year.slice(0, 4)) + 1;
  return `${start}/${start + 1}`;
}
