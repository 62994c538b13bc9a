import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { fullEmployee, fullStudent } from '../helpers/people.js';

// The current academic year is fixed so a student's current class does not depend on today's date.
const YEAR = '2026/2027';
const NEXT = '2027/2028';
let t: TestApp;
let admin: { auth: { authorization: string } };
let teacherId: string;

beforeAll(async () => {
  t = await buildTestApp({ ACADEMIC_YEAR: YEAR });
  admin = await signedInAdministrator(t.app);
  teacherId = (await send('POST', '/api/teachers', fullEmployee({ name: 'Wali Kelas' }))).json().result.teacher.id;
});
afterAll(() => t.close());

function send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, auth: Record<string, string> = admin.auth) {
  return t.app.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body as object }) });
}

async function student(overrides: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const response = await send('POST', '/api/students', fullStudent(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().result.student;
}

async function newClass(body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const response = await send('POST', '/api/classes', { gradeLevel: 10, academicYear: YEAR, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().result;
}

const enrol = (classId: string, studentIds: string[], extra: Record<string, unknown> = {}) =>
  send('POST', `/api/classes/${classId}/students`, { studentIds, ...extra });

describe('classes', () => {
  it('creates a class with its homeroom teacher and counts, and refuses bad or duplicate ones', async () => {
    const created = await send('POST', '/api/classes', { name: 'X-9', gradeLevel: 10, academicYear: YEAR, homeroomTeacherId: teacherId });
    expect(created.statusCode).toBe(201);
    expect(created.json().result).toMatchObject({
      name: 'X-9', gradeLevel: 10, academicYear: YEAR, homeroomTeacher: { id: teacherId, name: 'Wali Kelas' },
      studentCount: 0, maleCount: 0, femaleCount: 0, copiedFromId: null,
    });
    const bad = await send('POST', '/api/classes', { name: '', gradeLevel: 13, academicYear: '2026/2028', homeroomTeacherId: 'nobody' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.name', 'body.gradeLevel']));
    const yearAndTeacher = await send('POST', '/api/classes', { name: 'X-10', gradeLevel: 10, academicYear: '2026/2028', homeroomTeacherId: 'nobody' });
    expect(yearAndTeacher.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.academicYear', 'body.homeroomTeacherId']);
    expect((await send('POST', '/api/classes', { name: 'x-9', gradeLevel: 10, academicYear: YEAR })).statusCode).toBe(409);
    expect((await send('POST', '/api/classes', { name: 'X-9', gradeLevel: 10, academicYear: NEXT })).statusCode).toBe(201);
    const list = await send('GET', `/api/classes?academicYear=${encodeURIComponent(YEAR)}&gradeLevel=10&search=x-9`);
    expect(list.json().result.map((c: { academicYear: string }) => c.academicYear)).toEqual([YEAR]);
  });

  it('lets teachers read classes but not change them, and students neither', async () => {
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    const pupil = await signedInUser(t.app, { type: 'STUDENT' });
    expect((await send('GET', '/api/classes', undefined, teacher.auth)).statusCode).toBe(200);
    expect((await send('POST', '/api/classes', { name: 'X-T', gradeLevel: 10, academicYear: YEAR }, teacher.auth)).statusCode).toBe(403);
    expect((await send('GET', '/api/classes', undefined, pupil.auth)).statusCode).toBe(403);
  });
});

describe('enrolment', () => {
  it('enrols all or nothing, and shows the class on the student for the current year only', async () => {
    const klass = await newClass({ name: 'X-1' });
    const [ani, budi] = [await student({ gender: 'FEMALE' }), await student({ gender: 'MALE' })];
    const unknown = await enrol(klass.id, [ani.id, 'no-such-student']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].message).toContain('no-such-student');
    expect((await send('GET', `/api/classes/${klass.id}`)).json().result.studentCount).toBe(0);

    const response = await enrol(klass.id, [ani.id, budi.id]);
    expect(response.json().result).toEqual({ enrolled: [ani.id, budi.id], moved: [], alreadyEnrolled: [] });
    expect((await send('GET', `/api/classes/${klass.id}`)).json().result).toMatchObject({ studentCount: 2, maleCount: 1, femaleCount: 1 });
    expect((await enrol(klass.id, [ani.id])).json().result.alreadyEnrolled).toEqual([ani.id]);
    expect((await send('GET', `/api/students/${ani.id}`)).json().result).toMatchObject({ classId: klass.id, className: 'X-1' });

    // A class of another year does not change the current class.
    const later = await newClass({ name: 'XI-1', gradeLevel: 11, academicYear: NEXT });
    await enrol(later.id, [ani.id]);
    expect((await send('GET', `/api/students/${ani.id}`)).json().result.classId).toBe(klass.id);

    const members = await send('GET', `/api/classes/${klass.id}/students?sort=-name`);
    expect(members.json().result.map((m: { id: string }) => m.id).sort()).toEqual([ani.id, budi.id].sort());
    const byClass = await send('GET', `/api/students?classId=${klass.id}&limit=100`);
    expect(byClass.json().result.map((s: { id: string }) => s.id).sort()).toEqual([ani.id, budi.id].sort());
    const byYear = await send('GET', `/api/students?academicYear=${encodeURIComponent(NEXT)}&limit=100`);
    expect(byYear.json().result.map((s: { id: string }) => s.id)).toEqual([ani.id]);
  });

  it('keeps a student in one class per year: 409 naming them, or a move', async () => {
    const [a, b] = [await newClass({ name: 'X-2' }), await newClass({ name: 'X-3' })];
    const citra = await student({ name: 'Citra Placed' });
    await enrol(a.id, [citra.id]);
    const refused = await enrol(b.id, [citra.id]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0]).toMatchObject({ code: 'ALREADY_ENROLLED' });
    expect(refused.json().errors[0].message).toContain('Citra Placed');
    const moved = await enrol(b.id, [citra.id], { move: true });
    expect(moved.json().result.moved).toEqual([{ studentId: citra.id, fromClassId: a.id }]);
    expect((await send('GET', `/api/classes/${a.id}`)).json().result.studentCount).toBe(0);
    expect((await send('GET', `/api/students/${citra.id}`)).json().result.className).toBe('X-3');
  });

  it('holds the one-class-per-year rule when enrolments race', async () => {
    const classes = await Promise.all(['X-4', 'X-5', 'X-6', 'X-7'].map((name) => newClass({ name })));
    const dewi = await student();
    const answers = await Promise.all(classes.map((c) => enrol(c.id, [dewi.id])));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const counts = await Promise.all(classes.map(async (c) => (await send('GET', `/api/classes/${c.id}`)).json().result.studentCount));
    expect(counts.reduce((x: number, y: number) => x + y, 0)).toBe(1);
  });

  it('removes one student copy, leaving other enrolments; counts leave out deleted students', async () => {
    const [here, there] = [await newClass({ name: 'X-8' }), await newClass({ name: 'XI-8', gradeLevel: 11, academicYear: NEXT })];
    const [eka, fajar] = [await student(), await student()];
    await enrol(here.id, [eka.id, fajar.id]);
    await enrol(there.id, [eka.id]);
    expect((await send('DELETE', `/api/classes/${here.id}/students/${eka.id}`)).statusCode).toBe(200);
    expect((await send('DELETE', `/api/classes/${here.id}/students/${eka.id}`)).statusCode).toBe(404);
    expect((await send('GET', `/api/classes/${there.id}`)).json().result.studentCount).toBe(1);
    await send('DELETE', `/api/students/${fajar.id}`);
    expect((await send('GET', `/api/classes/${here.id}`)).json().result.studentCount).toBe(0);
  });

  it('refuses to delete a class with students unless forced', async () => {
    const klass = await newClass({ name: 'X-11' });
    await enrol(klass.id, [(await student()).id]);
    expect((await send('DELETE', `/api/classes/${klass.id}`)).statusCode).toBe(409);
    const forced = await send('DELETE', `/api/classes/${klass.id}?force=true`);
    expect(forced.json().result).toEqual({ enrolmentsRemoved: 1 });
    expect((await send('GET', `/api/classes/${klass.id}`)).statusCode).toBe(404);
  });
});

describe('copying a class', () => {
  it('makes next year’s class with the next grade and derived name, carrying exactly the chosen students', async () => {
    const source = await newClass({ name: 'X IPA 2', homeroomTeacherId: teacherId });
    const pupils = [await student(), await student(), await student()];
    await enrol(source.id, pupils.map((p) => p.id));
    const response = await send('POST', `/api/classes/${source.id}/copy`, { studentIds: [pupils[0]!.id, pupils[2]!.id] });
    expect(response.statusCode, response.body).toBe(201);
    const copy = response.json().result;
    expect(copy).toMatchObject({ name: 'XI IPA 2', gradeLevel: 11, academicYear: NEXT, copiedFromId: source.id, studentCount: 2, homeroomTeacher: { id: teacherId } });
    const members = (await send('GET', `/api/classes/${copy.id}/students`)).json().result.map((m: { id: string }) => m.id);
    expect(members.sort()).toEqual([pupils[0]!.id, pupils[2]!.id].sort());
    // The source keeps its students.
    expect((await send('GET', `/api/classes/${source.id}`)).json().result.studentCount).toBe(3);

    // Copying again into the same year: the name is taken.
    expect((await send('POST', `/api/classes/${source.id}/copy`, { studentIds: [] })).statusCode).toBe(409);
    // Another name, but two of the students are placed in that year already: 409 naming them, nothing created.
    const placed = await send('POST', `/api/classes/${source.id}/copy`, { name: 'XI IPA 9' });
    expect(placed.statusCode).toBe(409);
    expect(placed.json().errors).toHaveLength(2);
    expect((await send('GET', `/api/classes?search=IPA%209`)).json().meta.total).toBe(0);
    // Only students of the class can be carried.
    const stranger = await student();
    const notMember = await send('POST', `/api/classes/${source.id}/copy`, { name: 'XI IPA 10', studentIds: [stranger.id] });
    expect(notMember.statusCode).toBe(400);
  });

  it('needs a grade for a grade-12 class copied forward', async () => {
    const senior = await newClass({ name: 'XII-5', gradeLevel: 12 });
    const response = await send('POST', `/api/classes/${senior.id}/copy`, {});
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('body.gradeLevel');
  });
});

describe('whole-school rollover', () => {
  it('previews exactly what it then applies, graduates grade 12, and refuses a second run', async () => {
    const from = '2030/2031';
    const to = '2031/2032';
    const x = await newClass({ name: 'X-1', gradeLevel: 10, academicYear: from });
    const xi = await newClass({ name: 'XI-1', gradeLevel: 11, academicYear: from });
    const xii = await newClass({ name: 'XII-1', gradeLevel: 12, academicYear: from });
    const [a, b, moved, c, d, e] = [await student(), await student(), await student({ status: 'TRANSFERRED' }), await student(), await student(), await student()];
    await enrol(x.id, [a.id, b.id, moved.id]);
    await enrol(xi.id, [c.id]);
    await enrol(xii.id, [d.id, e.id]);

    const preview = await send('POST', '/api/classes/rollover', { fromAcademicYear: from });
    expect(preview.statusCode, preview.body).toBe(200);
    const plan = preview.json().result;
    expect(plan).toMatchObject({ fromAcademicYear: from, toAcademicYear: to, dryRun: true, conflicts: [] });
    expect(plan.classes.map((k: { name: string; gradeLevel: number }) => [k.name, k.gradeLevel])).toEqual([['XI-1', 11], ['XII-1', 12]]);
    expect(plan.classes[0].studentIds.sort()).toEqual([a.id, b.id].sort());
    expect(plan.graduated.sort()).toEqual([d.id, e.id].sort());
    expect((await send('GET', `/api/classes?academicYear=${encodeURIComponent(to)}`)).json().meta.total).toBe(0);

    const applied = await send('POST', '/api/classes/rollover', { fromAcademicYear: from, dryRun: false });
    expect(applied.statusCode, applied.body).toBe(200);
    const result = applied.json().result;
    const withoutIds = (p: typeof plan) => ({ ...p, dryRun: undefined, classes: p.classes.map((k: Record<string, unknown>) => ({ ...k, classId: undefined })) });
    expect(withoutIds(result)).toEqual(withoutIds(plan));
    for (const entry of result.classes) {
      const made = (await send('GET', `/api/classes/${entry.classId}`)).json().result;
      expect(made).toMatchObject({ name: entry.name, academicYear: to, copiedFromId: entry.sourceClassId, studentCount: entry.studentIds.length });
    }
    expect((await send('GET', `/api/students/${d.id}`)).json().result.status).toBe('GRADUATED');
    expect((await send('GET', `/api/students/${a.id}`)).json().result.status).toBe('ACTIVE');

    const again = await send('POST', '/api/classes/rollover', { fromAcademicYear: from, dryRun: false });
    expect(again.statusCode).toBe(409);
    expect((await send('GET', `/api/classes?academicYear=${encodeURIComponent(to)}`)).json().meta.total).toBe(2);
  });
});
