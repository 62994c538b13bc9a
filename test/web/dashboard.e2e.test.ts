import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../helpers/app.js';
import { signInOverHttp } from '../helpers/compiled.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fullEmployee, fullStudent } from '../helpers/people.js';
import { buildDashboard, launchChromium, screenshotDir, startCompiledCore, type RunningCore } from '../helpers/web.js';

/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a real Core
 * (compiled, as `npm start` runs it) on a fresh database of the kind under test. Each main page is
 * photographed into test-results/dashboard/<kind>/, and every page is checked with axe-core for
 * serious accessibility faults and for any error the browser logged (a refused content policy,
 * a script error).
 */

const YEAR = '2026/2027';
const STUDENT = { email: 'ani.lestari@siswa.sman1samarinda.sch.id', password: 'Ani-Password-2026' };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let database: TestDatabase;
let web: Awaited<ReturnType<typeof buildDashboard>>;
let core: RunningCore;
let browser: Browser;
let shots: string;
let adminToken: string;
let classX1: { id: string };
const problems: string[] = [];

async function api<T = unknown>(method: string, url: string, body?: unknown, token = adminToken): Promise<T> {
  const response = await fetch(`${core.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as { result: T };
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(json)}`);
  return json.result;
}

/** A bearer token for the account, or undefined when Core refuses the password. */
const signInToken = (email: string, password: string) => signInOverHttp(core.url, { email, password });

/** A browser tab whose every logged error and failed page script becomes a test failure. */
async function newPage(options: { viewport?: { width: number; height: number }; timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, timezoneId: options.timezoneId ?? 'UTC', acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (message) => {
    // A refused sign-in or a refused form is a 4xx the page shows; the browser logs each as a failed load.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${core.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('heading', { level: 1, name: /Selamat datang/ }).waitFor();
}

/** axe-core's serious and critical findings on the page as it stands (run through DevTools, not a script tag the page policy would refuse). */
async function accessibilityFaults(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return result;
}

/** The text of an element once it is shown. */
async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).trim();
}

async function photograph(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const faults = await accessibilityFaults(page);
  expect(faults, `accessibility of ${name}`).toEqual([]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  web = await buildDashboard();
  core = await startCompiledCore({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    WEB_DIR: web.dir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ACADEMIC_YEAR: YEAR,
    SIGN_IN_MAX_FAILURES: '3',
  });
  browser = await launchChromium();
  shots = screenshotDir(database.kind);
  adminToken = (await signInToken(ADMIN.email, ADMIN.password))!;

  // A school to look at: a homeroom teacher, a class of this year with students, a staff member.
  const teacher = await api<{ teacher: { id: string } }>('POST', '/api/teachers', fullEmployee({ name: 'Hendra Wijaya', employmentStatus: 'PNS' }));
  await api('POST', '/api/staff', fullEmployee({ name: 'Sri Wahyuni', gender: 'FEMALE', employmentStatus: 'HONORER' }));
  classX1 = await api<{ id: string }>('POST', '/api/classes', { name: 'X-1', gradeLevel: 10, academicYear: YEAR, homeroomTeacherId: teacher.teacher.id });
  const ids: string[] = [];
  for (const [name, gender, height] of [['Ani Lestari', 'FEMALE', 152], ['Bayu Saputra', 'MALE', 168], ['Citra Dewi', 'FEMALE', 158]] as const) {
    const created = await api<{ student: { id: string } }>('POST', '/api/students', fullStudent({ name, gender, height, ...(name === 'Ani Lestari' ? { email: STUDENT.email, password: STUDENT.password } : {}) }));
    ids.push(created.student.id);
  }
  await api('POST', `/api/classes/${classX1.id}/students`, { studentIds: ids });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await core?.stop();
  web?.remove();
  await database?.drop();
});

// A browser round trip takes seconds, more on a busy CI machine running both databases at once.
describe('the dashboard in Chromium', { timeout: 120_000 }, () => {
  it('signs in, showing a wrong password and the rate limit plainly', async () => {
    const { context, page } = await newPage();
    await page.goto(`${core.url}/`);
    await page.waitForURL(/\/sign-in\?from=%2F$/);
    await photograph(page, '01-sign-in');

    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Kata sandi').fill('not the password');
    await page.getByRole('button', { name: 'Masuk' }).click();
    expect(await textOf(page.getByRole('alert'))).toBe('Email atau kata sandi salah.');

    await page.getByLabel('Kata sandi').fill(ADMIN.password);
    await page.getByLabel('Kata sandi').press('Enter');
    await page.getByRole('heading', { level: 1, name: /Selamat datang, Administrator/ }).waitFor();
    await photograph(page, '02-home');

    // Signing out ends the session on the server: the dashboard's pages send the browser back.
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto(`${core.url}/students`);
    await page.waitForURL(/\/sign-in\?from=%2Fstudents$/);
    expect((await context.request.get(`${core.url}/api/users/me`)).status()).toBe(401);

    // Three wrong passwords for an account, then even the right one is refused until the window passes.
    const rateLimited = fullStudent({ password: 'Siswa-Password-1' });
    await api('POST', '/api/students', rateLimited);
    const other = await newPage();
    await other.page.goto(`${core.url}/sign-in`);
    for (let attempt = 0; attempt < 4; attempt++) {
      await other.page.getByLabel('Email').fill(rateLimited.email);
      await other.page.getByLabel('Kata sandi').fill(attempt < 3 ? 'wrong-password' : 'Siswa-Password-1');
      await other.page.getByRole('button', { name: 'Masuk' }).click();
      await other.page.getByRole('alert').waitFor();
    }
    expect(await textOf(other.page.getByRole('alert'))).toMatch(/^Terlalu banyak percobaan masuk\. Tunggu \d+ menit lalu coba lagi\.$/);
    await other.context.close();

    // Opened at an address Core does not trust for cookies (localhost, not PUBLIC_URL's 127.0.0.1): said so.
    const elsewhere = await newPage();
    await elsewhere.page.goto(`${core.url.replace('127.0.0.1', 'localhost')}/sign-in`);
    await elsewhere.page.getByLabel('Email').fill(ADMIN.email);
    await elsewhere.page.getByLabel('Kata sandi').fill(ADMIN.password);
    await elsewhere.page.getByRole('button', { name: 'Masuk' }).click();
    expect(await textOf(elsewhere.page.getByRole('alert'))).toBe(
      `Server tidak menerima masuk dari alamat ini. Buka dasbor di ${core.url}, atau minta pengelola server menambahkan alamat ini ke TRUSTED_ORIGINS.`,
    );
    await elsewhere.context.close();
    await context.close();
  });

  it('creates a student, showing each server validation error next to its field, then deletes and restores them', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Peserta didik', exact: true }).click();
    await page.getByRole('link', { name: 'Ani Lestari' }).waitFor();
    await photograph(page, '03-students');

    // Pages come from the server: twelve more students make two pages of ten.
    for (let n = 1; n <= 12; n++) await api('POST', '/api/students', fullStudent({ name: `Murid ${String(n).padStart(2, '0')}`, gender: n % 2 ? 'MALE' : 'FEMALE' }));
    await page.reload();
    await page.getByLabel('Per halaman').selectOption('10');
    await page.getByText(/^Halaman 1 dari 2 \(1\d data\)$/).waitFor();
    const firstPage = await page.getByRole('table').getByRole('link').allInnerTexts();
    expect(firstPage).toHaveLength(10);
    await page.getByRole('button', { name: 'Berikutnya →' }).click();
    await page.waitForURL(/page=2/);
    await page.getByText(/^Halaman 2 dari 2/).waitFor();
    const secondPage = await page.getByRole('table').getByRole('link').allInnerTexts();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    // A filter goes back to page 1 and asks Core: only the girls.
    await page.getByLabel('Jenis kelamin').selectOption({ label: 'Perempuan' });
    await page.waitForURL((url) => url.searchParams.get('gender') === 'FEMALE' && !url.searchParams.has('page'));
    await page.getByText(/^Halaman 1 dari 1/).waitFor();
    const girls = await api<{ name: string }[]>('GET', '/api/students?gender=FEMALE&limit=10&sort=name');
    expect(await page.getByRole('table').getByRole('link').allInnerTexts()).toEqual(girls.map((g) => g.name));
    await page.goto(`${core.url}/students`);

    await page.getByRole('link', { name: 'Tambah peserta didik' }).click();
    await page.getByLabel('Nama lengkap').fill('Budi Santoso');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('budi.santoso@siswa.sman1samarinda.sch.id');
    await page.getByLabel('Jenis kelamin').selectOption({ label: 'Laki-laki' });
    await page.getByLabel('Agama').selectOption({ label: 'Islam' });
    await page.getByLabel('NISN').fill('12345');
    await page.getByLabel('Tinggi badan (cm)').fill('tinggi');
    await page.getByLabel('Kecamatan').fill('Samarinda Ulu');
    await page.getByRole('button', { name: 'Buat' }).click();

    // Core refuses both fields at once; each shows its message beside it and in the summary.
    const summary = page.getByRole('alert');
    expect(await textOf(summary)).toContain('Periksa 2 isian berikut');
    expect(await summary.getByRole('link').allInnerTexts()).toEqual(expect.arrayContaining(['NISN', 'Tinggi badan (cm)']));
    expect(await page.getByLabel('NISN').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Tinggi badan (cm)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Nama lengkap').getAttribute('aria-invalid')).toBe('false');
    const nisnError = await page.getByLabel('NISN').getAttribute('aria-describedby');
    expect(await textOf(page.locator(`[id="${nisnError!.split(' ').at(-1)}"]`))).toMatch(/\S/);
    await photograph(page, '04-student-form-errors');

    await page.getByLabel('NISN').fill('0091234501');
    await page.getByLabel('Tinggi badan (cm)').fill('165');
    await page.getByRole('button', { name: 'Buat' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Data tersimpan.' }))).toContain('Kata sandi pertama');
    // The first password, shown this once, signs the student in.
    const first = await textOf(page.locator('code.secret'));
    expect(await signInToken('budi.santoso@siswa.sman1samarinda.sch.id', first)).toEqual(expect.any(String));
    // Forgotten: the office makes a temporary one; the old one stops working.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Buat kata sandi sementara' }).click();
    const temporary = await textOf(page.getByRole('region', { name: 'Kata sandi akun' }).locator('code.secret'));
    expect(temporary).not.toBe(first);
    expect(await signInToken('budi.santoso@siswa.sman1samarinda.sch.id', first)).toBeUndefined();
    expect(await signInToken('budi.santoso@siswa.sman1samarinda.sch.id', temporary)).toEqual(expect.any(String));

    // Budi's first sign-in asks him to replace the temporary password, and stops asking once he has.
    const budi = await newPage();
    await signIn(budi.page, 'budi.santoso@siswa.sman1samarinda.sch.id', temporary);
    const banner = budi.page.getByRole('status').filter({ hasText: 'kata sandi sementara' });
    await banner.getByRole('link', { name: 'Ganti kata sandi' }).click();
    expect(await budi.page.evaluate(() => document.activeElement?.textContent)).toBe('Ganti kata sandi');
    await budi.page.getByLabel('Kata sandi sekarang').fill('not-the-temporary-one');
    await budi.page.getByLabel('Kata sandi baru').fill('Budi-Baru-2026');
    await budi.page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    expect(await textOf(budi.page.getByRole('alert'))).toBe('Kata sandi sekarang salah.');
    await budi.page.getByLabel('Kata sandi sekarang').fill(temporary);
    await budi.page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await budi.page.getByRole('status').filter({ hasText: 'Kata sandi diganti.' }).waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(await signInToken('budi.santoso@siswa.sman1samarinda.sch.id', 'Budi-Baru-2026')).toEqual(expect.any(String));
    await budi.context.close();
    const studentId = page.url().split('/').at(-1)!;
    const saved = await api<{ name: string; nisn: string; height: number; gender: string; address: { district: string } }>('GET', `/api/students/${studentId}`);
    expect(saved).toMatchObject({ name: 'Budi Santoso', nisn: '0091234501', height: 165, gender: 'MALE', address: { district: 'Samarinda Ulu' } });

    // Search the list, delete (soft) and restore.
    await page.goto(`${core.url}/students`);
    await page.getByRole('searchbox', { name: 'Cari' }).fill('Budi');
    await page.waitForURL(/search=Budi/);
    await page.getByRole('link', { name: 'Ani Lestari' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('table').getByRole('link').allInnerTexts()).toEqual(['Budi Santoso']);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Hapus Budi Santoso' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'dihapus' }))).toBe('Budi Santoso dihapus.');
    await page.getByRole('cell', { name: 'Tidak ada data.' }).waitFor();
    await page.getByLabel('Tampilkan yang dihapus').click();
    await page.getByRole('button', { name: 'Pulihkan Budi Santoso' }).click();
    await page.getByRole('button', { name: 'Hapus Budi Santoso' }).waitFor();
    expect((await api<{ deletedAt: string | null }>('GET', `/api/students/${studentId}`)).deletedAt).toBeNull();
    await context.close();
  });

  it('edits a full Dapodik record through the form without disturbing any field it did not change', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    const [ani] = await api<{ id: string }[]>('GET', '/api/students?search=Ani%20Lestari');
    const before = await api<Record<string, unknown>>('GET', `/api/students/${ani!.id}`);
    await page.goto(`${core.url}/students/${ani!.id}`);
    await page.getByLabel('Hobi').fill('Debat');
    await page.getByLabel('Pekerjaan ibu').selectOption({ label: 'Wiraswasta' });
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('status').filter({ hasText: 'Tersimpan.' }).waitFor();
    const after = await api<Record<string, unknown> & { mother: Record<string, unknown> }>('GET', `/api/students/${ani!.id}`);
    expect(after).toEqual({
      ...before,
      hobby: 'Debat',
      mother: { ...(before.mother as object), occupation: after.mother.occupation },
      updatedAt: after.updatedAt,
    });
    expect(after.mother.occupation).not.toBe((before.mother as Record<string, unknown>).occupation);
    await photograph(page, '21-student-record');

    // A teacher's education history is a list of rows: add one.
    const [hendra] = await api<{ id: string }[]>('GET', '/api/teachers?search=Hendra');
    await page.goto(`${core.url}/teachers/${hendra!.id}`);
    await page.getByRole('button', { name: '+ Tambah riwayat pendidikan' }).click();
    const row = page.getByRole('group', { name: /Riwayat pendidikan \d+/ }).last();
    await row.getByLabel('Jenjang').selectOption({ label: 'S2' });
    await row.getByLabel('Satuan pendidikan').fill('Universitas Mulawarman');
    await row.getByLabel('Tahun lulus').fill('2015');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('status').filter({ hasText: 'Tersimpan.' }).waitFor();
    const teacher = await api<{ educationHistory: unknown[] }>('GET', `/api/teachers/${hendra!.id}`);
    expect(teacher.educationHistory.at(-1)).toEqual({ level: 'MASTER', institution: 'Universitas Mulawarman', major: null, graduationYear: 2015 });
    await photograph(page, '22-teacher-record');
    await context.close();
  });

  it('imports a file: a dry run reports every row error, nothing is written, and the fixed file imports', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`${core.url}/students/import`);

    const templateDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Unduh templat CSV' }).click();
    const template = readFileSync((await (await templateDownload).path())!, 'utf8');
    expect(template).toContain('NISN (nisn)');

    const header = 'Nama (name),NISN (nisn),Jenis Kelamin (gender),E-Mail (email)';
    const good = 'Rina Marlina,0091230001,P,rina.marlina@siswa.sman1samarinda.sch.id';
    const bad = 'Dodi Pratama,12AB,L,dodi.pratama@siswa.sman1samarinda.sch.id';
    const file = page.getByLabel('Berkas', { exact: true });
    await file.setInputFiles({ name: 'siswa-baru.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good, bad].join('\n')) });
    await page.getByRole('button', { name: 'Periksa berkas' }).click();
    expect(await textOf(page.getByRole('alert'))).toMatch(/^Tidak ada yang disimpan: 1 dari 2 baris bermasalah \(1 kesalahan\)/);
    const errorRow = page.getByRole('region', { name: 'Kesalahan per baris' }).getByRole('row').nth(1);
    const cells = await errorRow.getByRole('cell').allInnerTexts();
    expect(cells.slice(0, 2)).toEqual(['3', 'NISN']);
    expect(await page.getByRole('button', { name: /^Impor/ }).isDisabled()).toBe(true);
    await photograph(page, '05-import-report');
    const nobody = await api<unknown[]>('GET', '/api/students?search=Rina%20Marlina');
    expect(nobody).toEqual([]);

    await file.setInputFiles({ name: 'siswa-baru.csv', mimeType: 'text/csv', buffer: Buffer.from([header, good].join('\n')) });
    await page.getByRole('button', { name: 'Periksa berkas' }).click();
    await page.getByRole('status').filter({ hasText: 'Berkas siap diimpor: 1 baris' }).waitFor();
    await page.getByRole('button', { name: 'Impor 1 baris' }).click();
    expect(await textOf(page.getByRole('status').filter({ hasText: 'Impor selesai' }))).toBe('Impor selesai: 1 baru, 0 diperbarui, 0 tidak berubah.');
    expect(await api<{ name: string }[]>('GET', '/api/students?search=Rina%20Marlina')).toMatchObject([{ name: 'Rina Marlina' }]);
    // The history lists the three runs, the refused one with a link to its errors.
    await page.getByRole('link', { name: /1 \(unduh CSV\)/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Riwayat impor' }).getByRole('row').count()).toBe(4);
    await photograph(page, '06-import-done');
    await context.close();
  });

  it('takes a student’s letter request in school time, and a reviewer approves it and opens its PDF', async () => {
    const student = await newPage({ timezoneId: 'America/New_York' });
    await signIn(student.page, STUDENT.email, STUDENT.password);
    await student.page.getByRole('link', { name: 'Surat saya' }).click();
    await student.page.getByRole('link', { name: 'Ajukan surat' }).first().click();
    await student.page.getByLabel('Jenis surat').selectOption({ label: 'Surat Dispensasi' });
    await student.page.getByLabel('Perihal').fill('Lomba debat tingkat provinsi');
    await student.page.getByLabel('Mulai').fill('2026-12-07T07:30');
    await student.page.getByLabel('Selesai').fill('2026-12-07T15:00');
    await student.page.getByLabel('Alasan / keterangan').fill('Mewakili sekolah di lomba debat.');
    await photograph(student.page, '07-letter-request');
    await student.page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await student.page.getByRole('heading', { level: 1, name: 'Lomba debat tingkat provinsi' }).waitFor();
    const letterId = student.page.url().split('/').at(-1)!;
    // 07:30 at the school (WITA, UTC+8), whatever zone the student's browser is in.
    expect(await api<{ beginDate: string; endDate: string }>('GET', `/api/letters/${letterId}`)).toMatchObject({
      beginDate: '2026-12-06T23:30:00.000Z',
      endDate: '2026-12-07T07:00:00.000Z',
    });
    expect(await textOf(student.page.locator('dd').filter({ hasText: '07.30' }))).toContain('15.00');
    await photograph(student.page, '08-letter-pending');

    const reviewer = await newPage();
    await signIn(reviewer.page, ADMIN.email, ADMIN.password);
    await reviewer.page.getByRole('link', { name: 'Antrean surat' }).click();
    await reviewer.page.getByRole('link', { name: 'Lomba debat tingkat provinsi' }).waitFor();
    await photograph(reviewer.page, '09-letter-queue');
    await reviewer.page.getByRole('link', { name: 'Lomba debat tingkat provinsi' }).click();
    await reviewer.page.getByRole('button', { name: 'Setujui' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: 'Status surat sekarang: Disetujui.' }).waitFor();
    const approved = await api<{ letterNumber: string; status: string }>('GET', `/api/letters/${letterId}`);
    expect(approved.status).toBe('APPROVED');
    expect(approved.letterNumber).toMatch(/^001\/DISP\/SMAN1-SMD\/[IVX]+\/\d{4}$/);
    expect(await textOf(reviewer.page.locator('dd').filter({ hasText: approved.letterNumber }))).toBe(approved.letterNumber);

    await reviewer.page.getByRole('button', { name: 'Tampilkan pratinjau' }).click();
    const frame = reviewer.page.locator('iframe[title="Dokumen surat (PDF)"]');
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    const download = reviewer.page.waitForEvent('download');
    await reviewer.page.getByRole('link', { name: 'Unduh PDF' }).click();
    const pdf = readFileSync((await (await download).path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await download).suggestedFilename()).toBe(`${approved.letterNumber.replace(/\//g, '-')}.pdf`);
    await photograph(reviewer.page, '10-letter-approved');

    // The student sees the decision in their own list.
    await student.page.goto(`${core.url}/my-letters`);
    await student.page.getByRole('cell', { name: approved.letterNumber }).waitFor();
    await photograph(student.page, '11-my-letters');

    // A recommendation the reviewer turns down: the note is required, and the student reads it.
    await student.page.goto(`${core.url}/my-letters/new`);
    await student.page.getByLabel('Jenis surat').selectOption({ label: 'Surat Rekomendasi' });
    await student.page.getByLabel('Perihal').fill('Rekomendasi beasiswa');
    await student.page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await student.page.getByRole('heading', { level: 1, name: 'Rekomendasi beasiswa' }).waitFor();
    const rejectedId = student.page.url().split('/').at(-1)!;
    await reviewer.page.goto(`${core.url}/letters/${rejectedId}`);
    await reviewer.page.getByRole('button', { name: 'Tolak' }).click();
    await reviewer.page.locator('textarea[aria-invalid="true"]').waitFor();
    expect(await textOf(reviewer.page.locator('.field-error'))).toBe('wajib diisi');
    expect((await api<{ status: string }>('GET', `/api/letters/${rejectedId}`)).status).toBe('PENDING');
    await reviewer.page.getByLabel('Catatan').fill('Lengkapi dulu nilai rapor semester ganjil.');
    await reviewer.page.getByRole('button', { name: 'Tolak' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: 'Status surat sekarang: Ditolak.' }).waitFor();
    await student.page.reload();
    await student.page.getByText('Lengkapi dulu nilai rapor semester ganjil.').waitFor();
    expect(await textOf(student.page.locator('dd .badge'))).toBe('Ditolak');
    await student.context.close();
    await reviewer.context.close();
  });

  it('draws every statistic, filtered by year, grade and class', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Statistik' }).click();
    await page.locator('figure.chart canvas').nth(15).waitFor();
    expect(await page.locator('figure.chart').count()).toBe(16);
    expect(await page.locator('canvas[role="img"]').count()).toBe(16);

    // The figures under the gender chart are Core's.
    const stats = await api<{ students: { gender: { male: number; female: number } } }>('GET', `/api/stats?academicYear=${encodeURIComponent(YEAR)}`);
    const genderChart = page.locator('figure.chart').first();
    await genderChart.getByText('Tampilkan tabel data').click();
    expect(await genderChart.getByRole('row').allInnerTexts()).toEqual([
      expect.stringContaining('Kelompok'),
      `Laki-laki\t${stats.students.gender.male}`,
      `Perempuan\t${stats.students.gender.female}`,
    ]);
    expect(stats.students.gender).toMatchObject({ male: 1, female: 2 });
    await photograph(page, '12-statistics');

    await page.getByLabel('Tingkat').selectOption({ label: 'XII' });
    await page.waitForURL(/gradeLevel=12/);
    await genderChart.getByRole('row', { name: /Laki-laki\s+0/ }).waitFor();
    await page.getByLabel('Tingkat').selectOption({ label: 'X' });
    await page.getByLabel('Rombel', { exact: true }).selectOption({ label: 'X-1' });
    await page.waitForURL(/classId=/);
    await genderChart.getByRole('row', { name: /Perempuan\s+2/ }).waitFor();
    await context.close();
  });

  it('shows classes per year with their students, copies a class and previews then applies the rollover', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Rombongan belajar' }).click();
    await page.getByRole('link', { name: 'X-1' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'X-1' }) });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['X-1', '10', 'Hendra Wijaya', '3', '1', '2']);
    await photograph(page, '13-classes');

    await page.getByRole('link', { name: 'X-1' }).click();
    await page.getByRole('link', { name: 'Citra Dewi' }).waitFor();
    expect(await page.getByRole('region', { name: 'Anggota rombel' }).getByRole('link').allInnerTexts()).toEqual(['Ani Lestari', 'Bayu Saputra', 'Citra Dewi']);
    await photograph(page, '14-class');

    // The class's sign-in slips, as a PDF to print.
    page.once('dialog', (dialog) => void dialog.accept());
    const slips = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Cetak kata sandi pertama (PDF)' }).click();
    expect((await slips).suggestedFilename()).toBe('kata-sandi-X-1.pdf');
    expect(readFileSync((await (await slips).path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('status').filter({ hasText: 'Lembar kata sandi diunduh.' }).waitFor();
    // That gave Ani a new password too; the tests after this one sign in with her old one.
    const [ani] = await api<{ userId: string }[]>('GET', '/api/students?search=Ani%20Lestari');
    await api('PATCH', `/api/users/${ani!.userId}/password`, { newPassword: STUDENT.password, mustChangePassword: false });

    // Enrol the imported student, then take her out again.
    await page.getByRole('searchbox', { name: 'Cari peserta didik (nama atau NISN)' }).fill('Rina');
    await page.getByRole('checkbox', { name: /Rina Marlina/ }).check();
    await page.getByRole('button', { name: 'Masukkan 1 peserta didik' }).click();
    await page.getByRole('status').filter({ hasText: '1 peserta didik dimasukkan.' }).waitFor();
    await page.getByRole('button', { name: 'Keluarkan Rina Marlina dari rombel' }).click();
    await page.getByRole('link', { name: 'Rina Marlina' }).waitFor({ state: 'detached' });

    // The rollover plan: X-1 becomes XI-1 in 2027/2028 with its three students; applying it creates the class.
    await page.goto(`${core.url}/classes/rollover`);
    await page.getByRole('button', { name: 'Lihat rencana' }).click();
    await page.getByRole('heading', { name: 'Rencana 2026/2027 → 2027/2028' }).waitFor();
    expect(await page.getByRole('region', { name: 'Rombel baru' }).getByRole('row').nth(1).getByRole('cell').allInnerTexts()).toEqual(['X-1', 'XI-1', '11', '3']);
    expect(await api<unknown[]>('GET', '/api/classes?academicYear=2027%2F2028')).toEqual([]);
    await photograph(page, '15-rollover-preview');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Terapkan kenaikan kelas' }).click();
    await page.getByRole('status').filter({ hasText: '1 rombel dibuat, 0 peserta didik lulus.' }).waitFor();
    expect(await api<{ name: string; studentCount: number }[]>('GET', '/api/classes?academicYear=2027%2F2028')).toMatchObject([{ name: 'XI-1', studentCount: 3 }]);

    // Copy X-1 into next year as X-1 without its students (a new intake class).
    await page.goto(`${core.url}/classes/${classX1.id}`);
    await page.getByLabel('Tingkat').selectOption({ label: 'X' });
    await page.getByLabel('Nama rombel').last().fill('X-1');
    await page.getByLabel('Bawa semua anggota rombel').uncheck();
    await page.getByRole('button', { name: 'Salin rombel ke tahun ajaran lain' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rombel X-1 · 2027/2028' }).waitFor();
    expect(await api<{ name: string; studentCount: number; copiedFromId: string }[]>('GET', '/api/classes?academicYear=2027%2F2028&gradeLevel=10')).toMatchObject([
      { name: 'X-1', studentCount: 0, copiedFromId: classX1.id },
    ]);
    await context.close();
  });

  it('edits a role’s permissions and adds and removes members in bulk', async () => {
    const { context, page } = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Peran & hak akses' }).click();
    await page.getByLabel('Nama peran').fill('piket');
    await page.getByLabel('Keterangan').fill('Guru piket harian');
    await page.getByRole('button', { name: 'Buat' }).click();
    await page.getByRole('heading', { level: 1, name: 'Peran piket' }).waitFor();
    await page.getByRole('checkbox', { name: /students:read/ }).check();
    await page.getByRole('checkbox', { name: /letters:review/ }).check();
    await page.getByRole('button', { name: 'Simpan hak akses' }).click();
    await page.getByRole('status').filter({ hasText: 'Tersimpan.' }).waitFor();

    const eligible = page.getByRole('region', { name: 'Tambah anggota' });
    await eligible.getByRole('combobox', { name: 'Jenis akun' }).selectOption({ label: 'Guru' });
    await eligible.getByRole('checkbox', { name: 'Pilih Hendra Wijaya' }).check();
    await page.getByRole('button', { name: 'Tambahkan 1 yang dipilih' }).click();
    await page.getByRole('status').filter({ hasText: '1 anggota ditambahkan.' }).waitFor();
    const roles = await api<{ id: string; name: string; permissions: string[]; memberCount: number }[]>('GET', '/api/roles?limit=50');
    const piket = roles.find((r) => r.name === 'piket')!;
    expect(piket).toMatchObject({ memberCount: 1 });
    expect(piket.permissions.sort()).toEqual(['letters:review', 'students:read']);
    await page.getByRole('region', { name: 'Anggota' }).getByRole('cell', { name: 'Hendra Wijaya', exact: true }).waitFor();
    await photograph(page, '16-role');

    await page.getByRole('region', { name: 'Anggota' }).getByRole('checkbox', { name: 'Pilih Hendra Wijaya' }).check();
    await page.getByRole('button', { name: 'Keluarkan 1 yang dipilih' }).click();
    await page.getByRole('status').filter({ hasText: '1 anggota dikeluarkan.' }).waitFor();
    expect((await api<{ memberCount: number }>('GET', `/api/roles/${piket.id}`)).memberCount).toBe(0);
    await page.goto(`${core.url}/roles`);
    await page.getByRole('link', { name: 'piket' }).waitFor();
    await photograph(page, '17-roles');
    await context.close();
  });

  it('shows my devices and signs one out, and uploads a profile image', async () => {
    const laptop = await newPage();
    await signIn(laptop.page, STUDENT.email, STUDENT.password);
    const phone = await newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone.page, STUDENT.email, STUDENT.password);

    await laptop.page.getByRole('link', { name: 'Profil saya' }).first().click();
    const devices = laptop.page.getByRole('region', { name: 'Perangkat saya' });
    await devices.getByText('Perangkat ini').waitFor();
    // Both devices are listed (earlier sessions of hers ended when her password was reset).
    const others = devices.getByRole('table').getByRole('button', { name: /^Keluarkan / });
    expect(await others.count()).toBe(1);

    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7bd5' } }).jpeg().toBuffer();
    await laptop.page.getByLabel('Unggah foto baru').setInputFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: photo });
    await laptop.page.getByRole('status').filter({ hasText: 'Foto profil diperbarui.' }).waitFor();
    const image = laptop.page.getByRole('img', { name: 'Foto profil Ani Lestari' });
    await image.waitFor();
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
    await photograph(laptop.page, '18-profile');

    // Sign the phone out from the laptop: its next request goes back to the sign-in page.
    await others.first().click();
    await others.first().waitFor({ state: 'detached' });
    await phone.page.goto(`${core.url}/my-letters`);
    await phone.page.waitForURL(/\/sign-in/);
    await laptop.context.close();
    await phone.context.close();
  });

  it('works at phone width, by keyboard, and in English', async () => {
    const { context, page } = await newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, ADMIN.email, ADMIN.password);
    // Each page hands the focus to its heading, so the next Tab is in the page, not the menu.
    expect(await page.evaluate(() => document.activeElement?.tagName + ' ' + document.activeElement?.textContent)).toBe('H1 Selamat datang, Administrator');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    // The navigation folds behind "Menu" at this width.
    expect(await page.getByRole('link', { name: 'Peserta didik', exact: true }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Peserta didik', exact: true }).click();
    await page.getByRole('link', { name: 'Ani Lestari' }).waitFor();
    await photograph(page, '19-students-phone');

    // Sort by keyboard: the NISN header is a button.
    await page.getByRole('button', { name: /^NISN/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=nisn/);
    await page.locator('th[aria-sort="ascending"]', { hasText: 'NISN' }).waitFor();

    await page.getByRole('combobox', { name: 'Bahasa' }).selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Students' }).waitFor();
    await photograph(page, '20-students-english-phone');
    await context.close();
  });

  it('logged no error in any page (scripts, content policy)', () => {
    expect(problems).toEqual([]);
  });
});
