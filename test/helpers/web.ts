import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { compileCore, waitFor } from './compiled.js';
import { freePort } from './ports.js';

/** The dashboard built as `npm run build` builds it, into a folder of the calling test's own. */
export async function buildDashboard(): Promise<{ dir: string; remove(): void }> {
  const dir = path.resolve('.scratch', `web-${process.pid}-${Date.now()}`);
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningCore {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Core compiled and started as `npm start` starts it, on a free port, ready when this returns. */
export async function startCompiledCore(env: Record<string, string>): Promise<RunningCore> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const compiled = compileCore();
  const server: ChildProcess = spawn(process.execPath, compiled.node('server.js'), {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  const stop = async () => {
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    server.kill('SIGKILL');
    compiled.remove();
  };
  try {
    await waitFor(`${url}/api/health/ready`, { tries: 300, child: server });
  } catch (error) {
    await stop();
    throw new Error(`Core did not become ready (${(error as Error).message}):\n${output}`);
  }
  return { url, output: () => output, stop };
}

/**
 * Debian's Chromium (apt-get install chromium), never a downloaded browser. The flags keep it from
 * reaching for Google's services, which this machine's closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where the screenshots of a run go: test-results/dashboard/<database kind>/. */
export function screenshotDir(kind: string): string {
  const dir = path.resolve('test-results', 'dashboard', kind);
  mkdirSync(dir, { recursive: true });
  return dir;
}
