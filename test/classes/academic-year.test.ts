import { describe, expect, it } from 'vitest';
import { currentAcademicYear, nextAcademicYear } from '../../src/modules/classes/academic-year.js';

const school = (startMonth = 7, fixed?: string) => ({ timeZone: 'Asia/Makassar', academicYear: { fixed, startMonth } });

describe('the current academic year', () => {
  it('turns over in July, in the school’s time zone', () => {
    expect(currentAcademicYear(school(), new Date('2026-06-30T15:59:59Z'))).toBe('2025/2026');
    // 16:00 UTC on 30 June is already 1 July in Samarinda (UTC+8).
    expect(currentAcademicYear(school(), new Date('2026-06-30T16:00:00Z'))).toBe('2026/2027');
    expect(currentAcademicYear(school(), new Date('2027-01-15T00:00:00Z'))).toBe('2026/2027');
  });

  it('follows a configured start month, or a fixed year', () => {
    expect(currentAcademicYear(school(1), new Date('2026-03-01T00:00:00Z'))).toBe('2026/2027');
    expect(currentAcademicYear(school(7, '2024/2025'), new Date('2026-03-01T00:00:00Z'))).toBe('2024/2025');
    expect(nextAcademicYear('2026/2027')).toBe('2027/2028');
  });
});
