import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { createDb } from '../db/index.js';
import { createAuth } from './auth.js';
import type { AuthRequestMessage, AuthResponseMessage, AuthWorkerReady } from './auth-bridge.js';

/**
 * The thread Better Auth runs in. Better Auth keeps per-request state in AsyncLocalStorage, which
 * on Node 20 turns on promise hooks for the whole thread once used: every `await` after the first
 * sign-in costs several times more. Kept here, that cost (and Better Auth's request parsing and
 * password checks) never touches the thread that serves the API.
 */
const config = (workerData as { config: Config }).config;
const handle = createDb(config.database);
const auth = createAuth(config, handle);
const port = parentPort!;

const context = await auth.$context;
port.postMessage({
  type: 'ready',
  cookies: {
    sessionToken: context.authCookies.sessionToken,
    dontRememberToken: { name: context.authCookies.dontRememberToken.name },
  },
} satisfies AuthWorkerReady);

let inFlight = 0;
let drained: (() => void) | undefined;

port.on('message', async (message: AuthRequestMessage | { type: 'close' }) => {
  if (message.type === 'close') {
    // Finish what was asked before closing the database under it.
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    await handle.close();
    port.close();
    return;
  }
  inFlight += 1;
  let reply: AuthResponseMessage;
  try {
    const response = await auth.handler(
      new Request(message.url, {
        method: message.method,
        headers: message.headers,
        ...(message.body !== undefined ? { body: message.body } : {}),
      }),
    );
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.push([name, value]);
    });
    for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
    reply = { type: 'response', id: message.id, status: response.status, headers, body: await response.text() };
  } catch (error) {
    reply = { type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  inFlight -= 1;
  if (inFlight === 0) drained?.();
});
