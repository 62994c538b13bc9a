import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { formatLetterNumber } from '../../src/modules/letters/numbering.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'core-config-'));

describe('loadConfig', () => {
  it('runs on the embedded default with no configuration at all', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'core.sqlite') });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.trustedOrigins).toEqual(['http://localhost:3000']);
    expect(config.trustProxy).toBe(false);
    expect(config.timeZone).toBe('Asia/Makassar');
    expect(config.signInLimits).toEqual({ accountMaxFailures: 5, accountWindowSeconds: 900, addressMaxAttempts: 600, addressWindowSeconds: 60 });
  });

  it('generates the auth secret once, keeps it in the data directory, and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).auth.secret;
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(loadConfig({ DATA_DIR: dir }).auth.secret).toBe(first);
    const file = path.join(dir, 'auth-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reads PostgreSQL and SQLite URLs, origins and proxies', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'postgres://core:pw@db.internal:5432/core',
      PUBLIC_URL: 'https://core.sman1samarinda.sch.id/',
      TRUSTED_ORIGINS: 'https://dashboard.sman1samarinda.sch.id, https://admin.sman1samarinda.sch.id',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      AUTH_SECRET: 'x'.repeat(40),
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://core:pw@db.internal:5432/core', poolSize: 10 });
    expect(config.publicUrl).toBe('https://core.sman1samarinda.sch.id');
    expect(config.trustedOrigins).toEqual([
      'https://core.sman1samarinda.sch.id',
      'https://dashboard.sman1samarinda.sch.id',
      'https://admin.sman1samarinda.sch.id',
    ]);
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.auth.secret).toBe('x'.repeat(40));
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'sqlite:/tmp/x/core.db' }).database).toEqual({ kind: 'sqlite', file: '/tmp/x/core.db' });
    expect(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'ftp://school'],
    ['AUTH_SECRET', 'short'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'not an address'],
    ['TIME_ZONE', 'Mars/Olympus'],
    ['SIGN_IN_MAX_FAILURES', '0'],
    ['TRUSTED_ORIGINS', 'nope'],
    ['ACADEMIC_YEAR', '2026/2028'],
    ['ACADEMIC_YEAR', '2026-2027'],
    ['ACADEMIC_YEAR_START_MONTH', '13'],
    ['STORAGE_DRIVER', 'ftp'],
    ['FILE_TYPES', 'text/html'],
    ['FILE_MAX_SIZE', '10'],
    ['IMAGE_MAX_PIXELS', '5'],
    ['LETTER_NUMBER_FORMAT', '{seq}/{schoolCode}/{year}'],
    ['LETTER_NUMBER_FORMAT', '{seq}/{code}/{year}/{day}'],
    ['LETTER_CODES', 'PERMIT=IZN'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('reads storage, upload and letter settings', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      STORAGE_DRIVER: 's3', S3_BUCKET: 'core-files', S3_ENDPOINT: 'http://minio.internal:9000/', S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret',
      FILE_TYPES: 'application/pdf, image/jpeg', FILE_MAX_SIZE: '5242880',
      LETTER_NUMBER_FORMAT: '{code}-{seq:4}/{month}/{year}', LETTER_CODES: 'DISPENSATION=DSP', SCHOOL_CODE: 'SMAN1',
      SCHOOL_LETTERHEAD: 'PEMERINTAH PROVINSI KALIMANTAN TIMUR | DINAS PENDIDIKAN',
    });
    expect(config.storage).toEqual({
      driver: 's3', bucket: 'core-files', region: 'us-east-1', endpoint: 'http://minio.internal:9000', forcePathStyle: true, accessKeyId: 'key', secretAccessKey: 'secret',
    });
    expect(config.files).toMatchObject({ allowedTypes: ['application/pdf', 'image/jpeg'], maxBytes: 5242880 });
    expect(config.letters).toMatchObject({
      numberFormat: '{code}-{seq:4}/{month}/{year}', schoolCode: 'SMAN1', letterhead: ['PEMERINTAH PROVINSI KALIMANTAN TIMUR', 'DINAS PENDIDIKAN'],
      codes: { DISPENSATION: 'DSP', RECOMMENDATION: 'REK', ACTIVE_STATEMENT: 'SKA', ASSIGNMENT: 'ST' },
    });
    expect(formatLetterNumber(config.letters, { sequence: 7, letterType: 'DISPENSATION', month: 12, year: 2026 })).toBe('DSP-0007/12/2026');
    expect(() => loadConfig({ DATA_DIR: dataDir(), STORAGE_DRIVER: 's3' })).toThrow(/^Invalid configuration: S3_BUCKET is required/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' })).toThrow(/^Invalid configuration: S3_ENDPOINT /);
    expect(() => loadConfig({ DATA_DIR: dataDir(), STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/^Invalid configuration: S3_SECRET_ACCESS_KEY /);
    const defaults = loadConfig({ DATA_DIR: dataDir() });
    expect(defaults.storage).toEqual({ driver: 'local', directory: path.join(defaults.dataDir, 'files') });
    expect(formatLetterNumber(defaults.letters, { sequence: 7, letterType: 'DISPENSATION', month: 12, year: 2026 })).toBe('007/DISP/SMAN1-SMD/XII/2026');
  });

  it('stops the server with one clear line when a value is bad', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir(), PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT must be a whole number from 1 to 65535 (got "eighty")');
  });
});
