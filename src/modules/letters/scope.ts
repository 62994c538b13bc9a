import type { Caller } from '../../auth/session.js';
import type { Scope } from './repository.js';

/**
 * Which letters a caller sees: reviewers (letters:review) and holders of letters:read see every
 * letter; anyone else only those they applied for or are cc'd on (another's letter is a 404).
 */
export function scopeOf(caller: Caller): Scope {
  const all = caller.permissions.has('letters:review') || caller.permissions.has('letters:read');
  return all ? { all: true } : { all: false, userId: caller.user.id };
}
