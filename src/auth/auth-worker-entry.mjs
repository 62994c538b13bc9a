// Worker threads on Node 20 do not inherit the TypeScript loader; this plain-JS entry loads the
// TypeScript worker through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./auth-worker.ts', import.meta.url);
