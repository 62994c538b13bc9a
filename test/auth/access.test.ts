import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../src/auth/permissions.js';
import { buildTestApp, signedInUser, type TestApp } from '../helpers/app.js';

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

  it.each(['STUDENT', 'TEACHER', 'STAFF', 'ADMIN'] as const)(
    'answers 403 exactly where the default role of a %s lacks the permission',
    async (type) => {
      const user = await signedInUser(t.app, { type });
      const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: user.auth });
      const held = new Set<string>(me.json().result.permissions);
      for (const route of guarded()) {
        const response = await t.app.inject({ method: route.method as 'GET', url: urlOf(route.url), headers: user.auth });
        const allowed = route.access === 'signed-in' || route.access === 'signed-url' || held.has(route.access);
        if (allowed) expect(response.statusCode, `${type} ${route.method} ${route.url}`).not.toBe(403);
        else {
          expect(response.statusCode, `${type} ${route.method} ${route.url}`).toBe(403);
          expect(response.json().message).toContain(route.access);
        }
      }
    },
  );
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
