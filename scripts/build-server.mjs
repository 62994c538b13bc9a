// Compiles the server's TypeScript (src/) into plain JavaScript modules, one file per source file:
// into dist/ for `npm start`, or into the folder given (the tests build their own copy). esbuild
// only strips types (`npm test` type-checks); running compiled code spares every thread of the
// server a TypeScript loader of its own (~135 MB of memory).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['src/**/*.ts'],
  outdir,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
