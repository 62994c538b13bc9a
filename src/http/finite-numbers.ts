import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from './errors.js';

/**
 * Ajv coerces a query or path value such as `1e400` (or 400 nines) to Infinity and then skips the
 * range checks: with strictNumbers they only run on finite numbers, on the assumption that the type
 * check already refused the others, but coercion happens after that check. `?limit=1e400` reached
 * the database. Such values are refused here, after validation, with the field named. (JSON bodies
 * are not affected: there Infinity is a number the type check itself refuses.)
 */
export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const errors: FieldError[] = [];
    for (const [part, values] of [['querystring', request.query], ['params', request.params]] as const) {
      if (!values || typeof values !== 'object') continue;
      for (const [name, value] of Object.entries(values)) {
        const numbers = Array.isArray(value) ? value : [value];
        if (numbers.some((n) => typeof n === 'number' && !Number.isFinite(n))) {
          errors.push({ code: 'OUT_OF_RANGE', field: `${part}.${name}`, message: 'must be a finite number' });
        }
      }
    }
    done(errors.length > 0 ? AppError.validation(errors) : undefined);
  });
}
