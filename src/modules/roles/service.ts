import { refusingDuplicates, type Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { isPermission } from '../../auth/permissions.js';
import { AppError, type FieldError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { existingUserIds } from '../users/repository.js';
import { findUserPage } from '../users/pages.js';
import type { UserTable } from '../../db/schema.js';
import {
  addMembers, ADMINISTRATOR_ROLE, countActiveAdministratorsExcept, deleteRoleRow, findRoleById, findRoleIdByName,
  insertRole, listRoleHistory, listRoles, membersAmong, recordRoleChange, removeMembers, replacePermissions,
  roleNameTaken, updateRoleRow, type RoleRecord, type RoleSort,
} from './repository.js';

async function requireRole(db: Db, id: string): Promise<RoleRecord> {
  const role = await findRoleById(db, id);
  if (!role) throw AppError.notFound('Role');
  return role;
}

function nameTaken(): AppError {
  return AppError.conflict('Another role already has that name.', [
    { code: 'DUPLICATE', field: 'body.name', message: 'is already the name of another role' },
  ]);
}

function checkPermissions(permissions: string[]): void {
  const errors: FieldError[] = permissions.flatMap((permission, i) =>
    isPermission(permission)
      ? []
      : [{ code: 'UNKNOWN_PERMISSION', field: `body.permissions[${i}]`, message: `"${permission}" is not in the permission catalogue` }],
  );
  if (errors.length > 0) throw AppError.validation(errors);
}

/**
 * Somebody must always be able to manage the school's accounts: refuses (409) a change after
 * which no unbanned member of the administrator role would remain.
 */
export async function ensureAnAdministratorRemains(db: Db, losingUserIds: string[], action: string): Promise<void> {
  const administratorRoleId = (await findRoleIdByName(db, ADMINISTRATOR_ROLE))!;
  const remaining = await countActiveAdministratorsExcept(db, administratorRoleId, losingUserIds);
  if (remaining > 0) return;
  const before = await countActiveAdministratorsExcept(db, administratorRoleId, []);
  if (before > 0) throw AppError.conflict(`This would leave no administrator; the last administrator cannot be ${action}. Make another administrator first.`);
}

export async function getRoles(db: Db, query: ListQuery) {
  const { items, total } = await listRoles(db, { search: query.search }, {
    offset: offsetOf(query),
    limit: query.limit,
    sort: parseSort<RoleSort>(query.sort, 'name'),
  });
  return { items, meta: pageMeta(query, total) };
}

export async function getRole(db: Db, id: string): Promise<RoleRecord> {
  return requireRole(db, id);
}

export async function createRole(db: Db, caller: Caller, input: { name: string; description?: string | null | undefined; permissions: string[] }) {
  checkPermissions(input.permissions);
  const name = input.name.trim();
  if (await roleNameTaken(db, name)) throw nameTaken();
  const id = await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        const roleId = await insertRole(trx, { name, description: input.description ?? null });
        await replacePermissions(trx, roleId, input.permissions);
        await recordRoleChange(trx, { roleId, roleName: name, actorId: caller.user.id, action: 'CREATED', changes: { permissionsAdded: [...input.permissions].sort() } });
        return roleId;
      }),
    nameTaken,
  );
  return requireRole(db, id);
}

export async function updateRole(
  db: Db,
  caller: Caller,
  id: string,
  patch: { name?: string | undefined; description?: string | null | undefined; permissions?: string[] | undefined },
): Promise<RoleRecord> {
  const role = await requireRole(db, id);
  const name = patch.name?.trim();
  if (name !== undefined && name !== role.name) {
    if (role.system) throw AppError.conflict(`"${role.name}" is a system role and cannot be renamed.`);
    if (await roleNameTaken(db, name, id)) throw nameTaken();
  }
  if (patch.permissions) {
    checkPermissions(patch.permissions);
    if (role.name === ADMINISTRATOR_ROLE && role.system) {
      throw AppError.conflict('The administrator role always holds every permission; its permissions cannot be edited.');
    }
  }

  const changes: Record<string, unknown> = {};
  if (name !== undefined && name !== role.name) changes.name = { from: role.name, to: name };
  if (patch.description !== undefined && patch.description !== role.description) changes.description = { from: role.description, to: patch.description };
  if (patch.permissions) {
    const added = patch.permissions.filter((p) => !role.permissions.includes(p)).sort();
    const removed = role.permissions.filter((p) => !patch.permissions!.includes(p)).sort();
    if (added.length) changes.permissionsAdded = added;
    if (removed.length) changes.permissionsRemoved = removed;
  }
  if (Object.keys(changes).length === 0) return role;

  await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        await updateRoleRow(trx, id, {
          ...(name !== undefined ? { name } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
        });
        // The trigger on role_permission bumps the role's permissionsVersion, so every instance
        // applies the new permissions on its members' next request.
        if (patch.permissions) await replacePermissions(trx, id, patch.permissions);
        await recordRoleChange(trx, { roleId: id, roleName: name ?? role.name, actorId: caller.user.id, action: 'UPDATED', changes });
      }),
    nameTaken,
  );
  return requireRole(db, id);
}

export async function deleteRole(db: Db, caller: Caller, id: string): Promise<void> {
  const role = await requireRole(db, id);
  if (role.system) throw AppError.conflict(`"${role.name}" is a system role and cannot be deleted.`);
  await db.transaction().execute(async (trx) => {
    await recordRoleChange(trx, { roleId: id, roleName: role.name, actorId: caller.user.id, action: 'DELETED', changes: { memberCount: role.memberCount, permissions: role.permissions } });
    await deleteRoleRow(trx, id);
  });
}

export async function getRoleUsers(
  db: Db,
  id: string,
  which: 'members' | 'eligible',
  query: ListQuery & { type?: UserTable['type'] | undefined },
) {
  await requireRole(db, id);
  return findUserPage(db, { search: query.search, type: query.type, ...(which === 'members' ? { roleId: id } : { notInRoleId: id }) }, query);
}

export async function addRoleMembers(db: Db, caller: Caller, id: string, userIds: string[]) {
  const role = await requireRole(db, id);
  const known = await existingUserIds(db, userIds);
  const unknown = userIds.filter((userId) => !known.has(userId));
  if (unknown.length > 0) {
    throw AppError.validation(
      unknown.map((userId) => ({ code: 'NOT_FOUND', field: `body.userIds[${userIds.indexOf(userId)}]`, message: `no user with id ${userId}` })),
      'Some users do not exist; nobody was added.',
    );
  }
  const already = await membersAmong(db, id, userIds);
  const added = userIds.filter((userId) => !already.has(userId));
  if (added.length > 0) {
    await db.transaction().execute(async (trx) => {
      await addMembers(trx, id, added);
      await recordRoleChange(trx, { roleId: id, roleName: role.name, actorId: caller.user.id, action: 'MEMBERS_ADDED', changes: { userIds: added } });
    });
  }
  return { added, alreadyMembers: userIds.filter((userId) => already.has(userId)) };
}

export async function removeRoleMembers(db: Db, caller: Caller, id: string, userIds: string[]) {
  const role = await requireRole(db, id);
  const members = await membersAmong(db, id, userIds);
  const removed = userIds.filter((userId) => members.has(userId));
  if (role.name === ADMINISTRATOR_ROLE && role.system) await ensureAnAdministratorRemains(db, removed, 'removed from the administrator role');
  if (removed.length > 0) {
    await db.transaction().execute(async (trx) => {
      await removeMembers(trx, id, removed);
      await recordRoleChange(trx, { roleId: id, roleName: role.name, actorId: caller.user.id, action: 'MEMBERS_REMOVED', changes: { userIds: removed } });
    });
  }
  return { removed, notMembers: userIds.filter((userId) => !members.has(userId)) };
}

export async function getRoleHistory(db: Db, id: string, query: { page: number; limit: number }) {
  await requireRole(db, id);
  const { items, total } = await listRoleHistory(db, id, { offset: offsetOf(query), limit: query.limit });
  return { items, meta: pageMeta(query, total) };
}

