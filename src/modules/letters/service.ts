import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import type { LetterStatusValue, LetterTypeValue } from '../../db/schema.js';
import { nowIso } from '../../db/values.js';
import { versionedCache } from '../../db/versioned-cache.js';
import type { Caller } from '../../auth/session.js';
import { AppError, type FieldError } from '../../http/errors.js';
import { offsetOf, pageMeta, parseSort, type ListQuery } from '../../http/list.js';
import { isRealDate, startOfDay, todayIn } from '../../school-time.js';
import { currentAcademicYear } from '../classes/academic-year.js';
import { attachmentOf, type FilesContext } from '../files/service.js';
import { renderLetterContent } from './content.js';
import { renderLetterPdf } from './document.js';
import { formatLetterNumber, nextSequence } from './numbering.js';
import {
  applicantDetails, countLetters, existingUserIds, findLetter, findLetterByCode, insertHistory, insertLetter, isVisibleTo, leavePending,
  letterExtras, letterHistory, listLetters, listRecipients, setLetterNumber, type LetterFilters, type LetterRecord, type LetterSort, type RecipientFilters, type Scope,
} from './repository.js';
import { scopeOf } from './scope.js';

/**
 * Letter requests: a student (or teacher) asks, a reviewer approves or rejects, the applicant may
 * cancel while it waits. Approval numbers the letter, renders its text and makes it printable.
 */
export interface LettersContext {
  db: Db;
  config: Config;
  files: FilesContext;
}

const DATED_TYPES: readonly LetterTypeValue[] = ['DISPENSATION', 'ASSIGNMENT'];

/** An instant from the API's date-time or plain date (the start of that day at school). */
function toInstant(value: string, timeZone: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? startOfDay(value, timeZone) : new Date(value);
}

/** A date-time or date whose day exists (the schema has checked its shape). */
function isRealInstant(value: string): boolean {
  return !Number.isNaN(Date.parse(value)) && isRealDate(value.slice(0, 10));
}

export interface CreateLetterInput {
  letterType: LetterTypeValue;
  subject: string;
  reason?: string | null | undefined;
  beginDate?: string | null | undefined;
  endDate?: string | null | undefined;
  cc?: string[] | undefined;
  attachment?: string | null | undefined;
  isPrinted?: boolean | undefined;
}

export async function createLetter(ctx: LettersContext, caller: Caller, input: CreateLetterInput): Promise<LetterRecord> {
  const errors: FieldError[] = [];
  const dates: Record<'beginDate' | 'endDate', Date | null> = { beginDate: null, endDate: null };
  for (const field of ['beginDate', 'endDate'] as const) {
    const value = input[field];
    if (value === undefined || value === null) {
      if (DATED_TYPES.includes(input.letterType)) errors.push({ code: 'REQUIRED', field: `body.${field}`, message: `is required for a ${input.letterType} letter` });
    } else if (!isRealInstant(value)) {
      errors.push({ code: 'INVALID_DATE', field: `body.${field}`, message: 'is not a real date' });
    } else {
      dates[field] = toInstant(value, ctx.config.timeZone);
    }
  }

  const cc = [...new Set(input.cc ?? [])].filter((id) => id !== caller.user.id);
  const existing = await existingUserIds(ctx.db, cc);
  (input.cc ?? []).forEach((id, index) => {
    if (id !== caller.user.id && !existing.has(id)) errors.push({ code: 'NOT_FOUND', field: `body.cc.${index}`, message: 'is not a user' });
  });

  let attachmentKey: string | null = null;
  if (input.attachment) {
    const file = await attachmentOf(ctx.files, caller.user.id, input.attachment);
    if (file) attachmentKey = file.key;
    else errors.push({ code: 'NOT_FOUND', field: 'body.attachment', message: 'is not a file you uploaded (use the fileUrl or key from POST /api/presigned, after the upload)' });
  }
  if (errors.length > 0) throw AppError.validation(errors);
  if (dates.beginDate && dates.endDate && dates.beginDate > dates.endDate) {
    throw new AppError(422, 'INVALID_PERIOD', 'The letter would end before it begins.', [
      { code: 'INVALID_PERIOD', field: 'body.endDate', message: 'must not be before beginDate' },
    ]);
  }

  const now = nowIso();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const letterId = await insertLetter(
      trx,
      {
        letterType: input.letterType,
        subject: input.subject,
        reason: input.reason ?? null,
        beginDate: dates.beginDate?.toISOString() ?? null,
        endDate: dates.endDate?.toISOString() ?? null,
        attachment: input.attachment ?? null,
        attachmentKey,
        isPrinted: input.isPrinted ?? false,
        applicantId: caller.user.id,
      },
      cc,
      now,
    );
    await insertHistory(trx, { letterId, action: 'CREATE', actor: caller.user, note: null, fromStatus: null, toStatus: 'PENDING' }, now);
    return letterId;
  });
  return (await findLetter(ctx.db, id))!;
}

async function visibleLetter(ctx: LettersContext, caller: Caller, id: string): Promise<LetterRecord> {
  const letter = await findLetter(ctx.db, id);
  const scope = scopeOf(caller);
  if (!letter || (!scope.all && !(await isVisibleTo(ctx.db, id, scope.userId)))) throw AppError.notFound('Letter');
  return letter;
}

export async function getLetter(ctx: LettersContext, caller: Caller, id: string) {
  const letter = await visibleLetter(ctx, caller, id);
  return { ...letter, history: await letterHistory(ctx.db, id) };
}

export interface LetterListQuery extends ListQuery {
  status?: LetterStatusValue | undefined;
  letterType?: LetterTypeValue | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

type LetterPage = { items: LetterRecord[]; meta: ReturnType<typeof pageMeta> };

// Pages kept until any letter or account changes (versioned-cache.ts): a school reads its letters
// far more often than it writes them. Counts apart, by filters alone, so turning pages counts once.
const cachedPages = versionedCache<LetterPage>(['letter', 'users'], 2000);
const cachedTotals = versionedCache<number>(['letter'], 2000);

async function page(ctx: LettersContext, scope: Scope, query: LetterListQuery, applicantId?: string) {
  const errors: FieldError[] = [];
  for (const field of ['from', 'to'] as const) {
    if (query[field] !== undefined && !isRealInstant(query[field]!)) errors.push({ code: 'INVALID_DATE', field: `querystring.${field}`, message: 'is not a real date' });
  }
  if (errors.length > 0) throw AppError.validation(errors);
  const to = query.to && /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? new Date(toInstant(query.to, ctx.config.timeZone).getTime() + 86_400_000) : query.to ? new Date(query.to) : undefined;
  const filters: LetterFilters = {
    status: query.status,
    letterType: query.letterType,
    from: query.from ? toInstant(query.from, ctx.config.timeZone).toISOString() : undefined,
    to: to?.toISOString(),
    search: query.search,
    applicantId,
  };
  const sort = parseSort<LetterSort>(query.sort, '-createdAt');
  const countKey = JSON.stringify([scope, filters]);
  return cachedPages(ctx.db, JSON.stringify([countKey, sort, query.page, query.limit]), async () => {
    const [items, total] = await Promise.all([
      listLetters(ctx.db, scope, filters, sort, query.limit, offsetOf(query)),
      cachedTotals(ctx.db, countKey, () => countLetters(ctx.db, scope, filters)),
    ]);
    return { items, meta: pageMeta(query, total) };
  });
}

export function getLetters(ctx: LettersContext, caller: Caller, query: LetterListQuery) {
  return page(ctx, scopeOf(caller), query);
}

/**
 * The letters a user applied for: one's own, or anyone's with letters:read (or letters:review).
 * Another user's list without either is a 404, like anything else the caller may not see.
 */
export function getUserLetters(ctx: LettersContext, caller: Caller, userId: string, query: LetterListQuery) {
  if (userId !== caller.user.id && !scopeOf(caller).all) throw AppError.notFound('User');
  return page(ctx, { all: true }, query, userId);
}

function unguessableCode(): string {
  // 24 characters of Crockford's base32 (no I, L, O, U): 120 random bits, easy to read off paper.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(24)].map((byte) => alphabet[byte & 31]).join('');
}

function monthAndYear(iso: string, timeZone: string): { month: number; year: number } {
  const [year, month] = todayIn(timeZone, new Date(iso)).split('-').map(Number) as [number, number];
  return { month, year };
}

function notPending(letter: LetterRecord | { status: LetterStatusValue }, action: string): AppError {
  return AppError.conflict(`This letter is ${letter.status}; only a PENDING letter can be acted on.`, [
    { code: 'INVALID_TRANSITION', field: 'body.action', message: `cannot ${action} a letter that is ${letter.status}` },
  ]);
}

export async function actOnLetter(ctx: LettersContext, caller: Caller, id: string, action: 'APPROVE' | 'REJECT' | 'CANCEL', note: string | null | undefined) {
  const letter = await visibleLetter(ctx, caller, id);
  if (action === 'CANCEL' && letter.applicant.id !== caller.user.id) throw AppError.forbidden('Only the applicant can cancel a letter request.');
  if (action !== 'CANCEL') {
    if (!caller.permissions.has('letters:review')) throw AppError.forbidden('You need the letters:review permission to do this.');
    if (letter.applicant.id === caller.user.id) throw AppError.forbidden('A reviewer cannot approve or reject their own letter.');
  }
  if (action === 'REJECT' && !note?.trim()) throw AppError.validation([{ code: 'REQUIRED', field: 'body.note', message: 'is required to reject a letter' }]);
  if (letter.status !== 'PENDING') throw notPending(letter, action);

  const now = nowIso();
  const toStatus: LetterStatusValue = action === 'APPROVE' ? 'APPROVED' : action === 'REJECT' ? 'REJECTED' : 'CANCELLED';
  const applicant = action === 'APPROVE' ? await applicantDetails(ctx.db, letter.applicant.id, currentAcademicYear(ctx.config)) : null;
  const moved = await ctx.db.transaction().execute(async (trx) => {
    const reviewed = action === 'CANCEL' ? {} : { reviewerId: caller.user.id };
    const approved = action === 'APPROVE' ? { letterDate: now } : {};
    if (!(await leavePending(trx, id, { status: toStatus, updatedAt: now, ...reviewed, ...approved }))) return false;
    if (action === 'APPROVE') {
      const { month, year } = monthAndYear(now, ctx.config.timeZone);
      const sequence = await nextSequence(trx, letter.letterType, year);
      await setLetterNumber(trx, id, {
        numberYear: year,
        sequence,
        letterNumber: formatLetterNumber(ctx.config.letters, { sequence, letterType: letter.letterType, month, year }),
        verificationCode: unguessableCode(),
        letterContent: renderLetterContent({
          letterType: letter.letterType, subject: letter.subject, reason: letter.reason, beginDate: letter.beginDate, endDate: letter.endDate,
          applicant: applicant!, schoolName: ctx.config.schoolName, academicYear: currentAcademicYear(ctx.config), timeZone: ctx.config.timeZone,
        }),
      });
    }
    await insertHistory(trx, { letterId: id, action, actor: caller.user, note: note?.trim() || null, fromStatus: 'PENDING', toStatus }, now);
    return true;
  });
  // Another reviewer (or the applicant) got there first.
  if (!moved) throw notPending((await findLetter(ctx.db, id))!, action);
  return getLetter(ctx, caller, id);
}

export async function getRecipients(ctx: LettersContext, query: RecipientFilters & { page: number; limit: number }) {
  const { items, total } = await listRecipients(ctx.db, query, query.limit, offsetOf(query));
  return { items, meta: pageMeta(query, total) };
}

/** `Siti Rahmawati` → `S. R.`: enough to match a paper letter, nothing more on a public page. */
function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).map((word) => `${word[0]!.toUpperCase()}.`).join(' ');
}

function normalisedCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export function verificationUrl(config: Config, code: string): string {
  return `${config.publicUrl}/api/letters/verify/${code}`;
}

export async function verifyLetter(ctx: LettersContext, code: string) {
  const letter = await findLetterByCode(ctx.db, normalisedCode(code));
  if (!letter) throw AppError.notFound('Letter');
  return {
    letterNumber: letter.letterNumber!,
    letterType: letter.letterType,
    letterDate: new Date(letter.letterDate!).toISOString(),
    status: letter.status,
    applicantInitials: initials(letter.applicantName),
  };
}

export async function letterDocument(ctx: LettersContext, caller: Caller, id: string): Promise<{ pdf: Buffer; fileName: string }> {
  const letter = await visibleLetter(ctx, caller, id);
  if (letter.status !== 'APPROVED') throw AppError.conflict(`This letter is ${letter.status}; only an approved letter has a document.`);
  const extras = (await letterExtras(ctx.db, id))!;
  const pdf = await renderLetterPdf(letter, { code: extras.verificationCode!, url: verificationUrl(ctx.config, extras.verificationCode!) }, ctx.config);
  return { pdf, fileName: `surat-${letter.letterNumber!.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf` };
}
