import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesContextOf, removeAbandonedUploads } from '../../src/modules/files/service.js';
import { buildTestApp, signedInUser, type TestApp } from '../helpers/app.js';
import { local, okHttp, PDF, photo, presign } from '../helpers/files.js';
import { freePort } from '../helpers/ports.js';

/** Presigned uploads on the local driver: the Android client's sequence, serving, and every refusal. */

let t: TestApp;
let student: Awaited<ReturnType<typeof signedInUser>>;
let classmate: Awaited<ReturnType<typeof signedInUser>>;
let port: number;

beforeAll(async () => {
  port = await freePort();
  t = await buildTestApp({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  await t.app.listen({ port, host: '127.0.0.1' });
  student = await signedInUser(t.app);
  classmate = await signedInUser(t.app);
});
afterAll(() => t.close());

const filesDir = () => path.join(t.config.dataDir, 'files');
const fileRows = () => t.app.db.selectFrom('file').selectAll().execute();
const pdfRequest = (overrides: Record<string, unknown> = {}) => ({
  fileName: 'surat dokter.pdf', fileType: 'application/pdf', fileSize: String(PDF.length), type: 'letter-attachment', ...overrides,
});
const put = (url: string, payload: Buffer | string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: local(url), headers: { 'content-type': 'application/pdf', 'x-amz-acl': 'public-read', ...headers }, payload });

describe('the Android client’s sequence, over real HTTP', () => {
  it('signs in, presigns with fileSize as a string, PUTs the bytes with x-amz-acl, and reads the file back from fileUrl', async () => {
    const base = `http://127.0.0.1:${port}`;
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    const signIn = await okHttp(`${base}/api/auth/sign-in/email`, {
      method: 'POST', headers: json, body: JSON.stringify({ email: student.email, password: student.password }),
    });
    expect(signIn.status, signIn.body.toString()).toBe(200);
    const { token } = JSON.parse(signIn.body.toString()) as { token: string };
    const presigned = await okHttp(`${base}/api/presigned`, {
      method: 'POST', headers: { ...json, Authorization: `Bearer ${token}` }, body: JSON.stringify(pdfRequest()),
    });
    expect(presigned.status).toBe(201);
    const result = (JSON.parse(presigned.body.toString()) as { result: { url: string; key: string; method: string; expiresAt: string; fileUrl: string } }).result;
    expect(result.method).toBe('PUT');
    expect(result.key).toMatch(/^uploads\/\d{4}\/\d{2}\/[0-9a-f]{32}\.pdf$/);
    expect(result.key).not.toContain('surat');
    expect(result.fileUrl).toBe(result.url.split('?')[0]);
    expect(result.fileUrl).toBe(`${base}/api/files/${result.key}`);
    expect(new Date(result.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const uploaded = await okHttp(result.url, { method: 'PUT', headers: { 'Content-Type': 'application/pdf', 'x-amz-acl': 'public-read' }, body: PDF });
    expect(uploaded.status).toBe(200);
    expect(uploaded.headers.etag).toBeTruthy();

    const file = await okHttp(result.fileUrl, { headers: { Authorization: `Bearer ${token}` } });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-length']).toBe(String(PDF.length));
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers.etag).toBe(uploaded.headers.etag);
    expect(file.headers['content-disposition']).toContain('surat dokter.pdf');
    expect(file.body.equals(PDF)).toBe(true);
    // Written through a temporary file that is gone once renamed into place.
    expect(readdirSync(path.join(filesDir(), '.incoming'))).toEqual([]);
  });
});

describe('POST /api/presigned refusals (no URL, no record)', () => {
  it('refuses a type outside the allow-list (400), a size above the cap (413), and missing or malformed fields (400)', async () => {
    const before = (await fileRows()).length;
    const html = await t.app.inject({ method: 'POST', url: '/api/presigned', headers: student.auth, payload: pdfRequest({ fileType: 'text/html' }) });
    expect(html.statusCode).toBe(400);
    expect(html.json().errors).toEqual([expect.objectContaining({ field: 'body.fileType', code: 'UNSUPPORTED_TYPE' })]);
    const svg = await t.app.inject({ method: 'POST', url: '/api/presigned', headers: student.auth, payload: pdfRequest({ fileType: 'image/svg+xml' }) });
    expect(svg.statusCode).toBe(400);
    const huge = await t.app.inject({ method: 'POST', url: '/api/presigned', headers: student.auth, payload: pdfRequest({ fileSize: 10 * 1024 * 1024 + 1 }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().errors).toEqual([expect.objectContaining({ field: 'body.fileSize', code: 'TOO_LARGE' })]);
    const empty = await t.app.inject({ method: 'POST', url: '/api/presigned', headers: student.auth, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.fileName', 'body.fileSize', 'body.fileType']);
    const bad = await t.app.inject({ method: 'POST', url: '/api/presigned', headers: student.auth, payload: pdfRequest({ fileSize: 'twelve', type: '../x' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.fileSize', 'body.type']);
    expect((await t.app.inject({ method: 'POST', url: '/api/presigned', payload: pdfRequest() })).statusCode).toBe(401);
    expect((await fileRows()).length).toBe(before);
  });

  it('narrows the allow-list and the cap from config', async () => {
    const narrow = await buildTestApp({ FILE_TYPES: 'application/pdf', FILE_MAX_SIZE: '2048' });
    try {
      const user = await signedInUser(narrow.app);
      const jpeg = await narrow.app.inject({ method: 'POST', url: '/api/presigned', headers: user.auth, payload: pdfRequest({ fileType: 'image/jpeg' }) });
      expect(jpeg.statusCode).toBe(400);
      expect(jpeg.json().errors[0].message).toBe('must be one of application/pdf');
      expect((await narrow.app.inject({ method: 'POST', url: '/api/presigned', headers: user.auth, payload: pdfRequest({ fileSize: 2049 }) })).statusCode).toBe(413);
    } finally {
      await narrow.close();
    }
  });
});

describe('PUT to the upload URL', () => {
  it('refuses a wrong signature, an expired URL, a download link, the wrong type header, and a body of another size — and keeps nothing', async () => {
    const upload = await presign(t.app, student.auth, pdfRequest());
    const signatureless = upload.url.replace(/signature=[^&]+/, 'signature=AAAA');
    const wrong = await put(signatureless, PDF);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ success: false, result: null });

    const expired = await put(t.app.fileUrls.signedUrl('PUT', upload.key, new Date(Date.now() - 1000)), PDF);
    expect(expired.statusCode).toBe(403);
    expect(expired.json().message).toMatch(/expired/);
    const downloadLink = await put(t.app.fileUrls.signedUrl('GET', upload.key, new Date(Date.now() + 60_000)), PDF);
    expect(downloadLink.statusCode).toBe(403);

    const noSignature = await t.app.inject({ method: 'PUT', url: `/api/files/${upload.key}`, headers: { ...student.auth, 'content-type': 'application/pdf' }, payload: PDF });
    expect(noSignature.statusCode).toBe(400);
    expect(noSignature.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['querystring.expires', 'querystring.signature']);

    const otherType = await put(upload.url, PDF, { 'content-type': 'image/png' });
    expect(otherType.statusCode).toBe(400);
    expect(otherType.json().errors[0].field).toBe('headers.content-type');

    const more = await put(upload.url, Buffer.concat([PDF, Buffer.from('tambahan')]));
    expect(more.statusCode).toBe(413);
    const fewer = await put(upload.url, PDF.subarray(0, 10));
    expect(fewer.statusCode).toBe(400);
    expect(fewer.json().errors[0]).toMatchObject({ field: 'body', code: 'INCOMPLETE' });

    const notAPdf = Buffer.alloc(PDF.length, 'a');
    const mismatch = await put(upload.url, notAPdf);
    expect(mismatch.statusCode).toBe(415);

    const row = (await fileRows()).find((f) => f.key === upload.key)!;
    expect(row.status).toBe('PENDING');
    expect(existsSync(path.join(filesDir(), upload.key))).toBe(false);
    expect((await t.app.inject({ url: `/api/files/${upload.key}`, headers: student.auth })).statusCode).toBe(404);

    // The URL still works for the right bytes, once.
    expect((await put(upload.url, PDF)).statusCode).toBe(200);
    const again = await put(upload.url, PDF);
    expect(again.statusCode).toBe(409);
    expect(readdirSync(path.join(filesDir(), '.incoming'))).toEqual([]);
  });

  it('re-encodes an uploaded photo: upright, no EXIF or GPS left', async () => {
    const jpeg = await photo(600, 400, 6);
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const upload = await presign(t.app, student.auth, { fileName: 'bukti.jpg', fileType: 'image/jpeg', fileSize: jpeg.length });
    expect(upload.key).toMatch(/\.jpg$/);
    const response = await put(upload.url, jpeg, { 'content-type': 'image/jpeg' });
    expect(response.statusCode).toBe(200);
    const stored = await t.app.inject({ url: `/api/files/${upload.key}`, headers: student.auth });
    expect(stored.statusCode).toBe(200);
    const metadata = await sharp(stored.rawPayload).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 400, height: 600 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(response.json().result.size).toBe(stored.rawPayload.length);
  });
});

describe('GET /api/files/{key}', () => {
  let key: string;
  beforeAll(async () => {
    const upload = await presign(t.app, student.auth, pdfRequest());
    expect((await put(upload.url, PDF)).statusCode).toBe(200);
    key = upload.key;
  });

  it('answers ranges (206), unsatisfiable ranges (416), If-None-Match (304) and HEAD', async () => {
    const range = await t.app.inject({ url: `/api/files/${key}`, headers: { ...student.auth, range: 'bytes=0-4' } });
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('%PDF-');
    expect(range.headers['content-range']).toBe(`bytes 0-4/${PDF.length}`);
    expect(range.headers['content-length']).toBe('5');
    const suffix = await t.app.inject({ url: `/api/files/${key}`, headers: { ...student.auth, range: 'bytes=-6' } });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.rawPayload.equals(PDF.subarray(PDF.length - 6))).toBe(true);
    const outside = await t.app.inject({ url: `/api/files/${key}`, headers: { ...student.auth, range: `bytes=${PDF.length + 10}-` } });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${PDF.length}`);
    expect(outside.json().errors[0].field).toBe('headers.range');

    const first = await t.app.inject({ url: `/api/files/${key}`, headers: student.auth });
    const cached = await t.app.inject({ url: `/api/files/${key}`, headers: { ...student.auth, 'if-none-match': first.headers.etag as string } });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    const head = await t.app.inject({ method: 'HEAD', url: `/api/files/${key}`, headers: student.auth });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(PDF.length));
    expect(head.body).toBe('');
  });

  it('is a 404 for another user, an unknown key or a path that tries to escape; 401 without a session', async () => {
    expect((await t.app.inject({ url: `/api/files/${key}`, headers: classmate.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/files/${key.replace(/[0-9a-f]{32}/, 'f'.repeat(32))}`, headers: student.auth })).statusCode).toBe(404);
    for (const url of ['/api/files/..%2F..%2Fauth-secret', '/api/files/../core.sqlite', '/api/files/.incoming/x', '/api/files/uploads']) {
      const response = await t.app.inject({ url, headers: student.auth });
      expect([404], url).toContain(response.statusCode);
    }
    expect((await t.app.inject({ url: `/api/files/${key}` })).statusCode).toBe(401);
  });

  it('hands out download links that work without a session, for files the caller can read only', async () => {
    const fileUrl = `http://127.0.0.1:${port}/api/files/${key}`;
    const link = await t.app.inject({ method: 'POST', url: '/api/files/download-links', headers: student.auth, payload: { file: fileUrl } });
    expect(link.statusCode).toBe(201);
    const { url } = link.json().result;
    const anonymous = await t.app.inject({ url: local(url) });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.rawPayload.equals(PDF)).toBe(true);

    // Change the signature's first character to a different one (a fixed replacement would sometimes be the same).
    const tampered = local(url).replace(/signature=(.)/, (_m, first: string) => `signature=${first === 'A' ? 'B' : 'A'}`);
    expect((await t.app.inject({ url: tampered })).statusCode).toBe(403);
    const expired = t.app.fileUrls.signedUrl('GET', key, new Date(Date.now() - 1000));
    expect((await t.app.inject({ url: local(expired) })).statusCode).toBe(403);
    // An upload URL is not a download link.
    expect((await t.app.inject({ url: local(t.app.fileUrls.signedUrl('PUT', key, new Date(Date.now() + 60_000))) })).statusCode).toBe(403);

    const theirs = await t.app.inject({ method: 'POST', url: '/api/files/download-links', headers: classmate.auth, payload: { file: key } });
    expect(theirs.statusCode).toBe(404);
    const nonsense = await t.app.inject({ method: 'POST', url: '/api/files/download-links', headers: student.auth, payload: { file: 'https://example.com/x.pdf' } });
    expect(nonsense.statusCode).toBe(404);
  });
});

describe('abandoned uploads', () => {
  it('removes pending uploads once their URL has expired, and leaves uploaded files alone', async () => {
    const abandoned = await presign(t.app, classmate.auth, pdfRequest());
    const kept = await presign(t.app, classmate.auth, pdfRequest());
    expect((await put(kept.url, PDF)).statusCode).toBe(200);
    const ctx = filesContextOf(t.app);

    expect(await removeAbandonedUploads(ctx, new Date())).toBe(0);
    const later = new Date(Date.now() + (t.config.files.uploadUrlSeconds + 6 * 60) * 1000);
    expect(await removeAbandonedUploads(ctx, later)).toBeGreaterThanOrEqual(1);
    const keys = (await fileRows()).map((f) => f.key);
    expect(keys).not.toContain(abandoned.key);
    expect(keys).toContain(kept.key);
    expect((await put(abandoned.url, PDF)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/files/${kept.key}`, headers: classmate.auth })).statusCode).toBe(200);
  });
});
