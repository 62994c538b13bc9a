import { Type, type TProperties } from '@sinclair/typebox';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { PageMeta } from './envelope.js';

/**
 * What every list endpoint shares (contract §1): `page` 1..1,000,000, `limit` 1..100, `search`, and a
 * `sort` of allowed fields with a `-` for descending. Out-of-range values are refused with 400
 * by the schema itself, so the OpenAPI document shows the same rules the server applies.
 */
export const MAX_LIMIT = 100;
export const MAX_PAGE = 1_000_000;

export interface ListQuery {
  page: number;
  limit: number;
  search?: string;
  sort?: string;
}

export interface SortField<F extends string = string> {
  field: F;
  direction: 'asc' | 'desc';
}

const pageProperties = {
  // A bound keeps the offset a number every database takes (page 10^30 once reached SQLite as a
  // float); a million pages of 100 is far beyond any school.
  page: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `Page number, 1 to ${MAX_PAGE}.` }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 10, description: `Items per page, 1 to ${MAX_LIMIT}.` }),
};

/** `page` and `limit` alone, for lists with one fixed order (histories). */
export function PageQuerySchema() {
  return Type.Object(pageProperties);
}

export function ListQuerySchema<F extends string, P extends TProperties = {}>(options: {
  sortable: readonly F[];
  defaultSort: string;
  searchHint?: string;
  filters?: P;
}) {
  const field = `-?(${options.sortable.join('|')})`;
  return Type.Object({
    ...pageProperties,
    search: Type.Optional(
      Type.String({ maxLength: 200, description: options.searchHint ?? 'Case-insensitive text search.' }),
    ),
    sort: Type.Optional(
      Type.String({
        pattern: `^${field}(,${field})*$`,
        maxLength: 200,
        description: `Comma list of ${options.sortable.join(', ')}; prefix with - for descending. Default ${options.defaultSort}.`,
      }),
    ),
    ...(options.filters ?? ({} as P)),
  });
}

/** Parses a sort string the schema has already checked; later repeats of a field are dropped. */
export function parseSort<F extends string>(sort: string | undefined, defaultSort: string): SortField<F>[] {
  const seen = new Set<string>();
  const fields: SortField<F>[] = [];
  for (const part of (sort || defaultSort).split(',')) {
    const descending = part.startsWith('-');
    const field = (descending ? part.slice(1) : part) as F;
    if (seen.has(field)) continue;
    seen.add(field);
    fields.push({ field, direction: descending ? 'desc' : 'asc' });
  }
  return fields;
}

export function pageMeta(query: Pick<ListQuery, 'page' | 'limit'>, total: number): PageMeta {
  return { page: query.page, limit: query.limit, total, totalPages: Math.ceil(total / query.limit) };
}

export function offsetOf(query: Pick<ListQuery, 'page' | 'limit'>): number {
  return (query.page - 1) * query.limit;
}

/** A LIKE pattern matching `text` anywhere, with the LIKE wildcards in it escaped. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive "contains" over several columns, the same on SQLite and PostgreSQL
 * (`lower(col) LIKE pattern ESCAPE '\'`).
 */
export function searchColumns<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: Expression<unknown>[],
  search: string,
): Expression<SqlBool> {
  const pattern = containsPattern(search);
  return eb.or(columns.map((column) => sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`));
}
