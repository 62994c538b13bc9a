import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionResolver, type SessionResolver } from '../../src/auth/session.js';
import { toIso } from '../../src/db/values.js';
import { buildTestApp, createUser, signIn, type TestApp } from '../helpers/app.js';

// Core resolves sessions on its own indexed path for speed; this holds that path to Better Auth's
// own `getSession` on the same requests, scenario by scenario.
let t: TestApp;
let resolve: SessionResolver;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await buildTestApp();
  resolve = createSessionResolver({
    db: t.app.db,
    secret: t.config.auth.secret,
    cookies: t.app.auth.cookies,
    expiresIn: t.config.auth.sessionExpiresIn,
    updateAge: t.config.auth.sessionUpdateAge,
  });
});
afterAll(() => t.close());

/** Better Auth's own answer, through its get-session endpoint. */
async function betterAuth(headers: Record<string, string>): Promise<{ session: { id: string; expiresAt: string }; user: { id: string } } | null> {
  const response = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function both(headers: Record<string, string>) {
  const ours = await resolve(headers);
  const theirs = await betterAuth(headers);
  return { ours, theirs };
}

async function expiresAtOf(sessionId: string): Promise<number> {
  const row = await t.app.db.selectFrom('session').select('expiresAt').where('id', '=', sessionId).executeTakeFirst();
  return row ? Date.parse(toIso(row.expiresAt)) : NaN;
}

async function setExpiresAt(token: string, at: number) {
  await t.app.db.updateTable('session').set({ expiresAt: new Date(at).toISOString() }).where('token', '=', token).execute();
}

async function freshSession(options: { rememberMe?: boolean } = {}) {
  const user = await createUser(t.app);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    payload: { email: user.email, password: user.password, ...options },
  });
  const cookies = [response.headers['set-cookie'] ?? []].flat().map((c) => c.split(';')[0]!);
  return {
    user,
    token: response.json().token as string,
    signed: response.headers['set-auth-token'] as string,
    cookie: cookies.join('; '),
    sessionCookie: cookies.find((c) => c.includes('session_token='))!,
  };
}

describe('Core session lookup agrees with Better Auth', () => {
  it.each([
    ['a raw bearer token', (s: Awaited<ReturnType<typeof freshSession>>) => ({ authorization: `Bearer ${s.token}` })],
    ['a signed bearer token', (s: Awaited<ReturnType<typeof freshSession>>) => ({ authorization: `Bearer ${s.signed}` })],
    ['the session cookie', (s: Awaited<ReturnType<typeof freshSession>>) => ({ cookie: s.sessionCookie })],
  ])('accepts %s as the same session', async (_name, headersOf) => {
    const session = await freshSession();
    const { ours, theirs } = await both(headersOf(session));
    expect(theirs?.user.id).toBe(session.user.id);
    expect(ours?.caller.user.id).toBe(session.user.id);
    expect(ours?.caller.session.id).toBe(theirs?.session.id);
    expect(ours?.caller.session.expiresAt).toBe(theirs?.session.expiresAt);
  });

  it.each([
    ['an unknown token', { authorization: 'Bearer nosuchtokennosuchtokennosuchtok' }],
    ['a cookie with a forged signature', { cookie: 'better-auth.session_token=abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D' }],
    ['a bearer with a forged signature', { authorization: 'Bearer abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    ['no credentials at all', {}],
  ])('refuses %s', async (_name, headers: Record<string, string>) => {
    const { ours, theirs } = await both(headers);
    expect(theirs).toBeNull();
    expect(ours).toBeNull();
  });

  it('refuses a forged cookie signature for a real token', async () => {
    const session = await freshSession();
    const forged = `better-auth.session_token=${session.token}.${'A'.repeat(43)}%3D`;
    const { ours, theirs } = await both({ cookie: forged });
    expect(theirs).toBeNull();
    expect(ours).toBeNull();
  });

  it('refuses an expired session and deletes it, as Better Auth does', async () => {
    const a = await freshSession();
    const b = await freshSession();
    await setExpiresAt(a.token, Date.now() - 1000);
    await setExpiresAt(b.token, Date.now() - 1000);
    expect(await resolve({ authorization: `Bearer ${a.token}` })).toBeNull();
    expect(await betterAuth({ authorization: `Bearer ${b.token}` })).toBeNull();
    for (const token of [a.token, b.token]) {
      expect(await t.app.db.selectFrom('session').select('id').where('token', '=', token).executeTakeFirst()).toBeUndefined();
    }
  });

  it('slides a session forward once updateAge has passed since its last refresh, like Better Auth', async () => {
    const a = await freshSession();
    const b = await freshSession();
    const { expiresIn, updateAge } = { expiresIn: t.config.auth.sessionExpiresIn * 1000, updateAge: t.config.auth.sessionUpdateAge * 1000 };
    const due = Date.now() + expiresIn - updateAge - 60_000;
    await setExpiresAt(a.token, due);
    await setExpiresAt(b.token, due);

    const ours = await resolve({ authorization: `Bearer ${a.token}` });
    const theirs = await betterAuth({ authorization: `Bearer ${b.token}` });
    const oursAt = await expiresAtOf(ours!.caller.session.id);
    const theirsAt = await expiresAtOf(theirs!.session.id);
    expect(oursAt).toBeGreaterThan(due + DAY - 120_000);
    expect(Math.abs(oursAt - theirsAt)).toBeLessThan(5_000);
    expect(Date.parse(ours!.caller.session.expiresAt)).toBe(oursAt);
  });

  it('sends a cookie caller the refreshed cookie', async () => {
    const a = await freshSession();
    await setExpiresAt(a.token, Date.now() + DAY);
    const ours = await resolve({ cookie: a.sessionCookie });
    expect(ours?.setCookie).toMatch(/^better-auth\.session_token=.+Max-Age=604800/);
  });

  it('leaves a session alone before updateAge has passed', async () => {
    const a = await freshSession();
    const before = Date.now() + 6.5 * DAY; // refreshed half a day ago
    await setExpiresAt(a.token, before);
    await resolve({ authorization: `Bearer ${a.token}` });
    await betterAuth({ authorization: `Bearer ${a.token}` });
    expect(await expiresAtOf((await resolve({ authorization: `Bearer ${a.token}` }))!.caller.session.id)).toBe(before);
  });

  it('does not refresh a "don\'t remember me" session, like Better Auth', async () => {
    const a = await freshSession({ rememberMe: false });
    const b = await freshSession({ rememberMe: false });
    expect(a.cookie).toContain('dont_remember=');
    const soon = Date.now() + 3600_000;
    await setExpiresAt(a.token, soon);
    await setExpiresAt(b.token, soon);
    const ours = await resolve({ cookie: a.cookie });
    await betterAuth({ cookie: b.cookie });
    expect(await expiresAtOf(ours!.caller.session.id)).toBe(soon);
    const theirs = await betterAuth({ cookie: b.cookie });
    expect(await expiresAtOf(theirs!.session.id)).toBe(soon);
  });

  it('refuses a revoked session on the next lookup', async () => {
    const a = await freshSession();
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { authorization: `Bearer ${a.token}` } });
    const { ours, theirs } = await both({ authorization: `Bearer ${a.token}` });
    expect(theirs).toBeNull();
    expect(ours).toBeNull();
  });

  it('prefers a usable bearer token over the cookie, as the bearer plugin does', async () => {
    const a = await freshSession();
    const b = await freshSession();
    const headers = { authorization: `Bearer ${a.token}`, cookie: b.sessionCookie };
    const { ours, theirs } = await both(headers);
    expect(theirs?.user.id).toBe(a.user.id);
    expect(ours?.caller.user.id).toBe(a.user.id);
  });

  it('goes further than Better Auth in one place: a banned user has no session', async () => {
    const a = await freshSession();
    await t.app.db.updateTable('user').set({ banned: true }).where('id', '=', a.user.id).execute();
    expect(await resolve({ authorization: `Bearer ${a.token}` })).toBeNull();
  });

  it('gives the caller the permissions of every role it holds', async () => {
    const user = await createUser(t.app, { type: 'TEACHER', roles: ['teacher', 'student'] });
    const { token } = await signIn(t.app, user);
    const ours = await resolve({ authorization: `Bearer ${token}` });
    expect([...ours!.caller.permissions].sort()).toEqual(
      ['classes:read', 'letters:create', 'letters:read', 'letters:review', 'stats:read', 'students:read'].sort(),
    );
    const me = (await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } })).json().result;
    expect(me.user.roles.map((r: { name: string }) => r.name)).toEqual(['student', 'teacher']);
  });
});
