import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('health', () => {
  it('GET /api/health answers without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ success: true, result: { status: 'ok' } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /api/health/ready checks the database, and answers 503 with Retry-After when it is down', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().result).toEqual({ status: 'ready', database: 'ok', signIn: 'ok', storage: 'ok' });

    await t.app.dbHandle.close();
    const down = await t.app.inject({ method: 'GET', url: '/api/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.json()).toMatchObject({ success: false, result: null });

    // Guarded routes need the database for the session: 503, not a leaked driver error.
    const me = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: 'Bearer whatever' } });
    expect(me.statusCode).toBe(503);
    expect(me.body).not.toMatch(/destroyed|sqlite|pg|stack/i);

    // Liveness does not depend on the database.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('GET /api/health/ready answers 503 when the sign-in service is down', async () => {
    const other = await buildTestApp();
    try {
      await other.app.auth.close();
      const down = await other.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json().message).toMatch(/sign-in service/);
    } finally {
      await other.close();
    }
  });
});
