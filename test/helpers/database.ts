import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A fresh, empty database for one test file: a SQLite file in a new temporary directory, or
 * (CORE_TEST_DB=postgres) a new database on the TEST_DATABASE_URL server, dropped afterwards.
 */
export interface TestDatabase {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  url: string;
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.CORE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

/** `kind` and `serverUrl` default to the test run's (CORE_TEST_DB, TEST_DATABASE_URL); the fault scripts name their own. */
export async function createTestDatabase(
  options: { kind?: 'sqlite' | 'postgres'; serverUrl?: string | undefined } = {},
): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'core-test-'));
  if ((options.kind ?? testDatabaseKind()) === 'sqlite') {
    return {
      kind: 'sqlite',
      dataDir,
      url: `sqlite:${path.join(dataDir, 'core.sqlite')}`,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('A PostgreSQL test database needs TEST_DATABASE_URL');
  const name = `core_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    dataDir,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // FORCE ends the test's own leftover connections, but may not end an autovacuum worker
        // that has just started on the database (42501 unless the role has pg_signal_backend,
        // which .ci/run grants); the worker soon finishes, so try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== '42501' || attempt === 50) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
      } finally {
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
