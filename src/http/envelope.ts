import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FieldError } from './errors.js';

/** The envelope of every response outside /api/auth and file bodies (contract §1). */
export interface Envelope<T> {
  success: boolean;
  message: string;
  meta: PageMeta | Record<string, never>;
  errors: FieldError[];
  result: T;
}

export interface PageMeta {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export function ok<T>(result: T, message = 'OK.'): Envelope<T> {
  return { success: true, message, meta: {}, errors: [], result };
}

export function page<T>(result: T[], meta: PageMeta, message = 'OK.'): Envelope<T[]> {
  return { success: true, message, meta, errors: [], result };
}

export function failure(message: string, errors: FieldError[] = []): Envelope<null> {
  return { success: false, message, meta: {}, errors, result: null };
}

// Shared shapes, registered as named OpenAPI components (Base, Meta, Error) by http/schemas.ts.
export const MetaSchema = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, description: 'Current page, from 1.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Items per page.' })),
    total: Type.Optional(Type.Integer({ minimum: 0, description: 'Items matching the query on all pages.' })),
    totalPages: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { $id: 'Meta', description: 'Pagination for lists; an empty object otherwise.' },
);

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Machine-readable code, e.g. REQUIRED, INVALID_FORMAT, OUT_OF_RANGE.' }),
    field: Type.String({ description: 'Where the problem is: `body.email`, `querystring.limit`, `params.id`.' }),
    message: Type.String(),
  },
  { $id: 'Error', description: 'One problem with the request.' },
);

export const BaseSchema = Type.Object(
  {
    success: Type.Boolean(),
    message: Type.String(),
    meta: Type.Ref(MetaSchema),
    errors: Type.Array(Type.Ref(ErrorSchema)),
    result: Type.Unknown(),
  },
  { $id: 'Base', description: 'The envelope every endpoint answers with (except /api/auth and file bodies).' },
);

const envelopeProps = {
  success: Type.Boolean(),
  message: Type.String(),
  errors: Type.Array(Type.Ref(ErrorSchema)),
};

/** The envelope around one object (or null). */
export function Envelope<T extends TSchema>(result: T) {
  return Type.Object({ ...envelopeProps, meta: Type.Ref(MetaSchema), result });
}

/** The envelope around a page of a list. */
export function PageEnvelope<T extends TSchema>(item: T) {
  return Type.Object({ ...envelopeProps, meta: Type.Ref(MetaSchema), result: Type.Array(item) });
}

/** The answer for every error status. */
export const ErrorEnvelope = Type.Object({
  ...envelopeProps,
  meta: Type.Ref(MetaSchema),
  result: Type.Null(),
});

/** A `$ref` to a named component that keeps the component's static type (TypeBox's Ref loses it). */
export function ref<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T>>(Type.Ref(schema));
}
