import type { FastifyReply } from 'fastify';
import type { TSchema } from '@sinclair/typebox';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * For answers built from a cached object (a list page kept until its data changes): the JSON is
 * serialised with `schema` and encoded once per object, and its bytes reused while the cache keeps
 * handing out the same object. Fastify sends a Buffer as it is.
 */
export function sendOnceSerialized(schema: TSchema) {
  const bodies = new WeakMap<object, Buffer>();
  return function send(reply: FastifyReply, source: object, envelope: () => object): FastifyReply {
    let body = bodies.get(source);
    if (body === undefined) {
      body = Buffer.from(reply.compileSerializationSchema(schema, '200')(envelope() as Record<string, unknown>));
      bodies.set(source, body);
    }
    return reply.type(JSON_TYPE).send(body);
  };
}
