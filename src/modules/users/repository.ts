import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Database, UserTable } from '../../db/schema.js';
import { prepared } from '../../db/prepared.js';
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

// One query for a user and its roles (one row per role; a user without roles still gets one row).
const selectUserWithRoles = prepared((db: Executor, id: string) =>
  db
    .selectFrom('user')
    .leftJoin('user_role', 'user_role.userId', 'user.id')
    .leftJoin('role', 'role.id', 'user_role.roleId')
    .select(USER_COLUMNS.map((c) => `user.${c}` as const))
    .select(['role.id as roleId', 'role.name as roleName'])
    .where('user.id', '=', id)
    .orderBy('role.name'),
);

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const rows = await selectUserWithRoles(db, id);
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    emailVerified: toBool(row.emailVerified),
    secondaryEmail: row.secondaryEmail,
    image: row.image,
    type: row.type,
    banned: toBool(row.banned),
    banReason: row.banReason,
    mustChangePassword: toBool(row.mustChangePassword),
    roles: rows.flatMap((r) => (r.roleId && r.roleName ? [{ id: r.roleId, name: r.roleName }] : [])),
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
