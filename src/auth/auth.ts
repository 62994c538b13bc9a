import { betterAuth } from 'better-auth';
import { APIError } from 'better-auth/api';
import { bearer } from 'better-auth/plugins';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config.js';
import type { DbHandle } from '../db/index.js';
import { toBool } from '../db/values.js';
import { CLIENT_IP_HEADER } from './client-ip.js';
import { hashPassword, verifyPassword } from './password.js';

const BANNED_MESSAGE = 'This account has been suspended. Contact the school administrator.';

/**
 * Better Auth, on Core's own database, for signing in, signing out and creating sessions.
 * Everything that could surprise a school is switched off: sign-up (accounts are created by the
 * office), telemetry, and Better Auth's in-memory rate limiter (Core's own, in the database,
 * guards sign-in; see sign-in-limit.ts).
 */
export function createAuth(config: Config, handle: DbHandle) {
  return betterAuth({
    appName: config.schoolName,
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.auth.secret,
    database: { db: handle.db, type: handle.dialect },
    trustedOrigins: config.trustedOrigins,
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    logger: { disabled: true },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: config.auth.passwordMinLength,
      maxPasswordLength: 128,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    session: {
      expiresIn: config.auth.sessionExpiresIn,
      updateAge: config.auth.sessionUpdateAge,
    },
    user: {
      additionalFields: {
        type: { type: 'string', required: false, input: false, defaultValue: 'STUDENT' },
        secondaryEmail: { type: 'string', required: false, input: false },
        banned: { type: 'boolean', required: false, input: false, returned: false, defaultValue: false },
        banReason: { type: 'string', required: false, input: false, returned: false },
        mustChangePassword: { type: 'boolean', required: false, input: false, returned: false, defaultValue: false },
      },
    },
    advanced: {
      database: { generateId: () => uuidv7() },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      session: {
        create: {
          // A banned account never gets a session, whatever the password.
          before: async (session) => {
            const user = await handle.db
              .selectFrom('user')
              .select('banned')
              .where('id', '=', session.userId)
              .executeTakeFirst();
            if (user && toBool(user.banned)) {
              throw new APIError('FORBIDDEN', { code: 'USER_BANNED', message: BANNED_MESSAGE });
            }
          },
        },
      },
    },
    plugins: [bearer()],
  });
}

