import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { fullEmployee, fullStudent } from '../helpers/people.js';

const YEAR = '2026/2027';
const AS_OF = '2026-06-30';
let t: TestApp;
let admin: { auth: { authorization: string } };
const ids: Record<string, string> = {};
const classes: Record<string, string> = {};

function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, auth: Record<string, string> = admin.auth) {
  return t.app.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body as object }) });
}
const stat = async (path: string) => {
  const response = await send('GET', `/api/stats${path ? `/${path}` : ''}${path.includes('?') ? '&' : '?'}asOf=${AS_OF}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().result;
};

// A school small enough that every figure below was worked out by hand.
const people = {
  s1: { gender: 'MALE', religion: 'ISLAM', birthDate: '2010-01-15', height: 160, weight: 50, transportationMode: 'MOTORCYCLE', father: { income: 'FROM_2M_TO_4999K' }, mother: { income: 'BELOW_500K' } },
  s2: { gender: 'FEMALE', religion: 'ISLAM', birthDate: '2009-06-30', height: 150, weight: 45, transportationMode: 'WALKING', father: { income: 'NO_INCOME' }, mother: { income: 'FROM_1M_TO_1999K' } },
  s3: { gender: 'FEMALE', religion: 'PROTESTANT', birthDate: '2008-07-01', height: 170, weight: 60, transportationMode: 'MOTORCYCLE', father: null, mother: null },
  s4: { gender: 'MALE', religion: null, birthDate: null, height: null, weight: 80, transportationMode: null, father: { income: 'ABOVE_20M' }, mother: null },
  // Not counted: deleted, and graduated.
  s5: { gender: 'MALE', religion: 'ISLAM', birthDate: '2009-12-31', height: 180, weight: 90, transportationMode: 'WALKING', father: null, mother: null },
  s6: { gender: 'FEMALE', religion: 'HINDU', birthDate: '2009-01-01', height: 140, weight: 30, transportationMode: 'WALKING', father: null, mother: null, status: 'GRADUATED' },
};

beforeAll(async () => {
  t = await buildTestApp({ ACADEMIC_YEAR: YEAR });
  admin = await signedInAdministrator(t.app);
  for (const [key, fields] of Object.entries(people)) {
    const response = await send('POST', '/api/students', fullStudent({ ...fields, guardian: null }));
    expect(response.statusCode, response.body).toBe(201);
    ids[key] = response.json().result.student.id;
  }
  for (const [name, gradeLevel] of [['X-1', 10], ['XI-1', 11], ['XII-1', 12]] as const) {
    classes[name] = (await send('POST', '/api/classes', { name, gradeLevel, academicYear: YEAR })).json().result.id;
  }
  await send('POST', `/api/classes/${classes['X-1']}/students`, { studentIds: [ids.s1, ids.s2, ids.s5] });
  await send('POST', `/api/classes/${classes['XI-1']}/students`, { studentIds: [ids.s3] });
  expect((await send('DELETE', `/api/students/${ids.s5}`)).statusCode).toBe(200);
  await send('POST', '/api/teachers', fullEmployee({ gender: 'MALE', birthDate: '1985-06-15', employmentStatus: 'PNS', religion: 'ISLAM' }));
  await send('POST', '/api/teachers', fullEmployee({ gender: 'FEMALE', birthDate: '1990-07-01', employmentStatus: 'HONORER', nip: null, religion: 'CATHOLIC' }));
});
afterAll(() => t.close());

const share = (key: string, entries: Record<string, [number, number]>, all: string[]) =>
  [...all, 'UNKNOWN'].map((value) => ({ [key]: value, count: entries[value]?.[0] ?? 0, percentage: entries[value]?.[1] ?? 0 }));
const RELIGIONS = ['ISLAM', 'PROTESTANT', 'CATHOLIC', 'HINDU', 'BUDDHIST', 'CONFUCIAN', 'INDIGENOUS_BELIEF', 'OTHER'];

describe('student statistics', () => {
  it('count active, live students by gender, religion and transport, every value listed', async () => {
    expect(await stat('students/gender')).toEqual({ male: 2, female: 2, total: 4 });
    expect(await stat('students/religion')).toEqual(share('religion', { ISLAM: [2, 50], PROTESTANT: [1, 25], UNKNOWN: [1, 25] }, RELIGIONS));
    const transport = await stat('students/transportation');
    expect(transport.find((m: { mode: string }) => m.mode === 'MOTORCYCLE')).toEqual({ mode: 'MOTORCYCLE', count: 2, percentage: 50 });
    expect(transport.find((m: { mode: string }) => m.mode === 'UNKNOWN')).toEqual({ mode: 'UNKNOWN', count: 1, percentage: 25 });
    expect(transport).toHaveLength(13);
    expect(transport.reduce((a: number, m: { percentage: number }) => a + m.percentage, 0)).toBeCloseTo(100, 1);
  });

  it('give min, max, mean, median and buckets of height, weight and age', async () => {
    const height = await stat('students/height');
    expect(height).toMatchObject({ count: 3, min: 150, max: 170, mean: 160, median: 160 });
    expect(height.buckets.map((b: { label: string; count: number }) => [b.label, b.count])).toEqual([
      ['< 150', 0], ['150–154', 1], ['155–159', 0], ['160–164', 1], ['165–169', 0], ['170–174', 1], ['175–179', 0], ['≥ 180', 0], ['UNKNOWN', 1],
    ]);
    const weight = await stat('students/weight');
    expect(weight).toMatchObject({ count: 4, min: 45, max: 80, mean: 58.75, median: 55 });
    expect(weight.buckets.filter((b: { count: number }) => b.count > 0).map((b: { label: string }) => b.label)).toEqual(['45–49', '50–54', '60–64', '≥ 80']);
    // On 30 June 2026: born 2010-01-15 → 16; 2009-06-30 → 17 (birthday today); 2008-07-01 → 17 (tomorrow).
    const age = await stat('students/age');
    expect(age).toMatchObject({ asOf: AS_OF, count: 3, min: 16, max: 17, mean: 16.67, median: 17 });
    expect(age.buckets.map((b: { label: string; count: number }) => [b.label, b.count])).toEqual([
      ['< 15', 0], ['15', 0], ['16', 1], ['17', 2], ['18', 0], ['≥ 19', 0], ['UNKNOWN', 1],
    ]);
  });

  it('bracket the household by the higher income of the two parents, or by one parent', async () => {
    const household = await stat('students/economy');
    expect(household.basis).toBe('HOUSEHOLD');
    const counts = Object.fromEntries(household.brackets.map((b: { bracket: string; count: number }) => [b.bracket, b.count]));
    expect(counts).toMatchObject({ FROM_2M_TO_4999K: 1, FROM_1M_TO_1999K: 1, ABOVE_20M: 1, UNKNOWN: 1, BELOW_500K: 0, NO_INCOME: 0 });
    const father = await stat('students/economy?basis=FATHER');
    const byFather = Object.fromEntries(father.brackets.map((b: { bracket: string; count: number }) => [b.bracket, b.count]));
    expect(byFather).toMatchObject({ FROM_2M_TO_4999K: 1, NO_INCOME: 1, ABOVE_20M: 1, UNKNOWN: 1 });
  });

  it('count each class of the year, and narrow every statistic by year, grade or class', async () => {
    expect(await stat('students/class')).toEqual([
      { classId: classes['X-1'], name: 'X-1', gradeLevel: 10, total: 2, male: 1, female: 1 },
      { classId: classes['XI-1'], name: 'XI-1', gradeLevel: 11, total: 1, male: 0, female: 1 },
      { classId: classes['XII-1'], name: 'XII-1', gradeLevel: 12, total: 0, male: 0, female: 0 },
    ]);
    expect(await stat(`students/gender?academicYear=${encodeURIComponent(YEAR)}`)).toEqual({ male: 1, female: 2, total: 3 });
    expect(await stat('students/gender?gradeLevel=10')).toEqual({ male: 1, female: 1, total: 2 });
    expect((await stat(`students/religion?classId=${classes['XI-1']}`)).find((r: { religion: string }) => r.religion === 'PROTESTANT')).toEqual({ religion: 'PROTESTANT', count: 1, percentage: 100 });
    expect(await stat('students/gender?academicYear=2040%2F2041')).toEqual({ male: 0, female: 0, total: 0 });
    expect((await send('GET', '/api/stats/students/gender?academicYear=2026%2F2028')).statusCode).toBe(400);
  });

  it('show a change on the very next request', async () => {
    expect(await stat('students/gender')).toEqual({ male: 2, female: 2, total: 4 });
    await send('PATCH', `/api/students/${ids.s4}`, { gender: 'FEMALE' });
    expect(await stat('students/gender')).toEqual({ male: 1, female: 3, total: 4 });
    await send('DELETE', `/api/students/${ids.s4}`);
    expect(await stat('students/gender')).toEqual({ male: 1, female: 2, total: 3 });
    await send('POST', `/api/students/${ids.s4}/restore`);
    await send('PATCH', `/api/students/${ids.s4}`, { gender: 'MALE' });
    expect(await stat('students/gender')).toEqual({ male: 2, female: 2, total: 4 });
  });
});

describe('teacher, staff and user statistics', () => {
  it('count teachers by employment and age', async () => {
    expect(await stat('teachers/gender')).toEqual({ male: 1, female: 1, total: 2 });
    const employment = await stat('teachers/employment');
    expect(employment).toEqual(share('status', { PNS: [1, 50], HONORER: [1, 50] }, ['PNS', 'PPPK', 'GTY', 'GTT', 'HONORER', 'OTHER']));
    const age = await stat('teachers/age');
    expect(age).toMatchObject({ count: 2, min: 35, max: 41, mean: 38, median: 38 });
    expect(age.buckets.filter((b: { count: number }) => b.count > 0).map((b: { label: string }) => b.label)).toEqual(['35–39', '40–44']);
  });

  it('answers zeros, not errors, where there is nobody', async () => {
    expect(await stat('staff/gender')).toEqual({ male: 0, female: 0, total: 0 });
    expect((await stat('staff/religion')).every((r: { count: number; percentage: number }) => r.count === 0 && r.percentage === 0)).toBe(true);
    expect(await stat('staff/age')).toMatchObject({ count: 0, min: null, max: null, mean: null, median: null });
  });

  it('summarise accounts, sessions and sign-ins', async () => {
    const summary = await stat('users/summary');
    expect(summary.byType).toMatchObject({ STUDENT: 6, TEACHER: 2, ADMIN: 1 });
    expect(summary.total).toBe(summary.byType.STUDENT + summary.byType.TEACHER + summary.byType.STAFF + summary.byType.ADMIN);
    expect(summary.banned).toBe(1);
    expect(summary.signInsToday).toBeGreaterThanOrEqual(1);
    expect(summary.activeSessions).toBeGreaterThanOrEqual(1);
  });

  it('gives everything in one answer, and only with stats:read', async () => {
    const all = await stat('');
    expect(all.students.gender).toEqual({ male: 2, female: 2, total: 4 });
    expect(all.teachers.employment).toHaveLength(7);
    expect(all.staff.gender.total).toBe(0);
    expect(all.users.byType.ADMIN).toBe(1);
    const student = await signedInUser(t.app, { type: 'STUDENT' });
    expect((await send('GET', '/api/stats', undefined, student.auth)).statusCode).toBe(403);
  });
});

describe('an empty school', () => {
  it('answers all zeros', async () => {
    const empty = await buildTestApp();
    try {
      const { auth } = await signedInAdministrator(empty.app);
      const response = await empty.app.inject({ method: 'GET', url: '/api/stats', headers: auth });
      expect(response.statusCode, response.body).toBe(200);
      const all = response.json().result;
      expect(all.students.gender).toEqual({ male: 0, female: 0, total: 0 });
      expect(all.students.economy.brackets.every((b: { percentage: number }) => b.percentage === 0)).toBe(true);
      expect(all.students.class).toEqual([]);
      expect(all.students.height).toMatchObject({ count: 0, mean: null });
    } finally {
      await empty.close();
    }
  });
});
