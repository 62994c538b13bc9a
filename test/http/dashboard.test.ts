import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

// The dashboard's build is a folder; these tests serve a small stand-in for it, so they check how
// Core serves any build (the real one is driven in a browser by test/web/dashboard.e2e.test.ts).
const INDEX = '<!doctype html><html lang="id"><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';

let webDir: string;
let t: TestApp;
beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), 'core-web-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), INDEX);
  writeFileSync(path.join(webDir, 'assets', 'index-Ab12Cd34.js'), 'console.log("dashboard");');
  writeFileSync(path.join(webDir, 'assets', 'index-Ab12Cd34.js.br'), brotliCompressSync('console.log("dashboard");'));
  t = await buildTestApp({ WEB_DIR: webDir, ACADEMIC_YEAR: '2026/2027', SCHOOL_NAME: 'SMA Negeri 1 Samarinda', TIME_ZONE: 'Asia/Makassar' });
});
afterAll(async () => {
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('the web dashboard', () => {
  it.each(['/', '/students', '/students/0192f0a1-7c1e-7000-8000-000000000000/edit', '/letters?status=PENDING'])(
    'answers index.html at the page address %s, never cached, with a policy that runs only its own scripts',
    async (url) => {
      const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('serves a built asset under its hashed name, cached for a year', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(response.body).toBe('console.log("dashboard");');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.headers['cache-control']).toContain('max-age=31536000');
  });

  it('sends the build’s Brotli copy of an asset to a browser that accepts it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(String(response.headers['vary']).toLowerCase()).toContain('accept-encoding');
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe('console.log("dashboard");');
  });

  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api'],
    ['POST', '/students'],
    ['GET', '/favicon.ico'],
    ['GET', '/assets/missing-00000000.js'],
    ['GET', '/assets/../index.html'],
  ])('keeps %s %s a 404 in the envelope, not the page', async (method, url) => {
    const response = await t.app.inject({ method: method as 'GET' | 'POST', url, headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, result: null });
    expect(response.body).not.toContain('<html');
  });

  it('tells clients the school, its time zone and the academic year before anyone signs in', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/school' });
    expect(response.statusCode).toBe(200);
    expect(response.json().result).toEqual({
      name: 'SMA Negeri 1 Samarinda',
      publicUrl: 'http://localhost:3000',
      city: 'Samarinda',
      timeZone: 'Asia/Makassar',
      academicYear: '2026/2027',
      academicYearStartMonth: 7,
    });
  });
});

describe('without a built dashboard', () => {
  it('answers a page address with a 404 in the envelope', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'core-web-empty-'));
    const bare = await buildTestApp({ WEB_DIR: empty });
    try {
      const response = await bare.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      expect(response.statusCode).toBe(404);
      expect(response.json().success).toBe(false);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
