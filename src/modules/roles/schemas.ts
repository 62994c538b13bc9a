import { Type } from '@sinclair/typebox';
import { ListQuerySchema, PageQuerySchema } from '../../http/list.js';
import { ref } from '../../http/envelope.js';
import { UserType } from '../users/schemas.js';

export const PermissionSchema = Type.Object(
  {
    name: Type.String({ description: '`resource:action`, as routes and roles name it.' }),
    resource: Type.String(),
    action: Type.String(),
    description: Type.String(),
  },
  { $id: 'Permission' },
);

export const RoleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    permissions: Type.Array(Type.String(), { description: 'Names from the catalogue (GET /api/roles/permissions).' }),
    system: Type.Boolean({ description: 'One of the four default roles: cannot be deleted or renamed; the administrator’s permissions are always all of them.' }),
    memberCount: Type.Integer({ minimum: 0 }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Roles', description: 'A role: a named set of permissions, held by its members.' },
);

export const RoleHistorySchema = Type.Object(
  {
    id: Type.String(),
    action: Type.Union(['CREATED', 'UPDATED', 'DELETED', 'MEMBERS_ADDED', 'MEMBERS_REMOVED'].map((a) => Type.Literal(a))),
    actor: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()], {
      description: 'Who made the change; null once that account is deleted.',
    }),
    changes: Type.Record(Type.String(), Type.Unknown(), {
      description: 'What changed: `name`/`description` as `{from, to}`, `permissionsAdded`/`permissionsRemoved`, `userIds`.',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'RoleHistory' },
);

const RoleName = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: 'Unique, case-insensitively.' });
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const Permissions = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200, uniqueItems: true });

export const CreateRoleBody = Type.Object(
  { name: RoleName, description: Type.Optional(Description), permissions: Permissions },
  { additionalProperties: false },
);

export const UpdateRoleBody = Type.Object(
  {
    name: Type.Optional(RoleName),
    description: Type.Optional(Description),
    permissions: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200, uniqueItems: true, description: 'Replaces the role’s permissions.' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MembersBody = Type.Object(
  {
    userIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const RoleIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const RoleListQuery = ListQuerySchema({
  sortable: ['name', 'createdAt'] as const,
  defaultSort: 'name',
  searchHint: 'Case-insensitive, over name and description.',
});

export const RoleUsersQuery = ListQuerySchema({
  sortable: ['name', 'email', 'type', 'createdAt'] as const,
  defaultSort: 'name',
  searchHint: 'Case-insensitive, over name and email.',
  filters: { type: Type.Optional(ref(UserType)) },
});

export const HistoryQuery = PageQuerySchema();

export const roleComponents = [PermissionSchema, RoleSchema, RoleHistorySchema];
