import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/http/envelope.js';
import { ADMIN, buildTestApp, signIn, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { compileCore } from '../helpers/compiled.js';
import { okHttp } from '../helpers/files.js';
import { freePort } from '../helpers/ports.js';

const DASHBOARD = 'https://dashboard.sman1samarinda.sch.id';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await buildTestApp({ TRUSTED_ORIGINS: DASHBOARD });
  token = (await signIn(t.app, ADMIN)).token;
});
afterAll(() => t.close());

/** Everything the server writes on one raw connection until it closes it. */
function exchange(port: number, write: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(received) : reject(error)));
    socket.on('connect', () => write(socket));
  });
}

/** The status line and envelope of each HTTP response in a raw exchange, in order. */
function responses(raw: string): { status: number; headers: string; body: Record<string, unknown> }[] {
  const found = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const head = rest.slice(0, headEnd);
    const length = Number(/content-length: (\d+)/i.exec(head)![1]);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    found.push({ status: Number(head.slice(9, 12)), headers: head.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> });
    rest = rest.slice(headEnd + 4 + length);
  }
  return found;
}

describe('security headers', () => {
  it('every API answer, refusals included, says: nothing to load, no framing, no sniffing, no referrer', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/health' }),
      await t.app.inject({ method: 'GET', url: '/api/users/me' }), // 401 from the guard
      await t.app.inject({ method: 'GET', url: '/api/nowhere' }), // 404
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404]);
    for (const answer of answers) {
      expect(answer.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(answer.headers['strict-transport-security']).toBe('max-age=15552000');
      expect(answer.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('the API reference page may run its own script and reach this server only', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script');
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/https?:|\*/);
  });

  it('files may be embedded from other origins (the dashboard shows them); everything else may not', async () => {
    const file = await t.app.inject({ method: 'GET', url: '/api/files/uploads/none.png', headers: { authorization: `Bearer ${token}` } });
    expect(file.statusCode).toBe(404);
    expect(file.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  it('lets a trusted origin call with credentials and read the request id, after a preflight', async () => {
    const preflight = await t.app.inject({
      method: 'OPTIONS', url: '/api/users/me',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');

    const read = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { origin: DASHBOARD, authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(read.headers['access-control-expose-headers']).toContain('x-request-id');
    expect(read.headers.vary).toContain('Origin');
  });

  it('gives any other origin nothing to go on, and leaves clients without an Origin (the app) alone', async () => {
    for (const origin of ['https://evil.example', 'https://dashboard.sman1samarinda.sch.id.evil.example', 'null']) {
      const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/users/me', headers: { origin, 'access-control-request-method': 'PATCH' } });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      const read = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { origin, authorization: `Bearer ${token}` } });
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    }
    const app = await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(app.statusCode).toBe(200);
    expect(app.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('limits on the connection', () => {
  it('headers over MAX_HEADER_SIZE → 431 in the envelope, slow requests → 408 after REQUEST_TIMEOUT; the server goes on', async () => {
    const other = await buildTestApp({ MAX_HEADER_SIZE: '2048', REQUEST_TIMEOUT: '1' });
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = other.app.server.address() as AddressInfo;

      const large = responses(await exchange(port, (s) => s.write(`GET /api/health HTTP/1.1\r\nHost: core\r\nX-Filler: ${'a'.repeat(4096)}\r\n\r\n`)));
      expect(large).toHaveLength(1);
      expect(large[0]!.status).toBe(431);
      expect(large[0]!.body).toMatchObject({ success: false, result: null, errors: [{ code: 'TOO_LARGE', field: 'headers' }] });

      // A body promised but never sent (a slow-loris upload) does not hold the connection for ever.
      const slow = responses(await exchange(port, (s) => s.write('POST /api/auth/sign-in/email HTTP/1.1\r\nHost: core\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email"')));
      expect(slow).toHaveLength(1);
      expect(slow[0]!.status).toBe(408);
      expect(slow[0]!.body).toMatchObject({ success: false, errors: [{ code: 'TIMEOUT', field: 'request' }] });

      const health = responses(await exchange(port, (s) => s.write('GET /api/health HTTP/1.1\r\nHost: core\r\nConnection: close\r\n\r\n')));
      expect(health[0]!.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight (database still open), refuses what arrives meanwhile without running it, then closes', async () => {
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let lateRuns = 0;
    const slow: FastifyPluginAsync = async (app) => {
      app.get('/api/probe/slow', { config: { access: 'public' } }, async () => {
        started();
        await released;
        const users = await app.db.selectFrom('user').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
        return ok({ users: Number(users.count) });
      });
      app.get('/api/probe/late', { config: { access: 'public' } }, async () => {
        lateRuns++;
        return ok({ ran: true });
      });
    };
    const other = await buildTestApp({}, { plugins: [slow] });
    let closed = false;
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = other.app.server.address() as AddressInfo;
      let socket!: Socket;
      const raw = exchange(port, (s) => {
        socket = s;
        s.write('GET /api/probe/slow HTTP/1.1\r\nHost: core\r\n\r\n');
      });
      await handlerStarted;
      const closing = other.app.close().then(() => (closed = true));
      // Another request on the same (busy, so still open) connection, after the shutdown began.
      socket.write('GET /api/probe/late HTTP/1.1\r\nHost: core\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      release();

      // The answer in flight arrives whole and ends the connection (a kept-alive one would hold the
      // exit); the request behind it got the 503 and never reached its handler, so the client retries it.
      const answers = responses(await raw);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.status).toBe(200);
      expect(answers[0]!.headers).toContain('connection: close');
      expect(answers[0]!.body).toMatchObject({ success: true, result: { users: 1 } });
      expect(lateRuns).toBe(0);
      await closing;
      expect(closed).toBe(true);
    } finally {
      if (!closed) await other.app.close();
      await other.database.drop();
    }
  });

  it('a request reaching a closing server is answered 503 in the envelope, without running its handler', async () => {
    let runs = 0;
    let answer: Awaited<ReturnType<typeof okHttp>> | undefined;
    const probe: FastifyPluginAsync = async (app) => {
      app.get('/api/probe/late', { config: { access: 'public' } }, async () => {
        runs++;
        return ok({ ran: true });
      });
      // preClose hooks run in order once closing began, before the server stops: a request sent
      // from this one (registered after hardening's) arrives while closing.
      app.addHook('preClose', async () => {
        const { port } = app.server.address() as AddressInfo;
        answer = await okHttp(`http://127.0.0.1:${port}/api/probe/late`);
      });
    };
    const other = await buildTestApp({}, { plugins: [probe] });
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      await other.app.close();
      expect(answer!.status).toBe(503);
      expect(answer!.headers['retry-after']).toBe('5');
      expect(answer!.headers.connection).toBe('close');
      expect(JSON.parse(answer!.body.toString())).toMatchObject({ success: false, result: null, message: expect.stringMatching(/restarting/) });
      expect(runs).toBe(0);
    } finally {
      await other.database.drop();
    }
  });
});

describe('SIGTERM to the real server (npm start)', () => {
  it('stops taking connections, finishes the request in flight, and exits cleanly', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const compiled = compileCore();
    const server = spawn(process.execPath, compiled.node('server.js'), {
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: database.dataDir, DATABASE_URL: database.url,
        ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const waitFor = (text: string) => new Promise<void>((resolve, reject) => {
      const check = () => output.includes(text) && resolve();
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      server.on('exit', () => reject(new Error(`server exited before "${text}": ${output}`)));
      check();
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      await waitFor('Core for');
      const signedIn = await okHttp(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN),
      });
      const { token } = JSON.parse(signedIn.body.toString()) as { token: string };

      // Half a request is on the wire when the signal comes; the rest follows once shutdown began.
      const body = JSON.stringify({ name: 'Kepala Tata Usaha' });
      let socket!: Socket;
      const raw = exchange(port, (s) => {
        socket = s;
        s.write(`PATCH /api/users/me HTTP/1.1\r\nHost: core\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      server.kill('SIGTERM');
      await waitFor('shutting down');
      // The listening socket closes a moment after the log line; from then on new connections are
      // refused. (One still in the kernel's queue at that moment is reset instead: try again.)
      let refused = 'connected';
      for (let attempt = 0; attempt < 100 && refused !== 'ECONNREFUSED'; attempt++) {
        refused = await new Promise<string>((resolve) => {
          const late = connect(port, '127.0.0.1');
          late.on('connect', () => {
            late.destroy();
            setTimeout(() => resolve('connected'), 20);
          });
          late.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        });
      }
      expect(refused).toBe('ECONNREFUSED');
      socket.write(body.slice(5));

      const [answer] = responses(await raw);
      expect(answer!.status).toBe(200);
      expect(answer!.body).toMatchObject({ success: true, result: { name: 'Kepala Tata Usaha' } });
      expect(await exited).toBe(0);
    } finally {
      server.kill('SIGKILL');
      compiled.remove();
      await database.drop();
    }
  });
});
