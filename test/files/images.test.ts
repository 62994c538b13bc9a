import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInAdministrator, signedInUser, type TestApp } from '../helpers/app.js';
import { multipart, photo, png, pngBomb, SVG, webp } from '../helpers/files.js';

/** Profile images: POST /api/users/me/image and /api/users/:id/image. */

let t: TestApp;
let student: Awaited<ReturnType<typeof signedInUser>>;
let admin: Awaited<ReturnType<typeof signedInAdministrator>>;

beforeAll(async () => {
  t = await buildTestApp();
  student = await signedInUser(t.app);
  admin = await signedInAdministrator(t.app);
});
afterAll(() => t.close());

const IMAGE = /^(\d+)x(\d+)\/[0-9a-f]{6}\/[0-9a-f]{6}\.jpg$/;

async function upload(url: string, auth: Record<string, string>, parts: Parameters<typeof multipart>[0]) {
  const body = await multipart(parts);
  return t.app.inject({ method: 'POST', url, headers: { ...auth, ...body.headers }, payload: body.payload });
}
const image = (value: Buffer, fileName = 'foto.jpg', type = 'image/jpeg') => [{ field: 'image', value, fileName, type }];
const stored = (key: string) => path.join(t.config.dataDir, 'files', key);
const imageOf = async (userId: string) => (await t.app.db.selectFrom('user').select('image').where('id', '=', userId).executeTakeFirstOrThrow()).image;
const profileRows = async () => (await t.app.db.selectFrom('file').select(['key', 'ownerId']).where('purpose', '=', 'profile-image').execute());

describe('POST /api/users/me/image', () => {
  it('turns the photo upright, strips EXIF and GPS, re-encodes it as JPEG and shows it everywhere', async () => {
    const input = await photo(600, 400, 6);
    const input_meta = await sharp(input).metadata();
    expect(input_meta.orientation).toBe(6);
    expect(input_meta.exif!.includes(Buffer.from('Kamera Siswa'))).toBe(true);

    const response = await upload('/api/users/me/image', student.auth, image(input));
    expect(response.statusCode).toBe(200);
    const key: string = response.json().result.image;
    expect(key).toMatch(IMAGE);
    expect(key.startsWith('400x600/')).toBe(true);

    const file = await t.app.inject({ url: `/api/files/${key}`, headers: student.auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    const output = await sharp(file.rawPayload).metadata();
    expect(output).toMatchObject({ format: 'jpeg', width: 400, height: 600 });
    expect(output.exif).toBeUndefined();
    expect(output.xmp).toBeUndefined();
    expect(output.iptc).toBeUndefined();
    expect(output.orientation).toBeUndefined();
    expect(file.rawPayload.includes(Buffer.from('Kamera Siswa'))).toBe(false);
    // The left (red) half of the sideways original is now the top.
    const pixel = async (top: number) => [...(await sharp(file.rawPayload).extract({ left: 200, top, width: 1, height: 1 }).raw().toBuffer())];
    expect((await pixel(20))[0]).toBeGreaterThan(200);
    expect((await pixel(580))[2]).toBeGreaterThan(200);

    const session = await t.app.inject({ url: '/api/auth/get-session', headers: student.auth });
    expect(session.json().user.image).toBe(key);
    const me = await t.app.inject({ url: '/api/users/me', headers: student.auth });
    expect(me.json().result.user.image).toBe(key);
    // Anyone signed in sees profile photos (directories, letters); nobody anonymous does.
    const classmate = await signedInUser(t.app);
    expect((await t.app.inject({ url: `/api/files/${key}`, headers: classmate.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/files/${key}` })).statusCode).toBe(401);
  });

  it('fits large images within 1280×1280, never enlarges small ones, and flattens transparency', async () => {
    const large = await upload('/api/users/me/image', student.auth, image(await png(2600, 2000), 'scan.png', 'image/png'));
    expect(large.statusCode).toBe(200);
    expect(large.json().result.image).toMatch(/^1280x985\//);
    const small = await upload('/api/users/me/image', student.auth, image(await webp(200, 100), 'kecil.webp', 'image/webp'));
    expect(small.json().result.image).toMatch(/^200x100\//);
    const transparent = await upload('/api/users/me/image', student.auth, image(await png(64, 64, true), 'logo.png', 'image/png'));
    expect(transparent.statusCode).toBe(200);
    const bytes = (await t.app.inject({ url: `/api/files/${transparent.json().result.image}`, headers: student.auth })).rawPayload;
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', hasAlpha: false });
  });

  it('deletes the previous image when replaced', async () => {
    const first = (await upload('/api/users/me/image', student.auth, image(await photo(100, 100)))).json().result.image;
    const second = (await upload('/api/users/me/image', student.auth, image(await photo(120, 100)))).json().result.image;
    expect(second).not.toBe(first);
    expect(existsSync(stored(first))).toBe(false);
    expect(existsSync(stored(second))).toBe(true);
    expect((await t.app.inject({ url: `/api/files/${first}`, headers: student.auth })).statusCode).toBe(404);
    expect((await profileRows()).filter((row) => row.ownerId === student.id).map((row) => row.key)).toEqual([second]);
  });
});

describe('POST /api/users/:id/image', () => {
  it('lets users:write set another user’s image; others get 403; an unknown user is a 404 that stores nothing', async () => {
    const target = await signedInUser(t.app);
    const response = await upload(`/api/users/${target.id}/image`, admin.auth, image(await photo(300, 200)));
    expect(response.statusCode).toBe(200);
    const key = response.json().result.image;
    expect((await t.app.inject({ url: `/api/users/${target.id}`, headers: admin.auth })).json().result.image).toBe(key);
    expect(await imageOf(target.id)).toBe(key);

    const teacher = await signedInUser(t.app, { type: 'TEACHER' });
    expect((await upload(`/api/users/${target.id}/image`, teacher.auth, image(await photo(300, 200)))).statusCode).toBe(403);

    const before = readdirSync(path.join(t.config.dataDir, 'files'), { recursive: true }).length;
    const unknown = await upload('/api/users/01930000-0000-7000-8000-000000000000/image', admin.auth, image(await photo(300, 200)));
    expect(unknown.statusCode).toBe(404);
    expect(readdirSync(path.join(t.config.dataDir, 'files'), { recursive: true }).length).toBe(before);
  });
});

describe('bad input: a 4xx in the envelope, nothing stored, the server keeps serving', () => {
  const truncatedJpeg = async () => {
    const whole = await photo(800, 600);
    return whole.subarray(0, Math.floor(whole.length * 0.6));
  };
  const cases: [string, () => Promise<Parameters<typeof multipart>[0]>, number, string][] = [
    ['a text file renamed .jpg', async () => image(Buffer.from('bukan gambar, hanya teks\n'.repeat(20)), 'foto.jpg'), 415, 'body.image'],
    ['a truncated JPEG', async () => image(await truncatedJpeg()), 422, 'body.image'],
    ['a 50,000 × 50,000 PNG bomb of a few KB', async () => image(pngBomb(), 'bom.png', 'image/png'), 413, 'body.image'],
    ['an SVG', async () => image(SVG, 'logo.svg', 'image/svg+xml'), 415, 'body.image'],
    ['an empty part', async () => image(Buffer.alloc(0)), 400, 'body.image'],
    ['no image field', async () => [{ field: 'caption', value: 'foto saya' }], 400, 'body.image'],
    ['image sent as text', async () => [{ field: 'image', value: 'not a file' }], 400, 'body.image'],
    ['a second file', async () => [...image(await photo(50, 50)), { field: 'image', value: await photo(60, 60), fileName: 'dua.jpg', type: 'image/jpeg' }], 400, 'body.image'],
    ['a file in another field', async () => [{ field: 'photo', value: await photo(50, 50), fileName: 'a.jpg', type: 'image/jpeg' }], 400, 'body.photo'],
    ['more than 10 MiB', async () => image(Buffer.concat([await photo(50, 50), Buffer.alloc(10 * 1024 * 1024)])), 413, 'body.image'],
  ];

  it.each(cases)('%s', async (_name, parts, status, field) => {
    const user = await signedInUser(t.app);
    expect(pngBomb().length).toBeLessThan(10_000);
    const rowsBefore = (await profileRows()).length;
    const response = await upload('/api/users/me/image', user.auth, await parts());
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ success: false, result: null });
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await imageOf(user.id)).toBeNull();
    expect((await profileRows()).length).toBe(rowsBefore);
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('refuses JSON or plain text instead of multipart with 415', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/users/me/image', headers: student.auth, payload: { image: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().errors).toEqual([expect.objectContaining({ field: 'headers.content-type', message: 'must be multipart/form-data' })]);
    const text = await t.app.inject({ method: 'POST', url: '/api/users/me/image', headers: { ...student.auth, 'content-type': 'text/plain' }, payload: 'x' });
    expect(text.statusCode).toBe(415);
    expect(text.json().errors).toEqual([expect.objectContaining({ field: 'headers.content-type', message: 'must be multipart/form-data' })]);
  });

  it('keeps the profile-image purpose for this endpoint: a presigned upload cannot claim it', async () => {
    const response = await t.app.inject({
      method: 'POST', url: '/api/presigned', headers: student.auth,
      payload: { fileName: 'a.jpg', fileType: 'image/jpeg', fileSize: 100, type: 'profile-image' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('body.type');
  });
});
