import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { s3BrowserOrigin } from '../storage/storage.js';
import { failure } from './envelope.js';
import { AppError, type FieldError } from './errors.js';

/**
 * Core answers JSON, so its responses may load nothing, run nothing and sit in no frame. The API
 * reference page (Scalar) is the one HTML page: it runs its bundled script and one inline call,
 * fetches the OpenAPI document and draws with inline styles, all from this server.
 */
const API_POLICY = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};
const DOCS_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/**
 * The dashboard's page runs only its own bundled scripts and styles and talks only to Core (and,
 * with S3 storage, to the bucket it uploads to); letter PDFs are previewed from a blob: URL in a frame.
 * The page is the not-found handler's answer, which no route's helmet options reach, so this is
 * the header's value itself, made once: running helmet a second time for each page request cost a
 * third of the page's throughput (16,000 against 27,000 req/s, `BENCH_ONLY=dashboard npm run bench`).
 */
export function dashboardPolicyHeader(config: Config): string {
  const directives: Record<string, string[]> = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'", ...(config.storage.driver === 's3' ? [s3BrowserOrigin(config.storage)] : [])],
    frameSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');
}

/** Response headers a browser may read across origins (the dashboard reads these). */
const EXPOSED_HEADERS = ['x-request-id', 'content-disposition', 'retry-after', 'location'];

/**
 * Security headers on every answer, CORS for the school's own origins only, and a 503 in the
 * envelope for requests that arrive while the server shuts down. Registered before any route, so
 * the per-route choices below (made in onRoute) reach every route.
 */
export async function registerHttpHardening(app: FastifyInstance, config: Config): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url === '/api/docs' || route.url.startsWith('/api/docs/')) {
      route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: DOCS_POLICY } };
    } else if (route.config?.access === 'signed-url') {
      // Files and images are shown by the dashboard and the app from wherever they run: a file URL
      // is a capability (signed, or checked against the session), so it may be embedded cross-origin.
      route.helmet = { crossOriginResourcePolicy: { policy: 'cross-origin' } };
    }
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_POLICY },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Core may be reached over plain HTTP on a school's LAN; browsers ignore HSTS there, and behind
    // HTTPS it keeps them on HTTPS. Subdomains are the school's own business, so they are left out.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  });

  // The origins trusted for cookie writes are the ones a browser may call Core from. Requests
  // without an Origin (the Android app, curl) are not CORS requests and are untouched.
  const allowed = new Set(config.trustedOrigins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });

  // Fastify's own answer while closing is not in the envelope; this one is, and names the cause.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(AppError.unavailable('Core is restarting. Try again in a moment.'));
  });
  // A request that was in flight when the shutdown began ends its connection with its answer:
  // Node closes only connections idle at that moment, and a kept-alive one would hold the exit.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; message: string; errors: FieldError[] }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408, reason: 'Request Timeout', message: 'The request did not arrive in time.',
    errors: [{ code: 'TIMEOUT', field: 'request', message: 'did not arrive completely within the time limit' }],
  },
  HPE_HEADER_OVERFLOW: {
    status: 431, reason: 'Request Header Fields Too Large', message: 'The request headers are too large.',
    errors: [{ code: 'TOO_LARGE', field: 'headers', message: 'exceed the size limit' }],
  },
};

/**
 * Requests Node refuses before Fastify sees them (too slow, headers too large, not HTTP): the
 * answer is written straight to the socket, in the envelope like every other refusal.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, reason: 'Bad Request', message: 'The request could not be read as HTTP.', errors: [] };
  this.log.debug({ code: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(failure(known.message, known.errors));
    socket.write(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
