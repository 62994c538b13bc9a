import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { UPLOAD_TYPES, type Config, type UploadType } from '../../config.js';
import type { Db } from '../../db/index.js';
import { nowIso } from '../../db/values.js';
import type { Caller } from '../../auth/session.js';
import { AppError } from '../../http/errors.js';
import type { Storage, StoredObject } from '../../storage/storage.js';
import type { SignedQuery, UrlSigner } from '../../storage/signed-url.js';
import { attachmentVisibleTo } from '../letters/repository.js';
import { scopeOf } from '../letters/scope.js';
import { checkedUpload, profileImage } from './content.js';
import {
  deleteFileRecord, expiredPendingUploads, findFileByKey, insertFile, markUploaded, removeOtherProfileImages, type FileRecord,
} from './repository.js';

/**
 * Presigned uploads, the files they produce, and profile images. Every stored file has a row
 * (repository.ts); the bytes live in whichever storage driver runs.
 */
export interface FilesContext {
  db: Db;
  storage: Storage;
  signer: UrlSigner;
  files: Config['files'];
  images: Config['images'];
}

/** The files context of an app (anything with Core's decorations). */
export function filesContextOf(app: { db: Db; storage: Storage; fileUrls: UrlSigner; config: Config }): FilesContext {
  return { db: app.db, storage: app.storage, signer: app.fileUrls, files: app.config.files, images: app.config.images };
}

export const PROFILE_IMAGE = 'profile-image';

/** `uploads/2026/12/<32 hex>.pdf`: random, never derived from the user's file name. */
const UPLOAD_KEY_SOURCE = `uploads/\\d{4}/\\d{2}/[0-9a-f]{32}\\.(?:${[...new Set(Object.values(UPLOAD_TYPES))].join('|')})`;
/** `988x1264/b79f5c/71dccb.jpg`, the contract's profile-image form. */
const IMAGE_KEY_SOURCE = '\\d{1,5}x\\d{1,5}/[0-9a-f]{6}/[0-9a-f]{6}\\.jpg';
const UPLOAD_KEY = new RegExp(`^${UPLOAD_KEY_SOURCE}$`);
const IMAGE_KEY = new RegExp(`^${IMAGE_KEY_SOURCE}$`);
/** Either kind of key at the end of a URL or path. */
const KEY_AT_END = new RegExp(`(${UPLOAD_KEY_SOURCE}|${IMAGE_KEY_SOURCE})$`);

export function isFileKey(key: string): boolean {
  return UPLOAD_KEY.test(key) || IMAGE_KEY.test(key);
}

export interface UploadRequest {
  fileName: string;
  fileType: string;
  fileSize: number;
  type?: string | undefined;
}

/** Records a pending upload and hands out the URL to PUT its bytes to. */
export async function issueUpload(ctx: FilesContext, caller: Caller, request: UploadRequest) {
  const contentType = request.fileType.toLowerCase();
  const errors = [];
  if (!ctx.files.allowedTypes.includes(contentType as UploadType)) {
    errors.push({ code: 'UNSUPPORTED_TYPE', field: 'body.fileType', message: `must be one of ${ctx.files.allowedTypes.join(', ')}` });
  }
  // Profile images have their own endpoint, their own checks and wider visibility.
  if (request.type === PROFILE_IMAGE) {
    errors.push({ code: 'RESERVED', field: 'body.type', message: 'is reserved: upload profile images to POST /api/users/me/image' });
  }
  if (errors.length > 0) throw AppError.validation(errors);
  if (request.fileSize > ctx.files.maxBytes) {
    throw new AppError(413, 'FILE_TOO_LARGE', 'The file is too large.', [
      { code: 'TOO_LARGE', field: 'body.fileSize', message: `must be at most ${ctx.files.maxBytes} bytes` },
    ]);
  }
  const now = new Date();
  const extension = UPLOAD_TYPES[contentType as UploadType];
  const key = `uploads/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}.${extension}`;
  const expiresAt = new Date(now.getTime() + ctx.files.uploadUrlSeconds * 1000);
  await insertFile(
    ctx.db,
    {
      key,
      ownerId: caller.user.id,
      purpose: request.type ?? 'upload',
      fileName: request.fileName,
      contentType,
      size: request.fileSize,
      status: 'PENDING',
      expiresAt: expiresAt.toISOString(),
    },
    now.toISOString(),
  );
  const target = await ctx.storage.presignUpload(key, contentType, request.fileSize, expiresAt);
  return {
    url: target.url,
    key,
    method: 'PUT' as const,
    expiresAt: expiresAt.toISOString(),
    fileUrl: target.url.split('?')[0]!,
    headers: target.headers,
  };
}

/**
 * The bytes of a presigned upload, PUT to Core (the local driver's URL). The signature, the
 * expiry, the declared type and size are checked before anything is kept; then the content itself.
 */
export async function receiveUpload(
  ctx: FilesContext,
  key: string,
  query: SignedQuery,
  headers: { contentType: string | undefined; contentLength: string | undefined },
  body: Readable,
) {
  const verdict = UPLOAD_KEY.test(key) ? ctx.signer.verify('PUT', key, query) : 'invalid';
  if (verdict === 'invalid') throw new AppError(403, 'INVALID_SIGNATURE', 'This upload URL is not valid. Ask for a new one with POST /api/presigned.');
  if (verdict === 'expired') throw new AppError(403, 'URL_EXPIRED', 'This upload URL has expired. Ask for a new one with POST /api/presigned.');
  const file = await findFileByKey(ctx.db, key);
  if (!file) throw AppError.notFound('Upload');
  if (file.status !== 'PENDING') throw AppError.conflict('This file has already been uploaded.');

  const declaredType = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (declaredType !== file.contentType) {
    throw AppError.validation([{ code: 'INVALID_VALUE', field: 'headers.content-type', message: `must be ${file.contentType}, as declared` }]);
  }
  if (headers.contentLength !== undefined && Number(headers.contentLength) !== file.size) {
    throw tooMany(file.size, Number(headers.contentLength) > file.size);
  }
  const bytes = await readExactly(body, file.size);
  const checked = await checkedUpload(bytes, file.contentType as UploadType, ctx.images);
  const stored = await ctx.storage.put(key, checked, file.contentType);
  if (!(await markUploaded(ctx.db, key, stored.size, nowIso()))) {
    // Cleaned up (or completed by a concurrent PUT) while the bytes were arriving: refuse rather than keep an orphan.
    const current = await findFileByKey(ctx.db, key);
    if (!current) {
      await ctx.storage.delete(key);
      throw AppError.notFound('Upload');
    }
    throw AppError.conflict('This file has already been uploaded.');
  }
  return { key, size: stored.size, contentType: file.contentType, fileUrl: ctx.signer.fileUrl(key), etag: stored.etag };
}

function tooMany(declared: number, more: boolean): AppError {
  return more
    ? new AppError(413, 'FILE_TOO_LARGE', 'The body is larger than the size declared for this upload.', [
        { code: 'TOO_LARGE', field: 'body', message: `must be exactly ${declared} bytes, as declared` },
      ])
    : AppError.validation([{ code: 'INCOMPLETE', field: 'body', message: `must be exactly ${declared} bytes, as declared` }]);
}

/** Reads exactly `size` bytes, refusing as soon as there are more (nothing beyond is buffered). */
async function readExactly(body: Readable, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body) {
    received += (chunk as Buffer).length;
    if (received > size) {
      body.destroy();
      throw tooMany(size, true);
    }
    chunks.push(chunk as Buffer);
  }
  if (received !== size) throw tooMany(size, false);
  return Buffer.concat(chunks, size);
}

/**
 * Who may read a stored file without a signed link: its owner; any signed-in user for a profile
 * image (photos appear in directories and on letters); and whoever can see a letter it is attached
 * to. Anyone else is told the file does not exist.
 */
async function mayRead(ctx: FilesContext, caller: Caller, file: FileRecord): Promise<boolean> {
  if (file.ownerId === caller.user.id || file.purpose === PROFILE_IMAGE) return true;
  return attachmentVisibleTo(ctx.db, file.key, scopeOf(caller));
}

/**
 * A pending upload whose bytes went straight to the store (the S3 driver) is confirmed the first
 * time it is needed: the stored object must be the declared type and no larger than allowed; an
 * image is re-encoded like any other. Returns the file as it now is, or null when nothing usable arrived.
 */
async function confirmUpload(ctx: FilesContext, file: FileRecord): Promise<FileRecord | null> {
  if (file.status === 'UPLOADED') return file;
  const stored = await ctx.storage.stat(file.key);
  if (!stored) return null;
  if (stored.size > ctx.files.maxBytes || stored.size !== file.size) return discard(ctx, file);
  const chunks: Buffer[] = [];
  for await (const chunk of await ctx.storage.read(file.key)) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  let checked: Buffer;
  try {
    checked = await checkedUpload(bytes, file.contentType as UploadType, ctx.images);
  } catch (error) {
    if (error instanceof AppError) return discard(ctx, file);
    throw error;
  }
  // A PDF is checked as it is; an image comes back re-encoded and replaces what was uploaded.
  const rewritten = checked === bytes ? stored : await ctx.storage.put(file.key, checked, file.contentType);
  const now = nowIso();
  await markUploaded(ctx.db, file.key, rewritten.size, now);
  return { ...file, status: 'UPLOADED', size: rewritten.size, uploadedAt: now };
}

async function discard(ctx: FilesContext, file: FileRecord): Promise<null> {
  await ctx.storage.delete(file.key);
  await deleteFileRecord(ctx.db, file.key);
  return null;
}

export interface OpenedFile {
  file: FileRecord;
  stored: StoredObject;
}

/**
 * A stored file for GET /api/files/{key}: for a valid signed link (no caller needed), or for a
 * signed-in caller allowed to read it. Anything else is "not found".
 */
export async function openFile(ctx: FilesContext, key: string, caller: Caller | null, query: SignedQuery): Promise<OpenedFile> {
  if (!isFileKey(key)) throw AppError.notFound('File');
  if (query.signature !== undefined) {
    const verdict = ctx.signer.verify('GET', key, query);
    if (verdict === 'invalid') throw new AppError(403, 'INVALID_SIGNATURE', 'This download link is not valid.');
    if (verdict === 'expired') throw new AppError(403, 'URL_EXPIRED', 'This download link has expired.');
  } else if (!caller) {
    throw AppError.unauthorized();
  }
  const found = await findFileByKey(ctx.db, key);
  if (!found || (query.signature === undefined && !(await mayRead(ctx, caller!, found)))) throw AppError.notFound('File');
  const file = await confirmUpload(ctx, found);
  const stored = file && (await ctx.storage.stat(key));
  if (!file || !stored) throw AppError.notFound('File');
  return { file, stored };
}

/** A link to a file the caller can read that works without a session until it expires. */
export async function downloadLink(ctx: FilesContext, caller: Caller, fileOrUrl: string) {
  const key = keyOf(fileOrUrl);
  const found = key ? await findFileByKey(ctx.db, key) : null;
  if (!found || !(await mayRead(ctx, caller, found)) || !(await confirmUpload(ctx, found))) throw AppError.notFound('File');
  const expiresAt = new Date(Date.now() + ctx.files.downloadUrlSeconds * 1000);
  return { url: ctx.signer.signedUrl('GET', found.key, expiresAt), expiresAt: expiresAt.toISOString() };
}

/**
 * The file a letter's `attachment` names (a key or a `fileUrl`): it must be an upload of the
 * applicant's whose bytes have arrived and passed the checks. Null when it is not.
 */
export async function attachmentOf(ctx: FilesContext, applicantId: string, value: string): Promise<FileRecord | null> {
  const key = keyOf(value);
  if (!key || !UPLOAD_KEY.test(key)) return null;
  const file = await findFileByKey(ctx.db, key);
  if (!file || file.ownerId !== applicantId) return null;
  return confirmUpload(ctx, file);
}

/** The key inside a key, a `fileUrl` (Core's or the store's) or a profile-image path. */
export function keyOf(value: string): string | null {
  const path = value.split(/[?#]/)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const match = KEY_AT_END.exec(decoded);
  return match ? match[1]! : null;
}

/**
 * Replaces a user's profile image: the new one is stored first, then the account points at it in
 * one transaction that also drops the rows of earlier images; their bytes go once that commits.
 */
export async function replaceProfileImage(ctx: FilesContext, userId: string, bytes: Buffer, field: string): Promise<string> {
  const { data, width, height } = await profileImage(bytes, ctx.images, field);
  const key = `${width}x${height}/${randomBytes(3).toString('hex')}/${randomBytes(3).toString('hex')}.jpg`;
  await ctx.storage.put(key, data, 'image/jpeg');
  let replaced: string[];
  try {
    replaced = await ctx.db.transaction().execute(async (trx) => {
      const now = nowIso();
      // Updating the account first locks its row, so two uploads for one user take turns.
      const updated = await trx.updateTable('user').set({ image: key, updatedAt: now }).where('id', '=', userId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw AppError.notFound('User');
      await insertFile(
        trx,
        { key, ownerId: userId, purpose: PROFILE_IMAGE, fileName: 'profile.jpg', contentType: 'image/jpeg', size: data.length, status: 'UPLOADED', expiresAt: now },
        now,
      );
      return removeOtherProfileImages(trx, userId, key);
    });
  } catch (error) {
    await ctx.storage.delete(key);
    throw error;
  }
  await Promise.all(replaced.map((old) => ctx.storage.delete(old)));
  return key;
}

/**
 * Removes uploads whose URL expired without their bytes arriving (or with bytes that fail the
 * checks). Several instances may run it at once: every step is idempotent.
 */
export async function removeAbandonedUploads(ctx: FilesContext, now = new Date(), batch = 500): Promise<number> {
  // A PUT that began just before its URL expired may still be arriving: give it a few minutes.
  const before = new Date(now.getTime() - UPLOAD_GRACE_MS).toISOString();
  let removed = 0;
  for (const file of await expiredPendingUploads(ctx.db, before, batch)) {
    if (await confirmUpload(ctx, file)) continue;
    await discard(ctx, file);
    removed += 1;
  }
  return removed;
}

const UPLOAD_GRACE_MS = 5 * 60 * 1000;
