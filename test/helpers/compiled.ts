import { execFileSync } from 'node:child_process';
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
