import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LETTER_TYPE } from './modules/reference/lists.js';

/**
 * The one reader of the environment. Everything else receives a typed, validated `Config`.
 * A bad value stops the process with one line naming the variable (see server.ts).
 */

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface Config {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  /** The built web dashboard (index.html and assets/), served at `/` when it exists. */
  webDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  trustedOrigins: string[];
  /** Fastify's trustProxy: false, true, a hop count, or a list of addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  schoolName: string;
  timeZone: string;
  academicYear: {
    /** The current academic year when fixed by ACADEMIC_YEAR ('2026/2027'); otherwise from the date. */
    fixed: string | undefined;
    /** The month (1-12) a new academic year starts: July in Indonesia. */
    startMonth: number;
  };
  /** Bucket edges of the statistics (each bucket runs from one edge up to the next). */
  statsBuckets: { studentAge: number[]; employeeAge: number[]; height: number[]; weight: number[] };
  auth: {
    secret: string;
    sessionExpiresIn: number;
    sessionUpdateAge: number;
    passwordMinLength: number;
  };
  signInLimits: {
    /** Failed sign-ins allowed per account inside `accountWindowSeconds` before 429. */
    accountMaxFailures: number;
    accountWindowSeconds: number;
    /** Sign-in attempts allowed per client address inside `addressWindowSeconds`. */
    addressMaxAttempts: number;
    addressWindowSeconds: number;
  };
  admin: { email: string; password: string | undefined; name: string };
  bodyLimitBytes: number;
  http: {
    /** Time for a whole request (headers and body) to arrive before 408. */
    requestTimeoutSeconds: number;
    /** Largest request head (request line and headers) before 431. */
    maxHeaderBytes: number;
    /** How long a shutdown waits for in-flight requests before the process exits anyway. */
    shutdownTimeoutSeconds: number;
  };
  storage: StorageConfig;
  files: {
    /** Content types an upload may declare; a subset of UPLOAD_TYPES (the types Core can verify). */
    allowedTypes: UploadType[];
    maxBytes: number;
    uploadUrlSeconds: number;
    downloadUrlSeconds: number;
    /** How often pending uploads whose URL has expired are removed. */
    cleanupIntervalSeconds: number;
  };
  images: { maxInputPixels: number; maxDimension: number };
  studentImport: {
    /** The address given to an imported student without one: tokens {nisn}, {nipd}, {domain}. */
    emailPattern: string;
    schoolDomain: string;
    maxFileBytes: number;
    maxRows: number;
    /** What a workbook may unpack to (the zip-bomb guard). */
    maxUnpackedBytes: number;
  };
  letters: {
    /** Tokens: {seq} or {seq:N} (zero-padded), {code}, {schoolCode}, {romanMonth}, {month}, {year}. */
    numberFormat: string;
    codes: Record<LetterType, string>;
    schoolCode: string;
    /** The lines above the school's name on the letterhead (government, office). */
    letterhead: string[];
    schoolAddress: string;
    /** Where letters are signed: "Samarinda, 3 Desember 2026". */
    city: string;
  };
}

type LetterType = (typeof LETTER_TYPE)[number]['value'];

export type StorageConfig =
  | { driver: 'local'; directory: string }
  | {
      driver: 's3';
      bucket: string;
      region: string;
      /** Any S3-compatible endpoint (MinIO, Wasabi…); AWS itself when absent. */
      endpoint: string | undefined;
      forcePathStyle: boolean;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
    };

/** The content types Core can check byte by byte (files/content.ts), with their key extension. */
export const UPLOAD_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

/** A comma list of increasing whole numbers within [min, max]: the edges of statistics buckets. */
function edges(env: Env, name: string, fallback: number[], min: number, max: number): number[] {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const values = raw.split(',').map((v) => v.trim());
  const numbers = values.map(Number);
  if (values.some((v) => !/^\d+$/.test(v)) || numbers.some((n) => n < min || n > max) || numbers.some((n, i) => i > 0 && n <= numbers[i - 1]!)) {
    throw new ConfigError(name, `must be increasing whole numbers from ${min} to ${max}, separated by commas (got "${raw}")`);
  }
  return numbers;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  return raw as T;
}

function url(name: string, raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    return parsed.origin + parsed.pathname.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL (got "${raw}")`);
  }
}

function parseDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim();
  const poolSize = integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200);
  if (!raw) return { kind: 'sqlite', file: path.join(dataDir, 'core.sqlite') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: raw, poolSize };
  }
  const sqlite = /^(sqlite|file):(.+)$/.exec(raw);
  if (sqlite?.[2]) return { kind: 'sqlite', file: path.resolve(sqlite[2].replace(/^\/\/(?=\/)/, '')) };
  throw new ConfigError('DATABASE_URL', 'must start with postgres://, postgresql://, sqlite: or file:');
}

function parseTrustProxy(env: Env): Config['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const address = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/;
  const bad = list.find((item) => !address.test(item) && !['loopback', 'linklocal', 'uniquelocal'].includes(item));
  if (bad) throw new ConfigError('TRUST_PROXY', `must be true, false, a hop count or a list of addresses/CIDRs (bad entry "${bad}")`);
  return list;
}

function timeZone(env: Env): string {
  const zone = text(env, 'TIME_ZONE', 'Asia/Makassar');
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError('TIME_ZONE', `must be an IANA time zone such as Asia/Makassar (got "${zone}")`);
  }
  return zone;
}

/**
 * The session-signing secret: given, or generated once and kept in the data directory so that
 * sessions survive a restart. Several instances must share one through AUTH_SECRET.
 */
function authSecret(env: Env, dataDir: string): string {
  const given = env.AUTH_SECRET?.trim();
  if (given) {
    if (given.length < 32) throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters long');
    return given;
  }
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(name, `must be true or false (got "${raw}")`);
  return raw === 'true';
}

function parseStorage(env: Env, dataDir: string): StorageConfig {
  const driver = oneOf(env, 'STORAGE_DRIVER', 'local', ['local', 's3'] as const);
  if (driver === 'local') return { driver, directory: path.resolve(text(env, 'FILES_DIR', path.join(dataDir, 'files'))) };
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) throw new ConfigError('S3_BUCKET', 'is required when STORAGE_DRIVER=s3');
  const endpoint = env.S3_ENDPOINT?.trim() ? url('S3_ENDPOINT', env.S3_ENDPOINT.trim()) : undefined;
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim() || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError(accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID', 'must be set together with its pair (or neither, to use the SDK’s own credential chain)');
  }
  return {
    driver,
    bucket,
    region: text(env, 'S3_REGION', 'us-east-1'),
    endpoint,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
    accessKeyId,
    secretAccessKey,
  };
}

function uploadTypes(env: Env): UploadType[] {
  const known = Object.keys(UPLOAD_TYPES) as UploadType[];
  const raw = env.FILE_TYPES?.trim();
  if (!raw) return known;
  const types = raw.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = types.find((t) => !known.includes(t as UploadType));
  if (bad || types.length === 0) {
    throw new ConfigError('FILE_TYPES', `must be a comma list drawn from ${known.join(', ')} (got "${bad ?? raw}")`);
  }
  return [...new Set(types)] as UploadType[];
}

function importEmailPattern(env: Env): string {
  const pattern = text(env, 'IMPORT_EMAIL_PATTERN', '{nisn}@students.{domain}');
  if (!/^[^@\s]+@[^@\s]+$/.test(pattern) || !/\{(nisn|nipd)\}/.test(pattern.split('@')[0]!)) {
    throw new ConfigError('IMPORT_EMAIL_PATTERN', `must be an address whose name part holds {nisn} or {nipd}, e.g. {nisn}@students.{domain} (got "${pattern}")`);
  }
  return pattern;
}

function letterNumberFormat(env: Env): string {
  const format = text(env, 'LETTER_NUMBER_FORMAT', '{seq:3}/{code}/{schoolCode}/{romanMonth}/{year}');
  // The sequence restarts per type and year, so a number without all three could repeat.
  for (const token of [/\{seq(:\d)?\}/, /\{code\}/, /\{year\}/]) {
    if (!token.test(format)) throw new ConfigError('LETTER_NUMBER_FORMAT', `must contain {seq} (or {seq:N}), {code} and {year} (got "${format}")`);
  }
  const unknown = /\{(?!seq(:\d)?\}|code\}|schoolCode\}|romanMonth\}|month\}|year\})[^}]*\}/.exec(format);
  if (unknown) throw new ConfigError('LETTER_NUMBER_FORMAT', `has an unknown token ${unknown[0]}`);
  return format;
}

function letterCodes(env: Env): Record<LetterType, string> {
  const codes = Object.fromEntries(LETTER_TYPE.map((t) => [t.value, t.code])) as Record<LetterType, string>;
  const raw = env.LETTER_CODES?.trim();
  if (!raw) return codes;
  for (const pair of raw.split(',')) {
    const match = /^\s*([A-Z_]+)\s*=\s*([A-Za-z0-9.-]{1,20})\s*$/.exec(pair);
    if (!match || !(match[1]! in codes)) {
      throw new ConfigError('LETTER_CODES', `must be TYPE=CODE pairs separated by commas, TYPE one of ${Object.keys(codes).join(', ')} (bad entry "${pair}")`);
    }
    codes[match[1] as LetterType] = match[2]!;
  }
  return codes;
}

// dist/web of the project, whether this module runs from src/ (tsx) or from dist/ (npm start).
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../dist/web', import.meta.url));

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function academicYear(env: Env): string | undefined {
  const value = env.ACADEMIC_YEAR?.trim();
  if (!value) return undefined;
  const match = /^(\d{4})\/(\d{4})$/.exec(value);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) {
    throw new ConfigError('ACADEMIC_YEAR', `must be YYYY/YYYY with the second year one after the first, e.g. 2026/2027 (got "${value}")`);
  }
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(text(env, 'DATA_DIR', './data'));
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const host = text(env, 'HOST', '0.0.0.0');
  const publicUrl = url('PUBLIC_URL', text(env, 'PUBLIC_URL', `http://localhost:${port}`));
  const trustedOrigins = [
    new URL(publicUrl).origin,
    ...text(env, 'TRUSTED_ORIGINS', '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((origin) => new URL(url('TRUSTED_ORIGINS', origin)).origin),
  ];

  const adminEmail = text(env, 'ADMIN_EMAIL', 'admin@school.local').toLowerCase();
  if (!EMAIL.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', `must be an email address (got "${adminEmail}")`);
  const passwordMinLength = integer(env, 'PASSWORD_MIN_LENGTH', 8, 8, 128);
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < passwordMinLength || adminPassword.length > 128)) {
    throw new ConfigError('ADMIN_PASSWORD', `must be ${passwordMinLength} to 128 characters long`);
  }

  return {
    host,
    port,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    dataDir,
    webDir: path.resolve(text(env, 'WEB_DIR', DEFAULT_WEB_DIR)),
    database: parseDatabase(env, dataDir),
    publicUrl,
    trustedOrigins: [...new Set(trustedOrigins)],
    trustProxy: parseTrustProxy(env),
    schoolName: text(env, 'SCHOOL_NAME', 'SMA Negeri 1 Samarinda'),
    timeZone: timeZone(env),
    academicYear: { fixed: academicYear(env), startMonth: integer(env, 'ACADEMIC_YEAR_START_MONTH', 7, 1, 12) },
    statsBuckets: {
      studentAge: edges(env, 'STATS_STUDENT_AGE_BUCKETS', [15, 16, 17, 18, 19], 1, 120),
      employeeAge: edges(env, 'STATS_EMPLOYEE_AGE_BUCKETS', [25, 30, 35, 40, 45, 50, 55, 60], 1, 120),
      height: edges(env, 'STATS_HEIGHT_BUCKETS', [150, 155, 160, 165, 170, 175, 180], 1, 300),
      weight: edges(env, 'STATS_WEIGHT_BUCKETS', [40, 45, 50, 55, 60, 65, 70, 80], 1, 500),
    },
    auth: {
      secret: authSecret(env, dataDir),
      sessionExpiresIn: integer(env, 'SESSION_EXPIRES_IN', 7 * 24 * 3600, 300, 365 * 24 * 3600),
      sessionUpdateAge: integer(env, 'SESSION_UPDATE_AGE', 24 * 3600, 0, 365 * 24 * 3600),
      passwordMinLength,
    },
    signInLimits: {
      accountMaxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', 5, 1, 1000),
      accountWindowSeconds: integer(env, 'SIGN_IN_FAILURE_WINDOW', 15 * 60, 1, 24 * 3600),
      addressMaxAttempts: integer(env, 'SIGN_IN_MAX_PER_ADDRESS', 600, 1, 1_000_000),
      addressWindowSeconds: integer(env, 'SIGN_IN_ADDRESS_WINDOW', 60, 1, 24 * 3600),
    },
    admin: { email: adminEmail, password: adminPassword, name: text(env, 'ADMIN_NAME', 'Administrator') },
    bodyLimitBytes: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    http: {
      requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT', 300, 1, 3600),
      maxHeaderBytes: integer(env, 'MAX_HEADER_SIZE', 16 * 1024, 1024, 1024 * 1024),
      shutdownTimeoutSeconds: integer(env, 'SHUTDOWN_TIMEOUT', 30, 1, 3600),
    },
    storage: parseStorage(env, dataDir),
    files: {
      allowedTypes: uploadTypes(env),
      maxBytes: integer(env, 'FILE_MAX_SIZE', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      uploadUrlSeconds: integer(env, 'FILE_UPLOAD_URL_TTL', 15 * 60, 10, 7 * 24 * 3600),
      downloadUrlSeconds: integer(env, 'FILE_DOWNLOAD_URL_TTL', 60 * 60, 10, 7 * 24 * 3600),
      cleanupIntervalSeconds: integer(env, 'FILE_CLEANUP_INTERVAL', 10 * 60, 1, 24 * 3600),
    },
    studentImport: {
      emailPattern: importEmailPattern(env),
      schoolDomain: text(env, 'SCHOOL_DOMAIN', adminEmail.split('@')[1]!).toLowerCase(),
      maxFileBytes: integer(env, 'IMPORT_MAX_SIZE', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxRows: integer(env, 'IMPORT_MAX_ROWS', 100_000, 1, 1_000_000),
      maxUnpackedBytes: integer(env, 'IMPORT_MAX_UNPACKED', 300 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    },
    letters: {
      numberFormat: letterNumberFormat(env),
      codes: letterCodes(env),
      schoolCode: text(env, 'SCHOOL_CODE', 'SMAN1-SMD'),
      letterhead: text(env, 'SCHOOL_LETTERHEAD', 'PEMERINTAH PROVINSI KALIMANTAN TIMUR|DINAS PENDIDIKAN DAN KEBUDAYAAN').split('|').map((l) => l.trim()).filter(Boolean),
      schoolAddress: text(env, 'SCHOOL_ADDRESS', ''),
      city: text(env, 'SCHOOL_CITY', 'Samarinda'),
    },
    images: {
      maxInputPixels: integer(env, 'IMAGE_MAX_PIXELS', 40_000_000, 1_000_000, 200_000_000),
      maxDimension: integer(env, 'IMAGE_MAX_DIMENSION', 1280, 64, 8192),
    },
  };
}
