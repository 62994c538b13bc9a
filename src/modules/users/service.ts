import { randomBytes } from 'node:crypto';
import Bowser from 'bowser';
import type { Config } from '../../config.js';
import { refusingDuplicates, type Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { hashPassword } from '../../auth/password.js';
import { listLoginHistory, type LoginHistorySort } from '../../auth/login-history.js';
import { AppError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { ADMINISTRATOR_ROLE, findRoleIdByName } from '../roles/repository.js';
import { ensureAnAdministratorRemains } from '../roles/service.js';
import type { UserTable } from '../../db/schema.js';
import {
  assignRoles, deleteSessions, deleteUserRow, existingRoleIds, findUserById,
  findUserIdByEmail, insertUserWithPassword, listLiveSessions, replaceRoles, setPasswordHash,
  updateUserRow, userExists, type DeviceRow, type UserFilters, type UserRecord,
} from './repository.js';
import { findUserPage, type UserPage } from './pages.js';
import { personTableOfUser, renamePersonOfUser } from '../people/repository.js';
import { DELETED_PERSON_BAN_REASON } from '../people/kind.js';

type UserType = UserTable['type'];

/** The role a new account gets when none is named. */
const DEFAULT_ROLE: Record<UserType, string> = {
  STUDENT: 'student',
  TEACHER: 'teacher',
  STAFF: 'staff',
  ADMIN: ADMINISTRATOR_ROLE,
};

/** A one-time password for the user to replace: 16 URL-safe characters (96 bits). */
function temporaryPassword(): string {
  return randomBytes(12).toString('base64url');
}

function emailTaken(): AppError {
  return AppError.conflict('That email address is already used by another account.', [
    { code: 'DUPLICATE', field: 'body.email', message: 'is already used by another account' },
  ]);
}

export function checkPasswordLength(config: Config, password: string, field: string): void {
  if (password.length < config.auth.passwordMinLength) {
    throw AppError.validation([
      { code: 'INVALID_LENGTH', field, message: `must be at least ${config.auth.passwordMinLength} characters` },
    ]);
  }
}

async function checkRoleIds(db: Db, roleIds: string[]): Promise<void> {
  const found = await existingRoleIds(db, roleIds);
  const unknown = roleIds.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw AppError.validation(
      unknown.map((id) => ({ code: 'NOT_FOUND', field: 'body.roleIds', message: `no role with id ${id}` })),
    );
  }
}

async function requireUser(db: Db, id: string): Promise<UserRecord> {
  const user = await findUserById(db, id);
  if (!user) throw AppError.notFound('User');
  return user;
}

/** The caller's own account, as the session check just read it (no further query). */
export function getCurrentUser(caller: Caller) {
  return {
    user: caller.user,
    permissions: [...caller.permissions].sort(),
    session: { id: caller.session.id, expiresAt: caller.session.expiresAt, createdAt: caller.session.createdAt },
  };
}

export function getUsers(db: Db, query: ListQuery & UserFilters): Promise<UserPage> {
  return findUserPage(db, { search: query.search, type: query.type, roleId: query.roleId, banned: query.banned }, query);
}

export async function getUser(db: Db, id: string): Promise<UserRecord> {
  return requireUser(db, id);
}

/** The first password of a new account: the one given, or a generated one to show once. */
export async function firstPassword(given: string | undefined): Promise<{ hash: string; generated?: string }> {
  const generated = given ? undefined : temporaryPassword();
  return { hash: await hashPassword(given ?? generated!), ...(generated ? { generated } : {}) };
}

/**
 * A new account with its credential and roles (default: the role of its type), in the caller's
 * transaction. A generated password must be changed at first sign-in.
 */
export async function insertAccount(
  trx: Db,
  input: { name: string; email: string; type: UserType; secondaryEmail?: string | null | undefined; roleIds?: string[] | undefined },
  password: { hash: string; generated?: string },
): Promise<string> {
  const userId = await insertUserWithPassword(trx, {
    name: input.name,
    email: input.email,
    type: input.type,
    passwordHash: password.hash,
    mustChangePassword: password.generated !== undefined,
    secondaryEmail: input.secondaryEmail,
  });
  await assignRoles(trx, userId, input.roleIds ?? [(await findRoleIdByName(trx, DEFAULT_ROLE[input.type]))!]);
  return userId;
}

export async function createUser(
  db: Db,
  config: Config,
  input: { name: string; email: string; secondaryEmail?: string | null | undefined; type: UserType; password?: string | undefined; roleIds?: string[] | undefined },
): Promise<{ user: UserRecord; temporaryPassword?: string }> {
  if (input.password) checkPasswordLength(config, input.password, 'body.password');
  if (input.roleIds) await checkRoleIds(db, input.roleIds);
  if (await findUserIdByEmail(db, input.email)) throw emailTaken();

  const password = await firstPassword(input.password);
  const id = await refusingDuplicates(() => db.transaction().execute((trx) => insertAccount(trx, input, password)), emailTaken);
  return { user: await requireUser(db, id), ...(password.generated ? { temporaryPassword: password.generated } : {}) };
}

export async function updateUser(
  db: Db,
  caller: Caller,
  id: string,
  patch: {
    name?: string | undefined; email?: string | undefined; secondaryEmail?: string | null | undefined; type?: UserType | undefined;
    emailVerified?: boolean | undefined; banned?: boolean | undefined; banReason?: string | null | undefined; roleIds?: string[] | undefined;
  },
): Promise<UserRecord> {
  const user = await requireUser(db, id);
  if (patch.roleIds) await checkRoleIds(db, patch.roleIds);
  if (patch.email && patch.email.toLowerCase() !== user.email) {
    const owner = await findUserIdByEmail(db, patch.email);
    if (owner && owner !== id) throw emailTaken();
  }
  if (patch.type && patch.type !== user.type) await refuseForPersonAccount(db, id, 'change its type');
  if (patch.banned === false && user.banned && user.banReason === DELETED_PERSON_BAN_REASON) {
    throw AppError.conflict('This account is disabled because its person record was deleted; restore the record to enable it.');
  }
  if (patch.banned === true && !user.banned) {
    if (id === caller.user.id) throw AppError.conflict('You cannot ban your own account.');
    await ensureAnAdministratorRemains(db, [id], 'banned');
  }
  if (patch.roleIds) {
    const administratorRoleId = (await findRoleIdByName(db, ADMINISTRATOR_ROLE))!;
    if (!patch.roleIds.includes(administratorRoleId)) await ensureAnAdministratorRemains(db, [id], 'removed from the administrator role');
  }

  await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        const { roleIds, banned, banReason, ...fields } = patch;
        await updateUserRow(trx, id, {
          ...fields,
          ...(banned !== undefined ? { banned, banReason: banned ? (banReason ?? user.banReason) : null } : {}),
          ...(banned === undefined && banReason !== undefined ? { banReason } : {}),
        });
        if (roleIds) await replaceRoles(trx, id, roleIds);
        if (fields.name !== undefined) await renamePersonOfUser(trx, id, fields.name);
        // A ban takes effect at once: every device of the user is signed out.
        if (banned === true) await deleteSessions(trx, id);
      }),
    emailTaken,
  );
  return requireUser(db, id);
}

export async function updateMe(db: Db, caller: Caller, patch: { name?: string | undefined; secondaryEmail?: string | null | undefined }) {
  await db.transaction().execute(async (trx) => {
    await updateUserRow(trx, caller.user.id, patch);
    if (patch.name !== undefined) await renamePersonOfUser(trx, caller.user.id, patch.name);
  });
  return requireUser(db, caller.user.id);
}

/** A student's, teacher's or staff member's account follows its record: it is changed through /api/{students|teachers|staff}. */
async function refuseForPersonAccount(db: Db, userId: string, action: string): Promise<void> {
  const table = await personTableOfUser(db, userId);
  if (!table) return;
  const resource = { student: 'students', teacher: 'teachers', staff: 'staff' }[table];
  throw AppError.conflict(`This account belongs to a ${table} record; you cannot ${action} here. Use /api/${resource}/… instead.`);
}

export async function deleteUser(db: Db, caller: Caller, id: string): Promise<void> {
  await requireUser(db, id);
  if (id === caller.user.id) throw AppError.conflict('You cannot delete your own account.');
  await refuseForPersonAccount(db, id, 'delete it');
  await ensureAnAdministratorRemains(db, [id], 'deleted');
  // Sessions, credentials and role memberships go with the account; login history stays, unlinked.
  await deleteUserRow(db, id);
}

/**
 * Gives an account a new password in the caller's transaction: the old one stops working and every
 * session ends. Returns how many sessions ended.
 */
export async function replacePassword(trx: Db, userId: string, passwordHash: string, mustChangePassword: boolean): Promise<number> {
  await setPasswordHash(trx, userId, passwordHash);
  await updateUserRow(trx, userId, { mustChangePassword });
  return deleteSessions(trx, userId);
}

export async function resetPassword(
  db: Db,
  config: Config,
  id: string,
  input: { newPassword?: string | undefined; mustChangePassword?: boolean | undefined },
): Promise<{ sessionsEnded: number; temporaryPassword?: string }> {
  await requireUser(db, id);
  if (input.newPassword) checkPasswordLength(config, input.newPassword, 'body.newPassword');
  const generated = input.newPassword ? undefined : temporaryPassword();
  const passwordHash = await hashPassword(input.newPassword ?? generated!);
  const sessionsEnded = await db.transaction().execute((trx) => replacePassword(trx, id, passwordHash, input.mustChangePassword ?? true));
  return { sessionsEnded, ...(generated ? { temporaryPassword: generated } : {}) };
}

function describeDevice(row: DeviceRow, currentSessionId: string | null) {
  const parsed = row.userAgent ? Bowser.parse(row.userAgent) : undefined;
  const product = row.userAgent?.split(/[\s(]/)[0]?.replace('/', ' ') || null;
  const browser = parsed?.browser.name ? [parsed.browser.name, parsed.browser.version?.split('.')[0]].filter(Boolean).join(' ') : product;
  const os = parsed?.os.name ? [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ') : null;
  const type = parsed?.platform.type;
  const deviceType: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'unknown' =
    type === 'desktop' || type === 'mobile' || type === 'tablet' || type === 'tv' ? type : 'unknown';
  return {
    id: row.id,
    browser,
    os,
    deviceType,
    userAgent: row.userAgent,
    ipAddress: row.ipAddress,
    createdAt: row.createdAt,
    lastActiveAt: row.lastActiveAt,
    expiresAt: row.expiresAt,
    current: row.id === currentSessionId,
  };
}

export async function getDevices(db: Db, userId: string, caller: Caller) {
  if (userId !== caller.user.id && !(await userExists(db, userId))) throw AppError.notFound('User');
  const rows = await listLiveSessions(db, userId);
  return rows.map((row) => describeDevice(row, caller.session.id));
}

export async function signOutDevice(db: Db, caller: Caller, sessionId: string): Promise<void> {
  const removed = await deleteSessions(db, caller.user.id, { only: sessionId });
  // Another user's session is as unknown to the caller as one that does not exist.
  if (removed === 0) throw AppError.notFound('Device');
}

export async function signOutOtherDevices(db: Db, caller: Caller): Promise<{ signedOut: number }> {
  return { signedOut: await deleteSessions(db, caller.user.id, { except: caller.session.id }) };
}

export async function getLoginHistory(
  db: Db,
  userId: string,
  query: { page: number; limit: number; sort?: string | undefined; success?: boolean | undefined },
) {
  if (!(await userExists(db, userId))) throw AppError.notFound('User');
  const { items, total } = await listLoginHistory(db, userId, {
    offset: offsetOf(query),
    limit: query.limit,
    sort: parseSort<LoginHistorySort>(query.sort, '-createdAt'),
    success: query.success,
  });
  return { items, meta: pageMeta(query, total) };
}
