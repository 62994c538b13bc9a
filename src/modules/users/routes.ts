import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../auth/guard.js';
import { Envelope, ok, page, PageEnvelope } from '../../http/envelope.js';
import { CurrentUserSchema, LoginHistoryQuery, LoginHistorySchema, UserIdParams } from './schemas.js';
import { getCurrentUser, getLoginHistory } from './service.js';

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/api/users/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Users'],
        summary: 'Get Current User',
        description: 'The signed-in user with its roles and the effective permissions they grant.',
        response: { 200: Envelope(Type.Ref(CurrentUserSchema)) },
      },
    },
    async (request) => ok(getCurrentUser(callerOf(request))),
  );

  app.get(
    '/api/users/me/login-history',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Users'],
        summary: 'Get Current User Login History',
        description: 'Every sign-in attempt on the caller’s account, newest first.',
        querystring: LoginHistoryQuery,
        response: { 200: PageEnvelope(Type.Ref(LoginHistorySchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getLoginHistory(db, callerOf(request).user.id, request.query);
      return page(items, meta);
    },
  );

  app.get(
    '/api/users/:id/login-history',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['Users'],
        summary: 'Get User Login History',
        description: 'Every sign-in attempt on a user’s account, successful or not, with the failure reason; newest first.',
        params: UserIdParams,
        querystring: LoginHistoryQuery,
        response: { 200: PageEnvelope(Type.Ref(LoginHistorySchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getLoginHistory(db, request.params.id, request.query);
      return page(items, meta);
    },
  );
};

export default usersRoutes;
