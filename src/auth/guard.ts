import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.js';
import type { Access } from './permissions.js';
import type { Caller, SessionResolver } from './session.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: a permission, 'signed-in', or 'public'. Required on every /api route. */
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access, in registration order (the 401/403 tables use it). */
    apiRoutes: ApiRoute[];
  }
}

export interface ApiRoute {
  method: string;
  url: string;
  access: Access;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes registered by the OpenAPI plugins, which cannot carry our route config themselves. */
function isDocumentationRoute(url: string): boolean {
  return url === '/api/openapi.json' || url === '/api/docs' || url.startsWith('/api/docs/');
}

/**
 * The one guard. Each route states its access next to its schema; a route under /api that does
 * not is a boot error, so no endpoint can be added unprotected by accident.
 */
export function registerGuard(app: FastifyInstance, resolveSession: SessionResolver, trustedOrigins: string[]): void {
  app.decorateRequest('caller', null);
  const apiRoutes: ApiRoute[] = [];
  app.decorate('apiRoutes', apiRoutes);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    if (isDocumentationRoute(route.url)) {
      route.config = { ...(route.config ?? {}), access: 'public' };
    } else if (!route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access (config.access).`);
    }
    const access = route.config!.access!;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, access });
    }
  });

  // Written with a callback rather than async so public routes (health checks) skip the promise.
  app.addHook('onRequest', (request, reply, done) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return done();
    if (access === 'signed-url' && (request.query as { signature?: unknown }).signature !== undefined) return done();
    authorize(request, reply, access).then(() => done(), done);
  });

  async function authorize(request: FastifyRequest, reply: FastifyReply, access: Exclude<Access, 'public'>) {
    const resolved = await resolveSession(request.headers);
    if (!resolved) throw AppError.unauthorized('Sign in to continue: the session is missing, expired or revoked.');
    if (resolved.setCookie) reply.header('set-cookie', resolved.setCookie);
    request.caller = resolved.caller;

    // Cookies ride along on cross-site requests; bearer tokens do not. So a cookie-authenticated
    // request that changes something must come from one of the school's own origins.
    if (resolved.caller.via === 'cookie' && UNSAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
      if (!origin || !trustedOrigins.includes(origin)) {
        throw new AppError(403, 'INVALID_ORIGIN', 'This request did not come from a trusted origin.');
      }
    }

    if (access !== 'signed-in' && access !== 'signed-url' && !resolved.caller.permissions.has(access)) {
      throw AppError.forbidden(`You need the ${access} permission to do this.`);
    }
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** The signed-in caller of a route whose access is not 'public'. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw AppError.unauthorized();
  return request.caller;
}
