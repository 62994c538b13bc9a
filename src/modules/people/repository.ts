import { v7 as uuidv7 } from 'uuid';
import { sql, type ExpressionBuilder, type Kysely, type OrderByItemBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readRows } from '../../db/prepared.js';
import { toCount, toIso } from '../../db/values.js';
import type { SortField } from '../../http/list.js';
import { pageStart, type AnchorKey } from '../../db/anchors.js';
import { COMMON_COLUMNS, COMMON_JSON_COLUMNS, type PersonKind, type PersonRecord, type ReadContext } from './kind.js';
import { prefixRange, replaceNameTokens, replaceSearchTokens, searchTerms, searchTokens, type PersonSearchRow } from './search.js';

type Executor = Kysely<Database>;
// The three person tables share their shape but not their name; queries over "whichever table the
// kind names" are built on an untyped view of the same executor.
type AnyExecutor = Kysely<any>;

const untyped = (db: Executor) => db as unknown as AnyExecutor;

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function jsonColumnsOf(kind: PersonKind): string[] {
  return [...COMMON_JSON_COLUMNS, ...kind.jsonColumns];
}

/** The record fields as columns: JSON fields serialised, computed columns added. */
export function toRow(kind: PersonKind, record: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of [...COMMON_COLUMNS, ...kind.columns]) if (column in record) row[column] = record[column] ?? null;
  for (const column of jsonColumnsOf(kind)) {
    if (column in record) row[column] = record[column] === null || record[column] === undefined ? null : JSON.stringify(record[column]);
  }
  return { ...row, ...kind.derivedColumns?.(record) };
}

/** A row (with its account's email and image) as the API shows it. */
export function toRecord(kind: PersonKind, row: Record<string, unknown>): PersonRecord {
  const record: Record<string, unknown> = {
    id: row.id,
    userId: row.userId,
    email: row.email,
    image: row.image ?? null,
  };
  for (const column of [...COMMON_COLUMNS, ...kind.columns]) record[column] = row[column] ?? null;
  for (const column of jsonColumnsOf(kind)) record[column] = parseJson(row[column]) ?? null;
  for (const [field, value] of Object.entries(kind.defaults)) if (Array.isArray(value) && record[field] === null) record[field] = [];
  record.deletedAt = toIso((row.deletedAt as string | Date | null) ?? null);
  record.createdAt = toIso(row.createdAt as string | Date);
  record.updatedAt = toIso(row.updatedAt as string | Date);
  return record as PersonRecord;
}

function selectWithAccount(db: Executor, kind: PersonKind) {
  const table = kind.table;
  return untyped(db)
    .selectFrom(table)
    .innerJoin('user', 'user.id', `${table}.userId`)
    .selectAll(table)
    .select(['user.email', 'user.image']);
}

export async function findPerson(db: Executor, kind: PersonKind, id: string, context: ReadContext): Promise<PersonRecord | undefined> {
  const row = await selectWithAccount(db, kind).where(`${kind.table}.id`, '=', id).executeTakeFirst();
  if (!row) return undefined;
  const record = toRecord(kind, row);
  await kind.attach?.(db, [record], context);
  return record;
}

export async function insertPerson(db: Executor, kind: PersonKind, userId: string, record: Record<string, unknown>): Promise<string> {
  const id = uuidv7();
  const now = new Date().toISOString();
  await untyped(db)
    .insertInto(kind.table)
    .values({ ...toRow(kind, record), id, userId, deletedAt: null, createdAt: now, updatedAt: now })
    .execute();
  await indexPerson(db, kind, id, record);
  return id;
}

export async function updatePersonRow(db: Executor, kind: PersonKind, id: string, record: Record<string, unknown>): Promise<void> {
  await untyped(db)
    .updateTable(kind.table)
    .set({ ...toRow(kind, record), updatedAt: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
  await indexPerson(db, kind, id, record);
}

/** Refreshes a person's search words from the record's name and identity numbers. */
function indexPerson(db: Executor, kind: PersonKind, id: string, record: Record<string, unknown>): Promise<void> {
  return replaceSearchTokens(db, id, searchRows(kind, id, record));
}

/** The person_search rows of a record. */
export function searchRows(kind: PersonKind, id: string, record: Record<string, unknown>): PersonSearchRow[] {
  return searchTokens(id, String(record.name), kind.numbers.map((field) => record[field] as string | null));
}

export async function setDeletedAt(db: Executor, kind: PersonKind, id: string, deletedAt: string | null): Promise<void> {
  await untyped(db).updateTable(kind.table).set({ deletedAt, updatedAt: new Date().toISOString() }).where('id', '=', id).execute();
}

/** Which of the unique identity numbers (and with which value) another record already holds. */
export async function takenNumbers(
  db: Executor,
  kind: PersonKind,
  values: Record<string, unknown>,
  exceptId?: string,
): Promise<string[]> {
  const taken: string[] = [];
  for (const field of kind.uniqueNumbers) {
    const value = values[field];
    if (typeof value !== 'string') continue;
    let query = untyped(db).selectFrom(kind.table).select('id').where(field, '=', value);
    if (exceptId) query = query.where('id', '!=', exceptId);
    if (await query.executeTakeFirst()) taken.push(field);
  }
  return taken;
}

export interface PersonFilters {
  search?: string | undefined;
  /** Only match the search against names (the students directory). */
  searchNamesOnly?: boolean;
  /** Exact matches: column → value. */
  equals: Record<string, unknown>;
  includeDeleted?: boolean | undefined;
  /** Further conditions the kind adds (a student's special need). */
  where?: ((eb: ExpressionBuilder<any, any>) => ReturnType<ExpressionBuilder<any, any>['and']>)[];
}

function filtered(db: Executor, kind: PersonKind, filters: PersonFilters): SelectQueryBuilder<any, any, {}> {
  const table = kind.table;
  let query = untyped(db).selectFrom(table);
  if (!filters.includeDeleted) query = query.where(`${table}.deletedAt`, 'is', null);
  for (const [column, value] of Object.entries(filters.equals)) {
    if (value !== undefined) query = query.where(`${table}.${column}`, '=', value);
  }
  for (const term of filters.search ? searchTerms(filters.search) : []) {
    const [from, to] = prefixRange(term);
    query = query.where(`${table}.id`, 'in', (eb: ExpressionBuilder<any, any>) => {
      let tokens = eb.selectFrom('person_search').select('personId').where('token', '>=', from).where('token', '<', to);
      if (filters.searchNamesOnly) tokens = tokens.where('kind', '=', 'NAME');
      return tokens;
    });
  }
  for (const condition of filters.where ?? []) query = query.where(condition);
  return query;
}

/** How many records match the filters. */
export async function countPeople(db: Executor, kind: PersonKind, filters: PersonFilters): Promise<number> {
  const [row] = await readRows(db, filtered(db, kind, filters).select((eb) => eb.fn.countAll().as('total')));
  return toCount((row as { total?: number } | undefined)?.total);
}

/**
 * A page of people: the count (the caller may know it already), then the page's ids found by walking a sort index alone, then only
 * those rows with their accounts — a deep page never reads the rows it skips.
 */
export async function listPeople(
  db: Executor,
  kind: PersonKind,
  filters: PersonFilters,
  page: { offset: number; limit: number; sort: SortField[]; anchors?: AnchorKey[] },
  context: ReadContext,
  countMatches: () => Promise<number> = () => countPeople(db, kind, filters),
): Promise<{ items: PersonRecord[]; total: number }> {
  const table = kind.table;
  const base = filtered(db, kind, filters);
  const total = await countMatches();
  if (total === 0 || page.offset >= total) return { items: [], total };

  const order: SortField[] = [...page.sort, { field: 'id', direction: page.sort.at(-1)?.direction ?? 'asc' }];
  const sorted = <Q extends SelectQueryBuilder<any, any, any>>(query: Q): Q =>
    order.reduce((q, s) => q.orderBy(sql.ref(`${table}.${s.field}`), (ob) => directionOf(ob, s)) as Q, query);

  // A deep page starts from the nearest remembered sort key before it (db/anchors.ts).
  const { start, skip } = await pageStart(db, base, page, { fields: order, neverEmpty: NEVER_EMPTY, column: (f) => `${table}.${f}`, sorted });

  // Find the page's ids by walking an index alone, then read only those rows.
  const pageIds = sorted(start.select(`${table}.id`)).offset(skip).limit(page.limit);
  const rows = await readRows(db, sorted(selectWithAccount(db, kind).where(`${table}.id`, 'in', pageIds)));
  const items = rows.map((row) => toRecord(kind, row as Record<string, unknown>));
  await kind.attach?.(db, items, context);
  return { total, items };
}

const NEVER_EMPTY = new Set(['id', 'name', 'createdAt']);

// Empty values sort last in both directions on both engines (SQLite puts NULL first by default).
// Columns that are never empty keep the plain order, which their indexes serve.
function directionOf(ob: OrderByItemBuilder, sort: SortField): OrderByItemBuilder {
  const ordered = sort.direction === 'asc' ? ob.asc() : ob.desc();
  return NEVER_EMPTY.has(sort.field) ? ordered : ordered.nullsLast();
}

const PERSON_TABLES = ['student', 'teacher', 'staff'] as const;

/** The kind of person record an account belongs to, if any (deleted ones included). */
export async function personTableOfUser(db: Executor, userId: string): Promise<(typeof PERSON_TABLES)[number] | undefined> {
  for (const table of PERSON_TABLES) {
    if (await untyped(db).selectFrom(table).select('id').where('userId', '=', userId).executeTakeFirst()) return table;
  }
  return undefined;
}

/** The account was renamed: its person record takes the same name, and is found by it. */
export async function renamePersonOfUser(db: Executor, userId: string, name: string): Promise<void> {
  for (const table of PERSON_TABLES) {
    const renamed = await untyped(db)
      .updateTable(table)
      .set({ name, updatedAt: new Date().toISOString() })
      .where('userId', '=', userId)
      .returning('id')
      .executeTakeFirst();
    if (renamed) await replaceNameTokens(db, renamed.id, name);
  }
}
