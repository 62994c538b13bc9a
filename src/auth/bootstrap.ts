import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { ADMINISTRATOR_ROLE, findRoleIdByName, grantMissingPermissions } from '../modules/roles/repository.js';
import { assignRoles, countUsers, insertUserWithPassword } from '../modules/users/repository.js';
import { hashPassword } from './password.js';
import { PERMISSION_NAMES } from './permissions.js';

export interface BootstrapResult {
  /** Set when the first administrator was created with a generated password (shown once). */
  generatedPassword?: string;
  createdAdministrator: boolean;
}

/**
 * Start-up duties, idempotent and safe to run on every instance:
 * the administrator role holds every permission of the catalogue (new permissions included), and
 * an empty database gets its first administrator.
 */
export async function bootstrap(db: Db, config: Config): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    const administratorRoleId = await findRoleIdByName(trx, ADMINISTRATOR_ROLE);
    if (!administratorRoleId) throw new Error('The administrator role is missing; run the migrations.');
    await grantMissingPermissions(trx, administratorRoleId, PERMISSION_NAMES);

    if ((await countUsers(trx)) > 0) return { createdAdministrator: false };

    const generatedPassword = config.admin.password ? undefined : randomBytes(12).toString('base64url');
    const userId = await insertUserWithPassword(trx, {
      name: config.admin.name,
      email: config.admin.email,
      type: 'ADMIN',
      passwordHash: await hashPassword(config.admin.password ?? generatedPassword!),
      mustChangePassword: generatedPassword !== undefined,
    });
    await assignRoles(trx, userId, [administratorRoleId]);
    return { createdAdministrator: true, ...(generatedPassword ? { generatedPassword } : {}) };
  });
}
