import { PostgresAdapter, type Kysely } from 'kysely';

/** Column types that differ between the two engines; everything else is written once. */
export function columnTypes(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    timestamp: postgres ? ('timestamptz' as const) : ('text' as const),
    boolean: postgres ? ('boolean' as const) : ('integer' as const),
    json: postgres ? ('jsonb' as const) : ('text' as const),
    false: postgres ? false : 0,
    true: postgres ? true : 1,
  };
}
