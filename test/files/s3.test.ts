import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesContextOf, removeAbandonedUploads } from '../../src/modules/files/service.js';
import { buildTestApp, signedInUser, type TestApp } from '../helpers/app.js';
import { multipart, okHttp, PDF, photo, presign } from '../helpers/files.js';

/**
 * The S3 driver against a real S3-protocol server (s3rver) started here: real presigned PUTs sent
 * straight to the store, files served back through Core, the same checks as on local disk.
 */

let s3: S3rver;
let s3Dir: string;
let endpoint: string;
let t: TestApp;
let student: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(tmpdir(), 'core-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'core', configs: [] }] });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  t = await buildTestApp({
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: endpoint,
    S3_BUCKET: 'core',
    S3_REGION: 'ap-southeast-3',
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  student = await signedInUser(t.app);
});
afterAll(async () => {
  await t.close();
  await s3.close().catch(() => undefined);
  rmSync(s3Dir, { recursive: true, force: true });
});

const inBucket = async (key: string) => (await okHttp(`${endpoint}/core/${key}`, { method: 'HEAD' })).status === 200;
const pdfRequest = { fileName: 'surat.pdf', fileType: 'application/pdf', fileSize: String(PDF.length), type: 'letter-attachment' };

describe('S3 driver', () => {
  it('is ready when the bucket answers', async () => {
    const ready = await t.app.inject({ url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().result.storage).toBe('ok');
  });

  it('runs the client’s sequence: a real presigned PUT to the bucket, then the file through Core', async () => {
    const upload = await presign(t.app, student.auth, pdfRequest);
    const url = new URL(upload.url);
    expect(url.origin + url.pathname).toBe(`${endpoint}/core/${upload.key}`);
    expect(upload.fileUrl).toBe(`${endpoint}/core/${upload.key}`);
    // The declared type and length, and the ACL the client sends, are part of the signature.
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';')).toEqual(['content-length', 'content-type', 'host', 'x-amz-acl']);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(t.config.files.uploadUrlSeconds);

    const put = await okHttp(upload.url, { method: 'PUT', headers: { 'Content-Type': 'application/pdf', 'x-amz-acl': 'public-read' }, body: PDF });
    expect(put.status).toBe(200);
    expect(await inBucket(upload.key)).toBe(true);

    const file = await t.app.inject({ url: `/api/files/${upload.key}`, headers: student.auth });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers.etag).toBeTruthy();
    const row = await t.app.db.selectFrom('file').selectAll().where('key', '=', upload.key).executeTakeFirstOrThrow();
    expect(row.status).toBe('UPLOADED');

    const range = await t.app.inject({ url: `/api/files/${upload.key}`, headers: { ...student.auth, range: 'bytes=1-3' } });
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('PDF');
    expect(range.headers['content-range']).toBe(`bytes 1-3/${PDF.length}`);
  });

  it('refuses an object that is not what was declared, and removes it from the bucket', async () => {
    const upload = await presign(t.app, student.auth, pdfRequest);
    // A store that does not check signed headers (s3rver doesn't) lets other bytes in; Core does not.
    await okHttp(upload.url, { method: 'PUT', headers: { 'Content-Type': 'application/pdf', 'x-amz-acl': 'public-read' }, body: Buffer.alloc(PDF.length, 'x') });
    expect(await inBucket(upload.key)).toBe(true);
    expect((await t.app.inject({ url: `/api/files/${upload.key}`, headers: student.auth })).statusCode).toBe(404);
    expect(await inBucket(upload.key)).toBe(false);
    expect(await t.app.db.selectFrom('file').select('key').where('key', '=', upload.key).executeTakeFirst()).toBeUndefined();
  });

  it('re-encodes an uploaded photo in the bucket without its EXIF', async () => {
    const jpeg = await photo(300, 200, 6);
    const upload = await presign(t.app, student.auth, { fileName: 'bukti.jpg', fileType: 'image/jpeg', fileSize: jpeg.length });
    await okHttp(upload.url, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg', 'x-amz-acl': 'public-read' }, body: jpeg });
    const file = await t.app.inject({ url: `/api/files/${upload.key}`, headers: student.auth });
    expect(file.statusCode).toBe(200);
    const metadata = await sharp(file.rawPayload).metadata();
    expect(metadata).toMatchObject({ width: 200, height: 300 });
    expect(metadata.exif).toBeUndefined();
  });

  it('keeps profile images in the bucket and deletes the previous one', async () => {
    const send = async (width: number) => {
      const body = await multipart([{ field: 'image', value: await photo(width, 100), fileName: 'f.jpg', type: 'image/jpeg' }]);
      return (await t.app.inject({ method: 'POST', url: '/api/users/me/image', headers: { ...student.auth, ...body.headers }, payload: body.payload })).json().result.image as string;
    };
    const first = await send(100);
    expect(await inBucket(first)).toBe(true);
    const second = await send(140);
    expect(await inBucket(first)).toBe(false);
    expect(await inBucket(second)).toBe(true);
    expect((await t.app.inject({ url: `/api/files/${second}`, headers: student.auth })).statusCode).toBe(200);
  });

  it('cleans up uploads that never arrived and confirms the ones that did', async () => {
    const arrived = await presign(t.app, student.auth, pdfRequest);
    await okHttp(arrived.url, { method: 'PUT', headers: { 'Content-Type': 'application/pdf', 'x-amz-acl': 'public-read' }, body: PDF });
    const missing = await presign(t.app, student.auth, pdfRequest);
    const ctx = filesContextOf(t.app);
    await removeAbandonedUploads(ctx, new Date(Date.now() + (t.config.files.uploadUrlSeconds + 6 * 60) * 1000));
    const rows = await t.app.db.selectFrom('file').select(['key', 'status']).where('key', 'in', [arrived.key, missing.key]).execute();
    expect(rows).toEqual([{ key: arrived.key, status: 'UPLOADED' }]);
  });

  it('answers 503 on readiness while the store is down', async () => {
    await s3.close();
    const ready = await t.app.inject({ url: '/api/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBeDefined();
    expect(ready.json().message).toMatch(/storage/);
  });
});
