import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { currentAcademicYear } from '../../src/modules/classes/academic-year.js';
import { normalised } from '../../src/modules/students/import/columns.js';
import { REFERENCE_LISTS, type ReferenceItem } from '../../src/modules/reference/lists.js';
import { buildTestApp, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { compileCore } from '../helpers/compiled.js';
import { multipart, pdfText, zipBomb } from '../helpers/files.js';

/** POST /api/students/import and its template (contract §4). */

// A copy of ../shared/fixtures' synthetic Dapodik export (made-up people), so the suite needs nothing outside the project.
const DAPODIK = 'test/fixtures/dapodik-daftar-pd-sample.xlsx';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAdministrator>>;

beforeAll(async () => {
  t = await buildTestApp({ SCHOOL_DOMAIN: 'sman1samarinda.sch.id' });
  admin = await signedInAdministrator(t.app);
});
afterAll(() => t.close());

async function upload(bytes: Buffer, query = '', app = t.app, auth = admin.auth) {
  const body = await multipart([{ field: 'file', value: bytes, fileName: 'siswa.xlsx', type: XLSX_TYPE }]);
  return app.inject({ method: 'POST', url: `/api/students/import${query}`, headers: { ...auth, ...body.headers }, payload: body.payload });
}
const studentCount = async () => Number((await t.app.db.selectFrom('student').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
async function studentByNisn(nisn: string) {
  const id = (await t.app.db.selectFrom('student').select('id').where('nisn', '=', nisn).executeTakeFirstOrThrow()).id;
  return (await t.app.inject({ url: `/api/students/${id}`, headers: admin.auth })).json().result;
}

/** A template-layout sheet: the header row (field names in brackets) and these rows. */
async function workbook(rows: Record<string, string>[], fields = Object.keys(rows[0]!)): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Siswa');
  sheet.addRow(fields.map((f) => `Kolom (${f})`));
  for (const row of rows) sheet.addRow(fields.map((f) => row[f] ?? ''));
  return Buffer.from(await book.xlsx.writeBuffer());
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
function cleanRow(n: number): Record<string, string> {
  return {
    name: `Siswa Impor ${n}`, nisn: pad(7_000_000 + n, 10), nik: `6472${pad(n, 12)}`,
    gender: ['L', 'FEMALE', 'Perempuan'][n % 3]!, religion: ['Islam', '2', 'CATHOLIC'][n % 3]!,
    birthDate: ['2009-08-17', '17/08/2009', '39677'][n % 3]!, birthPlace: 'Samarinda',
    transportationMode: ['Sepeda motor', '1', 'PRIVATE_CAR'][n % 3]!, 'father.name': 'Budi', 'father.income': 'Rp. 1,000,000 - Rp. 1,999,999',
    distance: '2.5', className: `X-${(n % 4) + 1}`,
  };
}

describe('the Dapodik "Daftar Peserta Didik" export, as downloaded', () => {
  it('imports with zero errors, every column mapped, every field of every row as in the file', async () => {
    const bytes = readFileSync(DAPODIK);
    const dry = await upload(bytes, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json().result).toMatchObject({ dryRun: true, committed: false, rows: 40, created: 40, failed: 0, errors: [], unknownColumns: [] });
    expect(await studentCount()).toBe(0);

    const response = await upload(bytes);
    const report = response.json().result;
    expect(report).toMatchObject({ committed: true, rows: 40, created: 40, updated: 0, failed: 0, errors: [], unknownColumns: [] });
    expect(report.generatedEmails).toHaveLength(40);
    expect(report.createdClasses.sort()).toEqual(['X-1', 'X-2', 'X-3', 'XI-1', 'XI-2', 'XII-1', 'XII-2']);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(DAPODIK);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(6).values as string[]).map((h, i) => (i >= 25 && i <= 42 ? `${sheet.getRow(5).getCell(i).master.value} ${h}` : h));
    const label = (list: ReferenceItem[], value: string | null) => (value === null ? '' : normalised(list.find((i) => i.value === value)!.label));
    let checked = 0;
    for (let r = 7; r <= sheet.rowCount; r++) {
      const cell = (name: string) => String(sheet.getRow(r).getCell(header.indexOf(name)).value ?? '');
      if (!cell('NISN')) continue;
      const s = await studentByNisn(cell('NISN'));
      expect(s).toMatchObject({
        name: cell('Nama'), nipd: cell('NIPD'), gender: cell('JK') === 'L' ? 'MALE' : 'FEMALE', birthPlace: cell('Tempat Lahir'),
        birthDate: cell('Tanggal Lahir'), nik: cell('NIK'), phoneNumber: cell('HP'), email: `${cell('NISN')}@students.sman1samarinda.sch.id`,
        birthCertificateNumber: cell('No Registrasi Akta Lahir'), previousSchool: cell('Sekolah Asal'), familyCardNumber: cell('No KK'),
        birthOrder: Number(cell('Anak ke-berapa')), weight: Number(cell('Berat Badan')), height: Number(cell('Tinggi Badan')),
        headCircumference: Number(cell('Lingkar Kepala')), numberOfSiblings: Number(cell('Jml. Saudara Kandung')),
        distance: Math.round(Number(cell('Jarak Rumah ke Sekolah (KM)')) * 1000), className: cell('Rombel Saat Ini'), specialNeeds: [],
        address: {
          street: cell('Alamat'), rt: cell('RT'), rw: cell('RW'), subDistrict: cell('Kelurahan'), district: cell('Kecamatan'), postalCode: cell('Kode Pos'),
          location: { type: 'Point', coordinates: [Number(cell('Bujur')), Number(cell('Lintang'))] },
        },
        welfare: { kpsRecipient: cell('Penerima KPS') === 'Ya', kipRecipient: false, pipEligible: false },
      });
      expect(label(REFERENCE_LISTS.religion, s.religion)).toBe(normalised(cell('Agama')));
      expect(label(REFERENCE_LISTS.residenceType, s.residenceType)).toBe(normalised(cell('Jenis Tinggal')));
      expect(normalised(cell('Alat Transportasi')).startsWith(label(REFERENCE_LISTS.transportationMode, s.transportationMode))).toBe(true);
      for (const [key, group] of [['father', 'Data Ayah'], ['mother', 'Data Ibu'], ['guardian', 'Data Wali']] as const) {
        if (!cell(`${group} Nama`)) {
          expect(s[key]).toBeNull();
          continue;
        }
        expect(s[key]).toMatchObject({ name: cell(`${group} Nama`), birthYear: Number(cell(`${group} Tahun Lahir`)), nik: cell(`${group} NIK`) });
        expect(label(REFERENCE_LISTS.education, s[key].education)).toBe(normalised(cell(`${group} Jenjang Pendidikan`)));
        expect(label(REFERENCE_LISTS.occupation, s[key].occupation)).toBe(normalised(cell(`${group} Pekerjaan`)));
        expect(label(REFERENCE_LISTS.incomeBracket, s[key].income)).toBe(normalised(cell(`${group} Penghasilan`)));
      }
      checked += 1;
    }
    expect(checked).toBe(40);
    // Accounts exist without any password: nobody can sign in until credentials are issued.
    expect(await t.app.db.selectFrom('account').innerJoin('user', 'user.id', 'account.userId').select('user.id').where('user.email', 'like', '%@students.%').execute()).toEqual([]);
  });

  it('refuses the same file again in create mode (every row a duplicate NISN), and skips it unchanged with upsert', async () => {
    const again = (await upload(readFileSync(DAPODIK))).json().result;
    expect(again).toMatchObject({ committed: false, created: 0, failed: 40 });
    expect(again.errors.filter((e: { column: string; code: string }) => e.column === 'NISN' && e.code === 'DUPLICATE')).toHaveLength(40);
    const upsert = (await upload(readFileSync(DAPODIK), '?mode=upsert')).json().result;
    expect(upsert).toMatchObject({ committed: true, created: 0, updated: 0, skipped: 40, failed: 0 });

    // One student's phone number changed in Dapodik: only that student is updated, only that field.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(DAPODIK);
    const row = book.worksheets[0]!.getRow(7);
    const nisn = String(row.getCell(5).value);
    const before = await studentByNisn(nisn);
    row.getCell(20).value = '081299990000';
    const changed = (await upload(Buffer.from(await book.xlsx.writeBuffer()), '?mode=upsert')).json().result;
    expect(changed).toMatchObject({ committed: true, created: 0, updated: 1, skipped: 39, failed: 0 });
    const after = await studentByNisn(nisn);
    const { phoneNumber, updatedAt, ...rest } = after;
    expect(phoneNumber).toBe('081299990000');
    expect(rest).toEqual((({ phoneNumber: _p, updatedAt: _u, ...others }) => others)(before));
  });
});

describe('template files', () => {
  it('imports 1,000 clean rows from XLSX and from a semicolon CSV, with values given as labels, codes or enums', async () => {
    const before = await studentCount();
    const rows = Array.from({ length: 1000 }, (_, i) => cleanRow(i + 1));
    const xlsx = (await upload(await workbook(rows))).json().result;
    expect(xlsx).toMatchObject({ committed: true, rows: 1000, created: 1000, failed: 0 });
    const fields = Object.keys(rows[0]!);
    const csvRows = Array.from({ length: 1000 }, (_, i) => cleanRow(i + 2001));
    const csv = [fields.map((f) => `Kolom (${f})`).join(';'), ...csvRows.map((row) => fields.map((f) => row[f]).join(';'))].join('\r\n');
    const fromCsv = (await upload(Buffer.from(`\ufeff${csv}`))).json().result;
    expect(fromCsv).toMatchObject({ committed: true, rows: 1000, created: 1000, failed: 0 });
    expect(await studentCount()).toBe(before + 2000);
    // Rows wait for the write in compressed batches of 500: each of them lands as its own row said.
    const imported = await t.app.db.selectFrom('student').select(['nisn', 'name', 'nik']).where('nisn', '>=', pad(7_000_001, 10)).where('nisn', '<=', pad(7_003_000, 10)).execute();
    const expected = [...rows, ...csvRows].map((row) => ({ nisn: row.nisn, name: row.name, nik: row.nik }));
    expect(imported.sort((a, b) => a.nisn!.localeCompare(b.nisn!))).toEqual(expected);

    const sample = await studentByNisn(pad(7_000_003, 10));
    expect(sample).toMatchObject({ gender: 'MALE', religion: 'ISLAM', birthDate: '2009-08-17', transportationMode: 'MOTORCYCLE', distance: 2500, className: 'X-4' });
    expect(sample.father).toMatchObject({ name: 'Budi', income: 'FROM_1M_TO_1999K' });
    const coded = await studentByNisn(pad(7_000_001, 10));
    expect(coded).toMatchObject({ gender: 'FEMALE', religion: 'PROTESTANT', birthDate: '2009-08-17', transportationMode: 'WALKING' });
    const serial = await studentByNisn(pad(7_000_002, 10));
    expect(serial).toMatchObject({ gender: 'FEMALE', religion: 'CATHOLIC', birthDate: '2008-08-17', transportationMode: 'PRIVATE_CAR' });
    const year = currentAcademicYear(t.config);
    expect((await t.app.db.selectFrom('class').select('name').where('academicYear', '=', year).where('name', 'like', 'X-%').execute()).length).toBeGreaterThanOrEqual(4);
  });

  it('round-trips the downloaded template: download → fill → import', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const template = await t.app.inject({ url: `/api/students/import/template?format=${format}`, headers: admin.auth });
      expect(template.statusCode).toBe(200);
      let bytes = template.rawPayload;
      if (format === 'xlsx') {
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(bytes as unknown as ArrayBuffer);
        expect(book.worksheets.map((w) => w.name)).toEqual(['Siswa', 'Referensi']);
        expect(book.worksheets[1]!.rowCount).toBeGreaterThan(100);
        const sheet = book.worksheets[0]!;
        const example = sheet.getRow(2).values as string[];
        const header = sheet.getRow(1).values as string[];
        sheet.addRow(example.slice(1).map((v, i) => (header[i + 1]!.includes('(nisn)') ? '0099000001' : header[i + 1]!.includes('(nik)') ? '6472990000000001' : header[i + 1]!.includes('(email)') ? 'isian@siswa.sch.id' : v)));
        sheet.spliceRows(2, 1);
        bytes = Buffer.from(await book.xlsx.writeBuffer());
      } else {
        const text = bytes.toString('utf8');
        expect(text.split(/\r?\n/)[1]).toContain("'-0.5022");
      }
      const result = (await upload(bytes)).json().result;
      expect(result, format).toMatchObject({ committed: true, created: 1, failed: 0, unknownColumns: [] });
    }
    expect((await studentByNisn('0099000001')).address.location.coordinates).toEqual([117.1536, -0.5022]);
  });
});

describe('refusals', () => {
  it('refuses a CSV cell with a NUL character past the file check, on both databases, and writes nothing', async () => {
    const before = await studentCount();
    const rows = Array.from({ length: 80 }, (_, i) => cleanRow(i + 8001));
    rows[70]!.name = 'Siswa\u0000Impor';
    const fields = Object.keys(rows[0]!);
    const csv = [fields.map((f) => `Kolom (${f})`).join(';'), ...rows.map((row) => fields.map((f) => row[f]).join(';'))].join('\r\n');
    expect(csv.indexOf('\u0000')).toBeGreaterThan(8192);
    const response = await upload(Buffer.from(csv));
    expect(response.statusCode).toBe(200);
    expect(response.json().result).toMatchObject({ committed: false, failed: 1, errors: [{ row: 72, code: 'INVALID_CHARACTER', message: 'must not contain a NUL character' }] });
    expect(await studentCount()).toBe(before);
  });

  it('lists every error of every row (row and column) and writes nothing', async () => {
    const before = await studentCount();
    const rows = [
      cleanRow(5001),
      { ...cleanRow(5002), nisn: '12345', gender: 'X' },
      { ...cleanRow(5003), birthDate: '31/02/2009', religion: 'Jedi' },
      { ...cleanRow(5004), nisn: cleanRow(5001).nisn! },
      { ...cleanRow(5005), 'father.birthYear': '1850', className: 'Kelas Bahasa' },
      { ...cleanRow(5006), name: '' },
    ];
    const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const report = (await upload(await workbook(rows, fields))).json().result;
    expect(report).toMatchObject({ committed: false, created: 0, failed: 5 });
    const found = report.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`);
    expect(found).toEqual(expect.arrayContaining([
      '3:NISN:INVALID_VALUE', '3:Jenis Kelamin:INVALID_VALUE', '4:Tanggal Lahir:INVALID_VALUE', '4:Agama:INVALID_VALUE',
      '5:NISN:DUPLICATE_IN_FILE', '6:Tahun Lahir Ayah:INVALID_VALUE', '6:Rombel Saat Ini:UNKNOWN_GRADE', '7:Nama:REQUIRED',
    ]));
    expect(await studentCount()).toBe(before);

    // The history has it, with its error report to download again.
    const history = await t.app.inject({ url: '/api/students/imports?limit=100', headers: admin.auth });
    const entry = history.json().result.find((e: { id: string }) => e.id === report.importId);
    expect(entry).toMatchObject({ by: { id: admin.id }, fileName: 'siswa.xlsx', dryRun: false, committed: false, rows: 6, failed: 5 });
    expect(history.json().result.length).toBeGreaterThanOrEqual(6);
    const csv = await t.app.inject({ url: `/api/students/imports/${report.importId}/errors`, headers: admin.auth });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe('Baris (row),Kolom (column),Kode (code),Pesan (message)');
    expect(lines).toHaveLength(report.errors.length + 1);
    expect(lines[1]).toMatch(/^3,NISN,INVALID_VALUE,/);
    const json = await t.app.inject({ url: `/api/students/imports/${report.importId}/errors?format=json`, headers: admin.auth });
    expect(json.json().result).toEqual(report.errors);
    expect((await t.app.inject({ url: '/api/students/imports/nope/errors', headers: admin.auth })).statusCode).toBe(404);
  });

  it('refuses a file without the required columns, too many rows, too large a file or workbook, and another file type', async () => {
    const missing = await upload(await workbook([{ nisn: '0011111111', birthPlace: 'Samarinda', nik: '6472000000000099' }]));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { message: string }) => e.message)).toEqual(['has no Nama column', 'has no Jenis Kelamin column']);

    const strict = await buildTestApp({ IMPORT_MAX_ROWS: '5', IMPORT_MAX_SIZE: '65536', IMPORT_MAX_UNPACKED: '20000' });
    try {
      const strictAdmin = await signedInAdministrator(strict.app);
      const six = await upload(Buffer.from(['Nama;JK;Tempat Lahir', 'A;L;X', 'B;L;X', 'C;P;X', 'D;P;X', 'E;L;X', 'F;L;X'].join('\n')), '', strict.app, strictAdmin.auth);
      expect(six.statusCode).toBe(400);
      expect(six.json().errors[0].code).toBe('TOO_MANY_ROWS');
      const big = await upload(Buffer.alloc(70_000, 'a'), '', strict.app, strictAdmin.auth);
      expect(big.statusCode).toBe(413);
      // A small workbook whose parts unpack to more than allowed: refused before it is read.
      const bomb = await upload(await workbook(Array.from({ length: 5 }, (_, i) => ({ ...cleanRow(i), hobby: 'x'.repeat(30_000) }))), '', strict.app, strictAdmin.auth);
      expect(bomb.statusCode).toBe(413);
      expect(bomb.json().errors[0].field).toBe('body.file');
    } finally {
      await strict.close();
    }
    // A real zip bomb at the default limits: 8 parts of 50 MiB of zeros (400 MiB unpacked) in a few hundred KB.
    const realBomb = zipBomb(8, 50 * 1024 * 1024);
    expect(realBomb.length).toBeLessThan(1024 * 1024);
    const refused = await upload(realBomb);
    expect(refused.statusCode).toBe(413);
    expect(refused.json().errors[0]).toMatchObject({ field: 'body.file', code: 'TOO_LARGE' });
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);

    // A workbook damaged in the middle of its sheet (its directory intact): a 400, nothing written.
    const studentsBefore = await studentCount();
    const damaged = await workbook(Array.from({ length: 300 }, (_, i) => cleanRow(i)));
    damaged.fill(0xff, Math.floor(damaged.length * 0.4), Math.floor(damaged.length * 0.6));
    const broken = await upload(damaged);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0]).toMatchObject({ field: 'body.file', code: 'INVALID_FILE' });
    expect(await studentCount()).toBe(studentsBefore);

    const pdf = await upload(Buffer.from('%PDF-1.4\n\u0000\u0000binary'));
    expect(pdf.statusCode).toBe(415);
    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    expect((await upload(readFileSync(DAPODIK), '', t.app, teacher.auth)).statusCode).toBe(403);
  });
});

describe('POST /api/students/credentials', () => {
  it('issues first passwords once, as a workbook or slips, that sign in and must be changed', async () => {
    const year = currentAcademicYear(t.config);
    const klass = (await t.app.db.selectFrom('class').select('id').where('academicYear', '=', year).where('name', '=', 'XI-1').executeTakeFirstOrThrow()).id;
    const response = await t.app.inject({ method: 'POST', url: '/api/students/credentials', headers: admin.auth, payload: { classId: klass, format: 'xlsx' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const rows = (book.worksheets[0]!.getSheetValues() as string[][]).slice(2).map((r) => r.slice(1));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[2] === 'XI-1' && /^[a-hj-km-np-z2-9]{12}$/.test(r[4]!))).toBe(true);
    const [name, , , email, password] = rows[0]!;
    const signIn = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password } });
    expect(signIn.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${signIn.json().token}` } });
    expect(me.json().result.user).toMatchObject({ name, mustChangePassword: true });

    // Asking again issues new passwords: the old one stops working and the session ends.
    const student = await t.app.db.selectFrom('student').innerJoin('user', 'user.id', 'student.userId').select('student.id').where('user.email', '=', email!).executeTakeFirstOrThrow();
    const slips = await t.app.inject({ method: 'POST', url: '/api/students/credentials', headers: admin.auth, payload: { studentIds: [student.id] } });
    expect(slips.headers['content-type']).toBe('application/pdf');
    const text = pdfText(slips.rawPayload);
    expect(text).toContain(`Nama: ${name}`);
    const newPassword = /Kata sandi: ([a-z0-9]{12})/.exec(text)![1]!;
    expect(newPassword).not.toBe(password);
    expect((await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${signIn.json().token}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email, password: newPassword } })).statusCode).toBe(200);
  });

  it('names unknown students, and needs exactly one of studentIds and classId', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/students/credentials', headers: admin.auth, payload: { studentIds: ['01930000-0000-7000-8000-000000000000'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.studentIds.0');
    expect((await t.app.inject({ method: 'POST', url: '/api/students/credentials', headers: admin.auth, payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/students/credentials', headers: admin.auth, payload: { classId: 'nope' } })).statusCode).toBe(404);
  });
});

describe('npm run import:students', () => {
  it('imports from the command line with the same checks and report, and records it in the history', async () => {
    const env = { PATH: process.env.PATH, DATA_DIR: t.database.dataDir, DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' };
    // Compiled and run as `npm run import:students` runs it (the reading thread starts from the compiled code).
    const compiled = compileCore();
    onTestFinished(() => compiled.remove());
    const run = (args: string[]) => spawnSync(process.execPath, [...compiled.node('modules/students/import/cli.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
    const rows: Record<string, string>[] = [{ ...cleanRow(9001), email: 'cli.satu@siswa.sch.id' }, { ...cleanRow(9002), email: 'cli.dua@siswa.sch.id' }];
    const file = path.join(t.database.dataDir, 'kelas-baru.xlsx');
    writeFileSync(file, await workbook(rows));

    const dry = run([file, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('2 rows: 2 created, 0 updated, 0 skipped, 0 failed (dry run: nothing written)');
    const real = run([file]);
    expect(real.status, real.stderr).toBe(0);
    expect((await studentByNisn(rows[0]!.nisn!)).email).toBe('cli.satu@siswa.sch.id');
    const again = run([file]);
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('nothing was written');
    expect(again.stdout).toContain('row 2, NISN: is already used by another student');
    expect(run([file, '--upsert']).status).toBe(0);
    const history = (await t.app.inject({ url: '/api/students/imports', headers: admin.auth })).json().result;
    expect(history[0]).toMatchObject({ by: { id: null, name: 'command line' }, fileName: 'kelas-baru.xlsx', mode: 'upsert', committed: true, skipped: 2 });
    expect(run([]).status).toBe(2);
    // Five runs of a fresh process (start-up and the migration check) each: slower than one request.
  }, 120_000);
});
