import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

// Reads the configuration, builds Core and listens; closes gracefully on SIGTERM/SIGINT.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const { app, bootstrap } = await buildApp(config);
  if (bootstrap.createdAdministrator) {
    // Written to the console directly, never through the logger, and only this once.
    process.stdout.write(
      `\nFirst administrator created: ${config.admin.email}\n` +
        (bootstrap.generatedPassword
          ? `Password (shown once, change it after signing in): ${bootstrap.generatedPassword}\n\n`
          : 'Password: the ADMIN_PASSWORD you set.\n\n'),
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A request that never ends (a stalled upload) must not keep a restart waiting for ever.
    const deadline = setTimeout(() => {
      app.log.error({ seconds: config.http.shutdownTimeoutSeconds }, 'shutdown timed out: exiting with requests still open');
      process.exit(1);
    }, config.http.shutdownTimeoutSeconds * 1000);
    deadline.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Core for ${config.schoolName} on ${config.publicUrl} (database: ${config.database.kind}); API reference at ${config.publicUrl}/api/docs`);
}

main().catch((error) => {
  console.error(`Core could not start: ${(error as Error).message}`);
  process.exit(1);
});
