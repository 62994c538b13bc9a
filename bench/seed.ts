import { v7 as uuidv7 } from 'uuid';
import type { Insertable, Kysely } from 'kysely';
import type { Db } from '../src/db/index.js';
import type { LetterHistoryTable, LetterTable, LoginHistoryTable, SessionTable, UserRoleTable, UserTable } from '../src/db/schema.js';
import type { Config } from '../src/config.js';
import { formatLetterNumber } from '../src/modules/letters/numbering.js';
import { findRoleIdByName } from '../src/modules/roles/repository.js';
import { assignRoles, insertUserWithPassword } from '../src/modules/users/repository.js';
import { hashPassword } from '../src/auth/password.js';
import { searchRows, toRow } from '../src/modules/people/repository.js';
import type { PersonSearchRow } from '../src/modules/people/search.js';
import { STUDENT_KIND } from '../src/modules/students/kind.js';
import { TEACHER_KIND } from '../src/modules/teachers/kind.js';
import { STAFF_KIND } from '../src/modules/staff/kind.js';
import { employeeFields, random, studentFields } from './people.js';

/**
 * A school the size of a large district's: 50,000 students, 150 teachers and 60 staff, each a full
 * Dapodik record (address, parents…) with its account and default role, a week of sessions (one
 * live session per twenty people) and a login history. Rows go in with plain batched inserts;
 * passwords are not hashed (nobody signs in as them).
 */
export const SCHOOL = { students: 50_000, teachers: 150, staff: 60 };

export async function seedSchool(db: Db): Promise<{ studentToken: string; people: number }> {
  let studentToken = '';
  const roleOf = {
    STUDENT: (await findRoleIdByName(db, 'student'))!,
    TEACHER: (await findRoleIdByName(db, 'teacher'))!,
    STAFF: (await findRoleIdByName(db, 'staff'))!,
  };
  const kinds = [
    { kind: STUDENT_KIND, count: SCHOOL.students, fields: (rnd: () => number, i: number) => studentFields(rnd, i) },
    { kind: TEACHER_KIND, count: SCHOOL.teachers, fields: (rnd: () => number, i: number) => employeeFields(rnd, i, true) },
    { kind: STAFF_KIND, count: SCHOOL.staff, fields: (rnd: () => number, i: number) => employeeFields(rnd, i + 1000, false) },
  ];
  const rnd = random(20261203);
  const now = Date.now();
  const total = kinds.reduce((sum, k) => sum + k.count, 0);
  const batch = 500;
  let n = 0;
  for (const { kind, count, fields } of kinds) {
    for (let start = 0; start < count; start += batch) {
      const users: Insertable<UserTable>[] = [];
      const roles: Insertable<UserRoleTable>[] = [];
      const sessions: Insertable<SessionTable>[] = [];
      const history: Insertable<LoginHistoryTable>[] = [];
      const people: Record<string, unknown>[] = [];
      const tokens: PersonSearchRow[] = [];
      for (let i = start; i < Math.min(start + batch, count); i++, n++) {
        const record = fields(rnd, i);
        const userId = uuidv7();
        const personId = uuidv7();
        const createdAt = new Date(now - (total - n) * 60_000).toISOString();
        const email = `${kind.table}${i}@bench.sch.id`;
        users.push({
          id: userId, name: record.name, email, emailVerified: false, image: null, type: kind.userType, banned: false,
          banReason: null, secondaryEmail: null, mustChangePassword: false, createdAt, updatedAt: createdAt,
        });
        roles.push({ userId, roleId: roleOf[kind.userType], createdAt });
        people.push({ ...toRow(kind, record), id: personId, userId, deletedAt: null, createdAt, updatedAt: createdAt });
        tokens.push(...searchRows(kind, personId, record));
        if (n % 20 === 0) {
          const token = uuidv7().replace(/-/g, '');
          if (kind.userType === 'STUDENT' && !studentToken) studentToken = token;
          sessions.push({
            id: uuidv7(), token, userId, expiresAt: new Date(now + 6 * 86400_000).toISOString(), createdAt, updatedAt: createdAt,
            ipAddress: '10.20.0.1', userAgent: 'okhttp/4.12.0',
          });
        }
        history.push({
          id: uuidv7(), userId, email, ipAddress: '10.20.0.1', userAgent: 'okhttp/4.12.0',
          success: n % 7 !== 0, failureReason: n % 7 === 0 ? 'INVALID_EMAIL_OR_PASSWORD' : null, createdAt,
        });
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('user').values(users).execute();
        await trx.insertInto('user_role').values(roles).execute();
        // The three person tables share their layout; the row was built for this kind's table.
        await (trx as unknown as Kysely<any>).insertInto(kind.table).values(people).execute();
        for (let i = 0; i < tokens.length; i += 1000) await trx.insertInto('person_search').values(tokens.slice(i, i + 1000)).execute();
        if (sessions.length) await trx.insertInto('session').values(sessions).execute();
        await trx.insertInto('login_history').values(history).execute();
      });
    }
  }
  return { studentToken, people: total };
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

/**
 * Classes for the class benchmarks: a whole school year of 36 classes × 36 students (12 per grade)
 * in `academicYear`, and ten 40-student grade-10 classes in `copyYear` to be copied one by one.
 */
export async function seedClasses(db: Db, academicYear: string, copyYear: string): Promise<{ copySources: string[] }> {
  const students = (await db.selectFrom('student').select('id').orderBy('createdAt').limit(36 * 36 + 10 * 40).execute()).map((s) => s.id);
  const now = new Date().toISOString();
  const copySources: string[] = [];
  const layout = [
    ...Array.from({ length: 36 }, (_, i) => ({ year: academicYear, grade: 10 + Math.floor(i / 12), name: `${['X', 'XI', 'XII'][Math.floor(i / 12)]}-${(i % 12) + 1}`, size: 36 })),
    ...Array.from({ length: 10 }, (_, i) => ({ year: copyYear, grade: 10, name: `X-${i + 1}`, size: 40 })),
  ];
  let next = 0;
  for (const klass of layout) {
    const id = uuidv7();
    await db.insertInto('class').values({ id, name: klass.name, gradeLevel: klass.grade, academicYear: klass.year, homeroomTeacherId: null, copiedFromId: null, createdAt: now, updatedAt: now }).execute();
    const members = students.slice(next, next + klass.size);
    next += klass.size;
    await db.insertInto('class_student').values(members.map((studentId) => ({ classId: id, studentId, academicYear: klass.year, createdAt: now }))).execute();
    if (klass.year === copyYear) copySources.push(id);
  }
  return { copySources };
}

/**
 * 100,000 letters over the last year from random students (one in five cc's a classmate): most
 * approved and numbered, the rest pending, rejected or cancelled, each with its history. The student
 * whose session the bench uses applies for 25 and is cc'd on 25. The newest `pendingForApproval`
 * are PENDING, for the approvals scenario, and returned.
 */
export async function seedLetters(
  db: Db,
  config: Config,
  options: { total: number; studentToken: string; reviewerId: string; pendingForApproval: number },
): Promise<{ pendingIds: string[] }> {
  const rnd = random(20261203);
  const students = (await db.selectFrom('user').select('id').where('type', '=', 'STUDENT').execute()).map((u) => u.id);
  const benchStudent = (await db.selectFrom('session').select('userId').where('token', '=', options.studentToken).executeTakeFirstOrThrow()).userId;
  const types = ['DISPENSATION', 'RECOMMENDATION', 'ACTIVE_STATEMENT', 'ASSIGNMENT'] as const;
  const sequences = new Map<string, number>();
  const pendingIds: string[] = [];
  const start = Date.now() - 365 * 86400_000;
  const step = (365 * 86400_000) / options.total;
  const batch = 2000;
  for (let from = 0; from < options.total; from += batch) {
    const letters: Insertable<LetterTable>[] = [];
    const cc: { letterId: string; userId: string }[] = [];
    const history: Insertable<LetterHistoryTable>[] = [];
    for (let i = from; i < Math.min(from + batch, options.total); i++) {
      const id = uuidv7();
      const createdAt = new Date(start + i * step).toISOString();
      const reviewedAt = new Date(start + i * step + 3600_000).toISOString();
      const letterType = types[i % 4]!;
      const applicantId = i % 4000 === 7 ? benchStudent : students[Math.floor(rnd() * students.length)]!;
      const forApproval = i >= options.total - options.pendingForApproval;
      const roll = rnd();
      const status = forApproval ? 'PENDING' : roll < 0.6 ? 'APPROVED' : roll < 0.8 ? 'PENDING' : roll < 0.9 ? 'REJECTED' : 'CANCELLED';
      const dated = letterType === 'DISPENSATION' || letterType === 'ASSIGNMENT';
      const numbered: Partial<Insertable<LetterTable>> = {};
      if (status === 'APPROVED') {
        const date = new Date(reviewedAt);
        const key = `${letterType}/${date.getUTCFullYear()}`;
        const sequence = (sequences.get(key) ?? 0) + 1;
        sequences.set(key, sequence);
        Object.assign(numbered, {
          letterDate: reviewedAt, numberYear: date.getUTCFullYear(), sequence, verificationCode: uuidv7().replace(/-/g, '').toUpperCase(),
          letterNumber: formatLetterNumber(config.letters, { sequence, letterType, month: date.getUTCMonth() + 1, year: date.getUTCFullYear() }),
          letterContent: `Kepala ${config.schoolName} dengan ini menerangkan bahwa siswa tersebut ${i}.`,
        });
      }
      letters.push({
        id, letterType, status, subject: `Permohonan ${letterType.toLowerCase()} ${i}`, reason: i % 3 === 0 ? 'Kegiatan sekolah' : null,
        letterContent: null, beginDate: dated ? createdAt : null, endDate: dated ? reviewedAt : null, attachment: null, attachmentKey: null,
        isPrinted: i % 2 === 0, applicantId, reviewerId: status === 'APPROVED' || status === 'REJECTED' ? options.reviewerId : null,
        letterDate: null, numberYear: null, sequence: null, letterNumber: null, verificationCode: null, createdAt, updatedAt: createdAt, ...numbered,
      });
      if (i % 5 === 0 || i % 4000 === 11) cc.push({ letterId: id, userId: i % 4000 === 11 ? benchStudent : students[Math.floor(rnd() * students.length)]! });
      history.push({ id: uuidv7(), letterId: id, action: 'CREATE', actorId: applicantId, actorName: 'Siswa', note: null, fromStatus: null, toStatus: 'PENDING', createdAt });
      if (status !== 'PENDING') {
        const action = status === 'APPROVED' ? 'APPROVE' : status === 'REJECTED' ? 'REJECT' : 'CANCEL';
        history.push({
          id: uuidv7(), letterId: id, action, actorId: action === 'CANCEL' ? applicantId : options.reviewerId, actorName: 'Peninjau',
          note: action === 'REJECT' ? 'Tidak memenuhi syarat' : null, fromStatus: 'PENDING', toStatus: status, createdAt: reviewedAt,
        });
      }
      if (forApproval) pendingIds.push(id);
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < letters.length; i += 500) await trx.insertInto('letter').values(letters.slice(i, i + 500)).execute();
      if (cc.length) await trx.insertInto('letter_cc').values(cc).execute();
      for (let i = 0; i < history.length; i += 1000) await trx.insertInto('letter_history').values(history.slice(i, i + 1000)).execute();
    });
  }
  for (const [key, lastNumber] of sequences) {
    const [letterType, year] = key.split('/') as [(typeof types)[number], string];
    await db.insertInto('letter_sequence').values({ letterType, year: Number(year), lastNumber }).execute();
  }
  return { pendingIds };
}
