import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import type { Config } from './config.js';
import { createDb, type Db, type DbHandle } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { startAuthBridge, type AuthBridge } from './auth/auth-bridge.js';
import { bootstrap, type BootstrapResult } from './auth/bootstrap.js';
import { registerGuard } from './auth/guard.js';
import { AuthSessionSchema, AuthUserSchema } from './auth/schemas.js';
import { createSessionResolver } from './auth/session.js';
import authRoutes from './auth/routes.js';
import { BaseSchema, ErrorSchema, MetaSchema } from './http/envelope.js';
import { registerErrorHandling } from './http/error-handler.js';
import { clientErrorHandler, registerHttpHardening } from './http/hardening.js';
import { refuseUnstorableInput } from './http/unstorable-input.js';
import { registerOpenApi } from './http/openapi.js';
import { loadDashboardPage, registerDashboardAssets } from './modules/dashboard/routes.js';
import healthRoutes from './modules/health/routes.js';
import schoolRoutes, { schoolComponents } from './modules/school/routes.js';
import referenceRoutes, { ReferenceItem, ReferenceLists } from './modules/reference/routes.js';
import rolesRoutes from './modules/roles/routes.js';
import { roleComponents } from './modules/roles/schemas.js';
import { userComponents } from './modules/users/schemas.js';
import usersRoutes from './modules/users/routes.js';
import classesRoutes from './modules/classes/routes.js';
import { classComponents } from './modules/classes/schemas.js';
import staffRoutes from './modules/staff/routes.js';
import statsRoutes from './modules/stats/routes.js';
import { statsComponents } from './modules/stats/schemas.js';
import { staffComponents } from './modules/staff/schemas.js';
import studentsRoutes from './modules/students/routes.js';
import studentImportRoutes, { importComponents } from './modules/students/import/routes.js';
import credentialsRoutes from './modules/students/credentials/routes.js';
import { studentComponents } from './modules/students/schemas.js';
import teachersRoutes from './modules/teachers/routes.js';
import { teacherComponents } from './modules/teachers/schemas.js';
import filesRoutes from './modules/files/routes.js';
import lettersRoutes from './modules/letters/routes.js';
import { letterComponents } from './modules/letters/schemas.js';
import { fileComponents } from './modules/files/schemas.js';
import { filesContextOf, removeAbandonedUploads } from './modules/files/service.js';
import { createUrlSigner, type UrlSigner } from './storage/signed-url.js';
import { createStorage, type Storage } from './storage/storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    dbHandle: DbHandle;
    auth: AuthBridge;
    storage: Storage;
    fileUrls: UrlSigner;
  }
}

export interface BuildOptions {
  /** An open database to use instead of the configured one (tests); it is closed with the app. */
  dbHandle?: DbHandle;
  /** Extra plugins registered after Core's modules (tests use it for probe routes). */
  plugins?: FastifyPluginAsync[];
  /** Where logs go instead of stdout (tests read them to prove no secret is logged). */
  logStream?: { write(line: string): void };
}

export interface CoreApp {
  app: FastifyInstance;
  bootstrap: BootstrapResult;
}

/** Named OpenAPI components, registered once at the root so every route can `$ref` them. */
const COMPONENTS: TSchema[] = [
  MetaSchema, ErrorSchema, BaseSchema,
  AuthSessionSchema, AuthUserSchema,
  ...userComponents,
  ...roleComponents, ReferenceItem, ReferenceLists,
  ...studentComponents, ...teacherComponents, ...staffComponents, ...classComponents, ...statsComponents,
  ...fileComponents, ...letterComponents, ...importComponents, ...schoolComponents,
];

/** Builds Core: migrates, bootstraps, registers every module. Never listens (server.ts does). */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<CoreApp> {
  const dbHandle = options.dbHandle ?? createDb(config.database);
  try {
    await migrateToLatest(dbHandle.db);
    const bootstrapResult = await bootstrap(dbHandle.db, config);
    const app = await createServer(config, dbHandle, options);
    return { app, bootstrap: bootstrapResult };
  } catch (error) {
    await dbHandle.close();
    throw error;
  }
}

async function createServer(config: Config, dbHandle: DbHandle, options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Belt and braces: Fastify does not log headers or bodies, but nothing secret may ever land in a log.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.newPassword'],
        censor: '[redacted]',
      },
    },
    // Fastify takes a hop count too, though its types omit it.
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.http.requestTimeoutSeconds * 1000,
    http: {
      maxHeaderSize: config.http.maxHeaderBytes,
      // Node times the head and the whole request separately; both must be known when the server is
      // made, and it looks at the clock every 30 s by default, too seldom for a limit of a few seconds.
      // (Fastify then sets the server's requestTimeout from its own option above, so it is in both.)
      requestTimeout: config.http.requestTimeoutSeconds * 1000,
      headersTimeout: Math.min(60_000, config.http.requestTimeoutSeconds * 1000),
      connectionsCheckingInterval: Math.min(30_000, config.http.requestTimeoutSeconds * 250),
    },
    clientErrorHandler,
    // Requests arriving while the server closes get hardening.ts's 503, in the envelope.
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    ajv: {
      // Report every bad field at once, and refuse unknown fields where a schema says so.
      // strictNumbers: a JSON body's `1e400` parses to Infinity, which the type check then refuses
      // (without it an integer with no maximum took Infinity). A query value coerced to Infinity
      // slips past Ajv either way: http/unstorable-input.ts refuses those.
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true, allowUnionTypes: true, strictNumbers: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('dbHandle', dbHandle);
  app.decorate('db', dbHandle.db);
  const auth = await startAuthBridge(config, app.log);
  app.decorate('auth', auth);
  const fileUrls = createUrlSigner(config.auth.secret, config.publicUrl);
  const storage = await createStorage(config.storage, fileUrls);
  app.decorate('fileUrls', fileUrls);
  app.decorate('storage', storage);
  const stopCleanup = scheduleUploadCleanup(app);
  app.addHook('onClose', async () => {
    stopCleanup();
    storage.close();
    await auth.close();
    await dbHandle.close();
  });

  // An empty JSON body (e.g. a sign-out POST) is no body, not a parse error; everything else goes
  // through Fastify's own parser, which refuses prototype-poisoning keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
  });

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  registerErrorHandling(app, loadDashboardPage(config));
  refuseUnstorableInput(app);
  await registerHttpHardening(app, config);
  for (const schema of COMPONENTS) app.addSchema(schema);

  registerGuard(
    app,
    createSessionResolver({
      db: dbHandle.db,
      secret: config.auth.secret,
      cookies: auth.cookies,
      expiresIn: config.auth.sessionExpiresIn,
      updateAge: config.auth.sessionUpdateAge,
    }),
    config.trustedOrigins,
  );

  await registerOpenApi(app, config);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(usersRoutes);
  await app.register(rolesRoutes);
  await app.register(referenceRoutes);
  await app.register(studentsRoutes);
  await app.register(studentImportRoutes);
  await app.register(credentialsRoutes);
  await app.register(teachersRoutes);
  await app.register(staffRoutes);
  await app.register(classesRoutes);
  await app.register(statsRoutes);
  await app.register(filesRoutes);
  await app.register(lettersRoutes);
  await app.register(schoolRoutes);
  await registerDashboardAssets(app);
  for (const plugin of options.plugins ?? []) await app.register(plugin);

  await app.ready();
  return app;
}

/** Removes abandoned uploads now and then; a failure is logged and retried next time. */
function scheduleUploadCleanup(app: FastifyInstance): () => void {
  const ctx = filesContextOf(app);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = removeAbandonedUploads(ctx)
      .then((removed) => removed > 0 && app.log.info({ removed }, 'removed abandoned uploads'))
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not remove abandoned uploads'));
  }, app.config.files.cleanupIntervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
