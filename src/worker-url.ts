/**
 * Where a worker thread's code is. `npm start` runs the JavaScript compiled into dist/ (npm run
 * build:server), where the worker is a plain module beside its caller. From the TypeScript sources
 * (tests, `npm run dev`, the CLI) the worker starts through its `-entry.mjs`, which loads it with
 * tsx: on Node 20 a worker does not inherit the parent's TypeScript loader.
 */
export function workerUrl(callerUrl: string, name: string): URL {
  const compiled = !callerUrl.endsWith('.ts');
  return new URL(compiled ? `./${name}.js` : `./${name}-entry.mjs`, callerUrl);
}
