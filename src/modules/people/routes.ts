import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { callerOf } from '../../auth/guard.js';
import type { Caller } from '../../auth/session.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import { Envelope, ok, page, PageEnvelope, type PageMeta } from '../../http/envelope.js';
import type { ListQuery } from '../../http/list.js';
import { sendOnceSerialized } from '../../http/serialized.js';
import { permissionOf, type PersonKind } from './kind.js';
import type { PersonFilters } from './repository.js';
import { createPerson, deletePerson, getPerson, listPersons, restorePerson, updatePerson } from './service.js';

export const PersonIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

type Query = ListQuery & Record<string, unknown> & { includeDeleted?: boolean };

export interface PersonRouteOptions {
  kind: PersonKind;
  /** OpenAPI tag and the words used in summaries: "Students" / "Student". */
  tag: string;
  one: string;
  schemas: { record: TSchema; created: TSchema; create: TObject; update: TObject; query: TObject };
  /** The exact-match filters and extra conditions a list query asks for. */
  filtersOf(query: Query): Omit<PersonFilters, 'search' | 'includeDeleted'>;
  /**
   * What a signed-in caller without `{resource}:read` gets from the list instead of a 403 (the
   * students directory), with the schema of one of its items.
   */
  directory?: {
    item: TSchema;
    description: string;
    list(db: Db, config: Config, caller: Caller, query: Query): Promise<{ items: unknown[]; meta: PageMeta }>;
  };
}

/**
 * The endpoints every kind of person has: list, create, retrieve, update, delete, restore
 * (contract §3 Staff, Teachers, Students).
 */
export function personRoutes(options: PersonRouteOptions): FastifyPluginAsyncTypebox {
  const { kind, tag, one, schemas, directory } = options;
  const tags = [tag];
  const base = `/api/${kind.resource}`;
  const read = permissionOf(kind, 'read');
  const write = permissionOf(kind, 'write');
  const remove = permissionOf(kind, 'delete');
  const lower = one.toLowerCase();
  // Each answer's shape on its own, so neither is serialised by trying the union the schema documents.
  const fullPage = PageEnvelope(Type.Ref(schemas.record));
  const directoryPage = directory ? PageEnvelope(Type.Ref(directory.item)) : undefined;
  const sendPage = sendOnceSerialized(fullPage);

  return async (app) => {
    const { db, config } = app;

    app.get(
      base,
      {
        config: { access: directory ? 'signed-in' : read },
        schema: {
          tags,
          summary: `Get All ${tag}`,
          description: [
            `Pages of ${tag.toLowerCase()} with search, exact-match filters and sort. Deleted records are left out unless \`includeDeleted=true\` (${remove}).`,
            directory ? `Without ${read}: ${directory.description}` : '',
          ].join(' '),
          querystring: schemas.query,
          response: {
            200: directory ? PageEnvelope(Type.Union([Type.Ref(schemas.record), Type.Ref(directory.item)])) : fullPage,
          },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const query = request.query as Query;
        if (directory && !caller.permissions.has(read)) {
          const { items, meta } = await directory.list(db, config, caller, query);
          return reply.serializer(reply.compileSerializationSchema(directoryPage!, '200')).send(page(items, meta));
        }
        // Pages come from a cache (people/service.ts), so each is serialised once (records are large).
        const result = await listPersons(db, config, kind, caller, query, options.filtersOf(query));
        return sendPage(reply, result, () => page(result.items, result.meta));
      },
    );

    app.post(
      base,
      {
        config: { access: write },
        schema: {
          tags,
          summary: `Create a ${one}`,
          description: `Creates the ${lower}'s record and user account (type ${kind.userType}, the default ${kind.userType.toLowerCase()} role) in one transaction. Without a \`password\` one is generated, returned once as \`temporaryPassword\`, and must be changed at first sign-in. A used email or identity number is a 409 naming the field.`,
          body: schemas.create,
          response: { 201: Envelope(Type.Ref(schemas.created)) },
        },
      },
      async (request, reply) => {
        const body = request.body as Record<string, unknown> & { name: string; email: string; password?: string };
        const { record, temporaryPassword } = await createPerson(db, config, kind, body);
        reply.code(201);
        return ok({ [kind.table]: record, ...(temporaryPassword ? { temporaryPassword } : {}) }, `${one} created.`);
      },
    );

    app.get(
      `${base}/:id`,
      {
        config: { access: 'signed-in' },
        schema: {
          tags,
          summary: `Retrieve an Existing ${one}`,
          description: `With ${read}, any ${lower}; otherwise only your own record (any other is a 404). Deleted records only with ${remove}.`,
          params: PersonIdParams,
          response: { 200: Envelope(Type.Ref(schemas.record)) },
        },
      },
      async (request) => ok(await getPerson(db, config, kind, callerOf(request), request.params.id)),
    );

    app.patch(
      `${base}/:id`,
      {
        config: { access: write },
        schema: {
          tags,
          summary: `Update an Existing ${one}`,
          description: `${schemas.update.description ?? ''} \`name\` and \`email\` change the account too. A deleted record must be restored first (404).`,
          params: PersonIdParams,
          body: schemas.update,
          response: { 200: Envelope(Type.Ref(schemas.record)) },
        },
      },
      async (request) =>
        ok(await updatePerson(db, config, kind, request.params.id, request.body as Record<string, unknown>), `${one} updated.`),
    );

    app.delete(
      `${base}/:id`,
      {
        config: { access: remove },
        schema: {
          tags,
          summary: `Delete an Existing ${one}`,
          description: `Soft delete: the ${lower} leaves lists and statistics, the account is disabled and signed out at once; letters and class history keep the name. Undo with POST ${base}/:id/restore. Your own record, or the last administrator, cannot be deleted (409).`,
          params: PersonIdParams,
          response: { 200: Envelope(Type.Null()) },
        },
      },
      async (request) => {
        await deletePerson(db, config, kind, callerOf(request), request.params.id);
        return ok(null, `${one} deleted.`);
      },
    );

    app.post(
      `${base}/:id/restore`,
      {
        config: { access: remove },
        schema: {
          tags,
          summary: `Restore a Deleted ${one}`,
          description: 'Brings the record back into lists and re-enables its account (unless an administrator had banned it for another reason). A record that is not deleted is a 409.',
          params: PersonIdParams,
          response: { 200: Envelope(Type.Ref(schemas.record)) },
        },
      },
      async (request) => ok(await restorePerson(db, config, kind, request.params.id), `${one} restored.`),
    );
  };
}
