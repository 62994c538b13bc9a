import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon, { type Result } from 'autocannon';
import { npmStart } from '../test/helpers/compiled.js';

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

export async function waitFor(url: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
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

/** Signs in through the API and returns the bearer token. */
export async function signInToken(baseUrl: string, origin: string, account: { email: string; password: string }): Promise<string> {
  // Node's fetch sends Sec-Fetch-Mode like a browser, so Better Auth wants the Origin a browser would send.
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(account) });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
