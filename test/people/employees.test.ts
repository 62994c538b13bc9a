import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { fullEmployee, nipFor } from '../helpers/people.js';

let t: TestApp;
let admin: { id: string; auth: { authorization: string } };
let staffUser: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedInAdministrator(t.app);
  staffUser = await signedInUser(t.app, { type: 'STAFF' });
});
afterAll(() => t.close());

const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, auth: Record<string, string> = admin.auth) =>
  t.app.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body as object }) });

// Teachers and staff share their rules; each case runs on both.
describe.each([
  { resource: 'teachers', key: 'teacher', type: 'TEACHER', role: 'teacher' },
  { resource: 'staff', key: 'staff', type: 'STAFF', role: 'staff' },
] as const)('/api/$resource', ({ resource, key, type, role }) => {
  const create = async (overrides: Record<string, unknown> = {}) => {
    const response = await send('POST', `/api/${resource}`, fullEmployee(overrides));
    expect(response.statusCode, response.body).toBe(201);
    return response.json().result[key] as Record<string, any>;
  };

  it('creates the record with an account of the right type and role', async () => {
    const response = await send('POST', `/api/${resource}`, fullEmployee({ name: 'Hendra Wijaya', email: `hendra.${resource}@sman1.sch.id`, password: 'Hendra-Pass-123' }));
    expect(response.statusCode, response.body).toBe(201);
    const record = response.json().result[key];
    expect(record).toMatchObject({ name: 'Hendra Wijaya', employmentStatus: 'PNS', educationHistory: [expect.objectContaining({ level: 'BACHELOR' })] });
    const session = await signIn(t.app, { email: `hendra.${resource}@sman1.sch.id`, password: 'Hendra-Pass-123' });
    const me = await send('GET', '/api/users/me', undefined, { authorization: `Bearer ${session.token}` });
    expect(me.json().result.user).toMatchObject({ type, roles: [{ name: role }] });
    // Their own record is readable to them even without the read permission of their kind.
    expect((await send('GET', `/api/${resource}/${record.id}`, undefined, { authorization: `Bearer ${session.token}` })).statusCode).toBe(200);
  });

  it('checks the NIP against the birth date, month of appointment and gender', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ nip: '19851315201001 1001'.replace(' ', '') }, 'a real birth date'],
      [{ nip: '198506152010131001' }, 'month of appointment'],
      [{ nip: '198506152010013001' }, '1 (male) or 2 (female)'],
      [{ nip: nipFor('1985-06-16', 'MALE', 1) }, 'must start with the birth date 19850615'],
      [{ nip: nipFor('1985-06-15', 'FEMALE', 1) }, 'digit 15 must be 1'],
      [{ nip: '12345' }, 'must be exactly 18 digits'],
    ];
    for (const [override, message] of cases) {
      const response = await send('POST', `/api/${resource}`, fullEmployee(override));
      expect(response.statusCode, JSON.stringify(override)).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.nip' })]);
      expect(response.json().errors[0].message).toContain(message);
    }
  });

  it('checks start date, graduation years and the employment status list', async () => {
    const response = await send('POST', `/api/${resource}`, fullEmployee({
      startDate: '1980-01-01',
      educationHistory: [{ level: 'BACHELOR', institution: 'Unmul', graduationYear: 2090 }, { level: 'SENIOR_HIGH', institution: 'SMA', graduationYear: 1984 }],
    }));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual(
      ['body.startDate', 'body.educationHistory[0].graduationYear', 'body.educationHistory[1].graduationYear'],
    );
    const badEnum = await send('POST', `/api/${resource}`, fullEmployee({ employmentStatus: 'VOLUNTEER', educationHistory: [{ level: 'PHD' }] }));
    expect(badEnum.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.employmentStatus', 'body.educationHistory[0].level', 'body.educationHistory[0].institution']),
    );
  });

  it('refuses a duplicate NIP or NIK with 409 naming the field', async () => {
    const first = await create({ birthDate: '1970-01-01', nip: nipFor('1970-01-01', 'MALE', 901) });
    const dupNip = await send('POST', `/api/${resource}`, fullEmployee({ birthDate: '1970-01-01', nip: first.nip }));
    expect(dupNip.statusCode).toBe(409);
    expect(dupNip.json().errors[0].field).toBe('body.nip');
    const dupNik = await send('POST', `/api/${resource}`, fullEmployee({ nik: first.nik }));
    expect(dupNik.json().errors[0].field).toBe('body.nik');
  });

  it('lists with search over NIP, filters and sort', async () => {
    const honorer = await create({ name: 'Yohana Honorer', employmentStatus: 'HONORER', nip: null, gender: 'FEMALE', birthDate: '1995-02-02' });
    await create({ name: 'Yosef Pns', employmentStatus: 'PNS', birthDate: '1966-05-05', nip: nipFor('1966-05-05', 'MALE', 777) });
    const names = async (query: string) =>
      (await send('GET', `/api/${resource}?limit=100&${query}`)).json().result.map((p: { name: string }) => p.name);
    expect(await names('search=yo')).toEqual(['Yohana Honorer', 'Yosef Pns']);
    expect(await names('search=yo&employmentStatus=HONORER')).toEqual(['Yohana Honorer']);
    expect(await names('search=196605')).toEqual(['Yosef Pns']);
    expect(await names('search=yo&sort=birthDate')).toEqual(['Yosef Pns', 'Yohana Honorer']);
    expect(await names('search=yo&sort=nip')).toEqual(['Yosef Pns', 'Yohana Honorer']);
    expect(honorer.nip).toBeNull();
  });

  it('merges the address, replaces education history, and keeps the NIP consistent with a new birth date', async () => {
    const person = await create({ address: { city: 'Samarinda', province: 'Kalimantan Timur' } });
    const moved = await send('PATCH', `/api/${resource}/${person.id}`, { address: { city: 'Balikpapan' }, educationHistory: [] });
    expect(moved.json().result).toMatchObject({ address: { city: 'Balikpapan', province: 'Kalimantan Timur' }, educationHistory: [] });
    const inconsistent = await send('PATCH', `/api/${resource}/${person.id}`, { birthDate: '1990-01-01' });
    expect(inconsistent.statusCode).toBe(400);
    expect(inconsistent.json().errors[0].field).toBe('body.nip');
  });

  it('soft-deletes and restores', async () => {
    const person = await create();
    expect((await send('DELETE', `/api/${resource}/${person.id}`)).statusCode).toBe(200);
    expect((await send('GET', `/api/${resource}/${person.id}`, undefined, staffUser.auth)).statusCode).toBe(404);
    expect((await send('GET', `/api/${resource}/${person.id}`)).json().result.deletedAt).toEqual(expect.any(String));
    expect((await send('POST', `/api/${resource}/${person.id}/restore`)).json().result.deletedAt).toBeNull();
  });
});

describe('who may do what with teachers and staff', () => {
  it('lets the staff role manage teachers and staff, but not delete them; teachers and students see neither list', async () => {
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    const student = await signedInUser(t.app, { type: 'STUDENT' });
    const created = await send('POST', '/api/teachers', fullEmployee(), staffUser.auth);
    expect(created.statusCode).toBe(201);
    const id = created.json().result.teacher.id;
    expect((await send('PATCH', `/api/teachers/${id}`, { position: 'Wali Kelas' }, staffUser.auth)).statusCode).toBe(200);
    expect((await send('DELETE', `/api/teachers/${id}`, undefined, staffUser.auth)).statusCode).toBe(403);
    for (const auth of [teacher.auth, student.auth]) {
      expect((await send('GET', '/api/teachers', undefined, auth)).statusCode).toBe(403);
      expect((await send('GET', '/api/staff', undefined, auth)).statusCode).toBe(403);
      expect((await send('GET', `/api/teachers/${id}`, undefined, auth)).statusCode).toBe(404);
    }
  });

  it('will not let an administrator delete their own staff record, or the last administrator’s', async () => {
    const created = await send('POST', '/api/staff', fullEmployee({ email: 'head.admin@sman1.sch.id', password: 'Head-Admin-123' }));
    const record = created.json().result.staff;
    const administratorRole = (await send('GET', '/api/roles?search=administrator')).json().result[0];
    await send('POST', `/api/roles/${administratorRole.id}/members`, { userIds: [record.userId] });
    const session = await signIn(t.app, { email: 'head.admin@sman1.sch.id', password: 'Head-Admin-123' });
    const own = await send('DELETE', `/api/staff/${record.id}`, undefined, { authorization: `Bearer ${session.token}` });
    expect(own.statusCode).toBe(409);
    expect((await send('DELETE', `/api/staff/${record.id}`)).statusCode).toBe(200);
  });
});
