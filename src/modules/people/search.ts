import type { Insertable, Kysely } from 'kysely';
import type { Database, PersonSearchTable } from '../../db/schema.js';

/**
 * Prefix search over people without scanning them: each word of a name and each identity number is
 * kept, lowercased and without accents, in person_search; a search term is then a range over that
 * table's index (`token >= 'sit' AND token < 'siu'`). A search matches a person when every one of
 * its words starts a word of the name or an identity number.
 */

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a name: "Nur'aini Siti-Rahma" → nur'aini, nuraini, nur, aini, siti-rahma, sitirahma, siti, rahma. */
export function nameTokens(name: string): string[] {
  const tokens = new Set<string>();
  for (const word of fold(name).split(/\s+/)) {
    const joined = word.replace(/[^\p{L}\p{N}]/gu, '');
    if (joined) tokens.add(joined);
    for (const part of word.split(/[^\p{L}\p{N}]+/u)) if (part) tokens.add(part);
  }
  return [...tokens];
}

/** The terms of a search string, folded the way names are (words joined as "nuraini" is). */
export function searchTerms(search: string): string[] {
  return [...new Set(fold(search).split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean))].slice(0, 5);
}

/** The range [term, next) holding every token that starts with `term`. */
export function prefixRange(term: string): [string, string] {
  const last = term.codePointAt(term.length - 1)!;
  const head = term.slice(0, term.length - String.fromCodePoint(last).length);
  return [term, head + String.fromCodePoint(last + 1)];
}

function nameRows(personId: string, name: string) {
  return nameTokens(name).map((token) => ({ token, personId, kind: 'NAME' as const }));
}

/** Replaces a person's name words, keeping their identity numbers. */
export async function replaceNameTokens(db: Kysely<Database>, personId: string, name: string): Promise<void> {
  await db.deleteFrom('person_search').where('personId', '=', personId).where('kind', '=', 'NAME').execute();
  const rows = nameRows(personId, name);
  if (rows.length > 0) await db.insertInto('person_search').values(rows).execute();
}

export type PersonSearchRow = Insertable<PersonSearchTable>;

/** The search rows of a person: the words of the name and each identity number. */
export function searchTokens(personId: string, name: string, numbers: (string | null | undefined)[]): PersonSearchRow[] {
  return [
    ...nameRows(personId, name),
    ...[...new Set(numbers.filter((n): n is string => Boolean(n)).map(fold))].map((token) => ({ token, personId, kind: 'NUMBER' as const })),
  ];
}

export async function replaceSearchTokens(db: Kysely<Database>, personId: string, rows: PersonSearchRow[]): Promise<void> {
  await db.deleteFrom('person_search').where('personId', '=', personId).execute();
  if (rows.length > 0) await db.insertInto('person_search').values(rows).execute();
}
