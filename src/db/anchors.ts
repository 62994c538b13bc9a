import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { SortField } from '../http/list.js';
import { readRows } from './prepared.js';

/**
 * Deep pages without walking every row before them. `OFFSET 40000` makes the database step
 * through 40,000 index entries on every request; instead, the sort key of every ANCHOR_STEP-th
 * row is remembered (per list, filter and sort, and only while the data is unchanged: callers keep
 * anchors in a versionedCache), and a deep page seeks to the nearest anchor before it through the
 * index (`WHERE (name, id) > (:name, :id)`) and walks at most ANCHOR_STEP rows from there.
 *
 * Anchors are found when first needed, one step at a time from the last one known.
 */
export const ANCHOR_STEP = 500;

/** The sort-column values of one row, in sort order (the id last). */
export type AnchorKey = unknown[];

/**
 * A key comparison can stand in for an offset only when every sort column runs the same way and
 * none can be empty (NULLs do not compare).
 */
export function canSeek(order: SortField[], neverEmpty: ReadonlySet<string>): boolean {
  return order.every((s) => s.direction === order[0]!.direction && neverEmpty.has(s.field));
}

/** Rows after `key` in the sort order: `(a, b, id) > (:a, :b, :id)` (or `<` when descending). */
export function afterKey(columns: string[], direction: 'asc' | 'desc', key: AnchorKey): Expression<SqlBool> {
  const left = sql.join(columns.map((c) => sql.ref(c)));
  const right = sql.join(key.map((v) => sql.val(v)));
  return direction === 'asc' ? sql<SqlBool>`(${left}) > (${right})` : sql<SqlBool>`(${left}) < (${right})`;
}

/**
 * Where a page at `offset` starts: after which anchor, and how many rows past it. `next(after)`
 * reads the key of the ANCHOR_STEP-th row after `after` (from the start when undefined), or
 * undefined past the end; new anchors are added to `anchors`, which the caller keeps.
 */
export async function seekTo(
  offset: number,
  anchors: AnchorKey[],
  next: (after: AnchorKey | undefined) => Promise<AnchorKey | undefined>,
): Promise<{ after: AnchorKey | undefined; skip: number }> {
  const wanted = Math.floor(offset / ANCHOR_STEP);
  while (anchors.length < wanted) {
    const known = anchors.length;
    const key = await next(anchors[known - 1]);
    if (!key) break;
    // Another request may have added this anchor meanwhile; it found the same key.
    if (anchors.length === known) anchors.push(key);
  }
  const used = Math.min(wanted, anchors.length);
  return { after: used > 0 ? anchors[used - 1] : undefined, skip: offset - used * ANCHOR_STEP };
}

/**
 * The query a page walks from, and how many rows it skips: `base` itself and the offset for a
 * near page (or one whose sort cannot seek), else `base` after the nearest anchor.
 * `sorted` orders a query by `order`; `column` names a sort field's column.
 */
export async function pageStart<Q extends SelectQueryBuilder<any, any, any>>(
  db: Kysely<any>,
  base: Q,
  page: { offset: number; anchors?: AnchorKey[] | undefined },
  order: { fields: SortField[]; neverEmpty: ReadonlySet<string>; column(field: string): string; sorted<T extends SelectQueryBuilder<any, any, any>>(query: T): T },
): Promise<{ start: Q; skip: number }> {
  if (!page.anchors || page.offset < ANCHOR_STEP || !canSeek(order.fields, order.neverEmpty)) return { start: base, skip: page.offset };
  const columns = order.fields.map((s) => order.column(s.field));
  const direction = order.fields[0]!.direction;
  const from = (after: AnchorKey | undefined) => (after ? (base.where(afterKey(columns, direction, after)) as Q) : base);
  const seek = await seekTo(page.offset, page.anchors, async (after) => {
    const keys = order.sorted(from(after).select(columns.map((c, i) => sql.ref(c).as(`k${i}`)))).offset(ANCHOR_STEP - 1).limit(1);
    const [row] = (await readRows(db, keys)) as Record<string, unknown>[];
    return row ? columns.map((_, i) => row[`k${i}`]) : undefined;
  });
  return { start: from(seek.after), skip: seek.skip };
}
