/**
 * `npm run bench`: starts Core on a temporary database seeded with a 50,000-student school, and a
 * bare Fastify hello-world, each in its own process; drives both with autocannon from this one;
 * prints req/s, latency percentiles and the server's peak RSS per scenario beside the baseline.
 *
 * BENCH_DATABASE_URL=postgres://… runs Core on that (empty, disposable) PostgreSQL database instead
 * of SQLite. BENCH_DURATION sets the seconds per scenario (default 10). BENCH_ONLY=text runs only the
 * scenarios whose name contains the text (e.g. BENCH_ONLY=/api/students). BENCH_CORE_FLAGS adds
 * Node flags to the Core process (`--cpu-prof --cpu-prof-dir=/tmp/prof` writes a profile at its exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { buildCore, memoryMb, resetPeakRss, run, signInToken, startCore, waitFor } from './harness.js';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { bootstrap } from '../src/auth/bootstrap.js';
import { createSignInAccounts, SCHOOL, seedClasses, seedLetters, seedSchool } from './seed.js';
import { currentAcademicYear } from '../src/modules/classes/academic-year.js';
import { cameraJpeg } from './images.js';
import { importWorkbook } from './import-file.js';
import { pngBomb } from '../test/helpers/files.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** Only the scenarios whose name contains this text (the baseline always runs). */
const ONLY = process.env.BENCH_ONLY;
// What an office types into the search box: the start of a name, of two words, or of a NISN.
const STUDENT_SEARCHES = ['sit', 'muh', 'rizk', 'ayu', 'put', 'dew', 'nug', 'saputra', 'siti ram', 'ahmad wij', 'sal', 'zah', '00000123', '0000456', 'han', 'kus'];
const CORE_PORT = 3901;
// PUBLIC_URL below matches CORE_PORT so the sign-in Origin is a trusted one.
const BASE_PORT = 3900;
const ADMIN = { email: 'admin@bench.sch.id', password: 'Bench-Admin-Password-1' };
const LETTERS = 100_000;

interface Row {
  scenario: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Shown as a multiple of the baseline (throughput scenarios at the baseline's concurrency). */
  compared: boolean;
  peakRssMb: number;
  note?: string;
}

function row(scenario: string, result: Result, child: ChildProcess, options: { note?: string; compared?: boolean } = {}): Row {
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${scenario}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return {
    scenario,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    compared: options.compared ?? false,
    peakRssMb: memoryMb(child, 'VmHWM'),
    ...(options.note ? { note: options.note } : {}),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'core-bench-'));
  const env = {
    DATA_DIR: dataDir,
    PORT: String(CORE_PORT),
    PUBLIC_URL: `http://127.0.0.1:${CORE_PORT}`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // The benchmark signs in hundreds of times from one address; the per-address limit is raised
    // for it (the per-account limit counts failures only, so it never trips here).
    SIGN_IN_MAX_PER_ADDRESS: '1000000',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  };

  const config = loadConfig(env);
  process.stdout.write(`Seeding a school of ${SCHOOL.students} students, ${SCHOOL.teachers} teachers, ${SCHOOL.staff} staff and ${LETTERS} letters on ${config.database.kind}… `);
  const seeded = Date.now();
  const handle = createDb(config.database);
  await migrateToLatest(handle.db);
  await bootstrap(handle.db, config);
  const { studentToken, people } = await seedSchool(handle.db);
  // Accounts to sign in with. The per-account limit counts sign-ins still in flight (so parallel
  // guesses cannot slip past it), so concurrent sign-ins are spread over many accounts, as in a school.
  const signInAccounts = await createSignInAccounts(handle.db, 40);
  const academicYear = currentAcademicYear(config);
  const { copySources } = await seedClasses(handle.db, academicYear, '2040/2041');
  const administratorId = (await handle.db.selectFrom('user').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow()).id;
  const { pendingIds } = await seedLetters(handle.db, config, { total: LETTERS, studentToken, reviewerId: administratorId, pendingForApproval: 2000 });
  await handle.close();
  console.log(`${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const baseline = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline.ts', String(BASE_PORT)], { stdio: 'inherit' });
  // Core exactly as `npm start` runs it (compiled into dist/, with its Node flags), plus
  // BENCH_CORE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server).
  buildCore();
  const core = startCore(env, process.env.BENCH_CORE_FLAGS?.split(' ').filter(Boolean) ?? []);
  const rows: Row[] = [];
  try {
    await waitFor(`http://127.0.0.1:${BASE_PORT}/`);
    await waitFor(`http://127.0.0.1:${CORE_PORT}/api/health`);
    const core_ = `http://127.0.0.1:${CORE_PORT}`;

    const token = await signInToken(core_, config.publicUrl, ADMIN);
    const check = await fetch(`${core_}/api/users/me`, { headers: { authorization: `Bearer ${token}` } });
    if (!check.ok) throw new Error(`GET /api/users/me answered ${check.status}: ${await check.text()}`);

    // Warm both servers (JIT, statement caches) before measuring.
    await run({ url: `http://127.0.0.1:${BASE_PORT}/`, connections: 50, duration: 2 });
    await run({ url: `${core_}/api/users/me`, connections: 50, duration: 2, headers: { authorization: `Bearer ${token}` } });

    const measureBaseline = async (when: string) =>
      row(`bare Fastify hello-world (baseline, ${when})`, await run({ url: `http://127.0.0.1:${BASE_PORT}/`, connections: 50, duration: DURATION }), baseline, { compared: true });
    rows.push(await measureBaseline('first'));

    // One scenario against Core: skipped unless its name contains BENCH_ONLY (when set).
    const measure = async (scenario: string, options: autocannon.Options, extra: { note?: string; compared?: boolean } = {}) => {
      if (ONLY && !scenario.includes(ONLY)) return;
      rows.push(row(scenario, await run({ connections: 50, duration: DURATION, ...options }), core, extra));
    };
    const asAdministrator = { authorization: `Bearer ${token}` };
    // Requests spread over pages (or searches) at random, as many users would ask for them.
    const spread = (paths: (i: number) => string, count: number) => ({
      requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: paths(1 + Math.floor(Math.random() * count)) }) }],
    });

    for (const [who, bearer] of [['a student', studentToken], ['the administrator', token]] as const) {
      await measure(`GET /api/users/me as ${who}, bearer, 50 conn`, { url: `${core_}/api/users/me`, headers: { authorization: `Bearer ${bearer}` } }, { compared: true });
    }
    // Latency without queueing: at 50 connections p99 can never be below 50 / throughput.
    await measure('GET /api/users/me as a student, bearer, 10 conn', { url: `${core_}/api/users/me`, connections: 10, headers: { authorization: `Bearer ${studentToken}` } });

    // Pages of a list: the first fifty, as an office browsing would ask for them, and any page at
    // all, where each deep page walks an index past every row before it.
    for (const [list, total, note] of [['users', people, 'accounts, sorted by name'], ['students', SCHOOL.students, 'full Dapodik records, sorted by name']] as const) {
      for (const pages of [50, Math.ceil(total / 20)]) {
        await measure(
          `GET /api/${list}?page=N&limit=20, ${pages === 50 ? 'N in 1..50' : `any N in 1..${pages}`}, 50 conn`,
          { url: `${core_}/api/${list}`, headers: asAdministrator, ...spread((n) => `/api/${list}?page=${n}&limit=20`, pages) },
          { note, compared: true },
        );
      }
    }
    await measure(
      'GET /api/students?search=<prefix>&limit=20, 50 conn',
      { url: `${core_}/api/students`, headers: asAdministrator, ...spread((n) => `/api/students?search=${encodeURIComponent(STUDENT_SEARCHES[n - 1]!)}&limit=20`, STUDENT_SEARCHES.length) },
      { note: `${STUDENT_SEARCHES.length} prefixes: names, two words, NISN`, compared: true },
    );

    // Letters: a reviewer pages through all of them, a student through the ones they applied for or are cc'd on.
    await measure(
      `GET /api/letters?page=N&limit=20 as a reviewer, N in 1..50 of ${LETTERS}, 50 conn`,
      { url: `${core_}/api/letters`, headers: asAdministrator, ...spread((n) => `/api/letters?page=${n}&limit=20`, 50) },
      { compared: true, note: 'newest first' },
    );
    await measure(
      'GET /api/letters?page=N&limit=20 as a student, N in 1..3, 50 conn',
      { url: `${core_}/api/letters`, headers: { authorization: `Bearer ${studentToken}` }, ...spread((n) => `/api/letters?page=${n}&limit=20`, 3) },
      { compared: true, note: 'applied for 25, cc’d on 25' },
    );

    await measure('GET /api/health, 50 conn', { url: `${core_}/api/health` }, { compared: true });

    // The web dashboard: its page (any address outside /api) and its main script, as browsers fetch them.
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(readFileSync('dist/web/index.html', 'utf8'))![1]!;
    await measure('GET /students (the dashboard page), 50 conn', { url: `${core_}/students` }, { compared: true, note: 'index.html, no-cache' });
    await measure(
      `GET ${script.replace(/-[\w-]+\.js$/, '-….js')} (the dashboard's script, Brotli), 50 conn`,
      { url: `${core_}${script}`, headers: { 'accept-encoding': 'gzip, deflate, br' } },
      { compared: true, note: `${Math.round(statSync(`dist/web${script}.br`).size / 1024)} KB of ${Math.round(statSync(`dist/web${script}`).size / 1024)} KB; browsers keep it a year` },
    );

    // Statistics over the whole school: cached until something changes, and computed afresh
    // (a different `asOf` each time is a different cache entry).
    await measure('GET /api/stats, 50 conn (cached)', { url: `${core_}/api/stats`, headers: asAdministrator }, { compared: true, note: 'every statistic in one answer' });
    await measure('GET /api/stats, 1 conn (cached)', { url: `${core_}/api/stats`, connections: 1, headers: asAdministrator }, { note: 'latency without queueing' });
    await measure(
      'GET /api/stats, 1 conn, every answer computed afresh',
      { url: `${core_}/api/stats`, connections: 1, headers: asAdministrator, ...spread((n) => `/api/stats?asOf=${new Date(Date.UTC(2020, 0, n)).toISOString().slice(0, 10)}`, 100_000) },
      { note: 'asOf varies, so no cache hit' },
    );

    // Writes that happen once in a while, timed one request at a time.
    const timed = async (scenario: string, requests: (() => Promise<Response>)[], note: string, expectedStatus?: number) => {
      if (ONLY && !scenario.includes(ONLY)) return;
      const times: number[] = [];
      for (const send of requests) {
        const started = performance.now();
        const response = await send();
        const body = await response.text();
        times.push(performance.now() - started);
        if (expectedStatus ? response.status !== expectedStatus : !response.ok) throw new Error(`${scenario}: ${response.status} ${body}`);
      }
      times.sort((a, b) => a - b);
      const total = times.reduce((a, b) => a + b, 0);
      rows.push({
        scenario, reqPerSec: Math.round((times.length / total) * 1000), p50: Math.round(times[Math.floor(times.length / 2)]!),
        p99: Math.round(times.at(-1)!), compared: false, peakRssMb: memoryMb(core, 'VmHWM'), note,
      });
    };
    const post = (path: string, body: unknown) => () =>
      fetch(`${core_}${path}`, { method: 'POST', headers: { ...asAdministrator, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await timed('POST /api/classes/:id/copy, a 40-student class, one at a time', copySources.map((id) => post(`/api/classes/${id}/copy`, {})), `${copySources.length} copies; p99 column = slowest`);
    await timed('POST /api/classes/rollover, 36 classes × 36 students, dry run', [post('/api/classes/rollover', { dryRun: true })], 'one request');
    await timed('POST /api/classes/rollover, 36 classes × 36 students, applied', [post('/api/classes/rollover', { dryRun: false })], 'one request, one transaction');

    // Profile images: a 12 MP camera JPEG (noise, so it compresses as badly as a photo can: the
    // worst case under the 10 MiB cap) and a 50,000 × 50,000 PNG bomb of a few KB. The server's
    // peak RSS is reset first (Linux clear_refs), so the growth is the uploads' own.
    if (!ONLY || 'POST /api/users/me/image'.includes(ONLY)) {
      const photo = await cameraJpeg();
      const upload = (bytes: Buffer, name: string, type: string) => async () => {
        const form = new FormData();
        form.append('image', new Blob([new Uint8Array(bytes)], { type }), name);
        const request = new Request(`${core_}/api/users/me/image`, { method: 'POST', body: form });
        const body = Buffer.from(await request.arrayBuffer());
        return fetch(request.url, { method: 'POST', headers: { ...asAdministrator, 'content-type': request.headers.get('content-type')! }, body });
      };
      const rssBefore = resetPeakRss(core);
      await timed(`POST /api/users/me/image, 12 MP JPEG (${(photo.length / 2 ** 20).toFixed(1)} MiB), one at a time`, Array.from({ length: 20 }, () => upload(photo, 'kamera.jpg', 'image/jpeg')), '20 uploads');
      rows.at(-1)!.note += `; RSS growth ${memoryMb(core, 'VmHWM') - rssBefore} MB`;
      const rssBeforeParallel = resetPeakRss(core);
      const started = performance.now();
      const parallel = await Promise.all(Array.from({ length: 4 }, () => upload(photo, 'kamera.jpg', 'image/jpeg')()));
      if (parallel.some((r) => !r.ok)) throw new Error('parallel image upload failed');
      rows.push({
        scenario: 'POST /api/users/me/image, 12 MP JPEG, 4 at once', reqPerSec: 0, p50: 0, p99: Math.round(performance.now() - started),
        compared: false, peakRssMb: memoryMb(core, 'VmHWM'), note: `p99 column = all four done; RSS growth ${memoryMb(core, 'VmHWM') - rssBeforeParallel} MB`,
      });
      await timed('POST /api/users/me/image, 50,000 × 50,000 PNG bomb, refused', Array.from({ length: 20 }, () => upload(pngBomb(), 'bom.png', 'image/png')), `${pngBomb().length} bytes; 413 expected`, 413);
    }

    // Approvals: 20 reviewers at once, each request the next pending letter; every one takes the
    // next number of its type in one transaction.
    if (!ONLY || 'POST /api/letters/:id/actions'.includes(ONLY)) {
      let nextLetter = 0;
      const approvals = await run({
        url: `${core_}/api/letters`,
        method: 'POST',
        connections: 20,
        amount: pendingIds.length,
        headers: { ...asAdministrator, 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, path: `/api/letters/${pendingIds[nextLetter++]}/actions`, body: '{"action":"APPROVE"}' }) }],
      });
      rows.push(row('POST /api/letters/:id/actions APPROVE, 20 reviewers at once', approvals, core, { note: `${pendingIds.length} approvals, each numbered` }));
    }

    // Imports: a 10,000-row and a 50,000-row workbook (every column filled), uploaded as the office
    // would; during the second, 10 connections keep reading student pages. Peak RSS reset first.
    if (!ONLY || 'POST /api/students/import'.includes(ONLY)) {
      const importOnce = async (count: number, first: number) => {
        const file = await importWorkbook(count, first);
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(file)]), `siswa-${count}.xlsx`);
        const request = new Request(`${core_}/api/students/import`, { method: 'POST', body: form });
        const body = Buffer.from(await request.arrayBuffer());
        const rssBefore = resetPeakRss(core);
        const started = performance.now();
        const response = await fetch(request.url, { method: 'POST', headers: { ...asAdministrator, 'content-type': request.headers.get('content-type')! }, body });
        const report = (await response.json()) as { result: { created: number; failed: number } };
        const seconds = (performance.now() - started) / 1000;
        if (!response.ok || report.result.created !== count) throw new Error(`import of ${count}: ${response.status} ${JSON.stringify(report).slice(0, 300)}`);
        return { seconds, mib: file.length / 2 ** 20, peak: memoryMb(core, 'VmHWM'), growth: memoryMb(core, 'VmHWM') - rssBefore };
      };
      const small = await importOnce(10_000, 8_100_000_000);
      rows.push({
        scenario: `POST /api/students/import, 10,000 rows XLSX (${small.mib.toFixed(1)} MiB)`, reqPerSec: 0, p50: Math.round(small.seconds * 1000), p99: 0, compared: false,
        peakRssMb: small.peak, note: `${small.seconds.toFixed(1)} s, ${Math.round(10_000 / small.seconds)} rows/s, RSS +${small.growth} MB`,
      });
      let stopReaders = () => {};
      const readersDone = new Promise<Result>((resolve, reject) => {
        const readers = autocannon(
          { url: `${core_}/api/students`, connections: 10, duration: 600, headers: asAdministrator, ...spread((n) => `/api/students?page=${n}&limit=20`, 50) },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        stopReaders = () => readers.stop();
      });
      const large = await importOnce(50_000, 8_200_000_000);
      stopReaders();
      const during = await readersDone;
      rows.push({
        scenario: `POST /api/students/import, 50,000 rows XLSX (${large.mib.toFixed(1)} MiB)`, reqPerSec: 0, p50: Math.round(large.seconds * 1000), p99: 0, compared: false,
        peakRssMb: large.peak, note: `${large.seconds.toFixed(1)} s, ${Math.round(50_000 / large.seconds)} rows/s, RSS +${large.growth} MB`,
      });
      // Failures are the finding here, so they are counted rather than stopping the run.
      rows.push({
        scenario: 'GET /api/students?page=N (1..50), 10 conn, during the 50,000-row import', reqPerSec: Math.round(during.requests.average),
        p50: during.latency.p50, p99: during.latency.p99, compared: false, peakRssMb: memoryMb(core, 'VmHWM'),
        note: `${during.errors + during.non2xx} failed of ${during.requests.total}; max ${during.latency.max} ms`,
      });
    }

    let next = 0;
    const signIn = (connections: number, limit: { amount: number } | { duration: number }) =>
      run({
        url: `${core_}/api/auth/sign-in/email`,
        method: 'POST',
        connections,
        ...limit,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => ({ ...request, body: JSON.stringify(signInAccounts[next++ % signInAccounts.length]) }),
          },
        ],
      });
    if (!ONLY || 'POST /api/auth/sign-in/email'.includes(ONLY)) {
      rows.push(row('POST /api/auth/sign-in/email, 1 conn', await signIn(1, { amount: 100 }), core, { note: 'argon2id m=19 MiB t=2 p=1 per sign-in' }));

      // The event loop must stay free while passwords are hashed: health latency under 20 sign-ins at once.
      const [signIns, healthUnderLoad] = await Promise.all([
        signIn(20, { duration: DURATION }),
        run({ url: `${core_}/api/health`, connections: 5, duration: DURATION }),
      ]);
      rows.push(row('POST /api/auth/sign-in/email, 20 conn', signIns, core));
      rows.push(row('GET /api/health, 5 conn, during 20 sign-ins', healthUnderLoad, core, { note: 'event loop stays free' }));
    }

    rows.push(await measureBaseline('last'));
  } finally {
    baseline.kill('SIGTERM');
    core.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }

  // The baseline is measured before and after Core's scenarios; ratios use the faster of the two,
  // so a slow moment of this (shared) machine cannot flatter Core.
  const baselineReqPerSec = Math.max(...rows.filter((r) => r.scenario.startsWith('bare')).map((r) => r.reqPerSec));
  console.log(`\nCore bench — ${config.database.kind}, ${DURATION} s per scenario, Node ${process.version}\n`);
  console.log('| scenario | req/s | p50 ms | p99 ms | × baseline | server peak RSS MB | note |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const ratio = r.compared ? (r.reqPerSec / baselineReqPerSec).toFixed(2) : '';
    console.log(`| ${r.scenario} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${ratio} | ${r.peakRssMb} | ${r.note ?? ''} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
