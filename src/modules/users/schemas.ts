import { Type } from '@sinclair/typebox';
import { enumSchema, USER_TYPE } from '../reference/lists.js';
import { ListQuerySchema } from '../../http/list.js';
import { ref } from '../../http/envelope.js';

export const UserType = enumSchema(USER_TYPE, { $id: 'UserType' });

export const RoleSummary = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'RoleSummary' });

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'Full name.' });
const Email = Type.String({ format: 'email', maxLength: 254 });
const NullableEmail = Type.Union([Email, Type.Null()]);
const Password = Type.String({ minLength: 8, maxLength: 128, description: 'At least PASSWORD_MIN_LENGTH (default 8) characters.' });
const Id = Type.String({ minLength: 1, maxLength: 64 });

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

export const CreatedUserSchema = Type.Object(
  {
    user: Type.Ref(UserSchema),
    temporaryPassword: Type.Optional(
      Type.String({ description: 'Only when no password was given: shown this once, never stored in clear.' }),
    ),
  },
  { $id: 'CreatedUser' },
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

export const DeviceSchema = Type.Object(
  {
    id: Type.String({ description: 'The session id (never its token).' }),
    browser: Type.Union([Type.String(), Type.Null()], { description: 'e.g. "Chrome 120"; for apps, the client library (e.g. "okhttp 4.12.0").' }),
    os: Type.Union([Type.String(), Type.Null()], { description: 'e.g. "Android 13".' }),
    deviceType: Type.Union([Type.Literal('desktop'), Type.Literal('mobile'), Type.Literal('tablet'), Type.Literal('tv'), Type.Literal('unknown')]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    ipAddress: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time', description: 'When the device signed in.' }),
    lastActiveAt: Type.String({ format: 'date-time', description: 'Its last request, to the minute.' }),
    expiresAt: Type.String({ format: 'date-time' }),
    current: Type.Boolean({ description: 'The session making this request.' }),
  },
  { $id: 'Device', description: 'A signed-in device: one live session.' },
);

export const LoginHistoryQuery = ListQuerySchema({
  sortable: ['createdAt'] as const,
  defaultSort: '-createdAt',
  searchHint: 'Not used for login history.',
  filters: { success: Type.Optional(Type.Boolean({ description: 'Only successful (true) or failed (false) attempts.' })) },
});

export const USER_SORTS = ['name', 'email', 'type', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export const UserListQuery = ListQuerySchema({
  sortable: USER_SORTS,
  defaultSort: 'name',
  searchHint: 'Case-insensitive, over name and email.',
  filters: {
    type: Type.Optional(ref(UserType)),
    roleId: Type.Optional(Id),
    banned: Type.Optional(Type.Boolean()),
  },
});

export const CreateUserBody = Type.Object(
  {
    name: Name,
    email: Email,
    secondaryEmail: Type.Optional(NullableEmail),
    type: ref(UserType),
    password: Type.Optional(Password),
    roleIds: Type.Optional(
      Type.Array(Id, { maxItems: 50, uniqueItems: true, description: "Default: the default role of the user's type." }),
    ),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    secondaryEmail: Type.Optional(NullableEmail),
    type: Type.Optional(ref(UserType)),
    emailVerified: Type.Optional(Type.Boolean()),
    banned: Type.Optional(Type.Boolean({ description: 'true ends every session of the user at once and blocks sign-in.' })),
    banReason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    roleIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true, description: "Replaces the user's roles." })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UpdateMeBody = Type.Object(
  {
    name: Type.Optional(Name),
    secondaryEmail: Type.Optional(NullableEmail),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Only these fields are yours to edit; anything else (type, roles, banned, emailVerified, id…) is refused with 400.',
  },
);

export const ResetPasswordBody = Type.Object(
  {
    newPassword: Type.Optional(Password),
    mustChangePassword: Type.Optional(
      Type.Boolean({ description: 'Ask the user to change it after signing in. Default: true.' }),
    ),
  },
  { additionalProperties: false },
);

export const ResetPasswordResult = Type.Object({
  sessionsEnded: Type.Integer({ minimum: 0 }),
  temporaryPassword: Type.Optional(Type.String({ description: 'Only when no password was given: shown this once.' })),
});

export const UserIdParams = Type.Object({ id: Id });
export const DeviceParams = Type.Object({ id: Id });

export const userComponents = [
  UserType, RoleSummary, UserSchema, CurrentUserSchema, CreatedUserSchema, LoginHistorySchema, DeviceSchema,
];
