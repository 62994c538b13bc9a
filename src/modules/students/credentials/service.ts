import { randomInt } from 'node:crypto';
import { renderPdf } from '../../../pdf.js';
import type { Config } from '../../../config.js';
import type { Db } from '../../../db/index.js';
import { hashPassword } from '../../../auth/password.js';
import { AppError, type FieldError } from '../../../http/errors.js';
import { currentAcademicYear } from '../../classes/academic-year.js';
import { replacePassword } from '../../users/service.js';

/**
 * First passwords for students (imported accounts have none): one per student, random and easy
 * to read off paper, hashed on the thread pool, to be changed at first sign-in. The sheet that
 * carries them is answered once and the passwords are kept nowhere else; asking again issues new
 * ones (and signs the students out).
 */
export const MAX_CREDENTIALS = 1000;

// No 0/O, 1/l/I: a password read off a slip must not be mistyped.
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

function readablePassword(length = 12): string {
  return Array.from({ length }, () => READABLE[randomInt(READABLE.length)]).join('');
}

export interface Credential {
  name: string;
  nisn: string | null;
  className: string | null;
  email: string;
  password: string;
}

export async function issueCredentials(db: Db, config: Config, input: { studentIds?: string[] | undefined; classId?: string | undefined }): Promise<Credential[]> {
  if ((input.studentIds === undefined) === (input.classId === undefined)) {
    throw AppError.validation([{ code: 'REQUIRED', field: 'body', message: 'must name either studentIds or classId (not both)' }]);
  }
  const academicYear = currentAcademicYear(config);
  let query = db
    .selectFrom('student')
    .innerJoin('user', 'user.id', 'student.userId')
    .leftJoin('class_student', (join) => join.onRef('class_student.studentId', '=', 'student.id').on('class_student.academicYear', '=', academicYear))
    .leftJoin('class', 'class.id', 'class_student.classId')
    .select(['student.id', 'student.userId', 'student.name', 'student.nisn', 'user.email', 'class.name as className'])
    .where('student.deletedAt', 'is', null);
  if (input.classId !== undefined) {
    if (!(await db.selectFrom('class').select('id').where('id', '=', input.classId).executeTakeFirst())) throw AppError.notFound('Class');
    query = query.where('class_student.classId', '=', input.classId).where('student.status', '=', 'ACTIVE');
  } else {
    query = query.where('student.id', 'in', input.studentIds!);
  }
  const students = await query.orderBy('class.name').orderBy('student.name').execute();
  if (input.studentIds) {
    const found = new Set(students.map((s) => s.id));
    const errors: FieldError[] = input.studentIds.flatMap((id, index) => (found.has(id) ? [] : [{ code: 'NOT_FOUND', field: `body.studentIds.${index}`, message: 'is not a student' }]));
    if (errors.length > 0) throw AppError.validation(errors);
  }
  if (students.length === 0) throw AppError.validation([{ code: 'EMPTY', field: 'body.classId', message: 'has no active students' }]);

  const credentials = await Promise.all(
    students.map(async (student) => {
      const password = readablePassword();
      return { student, password, hash: await hashPassword(password) };
    }),
  );
  await db.transaction().execute(async (trx) => {
    for (const { student, hash } of credentials) await replacePassword(trx, student.userId, hash, true);
  });
  return credentials.map(({ student, password }) => ({ name: student.name, nisn: student.nisn, className: student.className, email: student.email, password }));
}

export async function credentialsWorkbook(credentials: Credential[]): Promise<Buffer> {
  // Loaded with the first workbook, as the import template does.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Akun Siswa');
  sheet.addRow(['Nama', 'NISN', 'Kelas', 'Email (untuk masuk)', 'Kata sandi sementara']).font = { bold: true };
  // Written as text cells: a formula-looking value stays a value.
  for (const c of credentials) sheet.addRow([c.name, c.nisn ?? '', c.className ?? '', c.email, c.password]);
  sheet.columns.forEach((column, i) => (column.width = [32, 14, 10, 40, 22][i]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One slip per student, eight to an A4 page, to cut and hand out. */
export function credentialSlips(credentials: Credential[], config: Config): Promise<Buffer> {
  return renderPdf({ size: 'A4', margin: 28, info: { Title: 'Akun siswa', Author: config.schoolName } }, (doc) => {
    const width = (doc.page.width - 56) / 2;
    const height = (doc.page.height - 56) / 4;
    credentials.forEach((c, i) => {
      if (i > 0 && i % 8 === 0) doc.addPage();
      const x = 28 + (i % 2) * width;
      const y = 28 + (Math.floor(i / 2) % 4) * height;
      doc.rect(x, y, width, height).dash(4, { space: 3 }).stroke().undash();
      doc.font('Helvetica-Bold').fontSize(10).text(config.schoolName, x + 12, y + 12, { width: width - 24 });
      doc.font('Helvetica').fontSize(9).text('Akun untuk masuk ke aplikasi sekolah', { width: width - 24 });
      doc.moveDown(0.6).fontSize(10);
      doc.text(`Nama: ${c.name}`, { width: width - 24 });
      doc.text(`Kelas: ${c.className ?? '-'}    NISN: ${c.nisn ?? '-'}`, { width: width - 24 });
      doc.text(`Email: ${c.email}`, { width: width - 24 });
      doc.font('Helvetica-Bold').fontSize(12).text(`Kata sandi: ${c.password}`, { width: width - 24 });
      doc.font('Helvetica').fontSize(8).text('Ganti kata sandi ini saat pertama kali masuk. Jangan berikan kepada orang lain.', { width: width - 24 });
    });
  });
}
