import type { FastifyInstance, FastifyPluginAsync, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type CoreApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb } from '../../src/db/index.js';
import { hashPassword } from '../../src/auth/password.js';
import { findRoleIdByName } from '../../src/modules/roles/repository.js';
import { assignRoles, insertUserWithPassword } from '../../src/modules/users/repository.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const ADMIN = { email: 'admin@sman1samarinda.sch.id', password: 'Admin-Password-123' };

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  bootstrap: CoreApp['bootstrap'];
  close(): Promise<void>;
}

/** Core on a fresh database of the kind under test. `env` overrides configuration variables. */
export async function buildTestApp(
  env: Record<string, string> = {},
  options: { plugins?: FastifyPluginAsync[]; database?: TestDatabase; logStream?: { write(line: string): void } } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const { app, bootstrap } = await buildApp(config, {
    dbHandle: createDb(config.database),
    ...(options.plugins ? { plugins: options.plugins } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  return {
    app,
    config,
    database,
    bootstrap,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

export type UserKind = 'STUDENT' | 'TEACHER' | 'STAFF' | 'ADMIN';

const DEFAULT_ROLE: Record<UserKind, string> = {
  STUDENT: 'student',
  TEACHER: 'teacher',
  STAFF: 'staff',
  ADMIN: 'administrator',
};

let sequence = 0;

/** A user with a password and the default role of its type (or the roles named). */
export async function createUser(
  app: FastifyInstance,
  overrides: { type?: UserKind; email?: string; name?: string; password?: string; roles?: string[] } = {},
): Promise<{ id: string; email: string; password: string }> {
  sequence += 1;
  const type = overrides.type ?? 'STUDENT';
  const email = overrides.email ?? `${type.toLowerCase()}${sequence}.${process.pid}@sman1samarinda.sch.id`;
  const password = overrides.password ?? `Password-${sequence}-xyz`;
  const id = await insertUserWithPassword(app.db, {
    name: overrides.name ?? `${type} ${sequence}`,
    email,
    type,
    passwordHash: await hashPassword(password),
  });
  const roleIds: string[] = [];
  for (const name of overrides.roles ?? [DEFAULT_ROLE[type]]) {
    const roleId = await findRoleIdByName(app.db, name);
    if (!roleId) throw new Error(`no role ${name}`);
    roleIds.push(roleId);
  }
  await assignRoles(app.db, id, roleIds);
  return { id, email, password };
}

export async function signIn(
  app: FastifyInstance,
  credentials: { email: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ token: string; cookie: string; response: LightMyRequestResponse }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers,
    payload: credentials,
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const setCookie = [response.headers['set-cookie'] ?? []].flat().find((c) => c.includes('session_token='));
  return { token: response.json().token, cookie: setCookie!.split(';')[0]!, response };
}

/** A user of the given type, signed in: its id and a bearer token. */
export async function signedInUser(app: FastifyInstance, overrides: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(app, overrides);
  const { token } = await signIn(app, user);
  return { ...user, token, auth: { authorization: `Bearer ${token}` } };
}

export function bearer(token: string): InjectOptions['headers'] {
  return { authorization: `Bearer ${token}` };
}

/** The first administrator, signed in: its id and bearer header. */
export async function signedInAdministrator(app: FastifyInstance): Promise<{ id: string; auth: { authorization: string } }> {
  const session = await signIn(app, ADMIN);
  return { id: session.response.json().user.id, auth: { authorization: `Bearer ${session.token}` } };
}
