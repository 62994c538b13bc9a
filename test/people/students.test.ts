import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { fullStudent } from '../helpers/people.js';

let t: TestApp;
let admin: { id: string; auth: { authorization: string } };
let teacher: Awaited<ReturnType<typeof signedInUser>>;
let staff: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedInAdministrator(t.app);
  teacher = await signedInUser(t.app, { type: 'TEACHER' });
  staff = await signedInUser(t.app, { type: 'STAFF' });
});
afterAll(() => t.close());

const post = (body: unknown, auth = admin.auth) => t.app.inject({ method: 'POST', url: '/api/students', headers: auth, payload: body as object });
const get = (url: string, auth: Record<string, string> = admin.auth) => t.app.inject({ method: 'GET', url, headers: auth });
const patch = (id: string, body: unknown, auth = admin.auth) =>
  t.app.inject({ method: 'PATCH', url: `/api/students/${id}`, headers: auth, payload: body as object });

async function createStudent(overrides: Record<string, unknown> = {}) {
  const response = await post(fullStudent(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().result as { student: Record<string, any>; temporaryPassword?: string };
}

describe('creating a student', () => {
  it('creates the record and its account in one go, with a one-time password the student must change', async () => {
    const { student, temporaryPassword } = await createStudent({ name: 'Aisyah Putri Ramadhani', email: 'aisyah@siswa.sch.id', nisn: '0051234567' });
    expect(student).toMatchObject({
      name: 'Aisyah Putri Ramadhani', email: 'aisyah@siswa.sch.id', nisn: '0051234567', status: 'ACTIVE', gender: 'FEMALE',
      address: { city: 'Samarinda', location: { type: 'Point', coordinates: [117.1536, -0.5022] } },
      father: { name: 'Budi Santoso', income: 'FROM_2M_TO_4999K' }, welfare: { kipRecipient: true, kipNumber: 'KIP123456' },
      classId: null, className: null, deletedAt: null,
    });
    expect(temporaryPassword).toMatch(/^[\w-]{16}$/);
    const session = await signIn(t.app, { email: 'aisyah@siswa.sch.id', password: temporaryPassword! });
    const me = await get('/api/users/me', { authorization: `Bearer ${session.token}` });
    expect(me.json().result.user).toMatchObject({ id: student.userId, type: 'STUDENT', mustChangePassword: true, roles: [{ name: 'student' }] });
    expect(me.json().result.permissions).toEqual(['letters:create']);
  });

  it('uses a given password and returns none', async () => {
    const response = await post(fullStudent({ email: 'given@siswa.sch.id', password: 'Chosen-Password-1' }));
    expect(response.statusCode).toBe(201);
    expect(response.json().result.temporaryPassword).toBeUndefined();
    await signIn(t.app, { email: 'given@siswa.sch.id', password: 'Chosen-Password-1' });
  });

  it('refuses every bad field at once, naming each, and writes nothing', async () => {
    const before = (await get('/api/students?limit=1')).json().meta.total;
    const response = await post({
      name: '', email: 'not-an-email', gender: 'M', nisn: '12345', nik: '12345678901234567', familyCardNumber: 'abc',
      birthDate: '2010-02-30', height: 400, weight: 5, religion: 'JEDI', transportationMode: 'ROCKET', specialNeeds: ['BLIND', 'FLYING'],
      address: { postalCode: '7511', rt: '1234', location: { type: 'Point', coordinates: [200, -100] } },
      father: { nik: '1', income: 'LOTS', birthDate: 'yesterday' }, welfare: { kipRecipient: 'yes' }, role: 'ADMIN',
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field);
    for (const field of [
      'body.name', 'body.email', 'body.gender', 'body.nisn', 'body.nik', 'body.familyCardNumber', 'body.birthDate', 'body.height',
      'body.weight', 'body.religion', 'body.transportationMode', 'body.specialNeeds[1]', 'body.address.postalCode', 'body.address.rt',
      'body.address.location.coordinates[0]', 'body.address.location.coordinates[1]', 'body.father.nik', 'body.father.income',
      'body.father.birthDate', 'body.welfare.kipRecipient', 'body.role',
    ]) expect(fields).toContain(field);
    expect((await get('/api/students?limit=1')).json().meta.total).toBe(before);
  });

  it('refuses dates in the future and parents whose birth year disagrees with their birth date', async () => {
    const response = await post(fullStudent({
      birthDate: '2999-01-01',
      mother: { name: 'Ibu', birthDate: '1980-05-05', birthYear: 1981 },
      guardian: { name: 'Wali', birthYear: 2090 },
      welfare: { kipRecipient: false, kipNumber: 'KIP1' },
    }));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['body.birthDate', 'body.guardian.birthYear', 'body.mother.birthYear', 'body.welfare.kipRecipient'].sort(),
    );
  });

  it('answers 409 naming the duplicated NISN, NIK or email, and creates no account', async () => {
    await createStudent({ email: 'first@siswa.sch.id', nisn: '0060000001', nik: '6472999999999991' });
    for (const [override, field] of [
      [{ nisn: '0060000001' }, 'body.nisn'],
      [{ nik: '6472999999999991' }, 'body.nik'],
      [{ email: 'FIRST@siswa.sch.id' }, 'body.email'],
    ] as const) {
      const response = await post(fullStudent({ email: 'second@siswa.sch.id', ...override }));
      expect(response.statusCode, JSON.stringify(override)).toBe(409);
      expect(response.json().errors[0]).toMatchObject({ code: 'DUPLICATE', field });
    }
    const users = await get('/api/users?search=second%40siswa');
    expect(users.json().meta.total).toBe(0);
  });

  it('needs students:write: a teacher may read students but not create them', async () => {
    expect((await post(fullStudent(), teacher.auth)).statusCode).toBe(403);
    expect((await get('/api/students', teacher.auth)).statusCode).toBe(200);
    expect((await post(fullStudent(), staff.auth)).statusCode).toBe(201);
  });
});

describe('reading students', () => {
  it('shows a student their own record and hides everyone else’s as 404', async () => {
    const own = await createStudent({ email: 'own@siswa.sch.id', password: 'Own-Password-123' });
    const other = await createStudent({ email: 'other@siswa.sch.id' });
    const session = await signIn(t.app, { email: 'own@siswa.sch.id', password: 'Own-Password-123' });
    const auth = { authorization: `Bearer ${session.token}` };
    const mine = await get(`/api/students/${own.student.id}`, auth);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().result.nisn).toBe(own.student.nisn);
    expect((await get(`/api/students/${other.student.id}`, auth)).statusCode).toBe(404);
    expect((await get(`/api/students/${other.student.id}`, teacher.auth)).statusCode).toBe(200);
    expect((await patch(own.student.id, { hobby: 'Membaca' }, auth)).statusCode).toBe(403);
    expect((await patch(own.student.id, { hobby: 'Membaca' }, teacher.auth)).statusCode).toBe(403);
  });

  it('gives a student only the directory: active students, no identity numbers, contacts or parents', async () => {
    const classmate = await createStudent({ name: 'Zulkifli Directory', email: 'zul@siswa.sch.id' });
    const graduate = await createStudent({ name: 'Zulaikha Graduate', email: 'zulaikha@siswa.sch.id', status: 'GRADUATED' });
    const me = await createStudent({ email: 'dir@siswa.sch.id', password: 'Dir-Password-123' });
    const session = await signIn(t.app, { email: 'dir@siswa.sch.id', password: 'Dir-Password-123' });
    const auth = { authorization: `Bearer ${session.token}` };
    const response = await get('/api/students?search=zul&limit=100', auth);
    expect(response.statusCode).toBe(200);
    const items = response.json().result;
    expect(items).toEqual([{ id: classmate.student.id, userId: classmate.student.userId, name: 'Zulkifli Directory', gender: 'FEMALE', classId: null, className: null }]);
    expect(items.map((s: { id: string }) => s.id)).not.toContain(graduate.student.id);
    expect(response.body).not.toContain(classmate.student.nisn);
    expect(me.student.id).toBeDefined();
    // Identity numbers are not searchable in the directory, and revealing filters or sorts are refused.
    expect((await get(`/api/students?search=${classmate.student.nisn}`, auth)).json().meta.total).toBe(0);
    for (const query of ['religion=ISLAM', 'sort=nisn', 'fatherIncome=ABOVE_20M', 'includeDeleted=true', 'status=GRADUATED']) {
      expect((await get(`/api/students?${query}`, auth)).statusCode, query).toBe(403);
    }
    expect((await get('/api/students?gender=FEMALE&sort=-name', auth)).statusCode).toBe(200);
  });
});

describe('listing students', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = {};
    const people = [
      { key: 'ani', name: 'Ani Lestari', gender: 'FEMALE', religion: 'ISLAM', birthDate: '2009-03-01', nisn: '0091000001', transportationMode: 'WALKING', specialNeeds: ['BLIND'] },
      { key: 'bayu', name: 'Bayu Nugroho', gender: 'MALE', religion: 'CATHOLIC', birthDate: '2008-07-15', nisn: '0091000002', transportationMode: 'MOTORCYCLE', specialNeeds: [] },
      { key: 'citra', name: 'Citra Dewi Anggraini', gender: 'FEMALE', religion: 'ISLAM', birthDate: '2009-11-30', nisn: '0091000003', transportationMode: 'MOTORCYCLE', specialNeeds: ['AUTISM', 'BLIND'] },
      { key: 'dimas', name: 'Dimas Ánggara', gender: 'MALE', religion: 'HINDU', birthDate: null, nisn: '0092000004', transportationMode: null, specialNeeds: [] },
    ];
    for (const { key, ...fields } of people) {
      ids[key] = (await createStudent({ ...fields, email: `${key}@list.sch.id`, nik: null, father: { income: key === 'bayu' ? 'ABOVE_20M' : 'BELOW_500K' } })).student.id;
    }
  });
  const names = async (query: string) => {
    const response = await get(`/api/students?limit=100&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().result.filter((s: { email: string }) => s.email.endsWith('@list.sch.id')).map((s: { name: string }) => s.name);
  };

  it('searches word prefixes of names (accents folded) and identity numbers', async () => {
    expect(await names('search=ang')).toEqual(['Citra Dewi Anggraini', 'Dimas Ánggara']);
    expect(await names('search=CITRA%20ang')).toEqual(['Citra Dewi Anggraini']);
    expect(await names('search=0091')).toEqual(['Ani Lestari', 'Bayu Nugroho', 'Citra Dewi Anggraini']);
    expect(await names('search=estari')).toEqual([]);
    expect(await names('search=100%25_')).toEqual([]);
  });

  it('filters on enumerated fields, parents’ income and special needs', async () => {
    expect(await names('gender=FEMALE&religion=ISLAM')).toEqual(['Ani Lestari', 'Citra Dewi Anggraini']);
    expect(await names('transportationMode=MOTORCYCLE')).toEqual(['Bayu Nugroho', 'Citra Dewi Anggraini']);
    expect(await names('fatherIncome=ABOVE_20M')).toEqual(['Bayu Nugroho']);
    expect(await names('specialNeed=BLIND')).toEqual(['Ani Lestari', 'Citra Dewi Anggraini']);
    expect((await get('/api/students?religion=JEDI')).statusCode).toBe(400);
  });

  it('sorts on name, birth date (empty last) and NISN, both ways, and pages without overlap', async () => {
    expect(await names('sort=-name')).toEqual(['Dimas Ánggara', 'Citra Dewi Anggraini', 'Bayu Nugroho', 'Ani Lestari']);
    expect(await names('sort=birthDate')).toEqual(['Bayu Nugroho', 'Ani Lestari', 'Citra Dewi Anggraini', 'Dimas Ánggara']);
    expect(await names('sort=-birthDate')).toEqual(['Citra Dewi Anggraini', 'Ani Lestari', 'Bayu Nugroho', 'Dimas Ánggara']);
    expect(await names('sort=-nisn')).toEqual(['Dimas Ánggara', 'Citra Dewi Anggraini', 'Bayu Nugroho', 'Ani Lestari']);
    const first = await get('/api/students?search=0091&limit=2&page=1&sort=nisn');
    const second = await get('/api/students?search=0091&limit=2&page=2&sort=nisn');
    expect(first.json().meta).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect([...first.json().result, ...second.json().result].map((s: { name: string }) => s.name)).toEqual(['Ani Lestari', 'Bayu Nugroho', 'Citra Dewi Anggraini']);
    expect((await get('/api/students?sort=religion')).statusCode).toBe(400);
  });

  it('never answers a list from before a change', async () => {
    const list = async () => (await get('/api/students?search=bayu')).json().result[0];
    expect((await list()).hobby).toBe('Membaca');
    await patch(ids.bayu!, { hobby: 'Catur' });
    expect((await list()).hobby).toBe('Catur');
    await t.app.inject({ method: 'PATCH', url: `/api/users/${(await list()).userId}`, headers: admin.auth, payload: { email: 'bayu.new@list.sch.id' } });
    expect((await list()).email).toBe('bayu.new@list.sch.id');
  });

  it('finds a student by a new name after the account is renamed', async () => {
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/users/${(await get(`/api/students/${ids.ani}`)).json().result.userId}`, headers: admin.auth, payload: { name: 'Ani Kusumawati' } });
    expect(renamed.statusCode).toBe(200);
    expect(await names('search=kusuma')).toEqual(['Ani Kusumawati']);
    expect(await names('search=lestari')).toEqual([]);
    expect((await get(`/api/students/${ids.ani}`)).json().result.name).toBe('Ani Kusumawati');
  });
});

describe('updating a student', () => {
  it('changes only the fields sent, merges nested objects one level, and replaces arrays', async () => {
    const { student } = await createStudent({ email: 'merge@siswa.sch.id' });
    const response = await patch(student.id, {
      hobby: 'Sepak bola', father: { occupation: 'FARMER' }, address: { rt: '007' }, specialNeeds: ['DEAF'], landline: null,
    });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json().result;
    expect(updated.hobby).toBe('Sepak bola');
    expect(updated.father).toEqual({ ...student.father, occupation: 'FARMER' });
    expect(updated.address).toEqual({ ...student.address, rt: '007' });
    expect(updated.specialNeeds).toEqual(['DEAF']);
    expect(updated.landline).toBeNull();
    expect(updated.mother).toEqual(student.mother);
    const cleared = await patch(student.id, { guardian: null });
    expect(cleared.json().result.guardian).toBeNull();
    // The parents' occupation is a filter too, so it follows the merge.
    expect((await get('/api/students?fatherOccupation=FARMER&search=merge')).json().meta.total).toBe(0);
    expect((await get(`/api/students?fatherOccupation=FARMER&limit=100`)).json().result.map((s: { id: string }) => s.id)).toContain(student.id);
  });

  it('validates the merged record, not just the patch', async () => {
    const { student } = await createStudent({ email: 'merged-rules@siswa.sch.id', father: { name: 'Ayah', birthDate: '1975-01-02', birthYear: 1975 } });
    const response = await patch(student.id, { father: { birthYear: 1976 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.father.birthYear', code: 'INCONSISTENT' })]);
    expect((await get(`/api/students/${student.id}`)).json().result.father.birthYear).toBe(1975);
  });

  it('changes the account’s email and name with the record, refusing one already used', async () => {
    const { student } = await createStudent({ email: 'rename@siswa.sch.id' });
    await createStudent({ email: 'taken@siswa.sch.id', nisn: '0077777777' });
    expect((await patch(student.id, { email: 'taken@siswa.sch.id' })).statusCode).toBe(409);
    expect((await patch(student.id, { nisn: '0077777777' })).json().errors[0].field).toBe('body.nisn');
    const response = await patch(student.id, { name: 'Renamed Student', email: 'renamed@siswa.sch.id' });
    expect(response.json().result).toMatchObject({ name: 'Renamed Student', email: 'renamed@siswa.sch.id' });
    const user = await get(`/api/users/${student.userId}`);
    expect(user.json().result).toMatchObject({ name: 'Renamed Student', email: 'renamed@siswa.sch.id' });
  });

  it('refuses an empty patch, an unknown field, and an unknown id', async () => {
    const { student } = await createStudent({ email: 'empty@siswa.sch.id' });
    expect((await patch(student.id, {})).statusCode).toBe(400);
    expect((await patch(student.id, { userId: 'someone-else' })).json().errors[0]).toMatchObject({ field: 'body.userId', code: 'UNKNOWN_FIELD' });
    expect((await patch('01930000-0000-7000-8000-000000000000', { hobby: 'x' })).statusCode).toBe(404);
  });
});

describe('deleting and restoring a student', () => {
  it('hides the record, disables and signs out the account, and brings both back on restore', async () => {
    const { student } = await createStudent({ name: 'Gone Student', email: 'gone@siswa.sch.id', password: 'Gone-Password-123' });
    const session = await signIn(t.app, { email: 'gone@siswa.sch.id', password: 'Gone-Password-123' });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/students/${student.id}`, headers: admin.auth });
    expect(del.statusCode).toBe(200);

    expect((await get('/api/users/me', { authorization: `Bearer ${session.token}` })).statusCode).toBe(401);
    const signInAgain = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: 'gone@siswa.sch.id', password: 'Gone-Password-123' } });
    expect(signInAgain.statusCode).toBe(403);
    expect((await get('/api/students?search=gone')).json().meta.total).toBe(0);
    expect((await get(`/api/students/${student.id}`, teacher.auth)).statusCode).toBe(404);
    expect((await patch(student.id, { hobby: 'x' })).statusCode).toBe(404);
    const listed = await get('/api/students?search=gone&includeDeleted=true');
    expect(listed.json().result).toEqual([expect.objectContaining({ id: student.id, deletedAt: expect.any(String) })]);
    expect((await get('/api/students?includeDeleted=true', staff.auth)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/students/${student.id}`, headers: admin.auth })).statusCode).toBe(404);
    // The account cannot be removed from under the record, nor enabled while the record is deleted.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${student.userId}`, headers: admin.auth })).statusCode).toBe(409);
    const unban = await t.app.inject({ method: 'PATCH', url: `/api/users/${student.userId}`, headers: admin.auth, payload: { banned: false } });
    expect(unban.statusCode).toBe(409);

    const restored = await t.app.inject({ method: 'POST', url: `/api/students/${student.id}/restore`, headers: admin.auth });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().result.deletedAt).toBeNull();
    expect((await get('/api/students?search=gone')).json().meta.total).toBe(1);
    await signIn(t.app, { email: 'gone@siswa.sch.id', password: 'Gone-Password-123' });
    expect((await t.app.inject({ method: 'POST', url: `/api/students/${student.id}/restore`, headers: admin.auth })).statusCode).toBe(409);
  });

  it('keeps an administrator’s own ban through delete and restore', async () => {
    const { student } = await createStudent({ email: 'banned@siswa.sch.id' });
    await t.app.inject({ method: 'PATCH', url: `/api/users/${student.userId}`, headers: admin.auth, payload: { banned: true, banReason: 'Cheating' } });
    await t.app.inject({ method: 'DELETE', url: `/api/students/${student.id}`, headers: admin.auth });
    await t.app.inject({ method: 'POST', url: `/api/students/${student.id}/restore`, headers: admin.auth });
    expect((await get(`/api/users/${student.userId}`)).json().result).toMatchObject({ banned: true, banReason: 'Cheating' });
  });

  it('needs students:delete (staff may not delete)', async () => {
    const { student } = await createStudent({ email: 'kept@siswa.sch.id' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/students/${student.id}`, headers: staff.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/students/${student.id}/restore`, headers: staff.auth })).statusCode).toBe(403);
  });
});
