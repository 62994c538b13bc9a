/**
 * `npm run bench:faults`: Core under the faults a school's server meets, each against the real
 * server process (compiled, as `npm start` runs it) on a fresh database, printing what happened:
 *
 * 1. kill -9 during a 50,000-row import (at 30 %, 60 % and 90 % of a clean import's time): after a
 *    restart the import is there entirely or not at all, every acknowledged import is there, and
 *    (SQLite) `PRAGMA integrity_check` and `foreign_key_check` are clean.
 * 2. kill -9 during a burst of letter approvals (20 reviewers at once): every acknowledged approval
 *    is there with the number it was given, numbers are unique and gapless, and numbering goes on
 *    after the restart.
 * With FAULTS_DATABASE_URL=postgres://… (a server where it may create databases) both also run on
 * PostgreSQL, and two more:
 * 3. PostgreSQL stopped while Core runs (`pg_ctlcluster $FAULTS_PG_CLUSTER stop`, default "15 main";
 *    the cluster is started again): readiness and data routes answer 503, Core stays up, and it
 *    recovers by itself once PostgreSQL is back.
 * 4. Two Core instances on two ports sharing the database and an S3-compatible store (s3rver): a
 *    session from one works on the other, a sign-out on one is honoured by the other at once, a file
 *    uploaded through one is served by the other, and letter numbers stay unique across both.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import S3rver from 's3rver';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/index.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.js';
import { fullStudent } from '../test/helpers/people.js';
import { PDF } from '../test/helpers/files.js';
import { buildCore, signInToken, startCore, waitFor } from './harness.js';
import { importWorkbook } from './import-file.js';

const ADMIN = { email: 'admin@faults.sch.id', password: 'Faults-Admin-Password-1' };
const PG_URL = process.env.FAULTS_DATABASE_URL;
const PG_CLUSTER = (process.env.FAULTS_PG_CLUSTER ?? '15 main').split(' ');
const results: { scenario: string; database: string; result: string }[] = [];
let ok = true;

function check(condition: boolean, what: string): void {
  if (!condition) {
    ok = false;
    console.error(`  FAILED: ${what}`);
  }
}

const freshDatabase = (kind: 'sqlite' | 'postgres'): Promise<TestDatabase> => createTestDatabase({ kind, serverUrl: PG_URL });

interface Instance {
  process: ChildProcess;
  url: string;
  exited: Promise<void>;
}

async function start(database: TestDatabase, port: number, extra: Record<string, string> = {}): Promise<Instance> {
  const url = `http://127.0.0.1:${port}`;
  const child = startCore({
    DATA_DIR: database.dataDir, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url,
    ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'fatal', SIGN_IN_MAX_PER_ADDRESS: '1000000', ...extra,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`${url}/api/health/ready`, { tries: 600, child });
  return { process: child, url, exited };
}

async function kill9(instance: Instance): Promise<void> {
  instance.process.kill('SIGKILL');
  await instance.exited;
}

async function stop(instance: Instance): Promise<void> {
  instance.process.kill('SIGTERM');
  await instance.exited;
}

/** The database directly, as Core would open it (after Core has stopped, for SQLite's checks). */
async function inspect<T>(database: TestDatabase, read: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
  const handle = createDb(loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url }).database);
  try {
    return await read(handle.db);
  } finally {
    await handle.close();
  }
}

const count = async (db: ReturnType<typeof createDb>['db'], query: string) => Number(((await sql.raw<{ n: number | string }>(query).execute(db)).rows[0]!.n));

async function sqliteChecks(database: TestDatabase): Promise<string> {
  if (database.kind !== 'sqlite') return '';
  return inspect(database, async (db) => {
    const integrity = (await sql.raw<{ integrity_check: string }>('PRAGMA integrity_check').execute(db)).rows.map((r) => r.integrity_check).join(' ');
    const foreignKeys = (await sql.raw('PRAGMA foreign_key_check').execute(db)).rows.length;
    check(integrity === 'ok', `integrity_check: ${integrity}`);
    check(foreignKeys === 0, `${foreignKeys} foreign key violations`);
    return `; integrity_check ${integrity}, ${foreignKeys} foreign key violations`;
  });
}

async function importKilled(kind: 'sqlite' | 'postgres', file: Buffer): Promise<void> {
  const send = (instance: Instance, token: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'murid-baru.xlsx');
    return fetch(`${instance.url}/api/students/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  };
  // A clean import first, for its duration.
  const clean = await freshDatabase(kind);
  let instance = await start(clean, 3921);
  let started = Date.now();
  const answer = await send(instance, await signInToken(instance.url, instance.url, ADMIN));
  const seconds = (Date.now() - started) / 1000;
  check(answer.status === 200, `clean import answered ${answer.status}`);
  await stop(instance);
  await clean.drop();
  results.push({ scenario: 'clean 50,000-row import (reference)', database: kind, result: `${seconds.toFixed(1)} s` });

  for (const fraction of [0.3, 0.6, 0.9]) {
    const database = await freshDatabase(kind);
    instance = await start(database, 3921);
    const token = await signInToken(instance.url, instance.url, ADMIN);
    started = Date.now();
    let acknowledged = false;
    const pending = send(instance, token).then((r) => (acknowledged = r.status === 200), () => false);
    await new Promise((r) => setTimeout(r, seconds * fraction * 1000));
    await kill9(instance);
    await pending;
    instance = await start(database, 3921);
    const api = await fetch(`${instance.url}/api/students?limit=1`, { headers: { authorization: `Bearer ${await signInToken(instance.url, instance.url, ADMIN)}` } });
    const listed = ((await api.json()) as { meta: { total: number } }).meta.total;
    await stop(instance);
    const state = await inspect(database, async (db) => ({
      students: await count(db, 'SELECT count(*) AS n FROM student'),
      accounts: await count(db, `SELECT count(*) AS n FROM "user" WHERE type = 'STUDENT'`),
      orphanTokens: await count(db, 'SELECT count(*) AS n FROM person_search s WHERE NOT EXISTS (SELECT 1 FROM student p WHERE p.id = s."personId") AND s.kind = \'student\''),
    }));
    check(state.students === 0 || state.students === 50_000, `${state.students} students: half an import`);
    check(state.accounts === state.students, `${state.accounts} student accounts for ${state.students} students`);
    check(state.orphanTokens === 0, `${state.orphanTokens} search rows without their student`);
    check(!acknowledged || state.students === 50_000, 'an acknowledged import is missing');
    check(listed === state.students, `the API lists ${listed}`);
    const integrity = await sqliteChecks(database);
    results.push({
      scenario: `kill -9 at ${Math.round(fraction * 100)} % of a 50,000-row import (${(seconds * fraction).toFixed(1)} s)`,
      database: kind,
      result: `${acknowledged ? 'acknowledged' : 'not acknowledged'}; after restart ${state.students} students, ${state.accounts} accounts, ${state.orphanTokens} stray rows${integrity}`,
    });
    await database.drop();
  }
}

/** Letters waiting for review, asked for through the API by one student. */
async function pendingLetters(instance: Instance, admin: string, count: number): Promise<string[]> {
  const body = fullStudent({ password: 'Student-Password-1' });
  const created = await fetch(`${instance.url}/api/students`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (created.status !== 201) throw new Error(`student: ${created.status} ${await created.text()}`);
  const student = await signInToken(instance.url, instance.url, { email: body.email, password: 'Student-Password-1' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const letter = await fetch(`${instance.url}/api/letters`, {
      method: 'POST', headers: { authorization: `Bearer ${student}`, 'content-type': 'application/json' },
      body: JSON.stringify({ letterType: 'ACTIVE_STATEMENT', subject: 'Surat keterangan aktif', reason: 'Beasiswa' }),
    });
    ids.push(((await letter.json()) as { result: { id: string } }).result.id);
  }
  return ids;
}

/** Approves from the queue with `reviewers` at once until it is empty or `stopAt` passes; the acknowledged numbers. */
async function approve(instances: Instance[], tokens: string[], queue: string[], reviewers: number, stopAt = Infinity) {
  const acknowledged = new Map<string, string>();
  await Promise.all(Array.from({ length: reviewers }, async (_, r) => {
    while (queue.length > 0 && Date.now() < stopAt) {
      const id = queue.shift()!;
      const which = r % instances.length;
      try {
        const response = await fetch(`${instances[which]!.url}/api/letters/${id}/actions`, {
          method: 'POST', headers: { authorization: `Bearer ${tokens[which]}`, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'APPROVE' }),
        });
        if (response.status === 200) acknowledged.set(id, ((await response.json()) as { result: { letterNumber: string } }).result.letterNumber);
      } catch {
        return; // the server is gone
      }
    }
  }));
  return acknowledged;
}

async function numbering(database: TestDatabase, acknowledged: Map<string, string>) {
  return inspect(database, async (db) => {
    const approved = await db.selectFrom('letter').select(['id', 'letterNumber', 'sequence']).where('status', '=', 'APPROVED').execute();
    const byId = new Map(approved.map((l) => [l.id, l]));
    const lost = [...acknowledged].filter(([id, number]) => byId.get(id)?.letterNumber !== number).length;
    const numbers = approved.map((l) => l.letterNumber);
    const duplicates = numbers.length - new Set(numbers).size;
    const sequences = approved.map((l) => Number(l.sequence)).sort((a, b) => a - b);
    const gapless = sequences.every((s, i) => s === i + 1);
    check(lost === 0, `${lost} acknowledged approvals lost or renumbered`);
    check(duplicates === 0, `${duplicates} duplicate letter numbers`);
    check(gapless, 'letter numbers have gaps');
    return { approved: approved.length, lost, duplicates, gapless };
  });
}

async function approvalsKilled(kind: 'sqlite' | 'postgres'): Promise<void> {
  const database = await freshDatabase(kind);
  let instance = await start(database, 3922);
  let admin = await signInToken(instance.url, instance.url, ADMIN);
  // Enough letters that the reviewers are still at it when the kill comes (SQLite approves ~1,000 a second).
  const queue = await pendingLetters(instance, admin, 2500);
  const total = queue.length;
  const killAt = Date.now() + 1000;
  const burst = approve([instance], [admin], queue, 20);
  await new Promise((r) => setTimeout(r, killAt - Date.now()));
  await kill9(instance);
  const acknowledged = await burst;
  instance = await start(database, 3922);
  await stop(instance);
  const afterCrash = await numbering(database, acknowledged);
  const integrity = await sqliteChecks(database);
  // After the restart the rest are approved, and numbering carries on where it stopped.
  instance = await start(database, 3922);
  admin = await signInToken(instance.url, instance.url, ADMIN);
  const rest = (await inspect(database, (db) => db.selectFrom('letter').select('id').where('status', '=', 'PENDING').execute())).map((l) => l.id);
  const later = await approve([instance], [admin], rest, 20);
  await stop(instance);
  const final = await numbering(database, new Map([...acknowledged, ...later]));
  check(final.approved === total, `${final.approved} of ${total} approved in the end`);
  results.push({
    scenario: `kill -9 during 20 reviewers approving ${total} letters`,
    database: kind,
    result: `${acknowledged.size} acknowledged before the kill, ${afterCrash.approved} approved after restart, ${afterCrash.lost} lost, ${afterCrash.duplicates} duplicate numbers, gapless ${afterCrash.gapless}${integrity}; then all ${final.approved} approved, ${final.duplicates} duplicates, gapless ${final.gapless}`,
  });
  await database.drop();
}

async function postgresStopped(): Promise<void> {
  const database = await freshDatabase('postgres');
  const instance = await start(database, 3923);
  const admin = await signInToken(instance.url, instance.url, ADMIN);
  const get = async (url: string, auth = true) => {
    try {
      return (await fetch(`${instance.url}${url}`, auth ? { headers: { authorization: `Bearer ${admin}` } } : {})).status;
    } catch {
      return 0; // no answer at all
    }
  };
  execFileSync('pg_ctlcluster', [...PG_CLUSTER, 'stop', '-m', 'fast']);
  let during: number[] = [];
  try {
    await new Promise((r) => setTimeout(r, 1000));
    during = [await get('/api/health/ready', false), await get('/api/students'), await get('/api/users/me'), await get('/api/health', false)];
  } finally {
    execFileSync('pg_ctlcluster', [...PG_CLUSTER, 'start']);
  }
  const back = Date.now();
  let recovered = -1;
  for (let i = 0; i < 300; i++) {
    if ((await get('/api/health/ready', false)) === 200 && (await get('/api/students')) === 200) {
      recovered = (Date.now() - back) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  check(during.slice(0, 3).every((s) => s === 503), `while stopped: ${during.join(', ')}`);
  check(during[3] === 200, 'Core stopped serving /api/health');
  check(recovered >= 0, 'did not recover within 30 s');
  results.push({
    scenario: 'PostgreSQL stopped while Core runs',
    database: 'postgres',
    result: `ready, /api/students, /api/users/me → ${during.slice(0, 3).join(', ')}; /api/health → ${during[3]}; recovered ${recovered.toFixed(1)} s after PostgreSQL was back`,
  });
  await stop(instance);
  await database.drop();
}

async function twoInstances(): Promise<void> {
  const database = await freshDatabase('postgres');
  const s3Dir = mkdtempSync(path.join(tmpdir(), 'core-faults-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'core', configs: [] }] });
  const { port } = await s3.run();
  const shared = {
    AUTH_SECRET: 'faults-shared-secret-0123456789abcdef0123456789abcdef', STORAGE_DRIVER: 's3', S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: 'core',
    S3_REGION: 'ap-southeast-3', S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const a = await start(database, 3924, shared);
  const b = await start(database, 3925, shared);
  try {
    const token = await signInToken(a.url, a.url, ADMIN);
    const me = (instance: Instance, bearer: string) => fetch(`${instance.url}/api/users/me`, { headers: { authorization: `Bearer ${bearer}` } }).then((r) => r.status);
    const sessionOnB = await me(b, token);

    const presigned = await fetch(`${a.url}/api/presigned`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'surat.pdf', fileType: 'application/pdf', fileSize: String(PDF.length), type: 'letter-attachment' }),
    });
    const upload = ((await presigned.json()) as { result: { url: string; key: string } }).result;
    const put = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-acl': 'public-read' }, body: new Uint8Array(PDF) });
    const fileOnB = await fetch(`${b.url}/api/files/${upload.key}`, { headers: { authorization: `Bearer ${token}` } });
    const sameFile = fileOnB.status === 200 && Buffer.from(await fileOnB.arrayBuffer()).equals(PDF);

    const other = await signInToken(b.url, b.url, ADMIN);
    const queue = await pendingLetters(a, token, 300);
    const acknowledged = await approve([a, b], [token, other], queue, 20);
    await fetch(`${a.url}/api/auth/sign-out`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const afterSignOut = await me(b, token);
    const letters = await numbering(database, acknowledged);

    check(sessionOnB === 200, `a session from A on B: ${sessionOnB}`);
    check(put.status === 200 && sameFile, `a file uploaded through A from B: ${fileOnB.status}`);
    check(afterSignOut === 401, `B after sign-out on A: ${afterSignOut}`);
    check(acknowledged.size === 300, `${acknowledged.size} of 300 approvals acknowledged`);
    results.push({
      scenario: 'two instances, one PostgreSQL, one S3 store',
      database: 'postgres',
      result: `A's session on B → ${sessionOnB}; file uploaded via A, read via B → ${fileOnB.status}${sameFile ? ' (same bytes)' : ''}; signed out on A, B at once → ${afterSignOut}; 300 approvals split over both: ${letters.approved} numbered, ${letters.duplicates} duplicates, gapless ${letters.gapless}`,
    });
  } finally {
    await stop(a);
    await stop(b);
    await s3.close().catch(() => undefined);
    rmSync(s3Dir, { recursive: true, force: true });
    await database.drop();
  }
}

async function main(): Promise<void> {
  buildCore();
  process.stdout.write('Writing a 50,000-row workbook… ');
  const file = await importWorkbook(50_000, 500_000);
  console.log(`${(file.length / 2 ** 20).toFixed(1)} MiB`);
  for (const kind of PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
    console.log(`${kind}: import killed…`);
    await importKilled(kind, file);
    console.log(`${kind}: approvals killed…`);
    await approvalsKilled(kind);
  }
  if (PG_URL) {
    console.log('postgres: stopped under Core…');
    await postgresStopped();
    console.log('postgres: two instances…');
    await twoInstances();
  }
  console.log('\n| scenario | database | result |\n|---|---|---|');
  for (const r of results) console.log(`| ${r.scenario} | ${r.database} | ${r.result} |`);
  console.log(ok ? '\nEvery check held.' : '\nSome checks FAILED (above).');
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
