import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { s3BrowserOrigin } from '../../storage/s3.js';

/**
 * The web dashboard (web/, built by `npm run build` into WEB_DIR) is a single-page app: its hashed
 * assets are served from /assets/ and every other page address outside /api answers index.html,
 * so a bookmarked or reloaded /students/… opens the app, which then routes itself.
 */

/** index.html's answer, or null when the dashboard has not been built. */
export type DashboardPage = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null;

/**
 * The page runs only its own bundled scripts and styles and talks only to Core (and, with S3
 * storage, to the bucket it uploads to). Letter PDFs are previewed from a blob: URL in a frame.
 */
function dashboardPolicy(config: Config): string {
  const uploads = config.storage.driver === 's3' ? [s3BrowserOrigin(config.storage)] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...uploads],
    'frame-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
  return Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** Addresses that are not pages: the API, and anything with a file extension (favicon.ico…). */
function isPageAddress(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0]!;
  if (pathname === '/api' || pathname.startsWith('/api/')) return false;
  return !path.posix.basename(pathname).includes('.');
}

export function loadDashboardPage(config: Config): DashboardPage | null {
  const file = path.join(config.webDir, 'index.html');
  if (!existsSync(file)) return null;
  const html = readFileSync(file);
  const policy = dashboardPolicy(config);
  return (request, reply) => {
    if (!isPageAddress(request)) return null;
    return reply
      .code(200)
      .headers({
        'content-type': 'text/html; charset=utf-8',
        // A new build changes the asset names index.html points at: always ask for it again.
        'cache-control': 'no-cache',
        'content-security-policy': policy,
      })
      .send(html);
  };
}

/**
 * The built assets, under names that change with their content: cached for a year, and sent as
 * the build's Brotli or gzip copy when the browser accepts one.
 */
export async function registerDashboardAssets(app: FastifyInstance): Promise<void> {
  const assets = path.join(app.config.webDir, 'assets');
  if (!existsSync(assets)) return;
  await app.register(async (scope) => {
    // @fastify/static picks the encoding by Accept-Encoding but does not say so; a school's proxy
    // cache would otherwise hand the Brotli copy to a browser that cannot read it.
    scope.addHook('onSend', async (_request, reply, payload) => {
      const vary = reply.getHeader('vary');
      reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      index: false,
      immutable: true,
      maxAge: '365d',
      preCompressed: true,
      decorateReply: false,
      schemaHide: true,
    });
  });
}
