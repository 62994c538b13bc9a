import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/index.js';
import { toBool, toCount, toIso } from '../db/values.js';
import type { SortField } from '../http/list.js';

/** Failure reasons Core writes itself; Better Auth's error codes (e.g. USER_BANNED) are kept as they come. */
export const IN_PROGRESS = 'IN_PROGRESS';
export const RATE_LIMITED = 'RATE_LIMITED';
export const INVALID_CREDENTIALS = 'INVALID_EMAIL_OR_PASSWORD';

export interface LoginHistoryEntry {
  id: string;
  userId: string | null;
  email: string;
  ipAddress: string | null;
  userAgent: string | null;
  success: boolean;
  failureReason: string | null;
  createdAt: string;
}

export async function recordAttemptStart(
  db: Db,
  attempt: { email: string; ipAddress: string | null; userAgent: string | null },
): Promise<{ id: string; createdAt: string }> {
  const id = uuidv7();
  const createdAt = new Date().toISOString();
  const user = await db.selectFrom('user').select('id').where('email', '=', attempt.email).executeTakeFirst();
  await db
    .insertInto('login_history')
    .values({
      id,
      userId: user?.id ?? null,
      email: attempt.email,
      ipAddress: attempt.ipAddress,
      userAgent: attempt.userAgent?.slice(0, 512) ?? null,
      success: false,
      failureReason: IN_PROGRESS,
      createdAt,
    })
    .execute();
  return { id, createdAt };
}

export async function recordAttemptOutcome(
  db: Db,
  id: string,
  outcome: { success: boolean; failureReason: string | null; userId?: string | null },
): Promise<void> {
  await db
    .updateTable('login_history')
    .set({
      success: outcome.success,
      failureReason: outcome.failureReason,
      ...(outcome.userId ? { userId: outcome.userId } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** How many attempts match, and when the oldest of them was made (for Retry-After). */
export interface AttemptWindow {
  count: number;
  oldest: string | null;
}

export async function countAddressAttempts(db: Db, ipAddress: string, since: string): Promise<AttemptWindow> {
  const row = await db
    .selectFrom('login_history')
    .select([sql<number>`count(*)`.as('count'), sql<string | Date | null>`min(${sql.ref('createdAt')})`.as('oldest')])
    .where('ipAddress', '=', ipAddress)
    .where('createdAt', '>', since)
    .where((eb) => eb.or([eb('failureReason', 'is', null), eb('failureReason', '!=', RATE_LIMITED)]))
    .executeTakeFirstOrThrow();
  return { count: toCount(row.count), oldest: row.oldest === null ? null : toIso(row.oldest) };
}

/** Failed (or still running) attempts on an account since `since` and after its last success. */
export async function countAccountFailures(db: Db, email: string, since: string): Promise<AttemptWindow> {
  const lastSuccess = await db
    .selectFrom('login_history')
    .select('createdAt')
    .where('email', '=', email)
    .where('success', '=', true)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  const after = lastSuccess && toIso(lastSuccess.createdAt) > since ? toIso(lastSuccess.createdAt) : since;
  const row = await db
    .selectFrom('login_history')
    .select([sql<number>`count(*)`.as('count'), sql<string | Date | null>`min(${sql.ref('createdAt')})`.as('oldest')])
    .where('email', '=', email)
    .where('createdAt', '>', after)
    .where('failureReason', 'in', [INVALID_CREDENTIALS, IN_PROGRESS])
    .executeTakeFirstOrThrow();
  return { count: toCount(row.count), oldest: row.oldest === null ? null : toIso(row.oldest) };
}

export type LoginHistorySort = 'createdAt';

export async function listLoginHistory(
  db: Db,
  userId: string,
  options: { offset: number; limit: number; sort: SortField<LoginHistorySort>[]; success?: boolean | undefined },
): Promise<{ items: LoginHistoryEntry[]; total: number }> {
  let base = db.selectFrom('login_history').where('userId', '=', userId).where('failureReason', 'is distinct from', IN_PROGRESS);
  if (options.success !== undefined) base = base.where('success', '=', options.success);
  const [{ total }, rows] = await Promise.all([
    base.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow(),
    options.sort
      .reduce((q, s) => q.orderBy(s.field, s.direction), base.selectAll())
      .orderBy('id', 'desc')
      .offset(options.offset)
      .limit(options.limit)
      .execute(),
  ]);
  return {
    total: toCount(total),
    items: rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      email: r.email,
      ipAddress: r.ipAddress,
      userAgent: r.userAgent,
      success: toBool(r.success),
      failureReason: r.failureReason,
      createdAt: toIso(r.createdAt),
    })),
  };
}
