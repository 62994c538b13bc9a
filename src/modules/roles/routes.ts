import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../auth/guard.js';
import { PERMISSIONS } from '../../auth/permissions.js';
import { Envelope, ok, page, PageEnvelope } from '../../http/envelope.js';
import { UserSchema } from '../users/schemas.js';
import {
  CreateRoleBody, HistoryQuery, MembersBody, PermissionSchema, RoleHistorySchema, RoleIdParams, RoleListQuery, RoleSchema,
  RoleUsersQuery, UpdateRoleBody,
} from './schemas.js';
import {
  addRoleMembers, createRole, deleteRole, getRole, getRoleHistory, getRoles, getRoleUsers, removeRoleMembers, updateRole,
} from './service.js';

const CATALOGUE = Object.entries(PERMISSIONS).map(([name, description]) => {
  const [resource = '', action = ''] = name.split(':');
  return { name, resource, action, description };
});

const tags = ['Roles'];
const RoleRef = Type.Ref(RoleSchema);

const rolesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  app.get(
    '/api/roles/permissions',
    {
      config: { access: 'roles:read' },
      schema: {
        tags,
        summary: 'Get the Permission Catalogue',
        description: 'Every permission a role can grant. Each route of this API requires one of these, or only a signed-in user.',
        response: { 200: Envelope(Type.Array(Type.Ref(PermissionSchema))) },
      },
    },
    async () => ok(CATALOGUE),
  );

  app.get(
    '/api/roles',
    {
      config: { access: 'roles:read' },
      schema: { tags, summary: 'Get All Roles', querystring: RoleListQuery, response: { 200: PageEnvelope(RoleRef) } },
    },
    async (request) => {
      const { items, meta } = await getRoles(db, request.query);
      return page(items, meta);
    },
  );

  app.post(
    '/api/roles',
    {
      config: { access: 'roles:write' },
      schema: {
        tags,
        summary: 'Create a Role',
        description: 'A name (unique, case-insensitively), a description and permissions from the catalogue; an unknown permission is a 400 naming it.',
        body: CreateRoleBody,
        response: { 201: Envelope(RoleRef) },
      },
    },
    async (request, reply) => {
      const role = await createRole(db, callerOf(request), request.body);
      reply.code(201);
      return ok(role, 'Role created.');
    },
  );

  app.get(
    '/api/roles/:id',
    {
      config: { access: 'roles:read' },
      schema: { tags, summary: 'Retrieve an Existing Role', params: RoleIdParams, response: { 200: Envelope(RoleRef) } },
    },
    async (request) => ok(await getRole(db, request.params.id)),
  );

  app.patch(
    '/api/roles/:id',
    {
      config: { access: 'roles:write' },
      schema: {
        tags,
        summary: 'Update an Existing Role',
        description:
          '`permissions` replaces the role’s permissions; members have the new ones on their very next request. System roles cannot be renamed, and the administrator role’s permissions cannot be edited (409).',
        params: RoleIdParams,
        body: UpdateRoleBody,
        response: { 200: Envelope(RoleRef) },
      },
    },
    async (request) => ok(await updateRole(db, callerOf(request), request.params.id, request.body), 'Role updated.'),
  );

  app.delete(
    '/api/roles/:id',
    {
      config: { access: 'roles:delete' },
      schema: {
        tags,
        summary: 'Delete an Existing Role',
        description: 'Members lose the role’s permissions at once. System roles cannot be deleted (409).',
        params: RoleIdParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await deleteRole(db, callerOf(request), request.params.id);
      return ok(null, 'Role deleted.');
    },
  );

  app.get(
    '/api/roles/:id/eligible-users',
    {
      config: { access: 'roles:read' },
      schema: {
        tags,
        summary: 'Get All Eligible Users for Role',
        description: 'Users who are not members of the role yet, to pick from.',
        params: RoleIdParams,
        querystring: RoleUsersQuery,
        response: { 200: PageEnvelope(Type.Ref(UserSchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getRoleUsers(db, request.params.id, 'eligible', request.query);
      return page(items, meta);
    },
  );

  app.get(
    '/api/roles/:id/members',
    {
      config: { access: 'roles:read' },
      schema: {
        tags,
        summary: 'Get All Members of Role',
        params: RoleIdParams,
        querystring: RoleUsersQuery,
        response: { 200: PageEnvelope(Type.Ref(UserSchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getRoleUsers(db, request.params.id, 'members', request.query);
      return page(items, meta);
    },
  );

  app.post(
    '/api/roles/:id/members',
    {
      config: { access: 'roles:write' },
      schema: {
        tags,
        summary: 'Add Bulk Member to Role',
        description: 'Up to 1,000 user ids. Any unknown id is a 400 listing each, and nobody is added. Ids already members are reported, never added twice.',
        params: RoleIdParams,
        body: MembersBody,
        response: { 200: Envelope(Type.Object({ added: Type.Array(Type.String()), alreadyMembers: Type.Array(Type.String()) })) },
      },
    },
    async (request) => ok(await addRoleMembers(db, callerOf(request), request.params.id, request.body.userIds), 'Members added.'),
  );

  app.delete(
    '/api/roles/:id/members',
    {
      config: { access: 'roles:write' },
      schema: {
        tags,
        summary: 'Remove Bulk Members from Role',
        description: 'Up to 1,000 user ids; ids that are not members are reported. Removing the last administrator is a 409 and nobody is removed.',
        params: RoleIdParams,
        body: MembersBody,
        response: { 200: Envelope(Type.Object({ removed: Type.Array(Type.String()), notMembers: Type.Array(Type.String()) })) },
      },
    },
    async (request) => ok(await removeRoleMembers(db, callerOf(request), request.params.id, request.body.userIds), 'Members removed.'),
  );

  app.get(
    '/api/roles/:id/history',
    {
      config: { access: 'roles:read' },
      schema: {
        tags,
        summary: 'Get Role History',
        description: 'Every change to the role (who, what, when), newest first.',
        params: RoleIdParams,
        querystring: HistoryQuery,
        response: { 200: PageEnvelope(Type.Ref(RoleHistorySchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getRoleHistory(db, request.params.id, request.query);
      return page(items, meta);
    },
  );
};

export default rolesRoutes;
