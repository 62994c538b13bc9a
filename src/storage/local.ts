import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoredObject } from './storage.js';
import type { UrlSigner } from './signed-url.js';

/**
 * Files on the local disk, under the data directory. The upload URL points at Core itself
 * (PUT /api/files/{key}, checked by its signature); writes go to a temporary file that is flushed
 * and then renamed into place, so a crash or a concurrent reader never sees half a file.
 */
export function createLocalStorage(directory: string, signer: UrlSigner): Storage {
  const root = path.resolve(directory);
  const temporary = path.join(root, '.incoming');

  function pathOf(key: string): string {
    const file = path.resolve(root, key);
    // Keys are checked before they get here; this is the last line against a path that escapes.
    if (!file.startsWith(root + path.sep) || file.startsWith(temporary + path.sep)) throw new Error(`Refused storage key "${key}"`);
    return file;
  }

  async function statOf(key: string): Promise<StoredObject | null> {
    try {
      const info = await stat(pathOf(key));
      if (!info.isFile()) return null;
      return { size: info.size, etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`, modifiedAt: info.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  return {
    driver: 'local',
    async presignUpload(key, contentType, _size, expiresAt) {
      return { url: signer.signedUrl('PUT', key, expiresAt), headers: { 'Content-Type': contentType, 'x-amz-acl': 'public-read' } };
    },
    async put(key, bytes) {
      const target = pathOf(key);
      await mkdir(temporary, { recursive: true });
      const scratch = path.join(temporary, randomBytes(16).toString('hex'));
      const handle = await open(scratch, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // A concurrent delete may remove the (then empty) folder between mkdir and rename: try again.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await mkdir(path.dirname(target), { recursive: true });
          await rename(scratch, target);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3) continue;
          await rm(scratch, { force: true });
          throw error;
        }
      }
      return (await statOf(key))!;
    },
    stat: statOf,
    async read(key, range) {
      const stream = createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
      // Surface "missing" here rather than as a stream error halfway through a reply.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return stream;
    },
    async delete(key) {
      const file = pathOf(key);
      await rm(file, { force: true });
      // Drop the folders the key made, up to the root, as long as they are empty.
      for (let folder = path.dirname(file); folder !== root; folder = path.dirname(folder)) {
        try {
          await rmdir(folder);
        } catch {
          break;
        }
      }
    },
    async ping() {
      await mkdir(root, { recursive: true });
      await stat(root);
    },
    close() {},
  };
}
