import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the enum is a `const enum` that isolated modules cannot import.
const ARGON2ID = 2;

/**
 * argon2id with OWASP's minimum (m = 19 MiB, t = 2, p = 1). @node-rs/argon2 runs on libuv's
 * thread pool, so a sign-in never blocks the event loop.
 */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword({ hash: stored, password }: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash (never written by Core) is a failed check, not a 500.
    return false;
  }
}
