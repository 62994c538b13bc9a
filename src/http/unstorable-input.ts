import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from './errors.js';

/**
 * Values that pass a route's schema but that no database should be handed, refused after
 * validation with every such field named:
 * - A NUL character in any string: PostgreSQL cannot store one in text (`?classId=a%00b` was a 500
 *   there and a stored string on SQLite), so both engines refuse it the same way, here.
 * - A query or path value such as `1e400` (or 400 nines): Ajv coerces it to Infinity and then skips
 *   the range checks (with strictNumbers they only run on finite numbers, on the assumption that the
 *   type check refused the others, but coercion comes after that check); `?limit=1e400` reached the
 *   database. In a JSON body Infinity is a number the type check itself refuses.
 */
export function refuseUnstorableInput(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const errors: FieldError[] = [];
    visit(request.query, 'querystring', errors);
    visit(request.params, 'params', errors);
    visit(request.body, 'body', errors);
    done(errors.length > 0 ? AppError.validation(errors) : undefined);
  });
}

function visit(value: unknown, field: string, errors: FieldError[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.push({ code: 'INVALID_CHARACTER', field, message: 'must not contain a NUL character' });
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) errors.push({ code: 'OUT_OF_RANGE', field, message: 'must be a finite number' });
  } else if (Array.isArray(value)) {
    // A repeated query parameter names the parameter, as the schema's own errors do.
    value.forEach((item, i) => visit(item, field === 'querystring' || field.startsWith('querystring.') ? field : `${field}.${i}`, errors));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Stream) && !ArrayBuffer.isView(value)) {
    for (const [key, item] of Object.entries(value)) visit(item, `${field}.${key}`, errors);
  }
  // An upload's stream or bytes are not parsed input: their own routes check them.
}
