import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { NotFoundFallback } from '../../http/error-handler.js';
import { dashboardPolicyHeader } from '../../http/hardening.js';

/**
 * The web dashboard (web/, built by `npm run build` into WEB_DIR) is a single-page app: its hashed
 * assets are served from /assets/ and every other page address outside /api answers index.html,
 * so a bookmarked or reloaded /students/… opens the app, which then routes itself.
 */

/** Addresses that are not pages: the API, and anything with a file extension (favicon.ico…). */
function isPageAddress(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0]!;
  if (pathname === '/api' || pathname.startsWith('/api/')) return false;
  return !path.posix.basename(pathname).includes('.');
}

/** index.html's answer to a page address, or null when the dashboard has not been built. */
export function loadDashboardPage(config: Config): NotFoundFallback | null {
  const file = path.join(config.webDir, 'index.html');
  if (!existsSync(file)) return null;
  const html = readFileSync(file);
  const policy = dashboardPolicyHeader(config);
  return (request, reply) => {
    if (!isPageAddress(request)) return null;
    return reply
      .code(200)
      .headers({
        'content-type': 'text/html; charset=utf-8',
        // A new build changes the asset names index.html points at: always ask for it again.
        'cache-control': 'no-cache',
        // In place of the API's policy, which helmet set for this not-found answer.
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
