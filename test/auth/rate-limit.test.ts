import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createUser, signIn, type TestApp } from '../helpers/app.js';

// The per-account limit runs at its production value (5 failures in 15 minutes); the per-address
// limit is lowered so a test can reach it, since its production value is in the hundreds.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ SIGN_IN_MAX_PER_ADDRESS: '40' });
});
afterAll(() => t.close());

function attempt(email: string, password: string, ip?: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    payload: { email, password },
    ...(ip ? { remoteAddress: ip } : {}),
  });
}

describe('sign-in rate limits', () => {
  it('stops password guessing on one account after 5 failures, with Retry-After, even for the right password', async () => {
    const user = await createUser(t.app);
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, `wrong-${i}`, '198.51.100.1')).statusCode).toBe(401);

    const limited = await attempt(user.email, user.password, '198.51.100.1');
    expect(limited.statusCode).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/Too many failed sign-in attempts/) });

    // The limit is per account, not per address: another student on the same network signs in.
    const classmate = await createUser(t.app);
    expect((await attempt(classmate.email, classmate.password, '198.51.100.1')).statusCode).toBe(200);

    const rows = await t.app.db.selectFrom('login_history').select('failureReason').where('userId', '=', user.id).execute();
    expect(rows.map((r) => r.failureReason).sort()).toEqual([...Array(5).fill('INVALID_EMAIL_OR_PASSWORD'), 'RATE_LIMITED'].sort());
  });

  it('counts failures only since the last successful sign-in', async () => {
    const user = await createUser(t.app);
    for (let i = 0; i < 4; i++) await attempt(user.email, `wrong-${i}`, '198.51.100.2');
    await signIn(t.app, user);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, `wrong-again-${i}`, '198.51.100.2')).statusCode).toBe(401);
    expect((await attempt(user.email, user.password, '198.51.100.2')).statusCode).toBe(200);
  });

  it('lets no more than the limit through when guesses arrive all at once', async () => {
    const user = await createUser(t.app);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user.email, `burst-${i}`, '198.51.100.3')));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
  });

  it('limits attempts per client address, generously', async () => {
    const ip = '192.0.2.77';
    const users = await Promise.all(Array.from({ length: 3 }, () => createUser(t.app)));
    let limited = null;
    for (let i = 0; i < 45 && !limited; i++) {
      const user = users[i % users.length]!;
      const response = await attempt(user.email, user.password, ip);
      if (response.statusCode === 429) limited = { i, response };
      else expect(response.statusCode).toBe(200);
    }
    expect(limited?.i).toBe(40);
    expect(limited?.response.json().message).toMatch(/from this network/);
    expect(Number(limited?.response.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await attempt(users[0]!.email, users[0]!.password, '192.0.2.78')).statusCode).toBe(200);
  });
});
