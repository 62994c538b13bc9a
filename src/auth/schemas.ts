import { Type } from '@sinclair/typebox';

// Better Auth's shapes (contract §2). Named AuthSession/AuthUser so they do not collide with
// Core's own User schema; the client reads exactly these fields.
export const AuthSessionSchema = Type.Object(
  {
    id: Type.String(),
    token: Type.String({ description: 'The session token; send it as `Authorization: Bearer <token>`.' }),
    expiresAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    ipAddress: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    userId: Type.String(),
  },
  { $id: 'AuthSession' },
);

export const AuthUserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    image: Type.Union([Type.String(), Type.Null()]),
    emailVerified: Type.Boolean(),
    secondaryEmail: Type.Union([Type.String(), Type.Null()]),
    type: Type.String({ description: 'STUDENT, TEACHER, STAFF or ADMIN.' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AuthUser' },
);

export const SignInBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    rememberMe: Type.Optional(Type.Boolean({ description: 'false: the session lasts one day and the cookie ends with the browser.' })),
    callbackURL: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: true },
);

export const SignInResult = Type.Object({
  redirect: Type.Boolean(),
  token: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  user: Type.Ref(AuthUserSchema),
});

export const GetSessionResult = Type.Union([
  Type.Object({ session: Type.Ref(AuthSessionSchema), user: Type.Ref(AuthUserSchema) }),
  Type.Null(),
]);

export const AuthError = Type.Object(
  { code: Type.String(), message: Type.String() },
  { additionalProperties: true, description: "Better Auth's error shape (the envelope's fields may ride along)." },
);
