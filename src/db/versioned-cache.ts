import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { prepared } from './prepared.js';

/**
 * Answers kept in memory per database, trusted only while the versions of the tables they were
 * computed from are unchanged. Database triggers bump a table's row in directory_version in the
 * same transaction as any change to it (migrations 0003, 0004), so an answer is never stale, on
 * this instance or any other: every use costs one indexed read of the versions.
 */
export function versionedCache<T>(names: readonly string[], maxEntries: number) {
  const caches = new WeakMap<Kysely<Database>, Map<string, { version: string; value: Promise<T> }>>();
  const readVersions = prepared((db: Kysely<Database>) =>
    db.selectFrom('directory_version').select('version').where('name', 'in', [...names]).orderBy('name'),
  );

  return async function cached(db: Kysely<Database>, key: string, compute: () => Promise<T>): Promise<T> {
    const version = (await readVersions(db)).map((r) => r.version).join('.');
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new Map()));
    const hit = cache.get(key);
    if (hit && hit.version === version) return hit.value;

    // The promise is kept, so requests arriving while it is computed wait for the same answer
    // instead of each computing it. A failure is not kept.
    const value = compute();
    const entry = { version, value };
    // Re-inserted so the map's order is least recently computed first.
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return value;
  };
}
