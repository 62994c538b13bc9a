import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { createDb, type DbHandle } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let handle: DbHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url }).database);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe('migrations', () => {
  it('bring an empty database to the latest schema, and a second run does nothing', async () => {
    const first = await migrateToLatest(handle.db);
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(Object.keys(migrations).map((name) => [name, 'Success']));
    const second = await migrateToLatest(handle.db);
    expect(second.results).toEqual([]);
  });

  it('create every table Better Auth and Core use', async () => {
    const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
    for (const table of ['user', 'session', 'account', 'verification', 'role', 'role_permission', 'user_role', 'login_history']) {
      expect(tables).toContain(table);
    }
  });

  it('seed the four default roles as system roles', async () => {
    const roles = await handle.db.selectFrom('role').select(['name', 'system']).orderBy('name').execute();
    expect(roles.map((r) => r.name)).toEqual(['administrator', 'staff', 'student', 'teacher']);
    expect(roles.every((r) => Boolean(r.system))).toBe(true);
  });

  it('enforce foreign keys and unique emails', async () => {
    const now = new Date().toISOString();
    await expect(
      handle.db.insertInto('user_role').values({ userId: 'no-such-user', roleId: 'no-such-role', createdAt: now }).execute(),
    ).rejects.toThrow();
    const user = { name: 'A', email: 'dup@school.id', emailVerified: false, image: null, type: 'STUDENT' as const, banned: false, banReason: null, secondaryEmail: null, mustChangePassword: false, createdAt: now, updatedAt: now };
    await handle.db.insertInto('user').values({ id: 'u1', ...user }).execute();
    await expect(handle.db.insertInto('user').values({ id: 'u2', ...user }).execute()).rejects.toThrow();
  });

  it('index the columns the session check and the sign-in limits look up', async () => {
    const indexed =
      database.kind === 'sqlite'
        ? (await sql<{ sql: string | null }>`select sql from sqlite_master where type = 'index'`.execute(handle.db)).rows.map((r) => r.sql ?? '')
        : (await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'public'`.execute(handle.db)).rows.map((r) => r.indexdef);
    const text = indexed.join('\n');
    expect(text).toMatch(/login_history.*"?email"?, "?createdAt"?/);
    expect(text).toMatch(/login_history.*"?ipAddress"?, "?createdAt"?/);
    expect(text).toMatch(/session.*"?userId"?/);
  });
});
