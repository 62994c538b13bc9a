import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, ErrorEnvelope, ok } from '../../http/envelope.js';
import { AppError } from '../../http/errors.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok')]),
  uptimeSeconds: Type.Number(),
});

const Readiness = Type.Object({
  status: Type.Literal('ready'),
  database: Type.Literal('ok'),
  signIn: Type.Literal('ok'),
  storage: Type.Literal('ok'),
});

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Health'],
        summary: 'Liveness',
        description: 'Answers as long as the process serves HTTP. Touches nothing else.',
        security: [],
        response: { 200: Envelope(Health) },
      },
    },
    async () => ok({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  app.get(
    '/api/health/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Health'],
        summary: 'Readiness',
        description:
          'Checks the database, the sign-in service (Better Auth’s thread) and the file storage. 503 with `Retry-After` while one cannot answer, so a load balancer stops sending traffic here.',
        security: [],
        response: { 200: Envelope(Readiness), 503: ErrorEnvelope },
      },
    },
    async (request) => {
      try {
        await app.dbHandle.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database check failed');
        throw AppError.unavailable('The database is not answering.');
      }
      try {
        await app.auth.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: sign-in service check failed');
        throw AppError.unavailable('The sign-in service is not answering.');
      }
      try {
        await app.storage.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: storage check failed');
        throw AppError.unavailable('The file storage is not answering.');
      }
      return ok({ status: 'ready' as const, database: 'ok' as const, signIn: 'ok' as const, storage: 'ok' as const });
    },
  );
};

export default healthRoutes;
