import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../auth/guard.js';
import { Envelope, ok, page, PageEnvelope } from '../../http/envelope.js';
import { sendOnceSerialized } from '../../http/serialized.js';
import {
  CreatedUserSchema, CreateUserBody, CurrentUserSchema, DeviceParams, DeviceSchema, LoginHistoryQuery, LoginHistorySchema,
  ResetPasswordBody, ResetPasswordResult, UpdateMeBody, UpdateUserBody, UserIdParams, UserListQuery, UserSchema,
} from './schemas.js';
import {
  createUser, deleteUser, getCurrentUser, getDevices, getLoginHistory, getUser, getUsers, resetPassword, signOutDevice,
  signOutOtherDevices, updateMe, updateUser,
} from './service.js';

const tags = ['Users'];
const usersPage = PageEnvelope(Type.Ref(UserSchema));
const sendUsersPage = sendOnceSerialized(usersPage);

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.get(
    '/api/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags,
        summary: 'Get All Users',
        description: 'Accounts of every kind, with search over name and email, filters and sort.',
        querystring: UserListQuery,
        response: { 200: usersPage },
      },
    },
    async (request, reply) => {
      // Pages come from a cache (users/pages.ts), so each is serialised once.
      const result = await getUsers(db, request.query);
      return sendUsersPage(reply, result, () => page(result.items, result.meta));
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: 'users:write' },
      schema: {
        tags,
        summary: 'Create a User',
        description:
          'Creates an account with its roles in one transaction (default: the role of its type). Without a `password`, a temporary one is generated, returned once as `temporaryPassword`, and the user is asked to change it. A used email is a 409.',
        body: CreateUserBody,
        response: { 201: Envelope(Type.Ref(CreatedUserSchema)) },
      },
    },
    async (request, reply) => {
      const created = await createUser(db, config, request.body);
      reply.code(201);
      return ok(created, 'User created.');
    },
  );

  app.get(
    '/api/users/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Get Current User',
        description: 'The signed-in user with its roles and the effective permissions they grant.',
        response: { 200: Envelope(Type.Ref(CurrentUserSchema)) },
      },
    },
    async (request) => ok(getCurrentUser(callerOf(request))),
  );

  app.patch(
    '/api/users/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Update Current User',
        description: 'Edits the caller’s own name and secondary email. Any other field is refused with 400 and nothing changes.',
        body: UpdateMeBody,
        response: { 200: Envelope(Type.Ref(UserSchema)) },
      },
    },
    async (request) => ok(await updateMe(db, callerOf(request), request.body), 'Profile updated.'),
  );

  app.get(
    '/api/users/me/devices',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Get Current User Devices',
        description: 'Every device signed in to the caller’s account (one per live session), most recently active first.',
        response: { 200: Envelope(Type.Array(Type.Ref(DeviceSchema))) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return ok(await getDevices(db, caller.user.id, caller));
    },
  );

  app.delete(
    '/api/users/me/devices/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Sign Out a Device',
        description: 'Ends one of the caller’s sessions at once (the current one too, if named). Another user’s session is a 404.',
        params: DeviceParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await signOutDevice(db, callerOf(request), request.params.id);
      return ok(null, 'Device signed out.');
    },
  );

  app.post(
    '/api/users/me/devices/revoke-others',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Sign Out Every Other Device',
        description: 'Ends every session of the caller except the one making this request.',
        response: { 200: Envelope(Type.Object({ signedOut: Type.Integer({ minimum: 0 }) })) },
      },
    },
    async (request) => ok(await signOutOtherDevices(db, callerOf(request)), 'Other devices signed out.'),
  );

  app.get(
    '/api/users/me/login-history',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
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
    '/api/users/:id',
    {
      config: { access: 'users:read' },
      schema: { tags, summary: 'Retrieve an Existing User', params: UserIdParams, response: { 200: Envelope(Type.Ref(UserSchema)) } },
    },
    async (request) => ok(await getUser(db, request.params.id)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        tags,
        summary: 'Update an Existing User',
        description:
          '`banned: true` signs the user out everywhere at once and blocks sign-in. `roleIds` replaces the user’s roles. The last administrator can never be banned or lose the administrator role (409).',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: Envelope(Type.Ref(UserSchema)) },
      },
    },
    async (request) => ok(await updateUser(db, callerOf(request), request.params.id, request.body), 'User updated.'),
  );

  app.delete(
    '/api/users/:id',
    {
      config: { access: 'users:delete' },
      schema: {
        tags,
        summary: 'Delete an Existing User',
        description: 'Deletes the account, its sessions and credentials. Its login history stays, unlinked. The last administrator, or yourself, cannot be deleted (409).',
        params: UserIdParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await deleteUser(db, callerOf(request), request.params.id);
      return ok(null, 'User deleted.');
    },
  );

  app.get(
    '/api/users/:id/devices',
    {
      config: { access: 'users:read' },
      schema: {
        tags,
        summary: 'Retrieve User Devices by User ID',
        params: UserIdParams,
        response: { 200: Envelope(Type.Array(Type.Ref(DeviceSchema))) },
      },
    },
    async (request) => ok(await getDevices(db, request.params.id, callerOf(request))),
  );

  app.patch(
    '/api/users/:id/password',
    {
      config: { access: 'users:write' },
      schema: {
        tags,
        summary: 'Reset User Password',
        description:
          'Sets `newPassword`, or generates a temporary password returned once. Every session of the user ends at once. By default the user is asked to change the password after signing in (`mustChangePassword`).',
        params: UserIdParams,
        body: ResetPasswordBody,
        response: { 200: Envelope(ResetPasswordResult) },
      },
    },
    async (request) => ok(await resetPassword(db, config, request.params.id, request.body ?? {}), 'Password reset.'),
  );

  app.get(
    '/api/users/:id/login-history',
    {
      config: { access: 'users:read' },
      schema: {
        tags,
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
