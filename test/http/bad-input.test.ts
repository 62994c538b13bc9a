import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/http/envelope.js';
import { ADMIN, buildTestApp, signIn, signedInUser, type TestApp } from '../helpers/app.js';

// Probe routes: one that fails with an internal error, one cookie-guarded write for the CSRF check.
const probes: FastifyPluginAsync = async (app) => {
  app.get('/api/probe/boom', { config: { access: 'public' } }, async () => {
    throw new Error('password=hunter2 at /srv/core/secret.ts:12');
  });
  app.post('/api/probe/write', { config: { access: 'signed-in' } }, async (request) => ok(request.body ?? null));
};

const logs: string[] = [];
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await buildTestApp({ LOG_LEVEL: 'info' }, { plugins: [probes], logStream: { write: (line) => void logs.push(line) } });
  token = (await signIn(t.app, ADMIN)).token;
});
afterAll(() => t.close());

const auth = () => ({ authorization: `Bearer ${token}` });

async function expectServing() {
  const health = await t.app.inject({ method: 'GET', url: '/api/health' });
  expect(health.statusCode).toBe(200);
}

describe('bad input gets a clear 4xx in the envelope, and the server keeps serving', () => {
  it.each([
    ['malformed JSON', { payload: '{"email": "a@b.c", ', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_JSON'],
    ['a prototype-poisoning key', { payload: '{"__proto__": {"admin": true}, "email": "a@b.co", "password": "x"}', headers: { 'content-type': 'application/json' } }, 400, undefined],
    ['the wrong content type', { payload: 'email=a@b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 1 MiB', { payload: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } }, 413, 'TOO_LARGE'],
  ])('%s → %i', async (_name, request, status, code) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', ...request });
    expect(response.statusCode).toBe(status);
    const body = response.json();
    expect(body).toMatchObject({ success: false, result: null, message: expect.any(String) });
    if (code) expect(body.errors[0].code).toBe(code);
    await expectServing();
  });

  it('an unknown route → 404 in the envelope', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, result: null, errors: [], meta: {} });
  });

  it('an unknown method on a known path → 404 in the envelope', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/health' });
    expect(response.statusCode).toBe(404);
    expect(response.json().success).toBe(false);
  });

  it('page=0, limit=1000 and an unknown sort field → 400 naming each', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users/me/login-history?page=0&limit=1000&sort=nonexistent', headers: auth() });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { code: 'OUT_OF_RANGE', field: 'querystring.page', message: 'must be >= 1' },
      { code: 'OUT_OF_RANGE', field: 'querystring.limit', message: 'must be <= 100' },
      { code: 'INVALID_FORMAT', field: 'querystring.sort', message: expect.stringContaining('must match pattern') },
    ]);
    await expectServing();
  });

  it('a malformed number → 400', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users/me/login-history?page=abc', headers: auth() });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ code: 'INVALID_TYPE', field: 'querystring.page' });
  });

  it('a number too large to be a number (1e400, 400 nines) or a page beyond a million → 400, not a database error', async () => {
    for (const [query, field, message] of [
      ['limit=1e400', 'querystring.limit', 'must be a finite number'],
      [`page=${'9'.repeat(400)}`, 'querystring.page', 'must be a finite number'],
      [`page=${'9'.repeat(30)}`, 'querystring.page', 'must be <= 1000000'],
    ] as const) {
      for (const url of ['/api/users/me/login-history', '/api/students', '/api/students/imports']) {
        const response = await t.app.inject({ method: 'GET', url: `${url}?${query}`, headers: auth() });
        expect(response.statusCode, `${url}?${query.slice(0, 12)}`).toBe(400);
        expect(response.json().errors).toEqual([{ code: 'OUT_OF_RANGE', field, message }]);
      }
    }
  });

  it('a NUL character in a query, path or body string → 400 naming the field, on both databases (PostgreSQL cannot store one)', async () => {
    const query = await t.app.inject({ method: 'GET', url: '/api/stats/students/height?classId=a%00b', headers: auth() });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors).toEqual([{ code: 'INVALID_CHARACTER', field: 'querystring.classId', message: 'must not contain a NUL character' }]);
    const path = await t.app.inject({ method: 'GET', url: '/api/students/a%00b', headers: auth() });
    expect(path.statusCode).toBe(400);
    expect(path.json().errors[0].field).toBe('params.id');
    const before = (await t.app.inject({ method: 'GET', url: '/api/users/me', headers: auth() })).json().result.name;
    const body = await t.app.inject({ method: 'PATCH', url: '/api/users/me', headers: auth(), payload: { name: 'Kepala\u0000Sekolah' } });
    expect(body.statusCode).toBe(400);
    expect(body.json().errors).toEqual([{ code: 'INVALID_CHARACTER', field: 'body.name', message: 'must not contain a NUL character' }]);
    expect((await t.app.inject({ method: 'GET', url: '/api/users/me', headers: auth() })).json().result.name).toBe(before);
  });

  it('unknown query parameters are ignored', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users/me/login-history?colour=blue', headers: auth() });
    expect(response.statusCode).toBe(200);
  });

  it('a 500 says nothing about its cause; the details go to the log with the request id', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/probe/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/hunter2|secret\.ts|stack/);
    expect(response.json()).toMatchObject({ success: false, message: expect.stringMatching(/Something went wrong/), result: null });
    const requestId = response.headers['x-request-id'];
    expect(logs.some((line) => line.includes(String(requestId)) && line.includes('secret.ts'))).toBe(true);
    await expectServing();
  });
});

describe('cookie sessions and cross-site requests', () => {
  it('refuses a cookie-authenticated write without a trusted Origin, accepts it from one, and never asks bearer clients', async () => {
    const user = await signedInUser(t.app);
    const { cookie } = await signIn(t.app, user);
    const write = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/probe/write', headers: { ...headers, 'content-type': 'application/json' }, payload: { a: 1 } });

    expect((await write({ cookie })).statusCode).toBe(403);
    const crossSite = await write({ cookie, origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().message).toMatch(/trusted origin/);
    expect((await write({ cookie, origin: t.config.publicUrl })).statusCode).toBe(200);
    expect((await write({ cookie, referer: `${t.config.publicUrl}/dashboard` })).statusCode).toBe(200);
    // The Android client sends a bearer token and no Origin.
    expect((await write(user.auth)).statusCode).toBe(200);
  });
});

describe('logs', () => {
  it('carry no password, token or cookie', async () => {
    const user = await signedInUser(t.app);
    const { cookie, token: userToken } = await signIn(t.app, user);
    await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { cookie } });
    await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${userToken}` } });
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: user.email, password: 'Wrong-Password-999' } });
    const text = logs.join('\n');
    expect(text).toContain('/api/users/me');
    for (const secret of [user.password, userToken, 'Wrong-Password-999', ADMIN.password, t.config.auth.secret]) {
      expect(text).not.toContain(secret);
    }
  });
});
