import type { Db } from '../../db/index.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { listUsers, readDirectoryVersion, type UserFilters, type UserRecord } from './repository.js';
import type { UserSort } from './schemas.js';

export type UserPage = { items: UserRecord[]; meta: ReturnType<typeof pageMeta> };

/**
 * Pages of users (the users list, and a role's members and eligible users), kept per database and
 * trusted only while the directory version read at the start of the request is the one they were
 * computed under. Any change to an account, a role membership or a role name bumps that version
 * (database triggers), so no page is ever stale.
 */
const PAGE_CACHE_ENTRIES = 2000;
const pageCaches = new WeakMap<Db, Map<string, { version: number; page: UserPage }>>();

export async function findUserPage(db: Db, filters: UserFilters, query: ListQuery): Promise<UserPage> {
  const version = await readDirectoryVersion(db);
  let cache = pageCaches.get(db);
  if (!cache) pageCaches.set(db, (cache = new Map()));
  const key = JSON.stringify([query.page, query.limit, query.sort ?? '', filters.search ?? '', filters.type ?? '', filters.roleId ?? '', filters.notInRoleId ?? '', filters.banned ?? '']);
  const cached = cache.get(key);
  if (cached && cached.version === version) return cached.page;

  const { items, total } = await listUsers(db, filters, {
    offset: offsetOf(query),
    limit: query.limit,
    sort: parseSort<UserSort>(query.sort, 'name'),
  });
  const page = { items, meta: pageMeta(query, total) };
  cache.delete(key);
  cache.set(key, { version, page });
  if (cache.size > PAGE_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return page;
}
