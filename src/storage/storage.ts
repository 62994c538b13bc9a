import type { Readable } from 'node:stream';
import type { StorageConfig } from '../config.js';
import { createLocalStorage } from './local.js';
import type { UrlSigner } from './signed-url.js';

/**
 * Where file bytes live. Two drivers, chosen by config: local disk (the default) and any
 * S3-compatible store. Nothing outside this folder knows which one runs.
 */
export interface StoredObject {
  size: number;
  etag: string;
  modifiedAt: Date;
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface UploadTarget {
  url: string;
  /** Headers the client must send with its PUT (the signature covers them). */
  headers: Record<string, string>;
}

export interface Storage {
  readonly driver: StorageConfig['driver'];
  /** A URL the client PUTs exactly `size` bytes of `contentType` to, until `expiresAt`. */
  presignUpload(key: string, contentType: string, size: number, expiresAt: Date): Promise<UploadTarget>;
  /** Stores the bytes under the key, replacing what was there; readers never see a half-written file. */
  put(key: string, bytes: Buffer, contentType: string): Promise<StoredObject>;
  /** Size, ETag and time of a stored file, or null when there is none. */
  stat(key: string): Promise<StoredObject | null>;
  /** The stored bytes (or a range of them) as a stream; the key must exist. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Throws when the storage cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): void;
}

export async function createStorage(config: StorageConfig, signer: UrlSigner): Promise<Storage> {
  if (config.driver === 'local') return createLocalStorage(config.directory, signer);
  // The AWS SDK (~12 MB once loaded) is loaded only by the schools that use it.
  const { createS3Storage } = await import('./s3.js');
  return createS3Storage(config);
}

/**
 * The origin a browser sends S3 presigned uploads to, for the dashboard's content policy. Here
 * rather than in s3.ts, which loads the AWS SDK.
 */
export function s3BrowserOrigin(config: Extract<StorageConfig, { driver: 's3' }>): string {
  if (!config.endpoint) return `https://${config.bucket}.s3.${config.region}.amazonaws.com`;
  const endpoint = new URL(config.endpoint);
  return config.forcePathStyle ? endpoint.origin : `${endpoint.protocol}//${config.bucket}.${endpoint.host}`;
}
