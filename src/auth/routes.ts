import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CLIENT_IP_HEADER } from './client-ip.js';
import type { AuthResponse } from './auth-bridge.js';
import { updateUserRow } from '../modules/users/repository.js';
import { INVALID_CREDENTIALS, recordAttemptOutcome, recordAttemptStart } from './login-history.js';
import { enforceSignInLimits } from './sign-in-limit.js';
import { AuthError, AuthUserSchema, GetSessionResult, SignInBody, SignInResult } from './schemas.js';

/**
 * The Better Auth endpoints Core exposes, and only these: each is forwarded unchanged to Better
 * Auth (in its own thread, see auth-worker.ts), so the Android client gets Better Auth's exact
 * shapes and cookies. Sign-up and the rest of Better Auth's surface stay closed (accounts are
 * created by the school office).
 */
const HOP_BY_HOP = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'x-forwarded-for', CLIENT_IP_HEADER]);

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { auth, config, db } = app;

  function toAuthRequest(request: FastifyRequest, body?: unknown) {
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || (body !== undefined && name === 'content-type')) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.push([name, v]);
    }
    // Better Auth reads the client address from this header only; Fastify has already applied
    // the trustProxy setting, so a spoofed X-Forwarded-For never reaches a session or the history.
    headers.push([CLIENT_IP_HEADER, request.ip]);
    if (body !== undefined) headers.push(['content-type', 'application/json']);
    return {
      method: request.method,
      url: new URL(request.url, config.publicUrl).toString(),
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    };
  }

  function relay(reply: FastifyReply, response: AuthResponse): unknown {
    reply.code(response.status);
    const cookies: string[] = [];
    for (const [name, value] of response.headers) {
      if (name === 'set-cookie') cookies.push(value);
      else if (name !== 'content-length' && name !== 'content-encoding') reply.header(name, value);
    }
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    return response.body ? JSON.parse(response.body) : null;
  }

  app.post(
    '/api/auth/sign-in/email',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Sign In with Email and Password',
        description:
          'Creates a session. The answer carries the session `token` (send it as `Authorization: Bearer <token>`) and sets the session cookie. ' +
          'Every attempt is recorded in the login history. Limits: a few wrong passwords per account in a window, and a generous number of attempts per client address; past either, 429 with `Retry-After`.',
        security: [],
        body: SignInBody,
        response: { 200: SignInResult, '4xx': AuthError },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      const ipAddress = request.ip || null;
      const attempt = await recordAttemptStart(db, { email, ipAddress, userAgent: request.headers['user-agent'] ?? null });
      await enforceSignInLimits(db, config.signInLimits, { id: attempt.id, email, ipAddress });

      const { rememberMe, callbackURL, password } = request.body;
      const response = await auth
        .handle(toAuthRequest(request, { email, password, ...(rememberMe !== undefined ? { rememberMe } : {}), ...(callbackURL ? { callbackURL } : {}) }))
        .catch(async (error: unknown) => {
          // An attempt that never reached a password check must not count against the account.
          await recordAttemptOutcome(db, attempt.id, { success: false, failureReason: 'UNAVAILABLE' });
          throw error;
        });
      const body = relay(reply, response) as { user?: { id?: string }; code?: string; url?: string | null } | null;
      if (response.status === 200) {
        // Better Auth leaves `url` out when there is no redirect; the contract (and client) expect null.
        if (body) body.url ??= null;
        await recordAttemptOutcome(db, attempt.id, { success: true, failureReason: null, userId: body?.user?.id ?? null });
      } else {
        const reason = response.status === 401 ? INVALID_CREDENTIALS : (body?.code ?? `HTTP_${response.status}`);
        await recordAttemptOutcome(db, attempt.id, { success: false, failureReason: reason.slice(0, 64) });
      }
      return body as never;
    },
  );

  app.post(
    '/api/auth/change-password',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Change the Current User’s Password',
        description:
          'Needs the session and the current password. `revokeOtherSessions: true` signs out every other device. Clears `mustChangePassword` after a reset.',
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
          newPassword: Type.String({ minLength: 1, maxLength: 128 }),
          revokeOtherSessions: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({ token: Type.Union([Type.String(), Type.Null()]), user: Type.Ref(AuthUserSchema) }),
          '4xx': AuthError,
        },
      },
    },
    async (request, reply) => {
      const response = await auth.handle(toAuthRequest(request, request.body));
      const body = relay(reply, response) as { user?: { id?: string } } | null;
      if (response.status === 200 && body?.user?.id) {
        await updateUserRow(db, body.user.id, { mustChangePassword: false });
      }
      return body as never;
    },
  );

  app.get(
    '/api/auth/get-session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Get the Current Session',
        description: 'The session and user behind the bearer token or cookie, or `null` when there is none (still 200).',
        querystring: Type.Object({}),
        response: { 200: GetSessionResult, '4xx': AuthError },
      },
    },
    async (request, reply) => relay(reply, await auth.handle(toAuthRequest(request))) as never,
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Sign Out the Current User',
        description: 'Revokes the current session at once: the token is refused on the very next request, on every instance.',
        response: { 200: Type.Object({ success: Type.Boolean() }), '4xx': AuthError },
      },
    },
    async (request, reply) => relay(reply, await auth.handle(toAuthRequest(request, request.body ?? {}))) as never,
  );
};

export default authRoutes;
