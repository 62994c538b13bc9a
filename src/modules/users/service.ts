import type { Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { listLoginHistory, type LoginHistorySort } from '../../auth/login-history.js';
import { AppError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort } from '../../http/list.js';
import { findUserById, userExists } from './repository.js';

export async function getCurrentUser(db: Db, caller: Caller) {
  const user = await findUserById(db, caller.user.id);
  // The session was valid a moment ago; a user deleted in between is simply signed out.
  if (!user) throw AppError.unauthorized();
  return {
    user,
    permissions: [...caller.permissions].sort(),
    session: { id: caller.session.id, expiresAt: caller.session.expiresAt, createdAt: caller.session.createdAt },
  };
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
