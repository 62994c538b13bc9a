import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { AppError } from '../http/errors.js';
import type { SessionCookies } from './session.js';
import { workerUrl } from '../worker-url.js';

/** Messages between the API thread and the Better Auth thread (auth-worker.ts). */
export interface AuthRequestMessage {
  type: 'request';
  id: number;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export type AuthResponseMessage =
  | { type: 'response'; id: number; status: number; headers: [string, string][]; body: string }
  | { type: 'error'; id: number; message: string };

export interface AuthWorkerReady {
  type: 'ready';
  cookies: SessionCookies;
}

export interface AuthResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface AuthBridge {
  /** Better Auth's cookie names and attributes, for Core's own session check. */
  cookies: SessionCookies;
  handle(request: Omit<AuthRequestMessage, 'type' | 'id'>): Promise<AuthResponse>;
  /** Throws unless Better Auth answers its own health endpoint within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const WORKER_URL = workerUrl(import.meta.url, 'auth-worker');

/**
 * Starts Better Auth in its own thread and forwards requests to it. If the thread dies, the
 * requests it held fail with 503 and the next request starts a new thread.
 */
export async function startAuthBridge(config: Config, log: { error(obj: object, msg: string): void }): Promise<AuthBridge> {
  let worker: Worker | undefined;
  let ready: Promise<SessionCookies> | undefined;
  let closing = false;
  let nextId = 1;
  const pending = new Map<number, { resolve(r: AuthResponse): void; reject(e: Error): void }>();

  function start(): Promise<SessionCookies> {
    // The thread gets its whole configuration from Core and no environment at all, so no
    // BETTER_AUTH_* variable (telemetry among them) or NODE_ENV can change how it behaves.
    const thread = new Worker(WORKER_URL, { workerData: { config }, env: {} });
    worker = thread;
    ready = new Promise<SessionCookies>((resolve, reject) => {
      thread.once('error', reject);
      thread.on('message', (message: AuthWorkerReady | AuthResponseMessage) => {
        if (message.type === 'ready') return resolve(message.cookies);
        const waiter = pending.get(message.id);
        if (!waiter) return;
        pending.delete(message.id);
        if (message.type === 'response') waiter.resolve(message);
        else waiter.reject(new Error(`auth worker: ${message.message}`));
      });
    });
    thread.on('error', (error) => log.error({ err: error }, 'auth worker failed'));
    thread.on('exit', (code) => {
      if (worker === thread) {
        worker = undefined;
        ready = undefined;
      }
      for (const waiter of pending.values()) waiter.reject(AppError.unavailable('Sign-in is restarting. Try again.'));
      pending.clear();
      if (!closing) log.error({ code }, 'auth worker exited; it restarts on the next request');
    });
    return ready;
  }

  const cookies = await start();

  async function handle(request: Omit<AuthRequestMessage, 'type' | 'id'>): Promise<AuthResponse> {
    if (closing) throw AppError.unavailable('Core is shutting down.');
    if (!ready) start();
    await ready;
    const id = nextId++;
    return new Promise<AuthResponse>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker!.postMessage({ type: 'request', id, ...request } satisfies AuthRequestMessage);
    });
  }

  return {
    cookies,
    handle,
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('auth worker did not answer in time')), timeoutMs);
      });
      try {
        const response = await Promise.race([
          handle({ method: 'GET', url: new URL('/api/auth/ok', config.publicUrl).toString(), headers: [] }),
          timeout,
        ]);
        if (response.status !== 200) throw new Error(`auth worker answered ${response.status}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closing = true;
      const thread = worker;
      if (!thread) return;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage({ type: 'close' });
      // A worker that does not finish closing its database in time is stopped.
      const timer = setTimeout(() => void thread.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
