import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * How `npm start` runs Core: the Node flags of package.json's start script and the compiled server
 * it starts (`node <flags> dist/server.js`). The tests and the bench scripts start Core this way.
 */
export function npmStart(): { flags: string[]; server: string } {
  const words = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  if (words[0] !== 'node' || words.at(-1) !== 'dist/server.js') throw new Error(`unexpected start script: ${words.join(' ')}`);
  return { flags: words.slice(1, -1), server: words.at(-1)! };
}

/**
 * Core compiled as `npm start` compiles it, into a folder of this test file's own (test files run
 * in parallel; the folder sits inside the project so the compiled modules find node_modules).
 * `node(script)` gives the arguments `npm start` passes to Node, with `script` (a path relative
 * to src/, compiled) in place of the server.
 */
export function compileCore(): { node(script: string): string[]; remove(): void } {
  const dir = path.join('.scratch', `compiled-${process.pid}-${Date.now()}`);
  execFileSync(process.execPath, ['scripts/build-server.mjs', dir], { stdio: 'inherit' });
  const { flags } = npmStart();
  return {
    node: (script) => [...flags, path.join(dir, script)],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Waits until `url` answers 2xx; fails at once if `child` (the server being waited for) exits. */
export async function waitFor(url: string, options: { tries?: number; child?: ChildProcess } = {}): Promise<void> {
  for (let i = 0; i < (options.tries ?? 200); i++) {
    if (options.child && options.child.exitCode !== null) throw new Error(`the server exited before ${url} answered`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Signs in over HTTP to a running Core: the bearer token, or undefined when refused. */
export async function signInOverHttp(baseUrl: string, account: { email: string; password: string }, origin = baseUrl): Promise<string | undefined> {
  // Node's fetch sends Sec-Fetch-Mode like a browser, so Better Auth wants the Origin a browser would send.
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(account) });
  return response.ok ? ((await response.json()) as { token: string }).token : undefined;
}
