import { createHmac, timingSafeEqual } from 'node:crypto';
import { serializeSignedCookie } from 'better-call';
import type { Db } from '../db/index.js';
import { prepared } from '../db/prepared.js';
import { toBool, toIso } from '../db/values.js';
import { isPermission, type Permission } from './permissions.js';
import { toUserRecord } from '../modules/users/repository.js';

/**
 * The session check on every API request. Better Auth creates and revokes sessions; this module
 * only reads them, with Better Auth's semantics (test/auth/session-parity.test.ts holds it to them):
 * - the token comes from `Authorization: Bearer` (raw or signed, as the bearer plugin takes it) or
 *   from the signed session cookie; a usable bearer token wins over the cookie;
 * - a session past `expiresAt` is deleted and refused;
 * - a session older than `updateAge` since its last refresh slides forward to `expiresIn`, unless
 *   the "don't remember me" cookie is present; a cookie client gets the refreshed cookie;
 * - there is no cache, so a revoked session is refused on the very next request.
 * Core adds one rule of its own: a banned user's sessions are refused.
 */

export interface CallerUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  secondaryEmail: string | null;
  image: string | null;
  type: 'STUDENT' | 'TEACHER' | 'STAFF' | 'ADMIN';
  banned: boolean;
  banReason: string | null;
  mustChangePassword: boolean;
  roles: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface CallerSession {
  id: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface Caller {
  user: CallerUser;
  session: CallerSession;
  /** How the caller authenticated; cookie callers get CSRF origin checks on unsafe methods. */
  via: 'bearer' | 'cookie';
  permissions: ReadonlySet<Permission>;
}

export interface ResolvedSession {
  caller: Caller;
  /** A refreshed session cookie to send back (cookie callers, after a sliding refresh). */
  setCookie?: string;
}

export interface SessionCookies {
  sessionToken: { name: string; attributes: Record<string, unknown> };
  dontRememberToken: { name: string };
}

export interface SessionResolverOptions {
  db: Db;
  secret: string;
  cookies: SessionCookies;
  expiresIn: number;
  updateAge: number;
}

/** Better Auth's signed value: `<value>.<base64 HMAC-SHA256(secret, value)>`. */
function unsign(signed: string, secret: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot < 1) return null;
  const value = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return null;
  const expected = createHmac('sha256', secret).update(value).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decode(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface TokenSource {
  token: string;
  via: 'bearer' | 'cookie';
  dontRemember: boolean;
}

export function readSessionToken(
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  secret: string,
  cookies: SessionCookies,
): TokenSource | null {
  const cookieHeader = headers.cookie;
  const dontRememberCookie = readCookie(cookieHeader, cookies.dontRememberToken.name);
  const dontRemember = dontRememberCookie !== undefined && unsign(dontRememberCookie, secret) !== null;

  const authorization = headers.authorization;
  if (authorization && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    const raw = authorization.slice(7).trim();
    if (raw) {
      const token = raw.includes('.') ? unsign(raw.includes('%') ? decode(raw) : raw, secret) : raw;
      if (token) return { token, via: 'bearer', dontRemember };
    }
  }
  const signed = readCookie(cookieHeader, cookies.sessionToken.name);
  const token = signed ? unsign(signed, secret) : null;
  return token ? { token, via: 'cookie', dontRemember } : null;
}

/**
 * One indexed query, built once: the session, its user, and the user's roles with the version of
 * each role's permissions (one row per role; a user without roles still gets one row).
 */
const findSessionByToken = prepared((db: Db, token: string) =>
  db
    .selectFrom('session')
    .innerJoin('user', 'user.id', 'session.userId')
    .leftJoin('user_role', 'user_role.userId', 'user.id')
    .leftJoin('role', 'role.id', 'user_role.roleId')
    .select([
      'session.id as sessionId',
      'session.expiresAt',
      'session.createdAt as sessionCreatedAt',
      'session.updatedAt as sessionUpdatedAt',
      'session.lastActiveAt',
      'user.id',
      'user.name',
      'user.email',
      'user.emailVerified',
      'user.secondaryEmail',
      'user.image',
      'user.type',
      'user.banned',
      'user.banReason',
      'user.mustChangePassword',
      'user.createdAt',
      'user.updatedAt',
      'role.id as roleId',
      'role.name as roleName',
      'role.permissionsVersion',
    ])
    .where('session.token', '=', token),
);

const findPermissionsOfRole = prepared((db: Db, roleId: string) =>
  db.selectFrom('role_permission').select('permission').where('roleId', '=', roleId),
);

/**
 * Each role's permissions, kept in memory and trusted only while the role's `permissionsVersion`
 * (read with every session, bumped by a database trigger on any change) is unchanged. So a
 * permission change applies on the next request, on every instance, without a query per permission.
 */
function createPermissionCache(db: Db) {
  const roles = new Map<string, { version: number; permissions: Permission[] }>();
  return async function permissionsOf(roleId: string, version: number): Promise<Permission[]> {
    const cached = roles.get(roleId);
    if (cached && cached.version === version) return cached.permissions;
    const rows = await findPermissionsOfRole(db, roleId);
    const permissions = rows.map((r) => r.permission).filter(isPermission);
    roles.set(roleId, { version, permissions });
    return permissions;
  };
}

/** "Last active" on a device is kept to the minute: one write per session per minute at most. */
const LAST_ACTIVE_PRECISION_MS = 60_000;

export function createSessionResolver(options: SessionResolverOptions) {
  const { db, secret, cookies, expiresIn, updateAge } = options;
  const permissionsOf = createPermissionCache(db);

  return async function resolveSession(headers: {
    authorization?: string | undefined;
    cookie?: string | undefined;
  }): Promise<ResolvedSession | null> {
    const source = readSessionToken(headers, secret, cookies);
    if (!source) return null;

    const rows = await findSessionByToken(db, source.token);
    const row = rows[0];
    if (!row) return null;

    const now = Date.now();
    let expiresAt = toIso(row.expiresAt);
    let updatedAt = toIso(row.sessionUpdatedAt);
    if (Date.parse(expiresAt) < now) {
      await db.deleteFrom('session').where('id', '=', row.sessionId).execute();
      return null;
    }
    if (toBool(row.banned)) return null;

    let setCookie: string | undefined;
    const lastActive = row.lastActiveAt === null ? 0 : Date.parse(toIso(row.lastActiveAt));
    const dueForRefresh = Date.parse(expiresAt) - expiresIn * 1000 + updateAge * 1000 <= now;
    if (dueForRefresh && !source.dontRemember) {
      expiresAt = new Date(now + expiresIn * 1000).toISOString();
      updatedAt = new Date(now).toISOString();
      await db.updateTable('session').set({ expiresAt, updatedAt, lastActiveAt: updatedAt }).where('id', '=', row.sessionId).execute();
      if (source.via === 'cookie') {
        setCookie = await serializeSignedCookie(cookies.sessionToken.name, source.token, secret, {
          ...cookies.sessionToken.attributes,
          maxAge: expiresIn,
        });
      }
    } else if (now - lastActive > LAST_ACTIVE_PRECISION_MS) {
      await db.updateTable('session').set({ lastActiveAt: new Date(now).toISOString() }).where('id', '=', row.sessionId).execute();
    }

    const permissions = new Set<Permission>();
    const roles: { id: string; name: string }[] = [];
    for (const r of rows) {
      if (!r.roleId || !r.roleName) continue;
      roles.push({ id: r.roleId, name: r.roleName });
      for (const permission of await permissionsOf(r.roleId, Number(r.permissionsVersion))) permissions.add(permission);
    }

    roles.sort((a, b) => a.name.localeCompare(b.name));

    return {
      caller: {
        user: toUserRecord(row, roles),
        session: { id: row.sessionId, expiresAt, createdAt: toIso(row.sessionCreatedAt), updatedAt },
        via: source.via,
        permissions,
      },
      ...(setCookie ? { setCookie } : {}),
    };
  };
}

export type SessionResolver = ReturnType<typeof createSessionResolver>;
