import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../helpers/app.js';
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
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let database: TestDatabase;
let web: Awaited<ReturnType<typeof buildDashboard>>;
let core: RunningCore;
let browser: Browser;
let shots: string;
let adminToken: string;
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

async function signInToken(email: string, password: string): Promise<string> {
  const response = await fetch(`${core.url}/api/auth/sign-in/email`, {
    method: 'POST',
    // Node's fetch sends Sec-Fetch-Mode like a browser, so Better Auth asks for the origin too.
    headers: { 'content-type': 'application/json', origin: core.url },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { token: string }).token;
}

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
  adminToken = await signInToken(ADMIN.email, ADMIN.password);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await core?.stop();
  web?.remove();
  await database?.drop();
});

describe('the dashboard in Chromium', () => {
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
    await context.close();
  });
});
