import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PERMISSIONS } from '../../auth/permissions.js';
import { Envelope, ok } from '../../http/envelope.js';

export const PermissionSchema = Type.Object(
  {
    name: Type.String({ description: '`resource:action`, as routes and roles name it.' }),
    resource: Type.String(),
    action: Type.String(),
    description: Type.String(),
  },
  { $id: 'Permission' },
);

const CATALOGUE = Object.entries(PERMISSIONS).map(([name, description]) => {
  const [resource = '', action = ''] = name.split(':');
  return { name, resource, action, description };
});

const rolesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/roles/permissions',
    {
      config: { access: 'roles:read' },
      schema: {
        tags: ['Roles'],
        summary: 'Get the Permission Catalogue',
        description: 'Every permission a role can grant. Each route of this API requires one of these, or only a signed-in user.',
        response: { 200: Envelope(Type.Array(Type.Ref(PermissionSchema))) },
      },
    },
    async () => ok(CATALOGUE),
  );
};

export default rolesRoutes;
