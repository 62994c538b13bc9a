import type { Db } from '../../db/index.js';
import { versionedCache } from '../../db/versioned-cache.js';
import type { AnchorKey } from '../../db/anchors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { countUsers, listUsers, type UserFilters, type UserRecord } from './repository.js';
import type { UserSort } from './schemas.js';

export type UserPage = { items: UserRecord[]; meta: ReturnType<typeof pageMeta> };

/**
 * Pages of users (the users list, and a role's members and eligible users), cached until an
 * account, a role membership or a role name changes (the 'users' version, migration 0003).
 */
const cachedPage = versionedCache<UserPage>(['users'], 2000);
// Counts apart, by filters alone: turning the pages of one list (a page the cache does not hold
// yet included) does not count 50,000 accounts again. Anchors for deep pages (db/anchors.ts), by
// filters and sort.
const cachedCount = versionedCache<number>(['users'], 2000);
const cachedAnchors = versionedCache<AnchorKey[]>(['users'], 500);

export function findUserPage(db: Db, filters: UserFilters, query: ListQuery): Promise<UserPage> {
  const countKey = JSON.stringify([filters.search ?? '', filters.type ?? '', filters.roleId ?? '', filters.notInRoleId ?? '', filters.banned ?? '']);
  const listKey = JSON.stringify([query.sort ?? '', countKey]);
  return cachedPage(db, JSON.stringify([query.page, query.limit, listKey]), async () => {
    const { items, total } = await listUsers(
      db,
      filters,
      { offset: offsetOf(query), limit: query.limit, sort: parseSort<UserSort>(query.sort, 'name'), anchors: await cachedAnchors(db, listKey, async () => []) },
      () => cachedCount(db, countKey, () => countUsers(db, filters)),
    );
    return { items, meta: pageMeta(query, total) };
  });
}
