import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInAdministrator, signedInUser, signIn, type TestApp } from '../helpers/app.js';
import { local, PDF, pdfText, presign } from '../helpers/files.js';
import { fullStudent } from '../helpers/people.js';
import { currentAcademicYear } from '../../src/modules/classes/academic-year.js';
import { todayIn } from '../../src/school-time.js';

/** Letters (contract §3): the Android client's sequence, visibility, actions, numbering, the PDF and its verification. */

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAdministrator>>;
type Student = { userId: string; studentId: string; name: string; nisn: string; auth: { authorization: string } };
let aisyah: Student;
let bima: Student;
let citra: Student;
let teacher: Awaited<ReturnType<typeof signedInUser>>;
let staff: Awaited<ReturnType<typeof signedInUser>>;

async function student(name: string): Promise<Student> {
  const body = fullStudent({ name, password: 'Student-Password-1' });
  const created = await t.app.inject({ method: 'POST', url: '/api/students', headers: admin.auth, payload: body });
  expect(created.statusCode).toBe(201);
  const record = created.json().result.student;
  const session = await signIn(t.app, { email: body.email, password: 'Student-Password-1' });
  return { userId: record.userId, studentId: record.id, name, nisn: body.nisn, auth: { authorization: `Bearer ${session.token}` } };
}

beforeAll(async () => {
  t = await buildTestApp({ TIME_ZONE: 'Asia/Makassar' });
  admin = await signedInAdministrator(t.app);
  aisyah = await student('Aisyah Putri Rahmawati');
  bima = await student('Bima Saputra');
  citra = await student('Citra Lestari');
  teacher = await signedInUser(t.app, { type: 'TEACHER', name: 'Drs. Hendra Wijaya' });
  staff = await signedInUser(t.app, { type: 'STAFF', name: 'Rina Kartika' });
  const klass = await t.app.inject({ method: 'POST', url: '/api/classes', headers: admin.auth, payload: { name: 'XI IPA 2', gradeLevel: 11, academicYear: currentAcademicYear(t.config) } });
  expect(klass.statusCode).toBe(201);
  await t.app.inject({ method: 'POST', url: `/api/classes/${klass.json().result.id}/students`, headers: admin.auth, payload: { studentIds: [aisyah.studentId] } });
});
afterAll(() => t.close());

const post = (auth: Record<string, string>, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/letters', headers: auth, payload });
const act = (auth: Record<string, string>, id: string, action: string, note?: string) =>
  t.app.inject({ method: 'POST', url: `/api/letters/${id}/actions`, headers: auth, payload: { action, ...(note === undefined ? {} : { note }) } });
const dispensation = (overrides: Record<string, unknown> = {}) => ({
  letterType: 'DISPENSATION', subject: 'Lomba debat tingkat provinsi', reason: 'Mewakili sekolah',
  beginDate: '2026-03-30T07:30:00.000Z', endDate: '2026-03-31T15:00:00.000Z', ...overrides,
});
const letterCount = async () => (await t.app.db.selectFrom('letter').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;

async function uploaded(auth: Record<string, string>): Promise<{ key: string; fileUrl: string }> {
  const upload = await presign(t.app, auth, { fileName: 'undangan.pdf', fileType: 'application/pdf', fileSize: String(PDF.length), type: 'letter-attachment' });
  const put = await t.app.inject({ method: 'PUT', url: local(upload.url), headers: { 'content-type': 'application/pdf', 'x-amz-acl': 'public-read' }, payload: PDF });
  expect(put.statusCode).toBe(200);
  return upload;
}

describe('the Android client’s sequence', () => {
  it('presign → upload → create → list → get, with exactly the fields the client reads', async () => {
    const { fileUrl, key } = await uploaded(aisyah.auth);
    const created = await post(aisyah.auth, dispensation({ cc: [bima.userId], attachment: fileUrl, isPrinted: true }));
    expect(created.statusCode).toBe(201);
    const letter = created.json().result;
    expect(letter).toMatchObject({
      letterNumber: null, letterType: 'DISPENSATION', status: 'PENDING', subject: 'Lomba debat tingkat provinsi', reason: 'Mewakili sekolah',
      letterContent: null, letterDate: null, beginDate: '2026-03-30T07:30:00.000Z', endDate: '2026-03-31T15:00:00.000Z',
      cc: [bima.userId], attachment: fileUrl, isPrinted: true, applicant: { id: aisyah.userId, name: aisyah.name }, reviewer: null,
    });
    expect(letter.applicant.email).toContain('@siswa.sch.id');
    for (const field of ['id', 'createdAt', 'updatedAt']) expect(letter[field]).toEqual(expect.any(String));

    const list = await t.app.inject({ url: '/api/letters', headers: aisyah.auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().result.map((l: { id: string }) => l.id)).toContain(letter.id);
    expect(list.json().meta).toMatchObject({ page: 1, limit: 10 });

    const one = await t.app.inject({ url: `/api/letters/${letter.id}`, headers: aisyah.auth });
    expect(one.json().result.history).toEqual([
      expect.objectContaining({ action: 'CREATE', actor: { id: aisyah.userId, name: aisyah.name }, note: null, fromStatus: null, toStatus: 'PENDING' }),
    ]);
    // The attachment is readable by whoever sees the letter, and by nobody else.
    expect((await t.app.inject({ url: `/api/files/${key}`, headers: bima.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/files/${key}`, headers: teacher.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/files/${key}`, headers: citra.auth })).statusCode).toBe(404);
  });

  it('accepts plain dates and letters without dates where the type needs none', async () => {
    const plain = await post(aisyah.auth, dispensation({ beginDate: '2026-04-06', endDate: '2026-04-06' }));
    expect(plain.statusCode).toBe(201);
    // Midnight in Samarinda (UTC+8).
    expect(plain.json().result.beginDate).toBe('2026-04-05T16:00:00.000Z');
    const statement = await post(aisyah.auth, { letterType: 'ACTIVE_STATEMENT', subject: 'pendaftaran beasiswa' });
    expect(statement.statusCode).toBe(201);
    expect(statement.json().result).toMatchObject({ beginDate: null, endDate: null, cc: [], attachment: null, isPrinted: false });
  });
});

describe('refused requests write nothing', () => {
  it('names every bad field (400), an impossible period is a 422', async () => {
    const before = await letterCount();
    const pending = await presign(t.app, aisyah.auth, { fileName: 'a.pdf', fileType: 'application/pdf', fileSize: PDF.length });
    const theirs = await uploaded(bima.auth);

    const missing = await post(aisyah.auth, { letterType: 'ASSIGNMENT', subject: 'OSN' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.beginDate', 'body.endDate']);

    const bad = await post(aisyah.auth, dispensation({ cc: [bima.userId, '01930000-0000-7000-8000-000000000000'], attachment: theirs.fileUrl, beginDate: '2026-02-30' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.attachment', 'body.beginDate', 'body.cc.1']);
    const notYet = await post(aisyah.auth, dispensation({ attachment: pending.fileUrl }));
    expect(notYet.statusCode).toBe(400);
    expect(notYet.json().errors[0].field).toBe('body.attachment');

    const shape = await post(aisyah.auth, { letterType: 'PERMIT', subject: '', beginDate: 'tomorrow', extra: 1 });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.letterType', 'body.subject', 'body.beginDate']));

    const backwards = await post(aisyah.auth, dispensation({ beginDate: '2026-03-31T07:00:00.000Z', endDate: '2026-03-30T07:00:00.000Z' }));
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors[0].field).toBe('body.endDate');
    expect(await letterCount()).toBe(before);
    expect((await post({}, dispensation())).statusCode).toBe(401);
  });
});

describe('visibility', () => {
  let letterId: string;
  beforeAll(async () => {
    letterId = (await post(aisyah.auth, dispensation({ cc: [bima.userId] }))).json().result.id;
  });

  it('shows a letter to its applicant, to those cc’d and to reviewers, and is a 404 to anyone else', async () => {
    for (const who of [aisyah, bima]) expect((await t.app.inject({ url: `/api/letters/${letterId}`, headers: who.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/letters/${letterId}`, headers: teacher.auth })).statusCode).toBe(200);
    const stranger = await t.app.inject({ url: `/api/letters/${letterId}`, headers: citra.auth });
    expect(stranger.statusCode).toBe(404);
    const strangersList = await t.app.inject({ url: '/api/letters?limit=100', headers: citra.auth });
    expect(strangersList.json().result.map((l: { id: string }) => l.id)).not.toContain(letterId);
    expect((await act(citra.auth, letterId, 'CANCEL')).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/letters/${letterId}/document`, headers: citra.auth })).statusCode).toBe(404);
  });

  it('lists a user’s letters for themselves and for letters:read, and is a 404 to other students', async () => {
    const mine = await t.app.inject({ url: '/api/users/me/letters?limit=100', headers: aisyah.auth });
    expect(mine.json().result.every((l: { applicant: { id: string } }) => l.applicant.id === aisyah.userId)).toBe(true);
    expect(mine.json().result.map((l: { id: string }) => l.id)).toContain(letterId);
    const own = await t.app.inject({ url: `/api/users/${aisyah.userId}/letters?limit=100`, headers: aisyah.auth });
    expect(own.json().meta.total).toBe(mine.json().meta.total);
    expect((await t.app.inject({ url: `/api/users/${aisyah.userId}/letters`, headers: teacher.auth })).json().meta.total).toBe(mine.json().meta.total);
    expect((await t.app.inject({ url: `/api/users/${aisyah.userId}/letters`, headers: citra.auth })).statusCode).toBe(404);
    // Bima is cc'd, not the applicant: the letter is in his inbox, not in his own requests.
    expect((await t.app.inject({ url: '/api/users/me/letters', headers: bima.auth })).json().result.map((l: { id: string }) => l.id)).not.toContain(letterId);
  });

  it('filters by status, type, creation time and searches subject and number', async () => {
    const all = await t.app.inject({ url: '/api/letters?limit=100', headers: teacher.auth });
    const total = all.json().meta.total;
    expect(total).toBeGreaterThanOrEqual(4);
    const statements = await t.app.inject({ url: '/api/letters?letterType=ACTIVE_STATEMENT', headers: teacher.auth });
    expect(statements.json().result.every((l: { letterType: string }) => l.letterType === 'ACTIVE_STATEMENT')).toBe(true);
    expect((await t.app.inject({ url: '/api/letters?search=DEBAT&limit=100', headers: teacher.auth })).json().meta.total).toBe(
      all.json().result.filter((l: { subject: string }) => l.subject.includes('debat')).length,
    );
    expect((await t.app.inject({ url: '/api/letters?from=2099-01-01', headers: teacher.auth })).json().meta.total).toBe(0);
    // “Today” at school (Samarinda is UTC+8, so it can differ from the UTC date).
    const today = todayIn('Asia/Makassar');
    expect((await t.app.inject({ url: `/api/letters?to=${today}`, headers: teacher.auth })).json().meta.total).toBe(total);
    const bad = await t.app.inject({ url: '/api/letters?status=DONE&from=2026-13-01&sort=-nope', headers: teacher.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['querystring.from', 'querystring.sort', 'querystring.status']);
  });
});

describe('actions', () => {
  it('approves: reviewer, date, content from the template, and the number', async () => {
    const { id } = (await post(aisyah.auth, dispensation())).json().result;
    expect((await act(aisyah.auth, id, 'APPROVE')).statusCode).toBe(403);
    expect((await act(bima.auth, id, 'CANCEL')).statusCode).toBe(404);
    const approved = await act(teacher.auth, id, 'APPROVE', 'Semoga sukses');
    expect(approved.statusCode).toBe(200);
    const letter = approved.json().result;
    const year = new Date().getUTCFullYear();
    expect(letter).toMatchObject({ status: 'APPROVED', reviewer: { id: teacher.id, name: 'Drs. Hendra Wijaya', email: teacher.email } });
    expect(letter.letterNumber).toMatch(new RegExp(`^\\d{3}/DISP/SMAN1-SMD/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)/${year}$`));
    expect(Date.now() - Date.parse(letter.letterDate)).toBeLessThan(60_000);
    expect(letter.letterContent).toContain(aisyah.name);
    expect(letter.letterContent).toContain(`NISN: ${aisyah.nisn}`);
    expect(letter.letterContent).toContain('Kelas: XI IPA 2');
    expect(letter.letterContent).toContain('30 Maret 2026 sampai dengan 31 Maret 2026');
    expect(letter.history.map((h: { action: string }) => h.action)).toEqual(['CREATE', 'APPROVE']);
    expect(letter.history[1]).toMatchObject({ actor: { id: teacher.id }, note: 'Semoga sukses', fromStatus: 'PENDING', toStatus: 'APPROVED' });

    for (const [auth, action] of [[teacher.auth, 'REJECT'], [teacher.auth, 'APPROVE'], [aisyah.auth, 'CANCEL']] as const) {
      const again = await act(auth, id, action, 'x');
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toContain('APPROVED');
    }
  });

  it('rejects only with a note, lets the applicant cancel, and refuses a reviewer’s own letter', async () => {
    const first = (await post(bima.auth, dispensation())).json().result.id;
    const noNote = await act(teacher.auth, first, 'REJECT');
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0].field).toBe('body.note');
    const rejected = await act(staff.auth, first, 'REJECT', 'Jadwal bentrok dengan ujian');
    expect(rejected.json().result).toMatchObject({ status: 'REJECTED', letterNumber: null, reviewer: { id: staff.id } });
    expect((await act(bima.auth, first, 'CANCEL')).statusCode).toBe(409);

    const second = (await post(bima.auth, { letterType: 'RECOMMENDATION', subject: 'beasiswa' })).json().result.id;
    const cancelled = await act(bima.auth, second, 'CANCEL');
    expect(cancelled.json().result.status).toBe('CANCELLED');
    expect(cancelled.json().result.history[1]).toMatchObject({ action: 'CANCEL', fromStatus: 'PENDING', toStatus: 'CANCELLED' });

    const own = (await post(teacher.auth, { letterType: 'ASSIGNMENT', subject: 'Pendamping OSN', beginDate: '2026-05-01', endDate: '2026-05-03' })).json().result.id;
    expect((await act(teacher.auth, own, 'APPROVE')).statusCode).toBe(403);
    expect((await act(staff.auth, own, 'APPROVE')).json().result.letterNumber).toMatch(/^001\/ST\//);
  });

  it('gives 50 approvals fired at once 50 distinct consecutive numbers', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await post([aisyah, bima, citra][i % 3]!.auth, { letterType: 'RECOMMENDATION', subject: `Lomba ${i}` })).json().result.id);
    const reviewers = [teacher, staff, admin];
    const answers = await Promise.all(ids.map((id, i) => act(reviewers[i % 3]!.auth, id, 'APPROVE')));
    expect(answers.map((a) => a.statusCode)).toEqual(ids.map(() => 200));
    const numbers = answers.map((a) => a.json().result.letterNumber as string);
    expect(new Set(numbers).size).toBe(50);
    const sequences = numbers.map((n) => Number(n.split('/')[0])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => sequences[0]! + i));
    expect(numbers.every((n) => n.includes('/REK/'))).toBe(true);
    // Two instances on one database: the numbering holds across them.
    const other = await buildTestApp({}, { database: t.database });
    try {
      const more: string[] = [];
      for (let i = 0; i < 20; i++) more.push((await post([aisyah, bima, citra][i % 3]!.auth, { letterType: 'RECOMMENDATION', subject: `Lomba B${i}` })).json().result.id);
      const both = await Promise.all(more.map((id, i) => (i % 2 ? other.app : t.app).inject({
        method: 'POST', url: `/api/letters/${id}/actions`, headers: staff.auth, payload: { action: 'APPROVE' },
      })));
      expect(both.map((a) => a.statusCode)).toEqual(more.map(() => 200));
      const after = both.map((a) => Number((a.json().result.letterNumber as string).split('/')[0])).sort((a, b) => a - b);
      expect(after).toEqual(Array.from({ length: 20 }, (_, i) => sequences[0]! + 50 + i));
    } finally {
      await other.close();
    }
    // The same letter approved twice at once: one wins, the other is told.
    const { id } = (await post(citra.auth, { letterType: 'RECOMMENDATION', subject: 'rebutan' })).json().result;
    const race = await Promise.all([act(teacher.auth, id, 'APPROVE'), act(staff.auth, id, 'APPROVE')]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});

describe('the document and its verification', () => {
  it('is a PDF with the number, the content and a verification code that checks out publicly', async () => {
    const { id } = (await post(aisyah.auth, dispensation({ subject: 'Olimpiade Sains Nasional' }))).json().result;
    expect((await t.app.inject({ url: `/api/letters/${id}/document`, headers: aisyah.auth })).statusCode).toBe(409);
    const letter = (await act(teacher.auth, id, 'APPROVE')).json().result;

    const document = await t.app.inject({ url: `/api/letters/${id}/document`, headers: aisyah.auth });
    expect(document.statusCode).toBe(200);
    expect(document.headers['content-type']).toBe('application/pdf');
    const pdf = document.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    const text = pdfText(pdf);
    expect(text).toContain(`Nomor: ${letter.letterNumber}`);
    expect(text).toContain('SMA NEGERI 1 SAMARINDA');
    expect(text).toContain('SURAT DISPENSASI');
    expect(text).toContain('Drs. Hendra Wijaya');
    expect(text).toContain('Olimpiade Sains Nasional');

    const code = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})/.exec(text)![1]!;
    const verified = await t.app.inject({ url: `/api/letters/verify/${code}` });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().result).toEqual({
      letterNumber: letter.letterNumber, letterType: 'DISPENSATION', letterDate: letter.letterDate, status: 'APPROVED', applicantInitials: 'A. P. R.',
    });
    expect(verified.body).not.toContain('Aisyah');
    expect((await t.app.inject({ url: `/api/letters/verify/${code.replaceAll('-', '').toLowerCase()}` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/letters/verify/${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/letters/verify/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' })).statusCode).toBe(404);
  });
});

describe('GET /api/letters/recipients', () => {
  it('pages active users by name, marks reviewers, and filters by type and canReview', async () => {
    const all = await t.app.inject({ url: '/api/letters/recipients?search=bima', headers: aisyah.auth });
    expect(all.statusCode).toBe(200);
    expect(all.json().result).toEqual([{ id: bima.userId, name: 'Bima Saputra', type: 'STUDENT', image: null, canReview: false }]);
    const reviewers = await t.app.inject({ url: '/api/letters/recipients?canReview=true&limit=100', headers: aisyah.auth });
    const ids = reviewers.json().result.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([teacher.id, staff.id, admin.id]));
    expect(ids).not.toContain(bima.userId);
    const teachers = await t.app.inject({ url: '/api/letters/recipients?type=TEACHER&limit=100', headers: aisyah.auth });
    expect(teachers.json().result.every((r: { type: string }) => r.type === 'TEACHER')).toBe(true);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${citra.userId}`, headers: admin.auth, payload: { banned: true } });
    expect((await t.app.inject({ url: '/api/letters/recipients?search=citra', headers: aisyah.auth })).json().meta.total).toBe(0);
  });
});
