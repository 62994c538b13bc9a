import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_NAMES } from '../../src/auth/permissions.js';
import { buildTestApp, signIn } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('first start', () => {
  it('creates the first administrator with a generated password that works once shown, and only once', async () => {
    const first = await buildTestApp({ ADMIN_PASSWORD: '', ADMIN_EMAIL: 'kepala.tu@sman1samarinda.sch.id' }, { database });
    try {
      expect(first.bootstrap.createdAdministrator).toBe(true);
      const password = first.bootstrap.generatedPassword!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const { token } = await signIn(first.app, { email: 'kepala.tu@sman1samarinda.sch.id', password });
      const me = (await first.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } })).json().result;
      expect(me.user).toMatchObject({ type: 'ADMIN', mustChangePassword: true, roles: [{ name: 'administrator' }] });
      expect(me.permissions).toEqual([...PERMISSION_NAMES].sort());
    } finally {
      await first.app.close();
    }

    const second = await buildTestApp({ ADMIN_PASSWORD: '' }, { database });
    try {
      expect(second.bootstrap).toEqual({ createdAdministrator: false });
      const admins = await second.app.db.selectFrom('user').select('id').where('type', '=', 'ADMIN').execute();
      expect(admins).toHaveLength(1);
    } finally {
      await second.app.close();
    }
  });

  it('gives the administrator role any permission it lacks at the next start', async () => {
    const app1 = await buildTestApp({}, { database });
    const roleId = (await app1.app.db.selectFrom('role').select('id').where('name', '=', 'administrator').executeTakeFirstOrThrow()).id;
    await app1.app.db.deleteFrom('role_permission').where('roleId', '=', roleId).where('permission', 'in', ['stats:read', 'roles:write']).execute();
    await app1.app.close();

    const app2 = await buildTestApp({}, { database });
    const held = await app2.app.db.selectFrom('role_permission').select('permission').where('roleId', '=', roleId).execute();
    expect(held.map((r) => r.permission).sort()).toEqual([...PERMISSION_NAMES].sort());
    await app2.app.close();
  });
});
