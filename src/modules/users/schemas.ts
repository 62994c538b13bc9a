import { Type } from '@sinclair/typebox';
import { valuesOf, USER_TYPE } from '../reference/lists.js';
import { ListQuerySchema } from '../../http/list.js';

export const UserType = Type.Union(valuesOf(USER_TYPE).map((v) => Type.Literal(v)), { $id: 'UserType' });

export const RoleSummary = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'RoleSummary' });

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String({ format: 'email' }),
    emailVerified: Type.Boolean(),
    secondaryEmail: Type.Union([Type.String(), Type.Null()]),
    image: Type.Union([Type.String(), Type.Null()]),
    type: Type.Ref(UserType),
    banned: Type.Boolean(),
    banReason: Type.Union([Type.String(), Type.Null()]),
    mustChangePassword: Type.Boolean({ description: 'The user has a temporary password and should change it.' }),
    roles: Type.Array(Type.Ref(RoleSummary)),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User', description: 'A user account. Passwords and session tokens are never part of it.' },
);

export const CurrentUserSchema = Type.Object(
  {
    user: Type.Ref(UserSchema),
    permissions: Type.Array(Type.String(), { description: 'Every permission the user holds through its roles.' }),
    session: Type.Object({
      id: Type.String(),
      expiresAt: Type.String({ format: 'date-time' }),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  },
  { $id: 'CurrentUser' },
);

export const LoginHistorySchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String({ description: 'The email the attempt was made with.' }),
    ipAddress: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    success: Type.Boolean(),
    failureReason: Type.Union([Type.String(), Type.Null()], {
      description: 'INVALID_EMAIL_OR_PASSWORD, USER_BANNED, RATE_LIMITED…; null on success.',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'LoginHistory' },
);

export const LoginHistoryQuery = ListQuerySchema({
  sortable: ['createdAt'] as const,
  defaultSort: '-createdAt',
  searchHint: 'Not used for login history.',
  filters: { success: Type.Optional(Type.Boolean({ description: 'Only successful (true) or failed (false) attempts.' })) },
});

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const userComponents = [UserType, RoleSummary, UserSchema, CurrentUserSchema, LoginHistorySchema];
