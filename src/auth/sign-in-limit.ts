import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { AppError } from '../http/errors.js';
import { countAccountFailures, countAddressAttempts, recordAttemptOutcome, RATE_LIMITED, type AttemptWindow } from './login-history.js';

/**
 * Sign-in rate limits, kept in the login history table so that every instance sees the same
 * counts. The attempt is recorded *before* it is counted, so a burst of parallel guesses counts
 * itself: no more than the limit can pass, however many arrive at once.
 *
 * - per client address: generous, because a school's students share one address behind its network;
 * - per account: strict, counting wrong passwords since the last successful sign-in.
 */
function retryAfterSeconds(window: AttemptWindow, windowSeconds: number, now: number): number {
  const oldest = window.oldest ? Date.parse(window.oldest) : now;
  return Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000));
}

export async function enforceSignInLimits(
  db: Db,
  limits: Config['signInLimits'],
  attempt: { id: string; email: string; ipAddress: string | null },
): Promise<void> {
  const now = Date.now();
  const sinceIso = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  let refusal: AppError | null = null;
  if (attempt.ipAddress) {
    const byAddress = await countAddressAttempts(db, attempt.ipAddress, sinceIso(limits.addressWindowSeconds));
    if (byAddress.count > limits.addressMaxAttempts) {
      refusal = AppError.tooManyRequests(
        retryAfterSeconds(byAddress, limits.addressWindowSeconds, now),
        'Too many sign-in attempts from this network. Wait a moment and try again.',
      );
    }
  }
  if (!refusal) {
    const byAccount = await countAccountFailures(db, attempt.email, sinceIso(limits.accountWindowSeconds));
    if (byAccount.count > limits.accountMaxFailures) {
      const retryAfter = retryAfterSeconds(byAccount, limits.accountWindowSeconds, now);
      refusal = AppError.tooManyRequests(
        retryAfter,
        `Too many failed sign-in attempts for this account. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      );
    }
  }
  if (refusal) {
    await recordAttemptOutcome(db, attempt.id, { success: false, failureReason: RATE_LIMITED });
    throw refusal;
  }
}
