import type { FieldError } from '../../http/errors.js';
import { isRealDate } from '../../school-time.js';

/**
 * Rules across fields that a JSON schema cannot state, checked on the whole record after a PATCH
 * has been merged into it, so an edit can never leave a record that a create would refuse.
 */

const EARLIEST = '1900-01-01';

export function checkBirthDate(field: string, value: unknown, today: string): FieldError[] {
  if (typeof value !== 'string') return [];
  if (value > today) return [{ code: 'OUT_OF_RANGE', field, message: 'must not be in the future' }];
  if (value < EARLIEST) return [{ code: 'OUT_OF_RANGE', field, message: `must not be before ${EARLIEST}` }];
  return [];
}

/** A parent's or guardian's dates: real, not in the future, and the year agreeing with the date. */
export function checkParent(field: string, parent: unknown, today: string): FieldError[] {
  if (!parent || typeof parent !== 'object') return [];
  const { birthDate, birthYear } = parent as { birthDate?: string | null; birthYear?: number | null };
  const errors = checkBirthDate(`${field}.birthDate`, birthDate, today);
  if (typeof birthYear === 'number' && birthYear > Number(today.slice(0, 4))) {
    errors.push({ code: 'OUT_OF_RANGE', field: `${field}.birthYear`, message: 'must not be in the future' });
  }
  if (typeof birthDate === 'string' && typeof birthYear === 'number' && Number(birthDate.slice(0, 4)) !== birthYear) {
    errors.push({ code: 'INCONSISTENT', field: `${field}.birthYear`, message: `must be the year of birthDate (${birthDate.slice(0, 4)})` });
  }
  return errors;
}

/** A NIP's `YYYYMMDD` part as a day that exists. */
function isRealDay(yyyymmdd: string): boolean {
  return isRealDate(`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`);
}

/**
 * An 18-digit NIP is made of the birth date (YYYYMMDD), the month of appointment (YYYYMM), the
 * gender (1 male, 2 female) and a sequence number: each part must be real and agree with the record.
 */
export function checkNip(record: Record<string, unknown>): FieldError[] {
  const nip = record.nip;
  if (typeof nip !== 'string' || nip.length !== 18) return [];
  const field = 'body.nip';
  const born = nip.slice(0, 8);
  const appointed = nip.slice(8, 14);
  const genderDigit = nip[14];
  if (!isRealDay(born)) return [{ code: 'INVALID_FORMAT', field, message: 'must start with a real birth date (YYYYMMDD)' }];
  if (!isRealDay(`${appointed}01`)) return [{ code: 'INVALID_FORMAT', field, message: 'digits 9–14 must be a real month of appointment (YYYYMM)' }];
  if (genderDigit !== '1' && genderDigit !== '2') return [{ code: 'INVALID_FORMAT', field, message: 'digit 15 must be 1 (male) or 2 (female)' }];
  const errors: FieldError[] = [];
  const birthDate = record.birthDate;
  if (typeof birthDate === 'string' && birthDate.replace(/-/g, '') !== born) {
    errors.push({ code: 'INCONSISTENT', field, message: `must start with the birth date ${birthDate.replace(/-/g, '')}` });
  }
  const gender = record.gender === 'MALE' ? '1' : '2';
  if (genderDigit !== gender) errors.push({ code: 'INCONSISTENT', field, message: `digit 15 must be ${gender} for gender ${String(record.gender)}` });
  return errors;
}

/** Education history: graduation years not in the future and after the person's birth. */
export function checkEducationHistory(record: Record<string, unknown>, today: string): FieldError[] {
  const history = record.educationHistory;
  if (!Array.isArray(history)) return [];
  const thisYear = Number(today.slice(0, 4));
  const bornIn = typeof record.birthDate === 'string' ? Number(record.birthDate.slice(0, 4)) : undefined;
  return history.flatMap((entry: { graduationYear?: number | null }, i) => {
    const year = entry.graduationYear;
    if (typeof year !== 'number') return [];
    const field = `body.educationHistory[${i}].graduationYear`;
    if (year > thisYear) return [{ code: 'OUT_OF_RANGE', field, message: 'must not be in the future' }];
    if (bornIn !== undefined && year <= bornIn) return [{ code: 'INCONSISTENT', field, message: 'must be after the year of birth' }];
    return [];
  });
}

/** A start date (teachers, staff) after the person's birth. */
export function checkStartDate(record: Record<string, unknown>): FieldError[] {
  const { startDate, birthDate } = record;
  if (typeof startDate === 'string' && typeof birthDate === 'string' && startDate <= birthDate) {
    return [{ code: 'INCONSISTENT', field: 'body.startDate', message: 'must be after birthDate' }];
  }
  return [];
}
