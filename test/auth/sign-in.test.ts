import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, createUser, signIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function historyOf(userId: string) {
  return t.app.db.selectFrom('login_history').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').execute();
}

describe('sign-in, session, sign-out', () => {
  it('round-trips with a bearer token in the shapes the Android client reads', async () => {
    const user = await createUser(t.app, { type: 'STUDENT', name: 'Siti Aminah' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'user-agent': 'okhttp/4.12.0' },
      payload: { email: user.email, password: user.password },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      redirect: false,
      token: expect.any(String),
      url: null,
      user: expect.objectContaining({ id: user.id, email: user.email, name: 'Siti Aminah', image: null, emailVerified: false, secondaryEmail: null }),
    });
    expect(JSON.stringify(body)).not.toMatch(/password|argon2/i);
    expect(response.headers['set-cookie']).toBeDefined();

    const session = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { authorization: `Bearer ${body.token}` } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({
      session: {
        id: expect.any(String),
        token: body.token,
        expiresAt: expect.stringMatching(/Z$/),
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
        ipAddress: '127.0.0.1',
        userAgent: 'okhttp/4.12.0',
        userId: user.id,
      },
      user: expect.objectContaining({ id: user.id, email: user.email, name: 'Siti Aminah', createdAt: expect.any(String), updatedAt: expect.any(String) }),
    });

    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().result.user.id).toBe(user.id);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { authorization: `Bearer ${body.token}` } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ success: true });

    // Revoked at once: the very next request is refused, on our path and on Better Auth's.
    const after = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ success: false, result: null });
    const gone = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { authorization: `Bearer ${body.token}` } });
    expect(gone.json()).toBeNull();
  });

  it('round-trips with the session cookie', async () => {
    const user = await createUser(t.app, { type: 'TEACHER' });
    const { cookie } = await signIn(t.app, user);
    expect(cookie).toMatch(/^better-auth\.session_token=/);

    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().result.user.email).toBe(user.email);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, origin: t.config.publicUrl },
    });
    expect(out.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('accepts the signed token from set-auth-token as a bearer token too', async () => {
    const user = await createUser(t.app);
    const { response } = await signIn(t.app, user);
    const signed = response.headers['set-auth-token'] as string;
    expect(signed).toContain('.');
    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${signed}` } });
    expect(me.statusCode).toBe(200);
    const tampered = signed.slice(0, -3) + (signed.endsWith('A=') ? 'B=' : 'A=');
    const refused = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer x${tampered}` } });
    expect(refused.statusCode).toBe(401);
  });

  it('refuses a wrong password with 401 and records the failure with IP, user agent and reason', async () => {
    const user = await createUser(t.app);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'user-agent': 'Mozilla/5.0 test' },
      payload: { email: user.email, password: 'not-the-password' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'INVALID_EMAIL_OR_PASSWORD', message: expect.any(String) });
    const [row] = await historyOf(user.id);
    expect(row).toMatchObject({ email: user.email, ipAddress: '127.0.0.1', userAgent: 'Mozilla/5.0 test', failureReason: 'INVALID_EMAIL_OR_PASSWORD' });
    expect(Boolean(row!.success)).toBe(false);
  });

  it('records a successful sign-in', async () => {
    const user = await createUser(t.app);
    await signIn(t.app, user);
    const [row] = await historyOf(user.id);
    expect(Boolean(row!.success)).toBe(true);
    expect(row!.failureReason).toBeNull();
  });

  it('records attempts on unknown emails without revealing that the account does not exist', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: 'nobody@sman1samarinda.sch.id', password: 'whatever-123' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_EMAIL_OR_PASSWORD');
    const rows = await t.app.db.selectFrom('login_history').selectAll().where('email', '=', 'nobody@sman1samarinda.sch.id').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.userId).toBeNull();
  });

  it('treats the email case-insensitively', async () => {
    const user = await createUser(t.app);
    const { token } = await signIn(t.app, { email: user.email.toUpperCase(), password: user.password });
    expect(token).toBeTruthy();
  });

  it('validates the sign-in body and names every bad field', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: 'not-an-email' } });
    expect(response.statusCode).toBe(400);
    const fields = response.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.email', 'body.password']);
  });

  it('refuses a banned user at sign-in and ends the sessions it already had', async () => {
    const user = await createUser(t.app);
    const { token } = await signIn(t.app, user);
    await t.app.db.updateTable('user').set({ banned: true }).where('id', '=', user.id).execute();

    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(401);

    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: user.password } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'USER_BANNED', message: expect.stringMatching(/suspended/) });
    const [row] = await historyOf(user.id);
    expect(row!.failureReason).toBe('USER_BANNED');
  });

  it('keeps sign-up closed: accounts are created by the school office', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'new@sman1samarinda.sch.id', password: 'Password-123', name: 'New' },
    });
    expect(response.statusCode).toBe(404);
  });

  it('signs the first administrator in with the configured password', async () => {
    const { token } = await signIn(t.app, ADMIN);
    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json().result.user).toMatchObject({ email: ADMIN.email, type: 'ADMIN', roles: [{ name: 'administrator' }] });
  });

  it('takes the client address from X-Forwarded-For only when the proxy is trusted', async () => {
    const user = await createUser(t.app);
    const response = await signIn(t.app, user, { 'x-forwarded-for': '203.0.113.9' });
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { authorization: `Bearer ${response.token}` } });
    expect(session.json().session.ipAddress).toBe('127.0.0.1');
  });
});

describe('behind a trusted proxy', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    proxied = await buildTestApp({ TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => proxied.close());

  it('records the forwarded client address on the session and in the login history', async () => {
    const user = await createUser(proxied.app);
    const { token } = await signIn(proxied.app, user, { 'x-forwarded-for': '203.0.113.9' });
    const session = await proxied.app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { authorization: `Bearer ${token}` } });
    expect(session.json().session.ipAddress).toBe('203.0.113.9');
    const row = await proxied.app.db.selectFrom('login_history').select('ipAddress').where('userId', '=', user.id).executeTakeFirst();
    expect(row!.ipAddress).toBe('203.0.113.9');
  });
});

describe('when Better Auth cannot answer', () => {
  let down: TestApp;
  beforeAll(async () => {
    down = await buildTestApp();
  });
  afterAll(() => down.close());

  it('answers 503 with Retry-After, and the attempt does not count against the account', async () => {
    const user = await createUser(down.app);
    await down.app.auth.close();
    const response = await down.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: user.password } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', success: false });
    const rows = await down.app.db.selectFrom('login_history').select('failureReason').where('email', '=', user.email).execute();
    expect(rows.map((r) => r.failureReason)).toEqual(['UNAVAILABLE']);
  });
});
