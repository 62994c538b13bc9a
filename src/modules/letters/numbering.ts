import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database, LetterTypeValue } from '../../db/schema.js';

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export interface NumberParts {
  sequence: number;
  letterType: LetterTypeValue;
  /** The letter date's month (1-12) and year, in the school's time zone. */
  month: number;
  year: number;
}

/** `007/DISP/SMAN1-SMD/XII/2026` from the configured format (LETTER_NUMBER_FORMAT). */
export function formatLetterNumber(letters: Config['letters'], parts: NumberParts): string {
  return letters.numberFormat.replace(/\{(seq(?::(\d))?|code|schoolCode|romanMonth|month|year)\}/g, (_token, name: string, width?: string) => {
    if (name.startsWith('seq')) return String(parts.sequence).padStart(Number(width ?? 0), '0');
    if (name === 'code') return letters.codes[parts.letterType];
    if (name === 'schoolCode') return letters.schoolCode;
    if (name === 'romanMonth') return ROMAN_MONTHS[parts.month - 1]!;
    if (name === 'month') return String(parts.month).padStart(2, '0');
    return String(parts.year);
  });
}

/**
 * The next number of a type in a year, taken inside the approving transaction. The upsert
 * increments one row and returns it in one statement; on PostgreSQL the row stays locked until
 * the transaction ends, so concurrent approvals (on any instance) take turns, and a rolled-back
 * approval gives its number back. On SQLite the write transaction itself serialises them.
 */
export async function nextSequence(trx: Kysely<Database>, letterType: LetterTypeValue, year: number): Promise<number> {
  const row = await trx
    .insertInto('letter_sequence')
    .values({ letterType, year, lastNumber: 1 })
    .onConflict((oc) => oc.columns(['letterType', 'year']).doUpdateSet({ lastNumber: sql`letter_sequence."lastNumber" + 1` }))
    .returning('lastNumber')
    .executeTakeFirstOrThrow();
  return Number(row.lastNumber);
}
