import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, createUser, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: { authorization: string };
let adminId: string;
beforeAll(async () => {
  t = await buildTestApp();
  ({ auth: admin, id: adminId } = await signedInAdministrator(t.app));
});
afterAll(() => t.close());

const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = admin) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const roleNamed = async (name: string) =>
  (await get(`/api/roles?search=${encodeURIComponent(name)}&limit=100`)).json().result.find((r: { name: string }) => r.name === name);

describe('roles', () => {
  it('lists the four default roles with their member counts', async () => {
    await createUser(t.app, { type: 'TEACHER' });
    const response = await get('/api/roles?limit=100');
    expect(response.statusCode).toBe(200);
    const roles = response.json().result;
    expect(roles.map((r: { name: string }) => r.name)).toEqual(['administrator', 'staff', 'student', 'teacher']);
    expect(roles.every((r: { system: boolean }) => r.system)).toBe(true);
    expect(roles.find((r: { name: string }) => r.name === 'administrator').memberCount).toBeGreaterThanOrEqual(1);
    expect(roles.find((r: { name: string }) => r.name === 'teacher').memberCount).toBeGreaterThanOrEqual(1);
  });

  it('creates, reads, renames and deletes a role, recording each change', async () => {
    const created = await send('POST', '/api/roles', { name: 'Wali Kelas', description: 'Homeroom teachers', permissions: ['students:read', 'classes:read'] });
    expect(created.statusCode).toBe(201);
    const role = created.json().result;
    expect(role).toMatchObject({ name: 'Wali Kelas', permissions: ['classes:read', 'students:read'], system: false, memberCount: 0 });

    expect((await get(`/api/roles/${role.id}`)).json().result.name).toBe('Wali Kelas');
    const renamed = await send('PATCH', `/api/roles/${role.id}`, { name: 'Wali Kelas X', permissions: ['students:read', 'stats:read'] });
    expect(renamed.json().result).toMatchObject({ name: 'Wali Kelas X', permissions: ['stats:read', 'students:read'] });

    const history = (await get(`/api/roles/${role.id}/history`)).json();
    expect(history.meta.total).toBe(2);
    expect(history.result[0]).toMatchObject({
      action: 'UPDATED',
      actor: { id: adminId, email: ADMIN.email },
      changes: { name: { from: 'Wali Kelas', to: 'Wali Kelas X' }, permissionsAdded: ['stats:read'], permissionsRemoved: ['classes:read'] },
    });
    expect(history.result[1]).toMatchObject({ action: 'CREATED', changes: { permissionsAdded: ['classes:read', 'students:read'] } });

    expect((await send('DELETE', `/api/roles/${role.id}`)).statusCode).toBe(200);
    expect((await get(`/api/roles/${role.id}`)).statusCode).toBe(404);
    const kept = await t.app.db.selectFrom('role_history').select('action').where('roleId', '=', role.id).execute();
    expect(kept.map((k) => k.action).sort()).toEqual(['CREATED', 'DELETED', 'UPDATED']);
  });

  it('refuses a duplicate name (409), unknown permissions (400 naming each) and an empty change', async () => {
    expect((await send('POST', '/api/roles', { name: 'STAFF', permissions: [] })).statusCode).toBe(409);
    const bad = await send('POST', '/api/roles', { name: 'Odd', permissions: ['students:read', 'students:fly', 'root'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { code: 'UNKNOWN_PERMISSION', field: 'body.permissions[1]', message: '"students:fly" is not in the permission catalogue' },
      { code: 'UNKNOWN_PERMISSION', field: 'body.permissions[2]', message: '"root" is not in the permission catalogue' },
    ]);
    expect(await roleNamed('Odd')).toBeUndefined();
    const role = (await send('POST', '/api/roles', { name: 'Piket', permissions: [] })).json().result;
    expect((await send('PATCH', `/api/roles/${role.id}`, {})).statusCode).toBe(400);
    expect((await send('PATCH', `/api/roles/${role.id}`, { name: 'teacher' })).statusCode).toBe(409);
  });

  it('protects system roles: no rename, no delete, and the administrator keeps every permission', async () => {
    const staff = await roleNamed('staff');
    expect((await send('PATCH', `/api/roles/${staff.id}`, { name: 'office' })).statusCode).toBe(409);
    expect((await send('DELETE', `/api/roles/${staff.id}`)).statusCode).toBe(409);
    const edited = await send('PATCH', `/api/roles/${staff.id}`, { description: 'Tata usaha', permissions: [...staff.permissions, 'users:read'].filter((p, i, a) => a.indexOf(p) === i) });
    expect(edited.statusCode).toBe(200);
    const administrator = await roleNamed('administrator');
    expect((await send('PATCH', `/api/roles/${administrator.id}`, { permissions: ['users:read'] })).statusCode).toBe(409);
    expect((await get(`/api/roles/${administrator.id}`)).json().result.permissions.length).toBe(administrator.permissions.length);
  });

  it('answers 404 for an unknown role everywhere', async () => {
    const id = '01930000-0000-7000-8000-000000000000';
    for (const [method, url, payload] of [
      ['GET', `/api/roles/${id}`], ['PATCH', `/api/roles/${id}`, { description: 'x' }], ['DELETE', `/api/roles/${id}`],
      ['GET', `/api/roles/${id}/members`], ['GET', `/api/roles/${id}/eligible-users`], ['GET', `/api/roles/${id}/history`],
      ['POST', `/api/roles/${id}/members`, { userIds: [adminId] }], ['DELETE', `/api/roles/${id}/members`, { userIds: [adminId] }],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });
});

describe('members', () => {
  it('adds members in bulk, reports those already in, and lists members and eligible users', async () => {
    const role = (await send('POST', '/api/roles', { name: 'OSIS advisers', permissions: ['stats:read'] })).json().result;
    const users = await Promise.all(['Adi', 'Bayu', 'Citra'].map((name) => createUser(t.app, { name: `${name} Pembina`, type: 'TEACHER' })));
    const first = await send('POST', `/api/roles/${role.id}/members`, { userIds: [users[0]!.id, users[1]!.id] });
    expect(first.json().result).toEqual({ added: [users[0]!.id, users[1]!.id], alreadyMembers: [] });
    const second = await send('POST', `/api/roles/${role.id}/members`, { userIds: [users[1]!.id, users[2]!.id] });
    expect(second.json().result).toEqual({ added: [users[2]!.id], alreadyMembers: [users[1]!.id] });

    const members = (await get(`/api/roles/${role.id}/members?search=pembina&sort=-name`)).json();
    expect(members.meta.total).toBe(3);
    expect(members.result.map((u: { name: string }) => u.name)).toEqual(['Citra Pembina', 'Bayu Pembina', 'Adi Pembina']);
    const eligible = (await get(`/api/roles/${role.id}/eligible-users?search=pembina`)).json();
    expect(eligible.meta.total).toBe(0);
    const eligibleTeachers = (await get(`/api/roles/${role.id}/eligible-users?type=TEACHER&limit=100`)).json().result;
    expect(eligibleTeachers.every((u: { type: string; id: string }) => u.type === 'TEACHER' && !users.some((m) => m.id === u.id))).toBe(true);
    expect((await get(`/api/roles/${role.id}`)).json().result.memberCount).toBe(3);

    const history = (await get(`/api/roles/${role.id}/history`)).json().result;
    expect(history[0]).toMatchObject({ action: 'MEMBERS_ADDED', changes: { userIds: [users[2]!.id] } });
  });

  it('adds nobody when any id is unknown, naming each', async () => {
    const role = (await send('POST', '/api/roles', { name: 'Perpustakaan', permissions: [] })).json().result;
    const user = await createUser(t.app);
    const response = await send('POST', `/api/roles/${role.id}/members`, { userIds: [user.id, 'ghost-1', 'ghost-2'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.userIds[1]', 'body.userIds[2]']);
    expect((await get(`/api/roles/${role.id}`)).json().result.memberCount).toBe(0);
  });

  it('refuses more than 1,000 ids, duplicates and an empty list', async () => {
    const role = await roleNamed('student');
    const many = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    expect((await send('POST', `/api/roles/${role.id}/members`, { userIds: many })).statusCode).toBe(400);
    expect((await send('POST', `/api/roles/${role.id}/members`, { userIds: ['a', 'a'] })).statusCode).toBe(400);
    expect((await send('POST', `/api/roles/${role.id}/members`, { userIds: [] })).statusCode).toBe(400);
  });

  it('removes members in bulk; a removed permission is refused on the member’s next request', async () => {
    const role = (await send('POST', '/api/roles', { name: 'Auditors', permissions: ['users:read'] })).json().result;
    const member = await signedInUser(t.app, { type: 'STAFF', roles: ['student'] });
    await send('POST', `/api/roles/${role.id}/members`, { userIds: [member.id] });
    expect((await get('/api/users', member.auth)).statusCode).toBe(200);

    await send('PATCH', `/api/roles/${role.id}`, { permissions: [] });
    expect((await get('/api/users', member.auth)).statusCode).toBe(403);
    await send('PATCH', `/api/roles/${role.id}`, { permissions: ['users:read'] });
    expect((await get('/api/users', member.auth)).statusCode).toBe(200);

    const removed = await send('DELETE', `/api/roles/${role.id}/members`, { userIds: [member.id, adminId] });
    expect(removed.json().result).toEqual({ removed: [member.id], notMembers: [adminId] });
    expect((await get('/api/users', member.auth)).statusCode).toBe(403);
  });

  it('never removes the last administrator, and removes nobody then', async () => {
    const administrator = await roleNamed('administrator');
    const current = (await get(`/api/roles/${administrator.id}/members?limit=100`)).json().result.map((u: { id: string }) => u.id);
    const other = await createUser(t.app);
    const refused = await send('DELETE', `/api/roles/${administrator.id}/members`, { userIds: [...current, other.id] });
    expect(refused.statusCode).toBe(409);
    expect((await get(`/api/roles/${administrator.id}`)).json().result.memberCount).toBe(current.length);

    // With a second administrator, the first may leave the role; then the second is the last.
    const second = await signedInUser(t.app, { type: 'ADMIN' });
    const allowed = await send('DELETE', `/api/roles/${administrator.id}/members`, { userIds: current });
    expect(allowed.statusCode).toBe(200);
    expect((await send('DELETE', `/api/roles/${administrator.id}/members`, { userIds: [second.id] }, second.auth)).statusCode).toBe(409);
    expect((await send('POST', `/api/roles/${administrator.id}/members`, { userIds: current }, second.auth)).statusCode).toBe(200);
  });

  it('is refused to users without roles:write (403)', async () => {
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    const role = await roleNamed('student');
    expect((await send('POST', `/api/roles/${role.id}/members`, { userIds: [teacher.id] }, teacher.auth)).statusCode).toBe(403);
    expect((await get('/api/roles', teacher.auth)).statusCode).toBe(403);
  });
});
