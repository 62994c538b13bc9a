import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, createUser, signIn, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: { authorization: string };
let adminId: string;
beforeAll(async () => {
  t = await buildTestApp();
  ({ auth: admin, id: adminId } = await signedInAdministrator(t.app));
});
afterAll(() => t.close());

const roleId = async (name: string) => (await t.app.db.selectFrom('role').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = admin) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const meWith = (token: string) => t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });

describe('POST /api/users', () => {
  it('creates an account with the given password and the default role of its type', async () => {
    const response = await send('POST', '/api/users', { name: 'Budi Santoso', email: 'Budi.Santoso@sman1samarinda.sch.id', type: 'TEACHER', password: 'Guru-Password-1' });
    expect(response.statusCode).toBe(201);
    const { user, temporaryPassword } = response.json().result;
    expect(temporaryPassword).toBeUndefined();
    expect(user).toMatchObject({ name: 'Budi Santoso', email: 'budi.santoso@sman1samarinda.sch.id', type: 'TEACHER', mustChangePassword: false, roles: [{ name: 'teacher' }] });
    const { token } = await signIn(t.app, { email: 'budi.santoso@sman1samarinda.sch.id', password: 'Guru-Password-1' });
    expect((await meWith(token)).json().result.user.id).toBe(user.id);
  });

  it('generates a temporary password when none is given, returns it once, and asks for a change', async () => {
    const response = await send('POST', '/api/users', { name: 'Siti', email: 'siti@sman1samarinda.sch.id', type: 'STAFF', roleIds: [await roleId('staff'), await roleId('teacher')] });
    expect(response.statusCode).toBe(201);
    const { user, temporaryPassword } = response.json().result;
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(user.mustChangePassword).toBe(true);
    expect(user.roles.map((r: { name: string }) => r.name)).toEqual(['staff', 'teacher']);
    const { token } = await signIn(t.app, { email: 'siti@sman1samarinda.sch.id', password: temporaryPassword });
    expect((await get(`/api/users/${user.id}`)).json().result).not.toHaveProperty('temporaryPassword');

    // Changing it through Better Auth clears the flag.
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/change-password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: temporaryPassword, newPassword: 'My-Own-Password-9' },
    });
    expect(change.statusCode).toBe(200);
    expect((await get(`/api/users/${user.id}`)).json().result.mustChangePassword).toBe(false);
    await signIn(t.app, { email: 'siti@sman1samarinda.sch.id', password: 'My-Own-Password-9' });
  });

  it('refuses a used email with 409 naming the field, whatever its case', async () => {
    const response = await send('POST', '/api/users', { name: 'Copy', email: ADMIN.email.toUpperCase(), type: 'STAFF' });
    expect(response.statusCode).toBe(409);
    expect(response.json().errors).toEqual([{ code: 'DUPLICATE', field: 'body.email', message: expect.any(String) }]);
  });

  it('names every bad field at once, and creates nothing', async () => {
    const before = (await get('/api/users?limit=1')).json().meta.total;
    const response = await send('POST', '/api/users', { name: '', email: 'nope', type: 'PRINCIPAL', password: 'short', banned: true });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.banned', 'body.email', 'body.name', 'body.password', 'body.type']);
    expect((await get('/api/users?limit=1')).json().meta.total).toBe(before);
  });

  it('refuses unknown role ids with 400 naming them', async () => {
    const response = await send('POST', '/api/users', { name: 'X', email: 'x@sman1samarinda.sch.id', type: 'STUDENT', roleIds: ['no-such-role'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ field: 'body.roleIds', message: expect.stringContaining('no-such-role') });
  });

  it('is refused to a teacher (403)', async () => {
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    expect((await send('POST', '/api/users', { name: 'X', email: 'y@sman1samarinda.sch.id', type: 'STUDENT' }, teacher.auth)).statusCode).toBe(403);
  });
});

describe('GET /api/users', () => {
  beforeAll(async () => {
    for (const [name, type] of [['Zaenal Arifin', 'STUDENT'], ['Ayu Lestari', 'STUDENT'], ['Dewi Kartika', 'TEACHER']] as const) {
      await createUser(t.app, { name, type, email: `${name.split(' ')[0]!.toLowerCase()}@list.sch.id` });
    }
  });

  it('pages, searches, filters and sorts', async () => {
    const all = (await get('/api/users?search=list.sch.id&limit=2&sort=name')).json();
    expect(all.meta).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect(all.result.map((u: { name: string }) => u.name)).toEqual(['Ayu Lestari', 'Dewi Kartika']);
    const second = (await get('/api/users?search=list.sch.id&limit=2&page=2&sort=name')).json();
    expect(second.result.map((u: { name: string }) => u.name)).toEqual(['Zaenal Arifin']);

    const desc = (await get('/api/users?search=LIST.SCH&sort=-name')).json();
    expect(desc.result.map((u: { name: string }) => u.name)).toEqual(['Zaenal Arifin', 'Dewi Kartika', 'Ayu Lestari']);
    const students = (await get('/api/users?search=list.sch.id&type=STUDENT')).json();
    expect(students.result.map((u: { name: string }) => u.name).sort()).toEqual(['Ayu Lestari', 'Zaenal Arifin']);
    const teachers = (await get(`/api/users?search=list.sch.id&roleId=${await roleId('teacher')}`)).json();
    expect(teachers.result.map((u: { name: string }) => u.name)).toEqual(['Dewi Kartika']);
    expect((await get('/api/users?search=list.sch.id&banned=true')).json().meta.total).toBe(0);
    expect((await get('/api/users?search=100%25_')).json().meta.total).toBe(0);
  });

  it('answers the same query again from memory, and never with a stale page', async () => {
    const user = await createUser(t.app, { name: 'Fresh Face', email: 'fresh@fresh.sch.id', type: 'STUDENT' });
    const list = async () => (await get('/api/users?search=fresh.sch.id')).json().result;
    expect((await list())[0]).toMatchObject({ name: 'Fresh Face', banned: false, roles: [{ name: 'student' }] });
    expect((await list())[0].name).toBe('Fresh Face');

    await send('PATCH', `/api/users/${user.id}`, { name: 'Renamed Face', banned: true });
    expect((await list())[0]).toMatchObject({ name: 'Renamed Face', banned: true });

    // A change made by another route, or straight in the database by another instance, shows too.
    const role = (await send('POST', '/api/roles', { name: 'Fresh role', permissions: [] })).json().result;
    await send('POST', `/api/roles/${role.id}/members`, { userIds: [user.id] });
    expect((await list())[0].roles.map((r: { name: string }) => r.name)).toEqual(['Fresh role', 'student']);
    await t.app.db.updateTable('role').set({ name: 'Renamed role' }).where('id', '=', role.id).execute();
    expect((await list())[0].roles.map((r: { name: string }) => r.name)).toEqual(['Renamed role', 'student']);
    await t.app.db.deleteFrom('user').where('id', '=', user.id).execute();
    expect(await list()).toEqual([]);
  });

  it('refuses bad list parameters', async () => {
    const response = await get('/api/users?type=ALIEN&sort=password&limit=0');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['querystring.limit', 'querystring.sort', 'querystring.type']);
  });

  it('never answers with a password hash or a session token', async () => {
    const user = await signedInUser(t.app);
    const body = (await get('/api/users?limit=100')).body + (await get(`/api/users/${user.id}`)).body;
    expect(body).not.toMatch(/argon2|"password"/i);
    expect(body).not.toContain(user.token);
  });
});

describe('GET/PATCH/DELETE /api/users/:id', () => {
  it('answers 404 for an unknown user', async () => {
    expect((await get('/api/users/01930000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await send('PATCH', '/api/users/01930000-0000-7000-8000-000000000000', { name: 'X' })).statusCode).toBe(404);
    expect((await send('DELETE', '/api/users/01930000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('edits an account; a used email is a 409', async () => {
    const user = await createUser(t.app, { type: 'STAFF' });
    const response = await send('PATCH', `/api/users/${user.id}`, { name: 'Renamed', secondaryEmail: 'pribadi@gmail.com', emailVerified: true });
    expect(response.statusCode).toBe(200);
    expect(response.json().result).toMatchObject({ name: 'Renamed', secondaryEmail: 'pribadi@gmail.com', emailVerified: true });
    expect((await send('PATCH', `/api/users/${user.id}`, { email: ADMIN.email })).statusCode).toBe(409);
    expect((await send('PATCH', `/api/users/${user.id}`, {})).statusCode).toBe(400);
  });

  it('bans: every session ends at once and sign-in is refused with a clear message; unbanning lets the user back', async () => {
    const user = await signedInUser(t.app);
    const response = await send('PATCH', `/api/users/${user.id}`, { banned: true, banReason: 'Akun dipinjamkan' });
    expect(response.json().result).toMatchObject({ banned: true, banReason: 'Akun dipinjamkan' });
    expect((await meWith(user.token)).statusCode).toBe(401);
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: user.password } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/suspended/);

    expect((await send('PATCH', `/api/users/${user.id}`, { banned: false })).json().result).toMatchObject({ banned: false, banReason: null });
    await signIn(t.app, user);
  });

  it('replaces roles, and the new permissions apply on the next request', async () => {
    const user = await signedInUser(t.app, { type: 'STAFF', roles: ['student'] });
    expect((await get('/api/users', user.auth)).statusCode).toBe(403);
    await send('PATCH', `/api/users/${user.id}`, { roleIds: [await roleId('staff')] });
    expect((await get('/api/users', user.auth)).statusCode).toBe(200);
  });

  it('deletes an account: its sessions end, its login history stays unlinked', async () => {
    const user = await signedInUser(t.app);
    expect((await send('DELETE', `/api/users/${user.id}`)).statusCode).toBe(200);
    expect((await meWith(user.token)).statusCode).toBe(401);
    expect((await get(`/api/users/${user.id}`)).statusCode).toBe(404);
    const history = await t.app.db.selectFrom('login_history').select('userId').where('email', '=', user.email).execute();
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((h) => h.userId === null)).toBe(true);
  });

  it('never lets the last administrator be banned, demoted or deleted', async () => {
    const managerRole = (await t.app.db.insertInto('role').values({ id: 'role-manager', name: 'account manager', description: null, system: false, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
    await t.app.db.insertInto('role_permission').values(['users:read', 'users:write', 'users:delete'].map((permission) => ({ roleId: managerRole, permission }))).execute();
    const manager = await signedInUser(t.app, { type: 'STAFF', roles: ['account manager'] });

    for (const [method, payload] of [['PATCH', { banned: true }], ['PATCH', { roleIds: [await roleId('staff')] }], ['DELETE', undefined]] as const) {
      const response = await send(method, `/api/users/${adminId}`, payload, manager.auth);
      expect(response.statusCode, `${method} ${JSON.stringify(payload)}`).toBe(409);
      expect(response.json().message).toMatch(/last administrator/);
    }
    expect((await get(`/api/users/${adminId}`)).json().result).toMatchObject({ banned: false, roles: [{ name: 'administrator' }] });
    expect((await send('DELETE', `/api/users/${adminId}`)).statusCode).toBe(409);

    // With a second administrator, the first may go.
    const second = await createUser(t.app, { type: 'ADMIN' });
    expect((await send('PATCH', `/api/users/${adminId}`, { roleIds: [await roleId('staff'), await roleId('administrator')] }, manager.auth)).statusCode).toBe(200);
    const ban = await send('PATCH', `/api/users/${second.id}`, { banned: true }, manager.auth);
    expect(ban.statusCode).toBe(200);
    expect((await send('PATCH', `/api/users/${adminId}`, { banned: true }, manager.auth)).statusCode).toBe(409);
    await send('PATCH', `/api/users/${second.id}`, { banned: false }, manager.auth);
  });
});

describe('PATCH /api/users/me', () => {
  it('edits only self-editable fields', async () => {
    const user = await signedInUser(t.app);
    const response = await send('PATCH', '/api/users/me', { name: 'Nama Baru', secondaryEmail: 'saya@gmail.com' }, user.auth);
    expect(response.statusCode).toBe(200);
    expect(response.json().result).toMatchObject({ name: 'Nama Baru', secondaryEmail: 'saya@gmail.com', type: 'STUDENT' });
  });

  it('refuses type, roles, banned, emailVerified or an id with 400 naming each, and changes nothing', async () => {
    const user = await signedInUser(t.app);
    const response = await send(
      'PATCH',
      '/api/users/me',
      { name: 'Hacker', type: 'ADMIN', roleIds: ['x'], roles: ['administrator'], banned: false, emailVerified: true, id: adminId },
      user.auth,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string; code: string }) => `${e.code} ${e.field}`).sort()).toEqual(
      ['body.banned', 'body.emailVerified', 'body.id', 'body.roleIds', 'body.roles', 'body.type'].map((f) => `UNKNOWN_FIELD ${f}`),
    );
    const me = (await meWith(user.token)).json().result;
    expect(me.user).toMatchObject({ name: expect.not.stringMatching('Hacker'), type: 'STUDENT', emailVerified: false });
    expect(me.permissions).toEqual(['letters:create']);
  });
});

describe('devices', () => {
  const android = 'Mozilla/5.0 (Linux; Android 13; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
  const windows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

  it('lists one entry per live session, parsed, with the current one marked and no token', async () => {
    const user = await createUser(t.app);
    const phone = await signIn(t.app, user, { 'user-agent': android });
    const laptop = await signIn(t.app, user, { 'user-agent': windows });
    await signIn(t.app, user, { 'user-agent': 'okhttp/4.12.0' });

    const response = await get('/api/users/me/devices', { authorization: `Bearer ${laptop.token}` });
    expect(response.statusCode).toBe(200);
    const devices = response.json().result;
    expect(devices).toHaveLength(3);
    expect(response.body).not.toContain(phone.token);
    expect(response.body).not.toContain(laptop.token);
    const byAgent = (agent: string) => devices.find((d: { userAgent: string }) => d.userAgent === agent);
    expect(byAgent(windows)).toMatchObject({ browser: 'Chrome 120', os: 'Windows 10', deviceType: 'desktop', current: true, ipAddress: '127.0.0.1' });
    expect(byAgent(android)).toMatchObject({ browser: 'Chrome 120', os: 'Android 13', deviceType: 'mobile', current: false });
    expect(byAgent('okhttp/4.12.0')).toMatchObject({ browser: 'okhttp 4.12.0', deviceType: 'unknown', current: false });
    for (const device of devices) expect(Date.parse(device.lastActiveAt)).toBeGreaterThanOrEqual(Date.parse(device.createdAt) - 1000);

    // An administrator sees the same list; a teacher may not.
    expect((await get(`/api/users/${user.id}/devices`)).json().result).toHaveLength(3);
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    expect((await get(`/api/users/${user.id}/devices`, teacher.auth)).statusCode).toBe(403);
    expect((await get(`/api/users/${user.id}/login-history`, teacher.auth)).statusCode).toBe(403);
  });

  it('signs out one device, not another user’s, and then every other device', async () => {
    const user = await createUser(t.app);
    const a = await signIn(t.app, user);
    const b = await signIn(t.app, user);
    const c = await signIn(t.app, user);
    const sessionOf = async (token: string) => (await meWith(token)).json().result.session.id;

    const other = await signedInUser(t.app);
    const othersSession = await sessionOf(other.token);
    expect((await send('DELETE', `/api/users/me/devices/${othersSession}`, undefined, { authorization: `Bearer ${a.token}` })).statusCode).toBe(404);
    expect((await meWith(other.token)).statusCode).toBe(200);

    expect((await send('DELETE', `/api/users/me/devices/${await sessionOf(b.token)}`, undefined, { authorization: `Bearer ${a.token}` })).statusCode).toBe(200);
    expect((await meWith(b.token)).statusCode).toBe(401);
    expect((await meWith(c.token)).statusCode).toBe(200);

    const revoke = await send('POST', '/api/users/me/devices/revoke-others', undefined, { authorization: `Bearer ${a.token}` });
    expect(revoke.json().result).toEqual({ signedOut: 1 });
    expect((await meWith(c.token)).statusCode).toBe(401);
    expect((await meWith(a.token)).statusCode).toBe(200);
  });
});

describe('PATCH /api/users/:id/password', () => {
  it('sets the given password, ends every session, and asks for a change by default', async () => {
    const user = await signedInUser(t.app);
    const response = await send('PATCH', `/api/users/${user.id}/password`, { newPassword: 'Reset-By-Office-1' });
    expect(response.statusCode).toBe(200);
    expect(response.json().result).toEqual({ sessionsEnded: 1 });
    expect((await meWith(user.token)).statusCode).toBe(401);
    const old = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: user.password } });
    expect(old.statusCode).toBe(401);
    const { token } = await signIn(t.app, { email: user.email, password: 'Reset-By-Office-1' });
    expect((await meWith(token)).json().result.user.mustChangePassword).toBe(true);
  });

  it('generates a temporary password when none is given', async () => {
    const user = await createUser(t.app);
    const response = await send('PATCH', `/api/users/${user.id}/password`, { mustChangePassword: false });
    const { temporaryPassword } = response.json().result;
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const { token } = await signIn(t.app, { email: user.email, password: temporaryPassword });
    expect((await meWith(token)).json().result.user.mustChangePassword).toBe(false);
  });

  it('refuses a short password and an unknown user', async () => {
    const user = await createUser(t.app);
    expect((await send('PATCH', `/api/users/${user.id}/password`, { newPassword: 'short' })).statusCode).toBe(400);
    expect((await send('PATCH', '/api/users/01930000-0000-7000-8000-000000000000/password', {})).statusCode).toBe(404);
  });
});
