import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Core's own signed file URLs: the upload URL the local driver hands out, and download links that
 * work without a session (an <img> tag, a shared link). The signature covers the method, the key
 * and the expiry, so a download link cannot be turned into an upload or pointed at another file.
 */
export type SignedMethod = 'PUT' | 'GET';
export type Verdict = 'valid' | 'expired' | 'invalid';

export interface SignedQuery {
  expires?: string;
  signature?: string;
}

export interface UrlSigner {
  /** The address of a stored file on Core, without a query. */
  fileUrl(key: string): string;
  signedUrl(method: SignedMethod, key: string, expiresAt: Date): string;
  verify(method: SignedMethod, key: string, query: SignedQuery, now?: Date): Verdict;
}

export function createUrlSigner(secret: string, publicUrl: string): UrlSigner {
  // A key of its own, so a file signature can never be replayed as a session cookie's or vice versa.
  const key = Buffer.from(hkdfSync('sha256', secret, 'core', 'file-urls', 32));
  const signature = (method: SignedMethod, fileKey: string, expires: string) =>
    createHmac('sha256', key).update(`${method}\n${fileKey}\n${expires}`).digest('base64url');
  const fileUrl = (fileKey: string) => `${publicUrl}/api/files/${fileKey.split('/').map(encodeURIComponent).join('/')}`;

  return {
    fileUrl,
    signedUrl(method, fileKey, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000));
      return `${fileUrl(fileKey)}?expires=${expires}&signature=${signature(method, fileKey, expires)}`;
    },
    verify(method, fileKey, query, now = new Date()) {
      const { expires, signature: given } = query;
      if (typeof expires !== 'string' || typeof given !== 'string' || !/^\d{1,12}$/.test(expires)) return 'invalid';
      const expected = Buffer.from(signature(method, fileKey, expires));
      const actual = Buffer.from(given);
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
      return Number(expires) * 1000 < now.getTime() ? 'expired' : 'valid';
    },
  };
}
