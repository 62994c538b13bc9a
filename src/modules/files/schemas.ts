import { Type } from '@sinclair/typebox';

export const PresignBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255, description: 'The name on the user’s device; kept for downloads, never used in the key.' }),
    fileType: Type.String({ minLength: 1, maxLength: 100, description: 'The content type: application/pdf, image/jpeg, image/png or image/webp (the server’s FILE_TYPES).' }),
    fileSize: Type.Integer({
      minimum: 1,
      description: 'Size in bytes. The Android client sends it as a numeric string ("48213"); both are accepted. Above FILE_MAX_SIZE (10 MiB by default) → 413.',
    }),
    type: Type.Optional(
      Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'What the file is for, e.g. `letter-attachment`.', examples: ['letter-attachment'] }),
    ),
  },
  { additionalProperties: false },
);

export const PresignResult = Type.Object(
  {
    url: Type.String({ description: 'Where to PUT the bytes, with `Content-Type` and `x-amz-acl: public-read`, before `expiresAt`.' }),
    key: Type.String({ description: 'The stored file’s key, e.g. `uploads/2026/12/3f…e1.pdf`.' }),
    method: Type.Literal('PUT'),
    expiresAt: Type.String({ format: 'date-time' }),
    fileUrl: Type.String({ description: '`url` without its query: what a letter’s `attachment` holds.' }),
    headers: Type.Record(Type.String(), Type.String(), { description: 'The headers the PUT must carry (the signature covers them).' }),
  },
  { $id: 'PresignedUpload' },
);

export const FileKeyParams = Type.Object({
  '*': Type.String({ description: 'The file key, e.g. `uploads/2026/12/3f…e1.pdf` or a profile image `988x1264/b79f5c/71dccb.jpg`.' }),
});

export const SignedQuery = Type.Object({
  expires: Type.Optional(Type.String({ description: 'Part of a signed URL: its expiry (Unix seconds).' })),
  signature: Type.Optional(Type.String({ description: 'Part of a signed URL: its signature.' })),
});

export const UploadQuery = Type.Object({
  expires: Type.String({ description: 'The upload URL’s expiry (Unix seconds), as issued.' }),
  signature: Type.String({ description: 'The upload URL’s signature, as issued.' }),
});

export const UploadResult = Type.Object(
  {
    key: Type.String(),
    size: Type.Integer({ description: 'Stored size in bytes (an image is re-encoded, so it may differ from the upload).' }),
    contentType: Type.String(),
    fileUrl: Type.String(),
  },
  { $id: 'UploadedFile' },
);

export const DownloadLinkBody = Type.Object(
  { file: Type.String({ minLength: 1, maxLength: 2048, description: 'A file key, a `fileUrl`, or a profile-image path.' }) },
  { additionalProperties: false },
);

export const DownloadLink = Type.Object(
  {
    url: Type.String({ description: 'GET it without a session until `expiresAt`.' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'DownloadLink' },
);

export const ImageResult = Type.Object(
  { image: Type.String({ description: '`{width}x{height}/{hex6}/{hex6}.jpg`; served at `/api/files/{image}`.', examples: ['988x1264/b79f5c/71dccb.jpg'] }) },
  { $id: 'ProfileImage' },
);

export const fileComponents = [PresignResult, UploadResult, DownloadLink, ImageResult];
