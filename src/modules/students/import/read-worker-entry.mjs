// Worker threads on Node 20 do not inherit the TypeScript loader; this plain-JS entry loads the
// TypeScript worker through tsx (as auth/auth-worker-entry.mjs does).
import { tsImport } from 'tsx/esm/api';

await tsImport('./read-worker.ts', import.meta.url);
