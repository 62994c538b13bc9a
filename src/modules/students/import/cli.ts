import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../../../config.js';
import { createDb } from '../../../db/index.js';
import { migrateToLatest } from '../../../db/migrate.js';
import { AppError } from '../../../http/errors.js';
import { recordImport } from './history.js';
import { importStudents } from './service.js';

/**
 * `npm run import:students -- file.xlsx [--dry-run] [--upsert]`: the same import as
 * POST /api/students/import, against the configured database, for an administrator at the server.
 * Exits 1 when any row fails (nothing is then written) or the file is refused.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, upsert: { type: 'boolean' } } });
  if (positionals.length !== 1) {
    console.error('Usage: npm run import:students -- <file.xlsx|file.csv> [--dry-run] [--upsert]');
    return 2;
  }
  const file = positionals[0]!;
  const config = loadConfig();
  if ((await stat(file)).size > config.studentImport.maxFileBytes) {
    console.error(`${file} is larger than IMPORT_MAX_SIZE (${config.studentImport.maxFileBytes} bytes).`);
    return 1;
  }
  const handle = createDb(config.database);
  const bar = new cliProgress.SingleBar({ format: '{phase} |{bar}| {value}/{total} rows', hideCursor: true }, cliProgress.Presets.shades_classic);
  try {
    await migrateToLatest(handle.db);
    bar.start(1, 0, { phase: 'reading ' });
    const report = await importStudents(handle.db, config, await readFile(file), {
      dryRun: values['dry-run'] ?? false,
      mode: values.upsert ? 'upsert' : 'create',
      onProgress: ({ phase, done, total }) => {
        bar.setTotal(total ?? done);
        bar.update(done, { phase: phase === 'reading' ? 'reading ' : 'writing ' });
      },
    });
    bar.stop();
    await recordImport(handle.db, { id: null, name: 'command line' }, path.basename(file), report);
    console.log(
      `${report.rows} rows: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.failed} failed` +
        (report.dryRun ? ' (dry run: nothing written)' : report.committed ? '' : ' — nothing was written'),
    );
    if (report.createdClasses.length) console.log(`Classes created: ${report.createdClasses.join(', ')}`);
    if (report.generatedEmails.length) console.log(`${report.generatedEmails.length} addresses made from IMPORT_EMAIL_PATTERN`);
    if (report.unknownColumns.length) console.log(`Ignored columns: ${report.unknownColumns.join(', ')}`);
    for (const error of report.errors.slice(0, 50)) console.log(`  row ${error.row}, ${error.column}: ${error.message}`);
    if (report.errors.length > 50) console.log(`  … and ${report.errors.length - 50} more`);
    return report.failed > 0 ? 1 : 0;
  } catch (error) {
    bar.stop();
    if (error instanceof AppError) {
      console.error(`${error.message} ${error.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
