import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { columnTypes } from './types.js';

/**
 * Better Auth's tables (user, session, account, verification) with Core's extra user columns,
 * roles and permissions with the four default roles of contract §5, and login history.
 */

// A snapshot of the default grants at the time of this migration. The administrator role is
// given every permission of the catalogue at each start-up (auth/bootstrap.ts), so it is not listed.
const DEFAULT_ROLES: { name: string; description: string; permissions: string[] }[] = [
  { name: 'administrator', description: 'Every permission. Cannot be deleted or renamed.', permissions: [] },
  {
    name: 'staff',
    description: 'School office: people, classes, statistics and letter review.',
    permissions: [
      'users:read', 'staff:read', 'staff:write', 'teachers:read', 'teachers:write', 'students:read', 'students:write',
      'classes:read', 'classes:write', 'classes:delete', 'stats:read', 'letters:read', 'letters:create', 'letters:review',
    ],
  },
  {
    name: 'teacher',
    description: 'Teachers: read students and classes, statistics, review letters.',
    permissions: ['students:read', 'classes:read', 'stats:read', 'letters:read', 'letters:create', 'letters:review'],
  },
  {
    name: 'student',
    description: 'Students: their own profile and letters.',
    permissions: ['letters:create'],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('emailVerified', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('image', 'text')
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('STUDENT'))
    .addColumn('banned', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('banReason', 'text')
    .addColumn('secondaryEmail', 'text')
    .addColumn('mustChangePassword', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .execute();
  // Each list sort ends with the id as a tie-breaker, so each index carries it: a page is then an
  // index walk, never a sort of every user.
  await db.schema.createIndex('user_type_idx').on('user').columns(['type', 'id']).execute();
  await db.schema.createIndex('user_name_idx').on('user').columns(['name', 'id']).execute();
  await db.schema.createIndex('user_createdAt_idx').on('user').columns(['createdAt', 'id']).execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expiresAt', t.timestamp, (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .addColumn('ipAddress', 'text')
    .addColumn('userAgent', 'text')
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    // Core's own column: when the session last made a request (written at most once a minute).
    .addColumn('lastActiveAt', t.timestamp)
    .execute();
  await db.schema.createIndex('session_userId_idx').on('session').column('userId').execute();

  await db.schema
    .createTable('account')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('providerId', 'text', (c) => c.notNull())
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('accessToken', 'text')
    .addColumn('refreshToken', 'text')
    .addColumn('idToken', 'text')
    .addColumn('accessTokenExpiresAt', t.timestamp)
    .addColumn('refreshTokenExpiresAt', t.timestamp)
    .addColumn('scope', 'text')
    .addColumn('password', 'text')
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_userId_idx').on('account').column('userId').execute();

  await db.schema
    .createTable('verification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expiresAt', t.timestamp, (c) => c.notNull())
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('verification_identifier_idx').on('verification').column('identifier').execute();

  await db.schema
    .createTable('role')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('system', t.boolean, (c) => c.notNull().defaultTo(t.false))
    // Bumped by the triggers below on every change to the role's permissions, so each instance
    // can keep permissions in memory and still see a change on the very next request.
    .addColumn('permissionsVersion', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addColumn('updatedAt', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('role_permission')
    .addColumn('roleId', 'text', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addColumn('permission', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permission_pk', ['roleId', 'permission'])
    .execute();

  if (t.postgres) {
    await sql`
      CREATE FUNCTION core_role_permissions_changed() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          UPDATE "role" SET "permissionsVersion" = "permissionsVersion" + 1 WHERE "id" = OLD."roleId";
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          UPDATE "role" SET "permissionsVersion" = "permissionsVersion" + 1 WHERE "id" = NEW."roleId";
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`.execute(db);
    await sql`
      CREATE TRIGGER role_permission_changed AFTER INSERT OR UPDATE OR DELETE ON "role_permission"
      FOR EACH ROW EXECUTE FUNCTION core_role_permissions_changed()`.execute(db);
  } else {
    for (const [event, row] of [['INSERT', 'NEW'], ['DELETE', 'OLD'], ['UPDATE', 'NEW']] as const) {
      await sql
        .raw(
          `CREATE TRIGGER role_permission_${event.toLowerCase()} AFTER ${event} ON role_permission BEGIN
             UPDATE role SET permissionsVersion = permissionsVersion + 1 WHERE id = ${row}.roleId;
             ${event === 'UPDATE' ? 'UPDATE role SET permissionsVersion = permissionsVersion + 1 WHERE id = OLD.roleId;' : ''}
           END`,
        )
        .execute(db);
    }
  }

  await db.schema
    .createTable('user_role')
    .addColumn('userId', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('roleId', 'text', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_role_pk', ['userId', 'roleId'])
    .execute();
  await db.schema.createIndex('user_role_roleId_idx').on('user_role').column('roleId').execute();

  await db.schema
    .createTable('login_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('userId', 'text', (c) => c.references('user.id').onDelete('set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ipAddress', 'text')
    .addColumn('userAgent', 'text')
    .addColumn('success', t.boolean, (c) => c.notNull())
    .addColumn('failureReason', 'text')
    .addColumn('createdAt', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_history_user_idx').on('login_history').columns(['userId', 'createdAt']).execute();
  await db.schema.createIndex('login_history_email_idx').on('login_history').columns(['email', 'createdAt']).execute();
  await db.schema.createIndex('login_history_ip_idx').on('login_history').columns(['ipAddress', 'createdAt']).execute();

  const now = new Date().toISOString();
  for (const role of DEFAULT_ROLES) {
    const id = uuidv7();
    await db
      .insertInto('role')
      .values({ id, name: role.name, description: role.description, system: t.true, createdAt: now, updatedAt: now })
      .execute();
    if (role.permissions.length > 0) {
      await db
        .insertInto('role_permission')
        .values(role.permissions.map((permission) => ({ roleId: id, permission })))
        .execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (columnTypes(db).postgres) await sql`DROP FUNCTION IF EXISTS core_role_permissions_changed() CASCADE`.execute(db);
  for (const table of ['login_history', 'user_role', 'role_permission', 'role', 'verification', 'account', 'session', 'user']) {
    await db.schema.dropTable(table).execute();
  }
}
