import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database>;

export const ADMINISTRATOR_ROLE = 'administrator';

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
