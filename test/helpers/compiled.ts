import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Core compiled as `npm start` compiles it, into a folder of this test file's own (test files run
 * in parallel; the folder sits inside the project so the compiled modules find node_modules).
 * `node(script)` gives the arguments `npm start` passes to Node, with `script` (a path relative
 * to src/, compiled) in place of the server.
 */
export function compileCore(): { node(script: string): string[]; remove(): void } {
  const dir = path.join('.scratch', `compiled-${process.pid}-${Date.now()}`);
  execFileSync(process.execPath, ['scripts/build-server.mjs', dir], { stdio: 'inherit' });
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  const flags = start.slice(1, -1);
  if (start[0] !== 'node' || start.at(-1) !== 'dist/server.js') throw new Error(`unexpected start script: ${start.join(' ')}`);
  return {
    node: (script) => [...flags, path.join(dir, script)],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
