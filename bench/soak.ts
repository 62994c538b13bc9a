/**
 * `npm run bench:soak`: Core on the seeded 50,000-student school under a school morning's mix for
 * ten minutes (SOAK_MINUTES), at 50 connections: 48 of them reading lists, searching, opening
 * their own account and statistics, 2,000 students asking for letters and reviewers approving
 * them; two signing in all the while. Each minute prints its requests, errors,
 * latency and Core's RSS, so a leak or a slowdown shows as a trend; the run fails on any 5xx or
 * refused request.
 *
 * SOAK_DATABASE_URL=postgres://… runs Core on that (empty, disposable) PostgreSQL database;
 * BENCH_CORE_FLAGS adds Node flags to Core (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Result } from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { bootstrap } from '../src/auth/bootstrap.js';
import { buildCore, memoryMb, run, signInToken, startCore, waitFor } from './harness.js';
import { createSignInAccounts, SCHOOL, seedLetters, seedSchool } from './seed.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const PORT = 3911;
const ADMIN = { email: 'admin@soak.sch.id', password: 'Soak-Admin-Password-1' };
const SEARCHES = ['sit', 'muh', 'rizk', 'ayu', 'put', 'dew', 'nug', 'saputra', 'siti ram', 'ahmad wij', '00000123'];
const PENDING = 20_000;

/** One request of the mix: what share of the traffic, and how to make it. */
interface Kind {
  share: number;
  make(): { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'core-soak-'));
  const env = {
    DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${PORT}`, LOG_LEVEL: 'warn',
    ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password,
    // Every sign-in comes from this one address; the per-address limit would stop them.
    SIGN_IN_MAX_PER_ADDRESS: '1000000',
    ...(process.env.SOAK_DATABASE_URL ? { DATABASE_URL: process.env.SOAK_DATABASE_URL } : {}),
  };
  const config = loadConfig(env);
  process.stdout.write(`Seeding ${SCHOOL.students} students and ${PENDING * 2} letters on ${config.database.kind}… `);
  const handle = createDb(config.database);
  await migrateToLatest(handle.db);
  await bootstrap(handle.db, config);
  const { studentToken } = await seedSchool(handle.db);
  const accounts = await createSignInAccounts(handle.db, 40);
  const reviewerId = (await handle.db.selectFrom('user').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow()).id;
  const { pendingIds } = await seedLetters(handle.db, config, { total: PENDING * 2, studentToken, reviewerId, pendingForApproval: PENDING });
  // Letters are asked for by many students, as in a school (one student asking for thousands would
  // make their own list the thing measured): the seeded live sessions of 2,000 students.
  const studentTokens = (
    await handle.db.selectFrom('session').innerJoin('user', 'user.id', 'session.userId').select('session.token')
      .where('user.type', '=', 'STUDENT').where('session.expiresAt', '>', new Date().toISOString()).limit(2000).execute()
  ).map((s) => s.token);
  await handle.close();
  console.log('done');

  buildCore();
  const core = startCore(env, process.env.BENCH_CORE_FLAGS?.split(' ').filter(Boolean) ?? []);
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor(`${base}/api/health`);
    const admin = { authorization: `Bearer ${await signInToken(base, config.publicUrl, ADMIN)}` };
    const students = studentTokens.map((token) => ({ authorization: `Bearer ${token}` }));
    const json = { 'content-type': 'application/json' };
    const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
    // Reviewers approve what is waiting: the seeded pending letters, then those asked for during the run.
    const waiting = [...pendingIds];
    let approved = 0;
    const kinds: Kind[] = [
      { share: 30, make: () => ({ method: 'GET', path: `/api/students?page=${1 + Math.floor(Math.random() * 50)}&limit=20`, headers: admin }) },
      { share: 15, make: () => ({ method: 'GET', path: `/api/students?search=${encodeURIComponent(pick(SEARCHES))}&limit=20`, headers: admin }) },
      { share: 20, make: () => ({ method: 'GET', path: '/api/users/me', headers: pick([admin, pick(students)]) }) },
      { share: 5, make: () => ({ method: 'GET', path: `/api/letters?page=${1 + Math.floor(Math.random() * 20)}&limit=20`, headers: admin }) },
      { share: 5, make: () => ({ method: 'GET', path: '/api/letters?limit=20', headers: pick(students) }) },
      { share: 5, make: () => ({ method: 'GET', path: '/api/stats', headers: admin }) },
      { share: 10, make: () => ({ method: 'GET', path: `/api/users?page=${1 + Math.floor(Math.random() * 50)}&limit=20`, headers: admin }) },
      {
        share: 5,
        make: () => ({
          method: 'POST', path: '/api/letters', headers: { ...pick(students), ...json },
          body: JSON.stringify({ letterType: 'DISPENSATION', subject: 'Lomba debat', reason: 'Mewakili sekolah', beginDate: '2026-03-30', endDate: '2026-03-30' }),
        }),
      },
      {
        share: 5,
        make: () => {
          const id = waiting.shift();
          if (!id) return { method: 'GET', path: '/api/users/me', headers: admin };
          approved += 1;
          return { method: 'POST', path: `/api/letters/${id}/actions`, headers: { ...admin, ...json }, body: JSON.stringify({ action: 'APPROVE' }) };
        },
      },
    ];
    const total = kinds.reduce((sum, k) => sum + k.share, 0);
    const mixed = () => {
      let roll = Math.random() * total;
      for (const kind of kinds) if ((roll -= kind.share) < 0) return kind.make();
      return kinds[0]!.make();
    };
    let nextAccount = 0;

    console.log(`\nCore soak — ${config.database.kind}, ${MINUTES} × 60 s, 48 connections of the mix + 2 signing in, Node ${process.version}\n`);
    console.log('| minute | requests | req/s | p50 ms | p99 ms | max ms | 4xx | 5xx | errors | sign-ins | Core RSS MB |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const totals = { requests: 0, failed: 0, serverErrors: 0 };
    for (let minute = 1; minute <= MINUTES; minute++) {
      const [mix, signIns] = await Promise.all([
        run({
          url: base, connections: 48, duration: 60,
          requests: [{
            setupRequest: (request) => ({ ...request, ...mixed() }),
            // Only a new letter answers 201: it joins the reviewers' queue.
            onResponse: (status, body) => {
              if (status === 201) waiting.push((JSON.parse(body) as { result: { id: string } }).result.id);
            },
          }],
        }),
        run({
          url: `${base}/api/auth/sign-in/email`, method: 'POST', connections: 2, duration: 60, headers: json,
          requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(accounts[nextAccount++ % accounts.length]) }) }],
        }),
      ]);
      const count = (r: Result, key: '4xx' | '5xx') => (r as unknown as Record<string, number>)[key] ?? 0;
      const requests = mix.requests.total + signIns.requests.total;
      const clientErrors = count(mix, '4xx') + count(signIns, '4xx');
      const serverErrors = count(mix, '5xx') + count(signIns, '5xx');
      totals.requests += requests;
      totals.failed += clientErrors + mix.errors + signIns.errors;
      totals.serverErrors += serverErrors;
      console.log(
        `| ${minute} | ${requests} | ${Math.round(requests / 60)} | ${mix.latency.p50} | ${mix.latency.p99} | ${mix.latency.max} | ${clientErrors} | ${serverErrors} | ${mix.errors + signIns.errors} | ${signIns.requests.total} | ${memoryMb(core, 'VmRSS')} |`,
      );
    }
    console.log(`\n${totals.requests} requests, ${totals.serverErrors} 5xx, ${totals.failed} other failures; ${approved} approvals, peak RSS ${memoryMb(core, 'VmHWM')} MB`);
    if (totals.serverErrors > 0 || totals.failed > 0) process.exitCode = 1;
  } finally {
    core.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
