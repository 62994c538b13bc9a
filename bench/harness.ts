import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon, { type Result } from 'autocannon';
import { npmStart, signInOverHttp, waitFor } from '../test/helpers/compiled.js';

export { waitFor };

/** What the bench scripts share: Core started as `npm start` starts it, its memory, autocannon. */

export function memoryMb(child: ChildProcess, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Resets the child's peak RSS to its current RSS (Linux: "5" to clear_refs) and returns that. */
export function resetPeakRss(child: ChildProcess): number {
  writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
  return memoryMb(child, 'VmRSS');
}

export function run(options: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Builds Core and its dashboard into dist/ once, as `npm start` does before it runs. */
export function buildCore(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}

/**
 * Core exactly as `npm start` runs it (compiled, with its Node flags), plus `extraFlags` (e.g.
 * `--cpu-prof`). Call buildCore() first.
 */
export function startCore(env: Record<string, string>, extraFlags: string[] = []): ChildProcess {
  const { flags, server } = npmStart();
  return spawn(process.execPath, [...extraFlags, ...flags, server], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Signs in through the API and returns the bearer token (a refusal stops the run). */
export async function signInToken(baseUrl: string, origin: string, account: { email: string; password: string }): Promise<string> {
  const token = await signInOverHttp(baseUrl, account, origin);
  if (!token) throw new Error(`sign-in of ${account.email} at ${baseUrl} was refused`);
  return token;
}
