import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Database, RoleHistoryTable } from '../../db/schema.js';
import { toBool, toCount, toIso } from '../../db/values.js';
import { searchColumns, type SortField } from '../../http/list.js';

type Executor = Kysely<Database>;

export const ADMINISTRATOR_ROLE = 'administrator';

export interface RoleRecord {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  system: boolean;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export type RoleSort = 'name' | 'createdAt';

export async function findRoleIdByName(db: Executor, name: string): Promise<string | undefined> {
  return (await db.selectFrom('role').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

/** Adds the permissions a role lacks; returns how many were added. */
export async function grantMissingPermissions(db: Executor, roleId: string, permissions: readonly string[]): Promise<number> {
  const held = new Set(
    (await db.selectFrom('role_permission').select('permission').where('roleId', '=', roleId).execute()).map((r) => r.permission),
  );
  const missing = permissions.filter((p) => !held.has(p));
  if (missing.length > 0) {
    await db
      .insertInto('role_permission')
      .values(missing.map((permission) => ({ roleId, permission })))
      .execute();
  }
  return missing.length;
}

function roleQuery(db: Executor) {
  return db
    .selectFrom('role')
    .select(['role.id', 'role.name', 'role.description', 'role.system', 'role.createdAt', 'role.updatedAt'])
    .select((eb) =>
      eb.selectFrom('user_role').select((c) => c.fn.countAll<number>().as('n')).whereRef('user_role.roleId', '=', 'role.id').as('memberCount'),
    );
}

async function withPermissions(
  db: Executor,
  rows: { id: string; name: string; description: string | null; system: boolean | number; createdAt: Date | string; updatedAt: Date | string; memberCount: number | string | null }[],
): Promise<RoleRecord[]> {
  if (rows.length === 0) return [];
  const grants = await db
    .selectFrom('role_permission')
    .select(['roleId', 'permission'])
    .where('roleId', 'in', rows.map((r) => r.id))
    .orderBy('permission')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: grants.filter((g) => g.roleId === row.id).map((g) => g.permission),
    system: toBool(row.system),
    memberCount: toCount(row.memberCount),
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  }));
}

export async function findRoleById(db: Executor, id: string): Promise<RoleRecord | undefined> {
  const row = await roleQuery(db).where('role.id', '=', id).executeTakeFirst();
  return row ? (await withPermissions(db, [row]))[0] : undefined;
}

export async function listRoles(
  db: Executor,
  filters: { search?: string | undefined },
  page: { offset: number; limit: number; sort: SortField<RoleSort>[] },
): Promise<{ items: RoleRecord[]; total: number }> {
  let base = db.selectFrom('role');
  if (filters.search) {
    const search = filters.search;
    base = base.where((eb) => searchColumns(eb, [eb.ref('role.name'), eb.ref('role.description')], search));
  }
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const ids = base.select('role.id');
  const rows = await [...page.sort, { field: 'id' as const, direction: 'asc' as const }]
    .reduce((q, s) => q.orderBy(`role.${s.field}`, s.direction), roleQuery(db).where('role.id', 'in', ids))
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { items: await withPermissions(db, rows), total: toCount(total) };
}

export async function insertRole(db: Executor, role: { name: string; description: string | null }): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await db.insertInto('role').values({ id, name: role.name, description: role.description, system: false, createdAt: now, updatedAt: now }).execute();
  return id;
}

export async function updateRoleRow(db: Executor, id: string, patch: { name?: string; description?: string | null }): Promise<void> {
  await db.updateTable('role').set({ ...patch, updatedAt: new Date().toISOString() }).where('id', '=', id).execute();
}

export async function replacePermissions(db: Executor, roleId: string, permissions: string[]): Promise<void> {
  await db.deleteFrom('role_permission').where('roleId', '=', roleId).execute();
  if (permissions.length > 0) {
    await db.insertInto('role_permission').values(permissions.map((permission) => ({ roleId, permission }))).execute();
  }
}

export async function deleteRoleRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('role').where('id', '=', id).execute();
}

export async function roleNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('role').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function membersAmong(db: Executor, roleId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('user_role').select('userId').where('roleId', '=', roleId).where('userId', 'in', userIds).execute();
  return new Set(rows.map((r) => r.userId));
}

export async function addMembers(db: Executor, roleId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const now = new Date().toISOString();
  await db.insertInto('user_role').values(userIds.map((userId) => ({ userId, roleId, createdAt: now }))).execute();
}

export async function removeMembers(db: Executor, roleId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.deleteFrom('user_role').where('roleId', '=', roleId).where('userId', 'in', userIds).execute();
}

/** Unbanned members of the administrator role outside `exceptUserIds`: the count that must not reach zero. */
export async function countActiveAdministratorsExcept(db: Executor, administratorRoleId: string, exceptUserIds: string[]): Promise<number> {
  let query = db
    .selectFrom('user_role')
    .innerJoin('user', 'user.id', 'user_role.userId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_role.roleId', '=', administratorRoleId)
    .where('user.banned', '=', false);
  if (exceptUserIds.length > 0) query = query.where('user.id', 'not in', exceptUserIds);
  return toCount((await query.executeTakeFirstOrThrow()).n);
}

export interface RoleHistoryEntry {
  id: string;
  action: RoleHistoryTable['action'];
  actor: { id: string; name: string; email: string } | null;
  changes: Record<string, unknown>;
  createdAt: string;
}

export async function recordRoleChange(
  db: Executor,
  entry: { roleId: string; roleName: string; actorId: string; action: RoleHistoryTable['action']; changes: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('role_history')
    .values({ id: uuidv7(), ...entry, changes: JSON.stringify(entry.changes), createdAt: new Date().toISOString() })
    .execute();
}

export async function listRoleHistory(db: Executor, roleId: string, page: { offset: number; limit: number }) {
  const base = db.selectFrom('role_history').where('role_history.roleId', '=', roleId);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('user', 'user.id', 'role_history.actorId')
    .select(['role_history.id', 'role_history.action', 'role_history.changes', 'role_history.createdAt', 'user.id as actorId', 'user.name as actorName', 'user.email as actorEmail'])
    .orderBy('role_history.createdAt', 'desc')
    .orderBy('role_history.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const items: RoleHistoryEntry[] = rows.map((r) => ({
    id: r.id,
    action: r.action,
    actor: r.actorId && r.actorName && r.actorEmail ? { id: r.actorId, name: r.actorName, email: r.actorEmail } : null,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown>,
    createdAt: toIso(r.createdAt),
  }));
  return { items, total: toCount(total) };
}
