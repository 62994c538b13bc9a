import { v7 as uuidv7 } from 'uuid';
import type { Insertable } from 'kysely';
import type { Db } from '../src/db/index.js';
import type { LoginHistoryTable, SessionTable, UserRoleTable, UserTable } from '../src/db/schema.js';
import { findRoleIdByName } from '../src/modules/roles/repository.js';
import { assignRoles, insertUserWithPassword } from '../src/modules/users/repository.js';
import { hashPassword } from '../src/auth/password.js';

/**
 * A school the size of a large district's: 50,000 student accounts with their role, 1,200 staff
 * and teachers, a week of sessions (one live session per twenty students) and a login history.
 * Rows go in with plain batched inserts; passwords are not hashed (nobody signs in as them).
 */
export async function seedSchool(db: Db, students = 50_000): Promise<{ studentToken: string }> {
  let studentToken = '';
  const studentRole = (await findRoleIdByName(db, 'student'))!;
  const teacherRole = (await findRoleIdByName(db, 'teacher'))!;
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < students + 1200; start += batch) {
    const users: Insertable<UserTable>[] = [];
    const roles: Insertable<UserRoleTable>[] = [];
    const sessions: Insertable<SessionTable>[] = [];
    const history: Insertable<LoginHistoryTable>[] = [];
    for (let i = start; i < Math.min(start + batch, students + 1200); i++) {
      const isStudent = i < students;
      const id = uuidv7();
      const createdAt = new Date(now - (students - i) * 60_000).toISOString();
      users.push({
        id,
        name: `${isStudent ? 'Siswa' : 'Guru'} ${i}`,
        email: `${isStudent ? 'siswa' : 'guru'}${i}@bench.sch.id`,
        emailVerified: false,
        image: null,
        type: isStudent ? ('STUDENT' as const) : ('TEACHER' as const),
        banned: false,
        banReason: null,
        secondaryEmail: null,
        mustChangePassword: false,
        createdAt,
        updatedAt: createdAt,
      });
      roles.push({ userId: id, roleId: isStudent ? studentRole : teacherRole, createdAt });
      if (i % 20 === 0) {
        const token = uuidv7().replace(/-/g, '');
        if (isStudent && !studentToken) studentToken = token;
        sessions.push({
          id: uuidv7(),
          token,
          userId: id,
          expiresAt: new Date(now + 6 * 86400_000).toISOString(),
          createdAt,
          updatedAt: createdAt,
          ipAddress: '10.20.0.1',
          userAgent: 'okhttp/4.12.0',
        });
      }
      history.push({
        id: uuidv7(),
        userId: id,
        email: `${isStudent ? 'siswa' : 'guru'}${i}@bench.sch.id`,
        ipAddress: '10.20.0.1',
        userAgent: 'okhttp/4.12.0',
        success: i % 7 !== 0,
        failureReason: i % 7 === 0 ? 'INVALID_EMAIL_OR_PASSWORD' : null,
        createdAt,
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('user').values(users).execute();
      await trx.insertInto('user_role').values(roles).execute();
      if (sessions.length) await trx.insertInto('session').values(sessions).execute();
      await trx.insertInto('login_history').values(history).execute();
    });
  }
  return { studentToken };
}

/** Accounts with real argon2id passwords, for the sign-in scenarios. */
export async function createSignInAccounts(db: Db, count: number): Promise<{ email: string; password: string }[]> {
  const role = (await findRoleIdByName(db, 'student'))!;
  const accounts = [];
  for (let i = 0; i < count; i++) {
    const account = { email: `signin${i}@bench.sch.id`, password: `Bench-Password-${i}` };
    const id = await insertUserWithPassword(db, { name: `Sign-in ${i}`, email: account.email, type: 'STUDENT', passwordHash: await hashPassword(account.password) });
    await assignRoles(db, id, [role]);
    accounts.push(account);
  }
  return accounts;
}
