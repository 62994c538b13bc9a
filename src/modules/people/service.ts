import type { Config } from '../../config.js';
import { refusingDuplicates, type Db } from '../../db/index.js';
import type { Caller } from '../../auth/session.js';
import { AppError, type FieldError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import type { PageMeta } from '../../http/envelope.js';
import { versionedCache } from '../../db/versioned-cache.js';
import type { AnchorKey } from '../../db/anchors.js';
import { ensureAnAdministratorRemains } from '../roles/service.js';
import { deleteSessions, findUserById, findUserIdByEmail, updateUserRow } from '../users/repository.js';
import { checkPasswordLength, firstPassword, insertAccount } from '../users/service.js';
import { DELETED_PERSON_BAN_REASON, MERGED_OBJECTS, permissionOf, type PersonKind, type PersonRecord, type ReadContext } from './kind.js';
import { currentAcademicYear } from '../classes/academic-year.js';
import {
  countPeople, findPerson, insertPerson, listPeople, setDeletedAt, takenNumbers, updatePersonRow, type PersonFilters,
} from './repository.js';
import { checkBirthDate } from './rules.js';
import { todayIn } from '../../school-time.js';

/**
 * What students, teachers and staff share: a record with its own account, created, edited,
 * soft-deleted and restored together with it.
 */

const ACCOUNT_FIELDS = new Set(['email', 'password']);

function emailTaken(): AppError {
  return AppError.conflict('That email address is already used by another account.', [
    { code: 'DUPLICATE', field: 'body.email', message: 'is already used by another account' },
  ]);
}

function numbersTaken(kind: PersonKind, fields: string[]): AppError {
  return AppError.conflict(`Another ${kind.noun.toLowerCase()} already has this ${fields.map((f) => f.toUpperCase()).join(' and ')}.`, fields.map((field) => ({
    code: 'DUPLICATE', field: `body.${field}`, message: 'is already used by another record',
  })));
}

/** The 409 for a unique violation that slipped past the checks in a race, naming its field. */
function duplicateOf(kind: PersonKind) {
  return (violated: string): AppError => {
    const field = kind.uniqueNumbers.find((f) => violated.includes(`.${f}`) || violated.includes(`_${f}_`));
    return field ? numbersTaken(kind, [field]) : emailTaken();
  };
}

function checkRecord(kind: PersonKind, config: Config, record: Record<string, unknown>): void {
  const today = todayIn(config.timeZone);
  const errors: FieldError[] = [...checkBirthDate('body.birthDate', record.birthDate, today), ...(kind.check?.(record, today) ?? [])];
  if (errors.length > 0) throw AppError.validation(errors);
}

/** The person fields of a request body (the account's email and password are handled apart). */
function personFieldsOf(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !ACCOUNT_FIELDS.has(key)));
}

/** What records are read with: the current academic year (a student shows its class of that year). */
export function readContext(config: Config): ReadContext {
  return { academicYear: currentAcademicYear(config) };
}

async function requirePerson(db: Db, config: Config, kind: PersonKind, id: string, options: { deleted?: boolean } = {}): Promise<PersonRecord> {
  const person = await findPerson(db, kind, id, readContext(config));
  if (!person || (person.deletedAt !== null) !== Boolean(options.deleted)) throw AppError.notFound(kind.noun);
  return person;
}

export async function createPerson(
  db: Db,
  config: Config,
  kind: PersonKind,
  input: Record<string, unknown> & { name: string; email: string; password?: string | undefined },
): Promise<{ record: PersonRecord; temporaryPassword?: string }> {
  const record = { ...kind.defaults, ...personFieldsOf(input) };
  checkRecord(kind, config, record);
  if (input.password) checkPasswordLength(config, input.password, 'body.password');
  if (await findUserIdByEmail(db, input.email)) throw emailTaken();
  const taken = await takenNumbers(db, kind, record);
  if (taken.length > 0) throw numbersTaken(kind, taken);

  const password = await firstPassword(input.password);
  const id = await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        const userId = await insertAccount(trx, { name: input.name, email: input.email, type: kind.userType }, password);
        return insertPerson(trx, kind, userId, record);
      }),
    duplicateOf(kind),
  );
  return { record: await requirePerson(db, config, kind, id), ...(password.generated ? { temporaryPassword: password.generated } : {}) };
}

/** Merges a PATCH into a record: fields replaced, the nested objects named in MERGED_OBJECTS merged one level. */
function merge(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = current[field];
    merged[field] =
      MERGED_OBJECTS.has(field) && value !== null && before && typeof before === 'object'
        ? { ...(before as object), ...(value as object) }
        : value;
  }
  return merged;
}

export async function updatePerson(
  db: Db,
  config: Config,
  kind: PersonKind,
  id: string,
  patch: Record<string, unknown> & { name?: string | undefined; email?: string | undefined },
): Promise<PersonRecord> {
  const current = await requirePerson(db, config, kind, id);
  const record = merge(current, personFieldsOf(patch));
  checkRecord(kind, config, record);
  const email = patch.email?.toLowerCase();
  if (email && email !== current.email) {
    const owner = await findUserIdByEmail(db, email);
    if (owner && owner !== current.userId) throw emailTaken();
  }
  const changedNumbers = Object.fromEntries(kind.uniqueNumbers.filter((f) => f in patch && patch[f] !== current[f]).map((f) => [f, patch[f]]));
  const taken = await takenNumbers(db, kind, changedNumbers, id);
  if (taken.length > 0) throw numbersTaken(kind, taken);

  await refusingDuplicates(
    () =>
      db.transaction().execute(async (trx) => {
        if (patch.name !== undefined || email) {
          await updateUserRow(trx, current.userId, { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(email ? { email } : {}) });
        }
        await updatePersonRow(trx, kind, id, record);
      }),
    duplicateOf(kind),
  );
  return requirePerson(db, config, kind, id);
}

/**
 * A caller with `{resource}:read` sees any record (a deleted one too, with `{resource}:delete`);
 * anyone else sees only their own, and another's record does not exist for them.
 */
export async function getPerson(db: Db, config: Config, kind: PersonKind, caller: Caller, id: string): Promise<PersonRecord> {
  const person = await findPerson(db, kind, id, readContext(config));
  const mayRead = caller.permissions.has(permissionOf(kind, 'read')) || person?.userId === caller.user.id;
  const maySeeDeleted = caller.permissions.has(permissionOf(kind, 'delete'));
  if (!person || !mayRead || (person.deletedAt !== null && !maySeeDeleted)) throw AppError.notFound(kind.noun);
  return person;
}

type PersonPage = { items: PersonRecord[]; meta: PageMeta };

// Pages of each kind, cached until the kind's table or any account changes (see versionedCache).
// Records are large (a student with parents is ~3 KB), hence fewer entries than the users list.
// Counts are cached apart, by filters alone: turning pages of one list does not count it again.
// Anchors for deep pages (db/anchors.ts) likewise, by filters and sort.
const caches = new Map<string, {
  pages: ReturnType<typeof versionedCache<PersonPage>>;
  counts: ReturnType<typeof versionedCache<number>>;
  anchors: ReturnType<typeof versionedCache<AnchorKey[]>>;
}>();

function cachesOf(kind: PersonKind) {
  let cache = caches.get(kind.table);
  if (!cache) {
    const versions = ['users', kind.table, ...(kind.dependsOn ?? [])];
    caches.set(kind.table, (cache = {
      pages: versionedCache<PersonPage>(versions, 500),
      counts: versionedCache<number>(versions, 2000),
      anchors: versionedCache<AnchorKey[]>(versions, 500),
    }));
  }
  return cache;
}

/**
 * A page of records. `filters` are derived from `query` (plus fixed conditions such as the
 * directory's), so the two together identify the page in the cache.
 */
export async function listPersons(
  db: Db,
  config: Config,
  kind: PersonKind,
  caller: Caller,
  query: ListQuery & { includeDeleted?: boolean | undefined },
  filters: Omit<PersonFilters, 'search' | 'includeDeleted'>,
): Promise<PersonPage> {
  if (query.includeDeleted && !caller.permissions.has(permissionOf(kind, 'delete'))) {
    throw AppError.forbidden(`Listing deleted records needs the ${permissionOf(kind, 'delete')} permission.`);
  }
  const { page: _page, limit: _limit, sort: _sort, ...matching } = query;
  const countKey = JSON.stringify([Object.entries(matching).filter(([, v]) => v !== undefined).sort(), filters.equals, Boolean(filters.searchNamesOnly)]);
  const context = readContext(config);
  // The academic year is in the key: on the first day of a new year students show their new class.
  const pageKey = JSON.stringify([query.page, query.limit, query.sort ?? '', countKey, context.academicYear]);
  const { pages, counts, anchors } = cachesOf(kind);
  const all = { ...filters, search: query.search, includeDeleted: query.includeDeleted };
  return pages(db, pageKey, async () => {
    const { items, total } = await listPeople(
      db,
      kind,
      all,
      {
        offset: offsetOf(query),
        limit: query.limit,
        sort: parseSort(query.sort, 'name'),
        anchors: await anchors(db, JSON.stringify([query.sort ?? '', countKey]), async () => []),
      },
      context,
      () => counts(db, countKey, () => countPeople(db, kind, all)),
    );
    return { items, meta: pageMeta(query, total) };
  });
}

/**
 * Soft delete: the record leaves lists and statistics, the account is banned and signed out at
 * once; letters and class history keep pointing at the record, so they still show the name.
 */
export async function deletePerson(db: Db, config: Config, kind: PersonKind, caller: Caller, id: string): Promise<void> {
  const person = await requirePerson(db, config, kind, id);
  if (person.userId === caller.user.id) throw AppError.conflict('You cannot delete your own record.');
  await ensureAnAdministratorRemains(db, [person.userId], 'deleted');
  const account = await findUserById(db, person.userId);
  await db.transaction().execute(async (trx) => {
    await setDeletedAt(trx, kind, id, new Date().toISOString());
    // An account an administrator had already banned keeps its own reason.
    if (!account?.banned) await updateUserRow(trx, person.userId, { banned: true, banReason: DELETED_PERSON_BAN_REASON });
    await deleteSessions(trx, person.userId);
  });
}

/** Brings a deleted record back, and its account unless it was banned for another reason. */
export async function restorePerson(db: Db, config: Config, kind: PersonKind, id: string): Promise<PersonRecord> {
  const person = await findPerson(db, kind, id, readContext(config));
  if (!person) throw AppError.notFound(kind.noun);
  if (person.deletedAt === null) throw AppError.conflict(`This ${kind.noun.toLowerCase()} is not deleted.`);
  const account = await findUserById(db, person.userId);
  await db.transaction().execute(async (trx) => {
    await setDeletedAt(trx, kind, id, null);
    if (account?.banReason === DELETED_PERSON_BAN_REASON) await updateUserRow(trx, person.userId, { banned: false, banReason: null });
  });
  return requirePerson(db, config, kind, id);
}
