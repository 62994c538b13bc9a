import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from './errors.js';
import { failure } from './envelope.js';
import { isDatabaseUnavailable } from '../db/index.js';

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

const CODES: Record<string, string> = {
  required: 'REQUIRED',
  type: 'INVALID_TYPE',
  format: 'INVALID_FORMAT',
  pattern: 'INVALID_FORMAT',
  enum: 'INVALID_VALUE',
  const: 'INVALID_VALUE',
  anyOf: 'INVALID_VALUE',
  oneOf: 'INVALID_VALUE',
  minimum: 'OUT_OF_RANGE',
  maximum: 'OUT_OF_RANGE',
  exclusiveMinimum: 'OUT_OF_RANGE',
  exclusiveMaximum: 'OUT_OF_RANGE',
  minLength: 'INVALID_LENGTH',
  maxLength: 'INVALID_LENGTH',
  minItems: 'INVALID_LENGTH',
  maxItems: 'INVALID_LENGTH',
  uniqueItems: 'DUPLICATE_ITEMS',
  additionalProperties: 'UNKNOWN_FIELD',
};

/** `/address/0/city` → `address[0].city`, joined to the part of the request it came from. */
function fieldName(context: string, instancePath: string, child?: unknown): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof child === 'string') parts.push(child);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : `${acc}.${part}`), context);
}

export function validationErrors(context: string, errors: AjvError[]): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const e of errors) {
    // anyOf/oneOf report each branch before the summary; the summary alone is what a client can act on.
    if (errors.some((other) => (other.keyword === 'anyOf' || other.keyword === 'oneOf') && other !== e && e.instancePath.startsWith(other.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf')) continue;
    const child = e.params.missingProperty ?? e.params.additionalProperty;
    const field = fieldName(context, e.instancePath, child);
    const code = CODES[e.keyword] ?? 'INVALID_VALUE';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = 'is not an accepted field';
    if (e.keyword === 'required') message = 'is required';
    if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) message = `must be one of ${e.params.allowedValues.join(', ')}`;
    const digits = e.keyword === 'pattern' ? /^\^\[0-9\]\{(\d+)\}\$$/.exec(String(e.params.pattern)) : null;
    if (digits) message = `must be exactly ${digits[1]} digits`;
    const key = `${field}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ code, field, message });
  }
  return result;
}

function send(reply: FastifyReply, status: number, message: string, errors: FieldError[] = [], headers: Record<string, string> = {}) {
  reply.headers(headers).code(status).type('application/json; charset=utf-8');
  // Under /api/auth clients read Better Auth's `{code, message}`; the envelope fields ride along.
  const body = reply.request.url.startsWith('/api/auth/')
    ? { code: errors[0]?.code ?? statusCode(status), ...failure(message, errors) }
    : failure(message, errors);
  return reply.send(body);
}

function statusCode(status: number): string {
  return (
    {
      400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
      406: 'NOT_ACCEPTABLE', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
      422: 'UNPROCESSABLE', 429: 'RATE_LIMITED', 503: 'SERVICE_UNAVAILABLE',
    } as Record<number, string>
  )[status] ?? 'ERROR';
}

/** An answer for an address no route has (the dashboard's page), or null to answer 404. */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null;

export function registerErrorHandling(app: FastifyInstance, notFoundFallback: NotFoundFallback | null = null): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, error.status, error.message, error.errors, error.headers);
    }
    const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
    if (fastifyError.validation) {
      const errors = validationErrors(fastifyError.validationContext ?? 'body', fastifyError.validation);
      return send(reply, 400, 'The request has invalid fields.', errors);
    }
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
        // Upload routes say what they consume in their schema; every other route takes JSON.
        const expected = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes?.[0] ?? 'application/json';
        return send(reply, 415, `Unsupported content type. Send ${expected}.`, [
          { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'headers.content-type', message: `must be ${expected}` },
        ]);
      }
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, 'The request body is too large.', [
          { code: 'TOO_LARGE', field: 'body', message: 'exceeds the size limit' },
        ]);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, 'The request body is empty.', [{ code: 'REQUIRED', field: 'body', message: 'is required' }]);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, 400, 'The request body is not valid JSON.', [{ code: 'INVALID_JSON', field: 'body', message: 'is not valid JSON' }]);
    }
    if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
      return send(reply, 400, 'The request body could not be read.', [{ code: 'INVALID_JSON', field: 'body', message: 'is not valid JSON' }]);
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return send(reply, 503, 'The database is not answering. Try again shortly.', [], { 'retry-after': '5' });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, status, fastifyError.message);
    request.log.error({ err: error }, 'request failed');
    if (status === 503) return send(reply, 503, 'A service Core depends on is unavailable. Try again shortly.', [], { 'retry-after': '5' });
    return send(reply, 500, 'Something went wrong on our side. The error has been logged.');
  });

  // Outside /api, a page address is the dashboard's to route (see modules/dashboard).
  app.setNotFoundHandler((request, reply) =>
    notFoundFallback?.(request, reply) ??
    send(reply, 404, `No route ${request.method} ${request.url.split("?")[0]!.slice(0, 200)}.`, [], {}),
  );
}
