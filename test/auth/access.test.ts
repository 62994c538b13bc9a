import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../src/auth/permissions.js';
import { buildTestApp, signIn, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { local, PDF, presign } from '../helpers/files.js';
import { fullEmployee, fullStudent } from '../helpers/people.js';

/**
 * Every API route and the access it declares. A route added without a line here fails the first
 * test, so this table (and the 401/403 checks below) always cover the whole API.
 */
const EXPECTED: Record<string, Access> = {
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs/': 'public',
  'GET /api/docs/js/scalar.js': 'public',
  'GET /api/health': 'public',
  'GET /api/health/ready': 'public',
  'POST /api/auth/sign-in/email': 'public',
  'GET /api/auth/get-session': 'public',
  'POST /api/auth/sign-out': 'public',
  'POST /api/auth/change-password': 'public',
  'GET /api/users': 'users:read',
  'POST /api/users': 'users:write',
  'GET /api/users/me': 'signed-in',
  'PATCH /api/users/me': 'signed-in',
  'GET /api/users/me/devices': 'signed-in',
  'DELETE /api/users/me/devices/:id': 'signed-in',
  'POST /api/users/me/devices/revoke-others': 'signed-in',
  'GET /api/users/me/login-history': 'signed-in',
  'GET /api/users/:id': 'users:read',
  'PATCH /api/users/:id': 'users:write',
  'DELETE /api/users/:id': 'users:delete',
  'GET /api/users/:id/devices': 'users:read',
  'PATCH /api/users/:id/password': 'users:write',
  'GET /api/users/:id/login-history': 'users:read',
  'GET /api/roles/permissions': 'roles:read',
  'GET /api/roles': 'roles:read',
  'POST /api/roles': 'roles:write',
  'GET /api/roles/:id': 'roles:read',
  'PATCH /api/roles/:id': 'roles:write',
  'DELETE /api/roles/:id': 'roles:delete',
  'GET /api/roles/:id/eligible-users': 'roles:read',
  'GET /api/roles/:id/members': 'roles:read',
  'POST /api/roles/:id/members': 'roles:write',
  'DELETE /api/roles/:id/members': 'roles:write',
  'GET /api/roles/:id/history': 'roles:read',
  'GET /api/reference': 'signed-in',
  'GET /api/school': 'public',
  'GET /api/stats/students/gender': 'stats:read',
  'GET /api/stats/students/religion': 'stats:read',
  'GET /api/stats/students/weight': 'stats:read',
  'GET /api/stats/students/height': 'stats:read',
  'GET /api/stats/students/age': 'stats:read',
  'GET /api/stats/students/transportation': 'stats:read',
  'GET /api/stats/students/class': 'stats:read',
  'GET /api/stats/students/economy': 'stats:read',
  'GET /api/stats/teachers/gender': 'stats:read',
  'GET /api/stats/teachers/religion': 'stats:read',
  'GET /api/stats/teachers/employment': 'stats:read',
  'GET /api/stats/teachers/age': 'stats:read',
  'GET /api/stats/staff/gender': 'stats:read',
  'GET /api/stats/staff/religion': 'stats:read',
  'GET /api/stats/staff/employment': 'stats:read',
  'GET /api/stats/staff/age': 'stats:read',
  'GET /api/stats/users/summary': 'stats:read',
  'GET /api/stats': 'stats:read',
  'GET /api/classes': 'classes:read',
  'POST /api/classes': 'classes:write',
  'POST /api/classes/rollover': 'classes:write',
  'GET /api/classes/:id': 'classes:read',
  'PATCH /api/classes/:id': 'classes:write',
  'DELETE /api/classes/:id': 'classes:delete',
  'GET /api/classes/:id/students': 'classes:read',
  'POST /api/classes/:id/students': 'classes:write',
  'DELETE /api/classes/:id/students/:studentId': 'classes:delete',
  'POST /api/classes/:id/copy': 'classes:write',
  'GET /api/students': 'signed-in',
  'POST /api/students': 'students:write',
  'GET /api/students/:id': 'signed-in',
  'PATCH /api/students/:id': 'students:write',
  'DELETE /api/students/:id': 'students:delete',
  'POST /api/students/:id/restore': 'students:delete',
  'GET /api/teachers': 'teachers:read',
  'POST /api/teachers': 'teachers:write',
  'GET /api/teachers/:id': 'signed-in',
  'PATCH /api/teachers/:id': 'teachers:write',
  'DELETE /api/teachers/:id': 'teachers:delete',
  'POST /api/teachers/:id/restore': 'teachers:delete',
  'GET /api/staff': 'staff:read',
  'POST /api/staff': 'staff:write',
  'GET /api/staff/:id': 'signed-in',
  'PATCH /api/staff/:id': 'staff:write',
  'DELETE /api/staff/:id': 'staff:delete',
  'POST /api/staff/:id/restore': 'staff:delete',
  'POST /api/presigned': 'signed-in',
  'POST /api/files/download-links': 'signed-in',
  'GET /api/files/*': 'signed-url',
  'PUT /api/files/*': 'signed-url',
  'POST /api/users/me/image': 'signed-in',
  'POST /api/users/:id/image': 'users:write',
  'GET /api/letters': 'signed-in',
  'POST /api/letters': 'letters:create',
  'GET /api/letters/recipients': 'letters:create',
  'GET /api/letters/verify/:code': 'public',
  'GET /api/letters/:id': 'signed-in',
  'GET /api/letters/:id/document': 'signed-in',
  'POST /api/letters/:id/actions': 'signed-in',
  'GET /api/users/me/letters': 'signed-in',
  'GET /api/users/:userId/letters': 'signed-in',
  'GET /api/students/import/template': 'students:write',
  'POST /api/students/import': 'students:write',
  'GET /api/students/imports': 'students:write',
  'GET /api/students/imports/:id/errors': 'students:write',
  'POST /api/students/credentials': 'students:write',
};

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const ANY_ID = '01930000-0000-7000-8000-000000000000';
const urlOf = (path: string) => path.replace(/:[A-Za-z]+/g, ANY_ID).replace('*', 'x');
const guarded = () => t.app.apiRoutes.filter((r) => r.access !== 'public');

describe('route access', () => {
  it('every registered route is in the table with the access it declares', () => {
    const actual = Object.fromEntries(t.app.apiRoutes.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(actual).toEqual(EXPECTED);
  });

  it('refuses every guarded route without a session: 401 in the envelope', async () => {
    expect(guarded().length).toBeGreaterThan(0);
    for (const route of guarded()) {
      const response = await t.app.inject({ method: route.method as 'GET', url: urlOf(route.url) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.json()).toMatchObject({ success: false, result: null, message: expect.any(String) });
    }
  });

  it('refuses every guarded route with a revoked or made-up token: 401', async () => {
    const user = await signedInUser(t.app);
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: user.auth });
    for (const route of guarded()) {
      for (const headers of [user.auth, { authorization: 'Bearer made-up-token' }]) {
        const response = await t.app.inject({ method: route.method as 'GET', url: urlOf(route.url), headers });
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    }
  });

  // The matrix: every guarded route × the four default roles and a custom one. A route the role may
  // call answers anything but 401/403 (the made-up id makes most of them 400 or 404); one it may
  // not answers 403 naming the missing permission.
  const CALLERS = [
    { who: 'a student', type: 'STUDENT' },
    { who: 'a teacher', type: 'TEACHER' },
    { who: 'a staff member', type: 'STAFF' },
    { who: 'an administrator', type: 'ADMIN' },
    { who: 'a user with only the custom role "piket" (students:read, stats:read, letters:review)', type: 'STAFF', custom: true },
  ] as const;
  it.each(CALLERS)('answers $who with 403 exactly where a permission is missing', async (caller) => {
    if ('custom' in caller) {
      const admin = await signedInAdministrator(t.app);
      const role = await t.app.inject({ method: 'POST', url: '/api/roles', headers: admin.auth, payload: { name: 'piket', permissions: ['students:read', 'stats:read', 'letters:review'] } });
      expect(role.statusCode).toBe(201);
    }
    const user = await signedInUser(t.app, { type: caller.type, ...('custom' in caller ? { roles: ['piket'] } : {}) });
    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: user.auth });
    const held = new Set<string>(me.json().result.permissions);
    if ('custom' in caller) expect([...held].sort()).toEqual(['letters:review', 'stats:read', 'students:read']);
    let checked = 0;
    for (const route of guarded()) {
      const response = await t.app.inject({ method: route.method as 'GET', url: urlOf(route.url), headers: user.auth });
      const allowed = route.access === 'signed-in' || route.access === 'signed-url' || held.has(route.access);
      const where = `${caller.who}: ${route.method} ${route.url} → ${response.statusCode}`;
      if (allowed) expect([401, 403], where).not.toContain(response.statusCode);
      else {
        expect(response.statusCode, where).toBe(403);
        expect(response.json().message).toContain(route.access);
      }
      expect(response.statusCode, where).toBeLessThan(500);
      checked += 1;
    }
    expect(checked).toBe(guarded().length);
  });
});

describe('default roles (contract §5)', () => {
  it('seeds the four roles with their permissions, the administrator with every one', async () => {
    const admin = await signedInUser(t.app, { type: 'ADMIN' });
    const catalogue = (await t.app.inject({ method: 'GET', url: '/api/roles/permissions', headers: admin.auth })).json().result;
    const permissionsOf = async (type: 'STUDENT' | 'TEACHER' | 'STAFF' | 'ADMIN') => {
      const user = await signedInUser(t.app, { type });
      return (await t.app.inject({ method: 'GET', url: '/api/users/me', headers: user.auth })).json().result.permissions;
    };
    expect(await permissionsOf('ADMIN')).toEqual(catalogue.map((p: { name: string }) => p.name).sort());
    expect(await permissionsOf('STUDENT')).toEqual(['letters:create']);
    expect(await permissionsOf('TEACHER')).toEqual(['classes:read', 'letters:create', 'letters:read', 'letters:review', 'stats:read', 'students:read']);
    const staff = await permissionsOf('STAFF');
    for (const p of ['students:read', 'students:write', 'teachers:write', 'staff:write', 'classes:write', 'stats:read', 'letters:review']) {
      expect(staff).toContain(p);
    }
    expect(staff).not.toContain('roles:write');
    expect(staff).not.toContain('users:delete');
  });

  it('applies a permission change on the very next request', async () => {
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    const roleId = (await t.app.db.selectFrom('role').select('id').where('name', '=', 'teacher').executeTakeFirstOrThrow()).id;
    expect((await t.app.inject({ method: 'GET', url: '/api/roles/permissions', headers: teacher.auth })).statusCode).toBe(403);
    await t.app.db.insertInto('role_permission').values({ roleId, permission: 'roles:read' }).execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/roles/permissions', headers: teacher.auth })).statusCode).toBe(200);
    await t.app.db.deleteFrom('role_permission').where('roleId', '=', roleId).where('permission', '=', 'roles:read').execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/roles/permissions', headers: teacher.auth })).statusCode).toBe(403);
  });
});

describe('objects another student may not see (object-level checks)', () => {
  it('reading, editing or acting on another student’s record, letter, devices or file: 404 (403 where the role may not edit at all), and nothing changes', async () => {
    const admin = await signedInAdministrator(t.app);
    const student = async () => {
      const body = fullStudent({ password: 'Student-Password-1' });
      const created = await t.app.inject({ method: 'POST', url: '/api/students', headers: admin.auth, payload: body });
      expect(created.statusCode).toBe(201);
      const { token } = await signIn(t.app, { email: body.email, password: 'Student-Password-1' });
      return { studentId: created.json().result.student.id as string, userId: created.json().result.student.userId as string, auth: { authorization: `Bearer ${token}` } };
    };
    const [a, b] = [await student(), await student()];
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    const teacherRecord = await t.app.inject({ method: 'POST', url: '/api/teachers', headers: admin.auth, payload: fullEmployee() });

    // B's things: a letter with an attachment, and B's signed-in device.
    const upload = await presign(t.app, b.auth, { fileName: 'surat.pdf', fileType: 'application/pdf', fileSize: String(PDF.length), type: 'letter-attachment' });
    expect((await t.app.inject({ method: 'PUT', url: local(upload.url), headers: { 'content-type': 'application/pdf', 'x-amz-acl': 'public-read' }, payload: PDF })).statusCode).toBe(200);
    const letter = await t.app.inject({
      method: 'POST', url: '/api/letters', headers: b.auth,
      payload: { letterType: 'DISPENSATION', subject: 'Lomba', reason: 'Mewakili sekolah', beginDate: '2026-03-30', endDate: '2026-03-30', attachment: upload.fileUrl },
    });
    expect(letter.statusCode).toBe(201);
    const letterId = letter.json().result.id as string;
    const bDevice = (await t.app.inject({ url: '/api/users/me/devices', headers: b.auth })).json().result[0].id as string;

    const asA = (method: string, url: string, payload?: Record<string, unknown>) =>
      t.app.inject({ method: method as 'GET', url, headers: a.auth, ...(payload ? { payload } : {}) });
    const attempts: [string, string, Record<string, unknown> | undefined, number][] = [
      ['GET', `/api/students/${b.studentId}`, undefined, 404],
      ['GET', `/api/teachers/${teacherRecord.json().result.teacher.id}`, undefined, 404],
      ['PATCH', `/api/students/${b.studentId}`, { name: 'Diubah' }, 403],
      ['GET', `/api/letters/${letterId}`, undefined, 404],
      ['GET', `/api/letters/${letterId}/document`, undefined, 404],
      ['POST', `/api/letters/${letterId}/actions`, { action: 'CANCEL' }, 404],
      ['GET', `/api/users/${b.userId}/letters`, undefined, 404],
      ['DELETE', `/api/users/me/devices/${bDevice}`, undefined, 404],
      ['GET', `/api/users/${b.userId}/devices`, undefined, 403],
      ['GET', `/api/files/${upload.key}`, undefined, 404],
      ['POST', '/api/files/download-links', { file: upload.key }, 404],
    ];
    for (const [method, url, payload, status] of attempts) {
      const response = await asA(method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(status);
      expect(response.json()).toMatchObject({ success: false, result: null });
    }
    // Each of them is there for its owner (so the 404s above are about who asks), and untouched.
    expect((await asA('GET', `/api/students/${a.studentId}`)).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/letters/${letterId}`, headers: b.auth })).json().result).toMatchObject({ status: 'PENDING' });
    expect((await t.app.inject({ url: `/api/files/${upload.key}`, headers: b.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/users/me/devices`, headers: b.auth })).json().result.map((d: { id: string }) => d.id)).toContain(bDevice);
    expect((await t.app.inject({ url: `/api/students/${b.studentId}`, headers: admin.auth })).json().result.name).not.toBe('Diubah');
    // A teacher (students:read, letters:read) sees them.
    expect((await t.app.inject({ url: `/api/students/${b.studentId}`, headers: teacher.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/letters/${letterId}`, headers: teacher.auth })).statusCode).toBe(200);
  });
});
