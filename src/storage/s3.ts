import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StorageConfig } from '../config.js';
import type { Storage, StoredObject } from './storage.js';

type S3Config = Extract<StorageConfig, { driver: 's3' }>;

/**
 * Any S3-compatible store. The upload URL is a real presigned PUT that the client sends straight
 * to the store. The Android client always sends `x-amz-acl: public-read` (the original server used
 * S3 that way), and S3 refuses unsigned x-amz-* headers, so that header is part of the signature,
 * as are the declared type and length; the store itself then refuses any other body.
 */
export function createS3Storage(config: S3Config): Storage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
    // Otherwise the SDK signs a checksum of the empty body into every presigned PUT, which the
    // store would then hold against the real one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;

  const toStored = (size: number | undefined, etag: string | undefined, modified: Date | undefined): StoredObject => ({
    size: size ?? 0,
    etag: etag ?? '""',
    modifiedAt: modified ?? new Date(0),
  });

  return {
    driver: 's3',
    async presignUpload(key, contentType, size, expiresAt) {
      const command = new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: size, ACL: 'public-read' });
      const expiresIn = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000));
      const url = await getSignedUrl(client, command, {
        expiresIn,
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(['x-amz-acl']),
      });
      return { url, headers: { 'Content-Type': contentType, 'x-amz-acl': 'public-read' } };
    },
    async put(key, bytes, contentType) {
      const result = await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType }));
      return toStored(bytes.length, result.ETag, new Date());
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return toStored(head.ContentLength, head.ETag, head.LastModified);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async read(key, range) {
      const object = await client.send(
        new GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return object.Body as Readable;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
    close() {
      client.destroy();
    },
  };
}

function isMissing(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);
}
