import type { Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { listLoginHistory, type LoginHistorySort } from '../../auth/login-history.js';
import { AppError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort } from '../../http/list.js';
import { userExists } from './repository.js';

/** The caller's own account, as the session check just read it (no further query). */
export function getCurrentUser(caller: Caller) {
  return {
    user: caller.user,
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
