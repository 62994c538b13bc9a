import { v7 as uuidv7 } from 'uuid';
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import { pageStart, type AnchorKey } from '../../db/anchors.js';
import type { Database, UserTable } from '../../db/schema.js';
import type { CallerUser } from '../../auth/session.js';
import { prepared, readRows } from '../../db/prepared.js';
import { toBool, toCount, toIso } from '../../db/values.js';
import { searchColumns, type SortField } from '../../http/list.js';
import type { UserSort } from './schemas.js';

type Executor = Kysely<Database>;

// Sort columns that are never empty, so a deep page can seek by key (db/anchors.ts).
const NEVER_EMPTY = new Set(['id', 'name', 'email', 'type', 'createdAt']);

/** A user account as the API shows it (the same shape the session check gives the caller). */
export type UserRecord = CallerUser;

// Named column set: what may leave the database for a user. Never the account's password hash.
const USER_COLUMNS = [
  'id', 'name', 'email', 'emailVerified', 'secondaryEmail', 'image', 'type',
  'banned', 'banReason', 'mustChangePassword', 'createdAt', 'updatedAt',
] as const;

type UserRow = {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean | number;
  secondaryEmail: string | null;
  image: string | null;
  type: UserTable['type'];
  banned: boolean | number;
  banReason: string | null;
  mustChangePassword: boolean | number;
  createdAt: Date | string;
  updatedAt: Date | string;
};

export function toUserRecord(row: UserRow, roles: { id: string; name: string }[]): UserRecord {
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
    roles,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}

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
  return toUserRecord(row, rows.flatMap((r) => (r.roleId && r.roleName ? [{ id: r.roleId, name: r.roleName }] : [])));
}

export async function userExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('user').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/**
 * A user with an email-and-password credential, laid out as Better Auth lays out its own
 * (providerId 'credential', accountId = user id), so Better Auth signs the user in.
 */
export async function insertUserWithPassword(
  db: Executor,
  user: {
    name: string;
    email: string;
    type: UserTable['type'];
    passwordHash: string | null;
    mustChangePassword?: boolean;
    secondaryEmail?: string | null | undefined;
  },
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
      secondaryEmail: user.secondaryEmail ?? null,
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

export interface UserFilters {
  search?: string | undefined;
  type?: UserTable['type'] | undefined;
  roleId?: string | undefined;
  /** Only users who are not members of this role (a role's eligible users). */
  notInRoleId?: string | undefined;
  banned?: boolean | undefined;
}

/** A page of users with their roles: one count, one page query, one query for the page's roles. */
function matchingUsers(db: Executor, filters: UserFilters) {
  let base = db.selectFrom('user');
  if (filters.search) {
    const search = filters.search;
    base = base.where((eb) => searchColumns(eb, [eb.ref('user.name'), eb.ref('user.email')], search));
  }
  if (filters.type) base = base.where('user.type', '=', filters.type);
  if (filters.banned !== undefined) base = base.where('user.banned', '=', filters.banned);
  // Membership of a role, for a role's members (roleId) and the users who could join it (notInRoleId).
  const memberOf = (eb: ExpressionBuilder<Database, 'user'>, roleId: string) =>
    eb.exists(eb.selectFrom('user_role').select('user_role.userId').whereRef('user_role.userId', '=', 'user.id').where('user_role.roleId', '=', roleId));
  const { roleId, notInRoleId } = filters;
  if (roleId) base = base.where((eb) => memberOf(eb, roleId));
  if (notInRoleId) base = base.where((eb) => eb.not(memberOf(eb, notInRoleId)));
  return base;
}

/** How many accounts match the filters. */
export async function countUsers(db: Executor, filters: UserFilters = {}): Promise<number> {
  const [row] = await readRows(db, matchingUsers(db, filters).select((eb) => eb.fn.countAll<number>().as('total')));
  return toCount(row?.total);
}

/** A page of accounts; the count comes from `countMatches` (the caller may know it already). */
export async function listUsers(
  db: Executor,
  filters: UserFilters,
  page: { offset: number; limit: number; sort: SortField<UserSort>[]; anchors?: AnchorKey[] },
  countMatches: () => Promise<number> = () => countUsers(db, filters),
): Promise<{ items: UserRecord[]; total: number }> {
  const base = matchingUsers(db, filters);
  const total = await countMatches();
  if (total === 0 || page.offset >= total) return { items: [], total };

  // The id breaks ties so pages never overlap; email is unique and needs none.
  const tieBreak = page.sort.some((s) => s.field === 'email') ? [] : [{ field: 'id' as const, direction: page.sort.at(-1)?.direction ?? 'asc' }];
  const order: SortField<UserSort | 'id'>[] = [...page.sort, ...tieBreak];
  const sorted = <Q extends SelectQueryBuilder<Database, 'user', any>>(query: Q): Q =>
    order.reduce((q, s) => q.orderBy(`user.${s.field}`, s.direction) as Q, query);

  // A deep page starts from the nearest remembered sort key before it (db/anchors.ts).
  const { start, skip } = await pageStart(db, base, page, { fields: order, neverEmpty: NEVER_EMPTY, column: (f) => `user.${f}`, sorted });

  // Find the page's ids by walking an index alone, then read only those rows: a deep page never
  // reads the rows it skips.
  const pageIds = sorted(start.select('user.id')).offset(skip).limit(page.limit);
  const rows = await readRows(db, sorted(db.selectFrom('user').select(USER_COLUMNS.map((c) => `user.${c}` as const)).where('user.id', 'in', pageIds)));
  const roles = await rolesOfUsers(db, rows.map((r) => r.id));
  return { total, items: rows.map((row) => toUserRecord(row, roles.get(row.id) ?? [])) };
}

async function rolesOfUsers(db: Executor, userIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const byUser = new Map<string, { id: string; name: string }[]>();
  if (userIds.length === 0) return byUser;
  const rows = await readRows(
    db,
    db
      .selectFrom('user_role')
      .innerJoin('role', 'role.id', 'user_role.roleId')
      .select(['user_role.userId', 'role.id', 'role.name'])
      .where('user_role.userId', 'in', userIds)
      .orderBy('role.name'),
  );
  for (const row of rows) {
    const list = byUser.get(row.userId) ?? [];
    list.push({ id: row.id, name: row.name });
    byUser.set(row.userId, list);
  }
  return byUser;
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('user').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst())?.id;
}

export async function updateUserRow(
  db: Executor,
  id: string,
  patch: Partial<Pick<UserTable, 'name' | 'email' | 'secondaryEmail' | 'type' | 'banReason'>> & {
    banned?: boolean;
    emailVerified?: boolean;
    mustChangePassword?: boolean;
  },
): Promise<void> {
  await db
    .updateTable('user')
    .set({ ...patch, ...(patch.email ? { email: patch.email.toLowerCase() } : {}), updatedAt: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function replaceRoles(db: Executor, userId: string, roleIds: string[]): Promise<void> {
  await db.deleteFrom('user_role').where('userId', '=', userId).execute();
  await assignRoles(db, userId, roleIds);
}

/** Which of the given user ids exist. */
export async function existingUserIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('user').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Which of the given role ids exist. */
export async function existingRoleIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('role').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Sets the email-and-password credential (creating it for an account that had none). */
export async function setPasswordHash(db: Executor, userId: string, passwordHash: string): Promise<void> {
  const now = new Date().toISOString();
  const updated = await db
    .updateTable('account')
    .set({ password: passwordHash, updatedAt: now })
    .where('userId', '=', userId)
    .where('providerId', '=', 'credential')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await db
    .insertInto('account')
    .values({
      id: uuidv7(), accountId: userId, providerId: 'credential', userId, password: passwordHash,
      accessToken: null, refreshToken: null, idToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null,
      scope: null, createdAt: now, updatedAt: now,
    })
    .execute();
}

export async function deleteUserRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('user').where('id', '=', id).execute();
}

// Devices: the live sessions of a user. Tokens never leave this module.
export interface DeviceRow {
  id: string;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
}

export async function listLiveSessions(db: Executor, userId: string): Promise<DeviceRow[]> {
  const rows = await db
    .selectFrom('session')
    .select(['id', 'userAgent', 'ipAddress', 'createdAt', 'updatedAt', 'lastActiveAt', 'expiresAt'])
    .where('userId', '=', userId)
    .where('expiresAt', '>', new Date().toISOString())
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      userAgent: r.userAgent,
      ipAddress: r.ipAddress,
      createdAt: toIso(r.createdAt),
      lastActiveAt: toIso(r.lastActiveAt ?? r.updatedAt),
      expiresAt: toIso(r.expiresAt),
    }))
    .sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt));
}

export async function deleteSessions(db: Executor, userId: string, options: { only?: string; except?: string } = {}): Promise<number> {
  let query = db.deleteFrom('session').where('userId', '=', userId);
  if (options.only) query = query.where('id', '=', options.only);
  if (options.except) query = query.where('id', '!=', options.except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
