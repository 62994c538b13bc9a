import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Database, UserTable } from '../../db/schema.js';
import { toBool, toIso } from '../../db/values.js';

type Executor = Kysely<Database>;

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  secondaryEmail: string | null;
  image: string | null;
  type: UserTable['type'];
  banned: boolean;
  banReason: string | null;
  mustChangePassword: boolean;
  roles: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
}

// Named column set: what may leave the database for a user. Never the account's password hash.
const USER_COLUMNS = [
  'id', 'name', 'email', 'emailVerified', 'secondaryEmail', 'image', 'type',
  'banned', 'banReason', 'mustChangePassword', 'createdAt', 'updatedAt',
] as const;

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('user').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const roles = await db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.roleId')
    .select(['role.id', 'role.name'])
    .where('user_role.userId', '=', id)
    .orderBy('role.name')
    .execute();
  return {
    ...row,
    emailVerified: toBool(row.emailVerified),
    banned: toBool(row.banned),
    mustChangePassword: toBool(row.mustChangePassword),
    roles,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}

export async function userExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('user').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A user with an email-and-password credential, laid out as Better Auth lays out its own
 * (providerId 'credential', accountId = user id), so Better Auth signs the user in.
 */
export async function insertUserWithPassword(
  db: Executor,
  user: { name: string; email: string; type: UserTable['type']; passwordHash: string | null; mustChangePassword?: boolean },
): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await db
    .insertInto('user')
    .values({
      id,
      name: user.name,
      email: user.email.toLowerCase(),
      emailVerified: false,
      image: null,
      type: user.type,
      banned: false,
      banReason: null,
      secondaryEmail: null,
      mustChangePassword: user.mustChangePassword ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  if (user.passwordHash) {
    await db
      .insertInto('account')
      .values({
        id: uuidv7(),
        accountId: id,
        providerId: 'credential',
        userId: id,
        password: user.passwordHash,
        accessToken: null,
        refreshToken: null,
        idToken: null,
        accessTokenExpiresAt: null,
        refreshTokenExpiresAt: null,
        scope: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
  }
  return id;
}

export async function assignRoles(db: Executor, userId: string, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  const now = new Date().toISOString();
  await db
    .insertInto('user_role')
    .values(roleIds.map((roleId) => ({ userId, roleId, createdAt: now })))
    .execute();
}
