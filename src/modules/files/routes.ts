import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import contentDisposition from 'content-disposition';
import parseRange from 'range-parser';
import multipart from '@fastify/multipart';
import { callerOf } from '../../auth/guard.js';
import { singleFile } from '../../http/multipart.js';
import { UserIdParams } from '../users/schemas.js';
import { Envelope, ErrorEnvelope, ok } from '../../http/envelope.js';
import { DownloadLink, DownloadLinkBody, FileKeyParams, ImageResult, PresignBody, PresignResult, SignedQuery, UploadQuery, UploadResult } from './schemas.js';
import { downloadLink, filesContextOf, issueUpload, openFile, receiveUpload, replaceProfileImage } from './service.js';

const tags = ['Files'];
const FileBytes = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file’s bytes.' });

const filesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = filesContextOf(app);

  app.post(
    '/api/presigned',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Create Presigned URL',
        description:
          'Step one of an upload (the Android client’s sequence): declare the file, get a URL, `PUT` the exact bytes to it with the returned `headers` before `expiresAt`, then use `fileUrl` (or `key`) where the file is needed, e.g. as a letter’s `attachment`. A type outside FILE_TYPES → 400; a size above FILE_MAX_SIZE → 413; no URL is issued for either. Keys are random and never derived from `fileName`. With local storage the URL is Core’s own `PUT /api/files/{key}`; with S3 it is a presigned URL of the bucket. Uploads that never arrive are removed after their URL expires.',
        body: PresignBody,
        response: { 201: Envelope(Type.Ref(PresignResult)) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await issueUpload(ctx, callerOf(request), request.body), 'Upload URL created.');
    },
  );

  app.post(
    '/api/files/download-links',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Create a Download Link',
        description:
          'A URL for a file the caller can read (their own uploads; any profile image) that works without a session until it expires (FILE_DOWNLOAD_URL_TTL), for an `<img>` tag or a shared link. Any other file → 404.',
        body: DownloadLinkBody,
        response: { 201: Envelope(Type.Ref(DownloadLink)) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await downloadLink(ctx, callerOf(request), request.body.file), 'Download link created.');
    },
  );

  app.get(
    '/api/files/*',
    {
      config: { access: 'signed-url' },
      schema: {
        tags,
        summary: 'Download a File',
        description:
          'Streams a stored file to a signed-in caller allowed to read it (the owner; anyone signed in for a profile image) or to anyone holding a valid signed link. Sends `Content-Type`, `Content-Length`, `ETag` (and 304 for `If-None-Match`), honours a single `Range` (206; 416 when unsatisfiable), and `X-Content-Type-Options: nosniff`. Unknown, unreadable or not-yet-uploaded keys → 404; a bad or expired link → 403.',
        params: FileKeyParams,
        querystring: SignedQuery,
        response: { 200: FileBytes, 206: FileBytes, 304: Type.Null({ description: 'Not modified.' }), 416: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const { file, stored } = await openFile(ctx, request.params['*'], request.caller, request.query);
      reply.headers({
        'content-type': file.contentType,
        etag: stored.etag,
        'last-modified': stored.modifiedAt.toUTCString(),
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=3600',
        'content-disposition': contentDisposition(file.fileName, { type: 'inline' }),
      });
      if (request.headers['if-none-match'] === stored.etag) return reply.code(304).send(null);

      const ifRange = request.headers['if-range'];
      const rangeHeader = ifRange === undefined || ifRange === stored.etag ? request.headers.range : undefined;
      const ranges = rangeHeader ? parseRange(stored.size, rangeHeader, { combine: true }) : undefined;
      if (ranges === -1) {
        return reply.code(416).header('content-range', `bytes */${stored.size}`).type('application/json; charset=utf-8').send({
          success: false,
          message: 'The requested range is outside the file.',
          meta: {},
          errors: [{ code: 'RANGE_NOT_SATISFIABLE', field: 'headers.range', message: `must lie within 0-${stored.size - 1}` }],
          result: null,
        });
      }
      // A malformed header (-2) or several ranges get the whole file, as HTTP allows.
      if (Array.isArray(ranges) && ranges.length === 1 && ranges.type === 'bytes') {
        const range = ranges[0]!;
        reply.code(206).headers({ 'content-range': `bytes ${range.start}-${range.end}/${stored.size}`, 'content-length': range.end - range.start + 1 });
        return reply.send(await ctx.storage.read(file.key, range));
      }
      reply.header('content-length', stored.size);
      return reply.send(await ctx.storage.read(file.key));
    },
  );

  // The upload endpoint takes the raw bytes of any type: its own parser, in its own scope.
  const uploadRoutes: FastifyPluginAsyncTypebox = async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    uploads.put(
      '/api/files/*',
      {
        config: { access: 'signed-url' },
        schema: {
          tags,
          summary: 'Upload a File (local storage)',
          description:
            'Where the URL from `POST /api/presigned` points when files are stored locally. Checks the signature (403 if wrong or expired), that `Content-Type` is the declared type (400) and that the body is exactly the declared size (413 when larger, 400 when shorter), then that the bytes really are that type (415); images are re-encoded without metadata. The file is written to a temporary file and renamed into place, so it is never visible half-written. `x-amz-acl` is accepted and ignored. A second PUT → 409.',
          params: FileKeyParams,
          querystring: UploadQuery,
          response: { 200: Envelope(Type.Ref(UploadResult)) },
        },
      },
      async (request, reply) => {
        const { etag, ...uploaded } = await receiveUpload(
          ctx,
          request.params['*'],
          request.query,
          { contentType: request.headers['content-type'], contentLength: request.headers['content-length'] },
          // No body at all (Content-Length: 0) reaches no parser.
          (request.body as Readable | undefined) ?? Readable.from([]),
        );
        reply.header('etag', etag);
        return ok(uploaded, 'File uploaded.');
      },
    );
  };
  await app.register(uploadRoutes);

  // Profile images arrive as multipart/form-data, field `image`.
  const imageRoutes: FastifyPluginAsyncTypebox = async (images) => {
    await images.register(multipart);
    const description = (whose: string) =>
      `Replaces ${whose} profile image. Multipart field \`image\`: one JPEG, PNG or WebP file of at most FILE_MAX_SIZE (10 MiB) and IMAGE_MAX_PIXELS (40 MP). It is turned upright by its EXIF orientation, fitted within IMAGE_MAX_DIMENSION² (1280) without enlarging, stripped of every metadata field (GPS included) and re-encoded as JPEG; the previous image is deleted. Answers the new \`image\` (\`{width}x{height}/{hex6}/{hex6}.jpg\`), also shown by get-session and the user’s records. Another type (SVG, text) → 415; damaged or truncated → 422; too many pixels or bytes → 413; no file, an empty one or a second file → 400.`;
    const maxBytes = app.config.files.maxBytes;

    images.post(
      '/api/users/me/image',
      {
        config: { access: 'signed-in' },
        schema: { tags: ['Users'], summary: 'Upload Current User Image', description: description('the signed-in user’s'), consumes: ['multipart/form-data'], response: { 200: Envelope(Type.Ref(ImageResult)) } },
      },
      async (request) => {
        const caller = callerOf(request);
        const { bytes } = await singleFile(request, 'image', maxBytes);
        return ok({ image: await replaceProfileImage(ctx, caller.user.id, bytes, 'body.image') }, 'Profile image updated.');
      },
    );

    images.post(
      '/api/users/:id/image',
      {
        config: { access: 'users:write' },
        schema: { tags: ['Users'], summary: 'Upload User Image', description: description('a user’s'), consumes: ['multipart/form-data'], params: UserIdParams, response: { 200: Envelope(Type.Ref(ImageResult)) } },
      },
      async (request) => {
        const { bytes } = await singleFile(request, 'image', maxBytes);
        return ok({ image: await replaceProfileImage(ctx, request.params.id, bytes, 'body.image') }, 'Profile image updated.');
      },
    );
  };
  await app.register(imageRoutes);
};

export default filesRoutes;
