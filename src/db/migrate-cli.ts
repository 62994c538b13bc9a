import { loadConfig, ConfigError } from '../config.js';
import { createDb } from './index.js';
import { migrateToLatest } from './migrate.js';

// `npm run migrate`: bring the configured database to the latest schema, then exit.
try {
  const config = loadConfig();
  const handle = createDb(config.database);
  try {
    const { results } = await migrateToLatest(handle.db);
    for (const r of results ?? []) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
    if (!results?.length) console.log('database is up to date');
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
