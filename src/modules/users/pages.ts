import type { Db } from '../../db/index.js';
import { versionedCache } from '../../db/versioned-cache.js';
import type { AnchorKey } from '../../db/anchors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { listUsers, type UserFilters, type UserRecord } from './repository.js';
import type { UserSort } from './schemas.js';

export type UserPage = { items: UserRecord[]; meta: ReturnType<typeof pageMeta> };

/**
 * Pages of users (the users list, and a role's members and eligible users), cached until an
 * account, a role membership or a role name changes (the 'users' version, migration 0003).
 */
const cachedPage = versionedCache<UserPage>(['users'], 2000);
// Anchors for deep pages (db/anchors.ts), by filters and sort.
const cachedAnchors = versionedCache<AnchorKey[]>(['users'], 500);

export function findUserPage(db: Db, filters: UserFilters, query: ListQuery): Promise<UserPage> {
  const listKey = JSON.stringify([query.sort ?? '', filters.search ?? '', filters.type ?? '', filters.roleId ?? '', filters.notInRoleId ?? '', filters.banned ?? '']);
  return cachedPage(db, JSON.stringify([query.page, query.limit, listKey]), async () => {
    const { items, total } = await listUsers(db, filters, {
      offset: offsetOf(query),
      limit: query.limit,
      sort: parseSort<UserSort>(query.sort, 'name'),
      anchors: await cachedAnchors(db, listKey, async () => []),
    });
    return { items, meta: pageMeta(query, total) };
  });
}
