import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * The dashboard's one way to Core: typed by the generated schema (npm run web:api-types), the
 * session travels as the same-origin cookie, and every refusal becomes an ApiError carrying the
 * envelope's field errors so a form can show each next to its field.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

export type Schemas = components['schemas'];

export interface FieldError {
  code: string;
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly retryAfterSeconds: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The refusal as an ApiError, from the envelope or Better Auth's `{code, message}`. */
function toApiError(status: number, retryAfterHeader: string | null, body: unknown): ApiError {
  const retryAfter = Number(retryAfterHeader);
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; errors?: unknown; code?: unknown };
  return new ApiError(
    status,
    typeof envelope.message === 'string' ? envelope.message : `HTTP ${status}`,
    Array.isArray(envelope.errors) ? (envelope.errors as FieldError[]) : [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    typeof envelope.code === 'string' ? envelope.code : null,
  );
}

/** The answer of a successful call; a refusal throws an ApiError. */
export async function call<T>(request: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw toApiError(response.status, response.headers.get('retry-after'), error);
  return data as T;
}

/**
 * A request outside the typed client (a file's bytes: a PDF, a printable sheet, a presigned PUT):
 * the response when it succeeded, an ApiError from its envelope when refused.
 */
export async function fetchOk(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { credentials: 'same-origin', ...init });
  if (!response.ok) throw toApiError(response.status, response.headers.get('retry-after'), await response.json().catch(() => null));
  return response;
}

/** The `result` of an enveloped answer. */
export async function result<T>(request: Promise<Outcome<{ result: T }>>): Promise<T> {
  return (await call(request)).result;
}

/** Query values without the empty ones, so an unset filter is not sent as `?gender=`. */
export function compact<T extends Record<string, unknown>>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '' && v !== undefined && v !== null)) as T;
}

/**
 * A multipart upload through XMLHttpRequest, the one browser API that reports upload progress
 * (fetch does not): the import and the profile image show how much has been sent.
 */
export function upload<T>(url: string, field: string, file: File, onProgress?: (sent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.withCredentials = true;
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as { result?: T } | null;
      if (request.status >= 200 && request.status < 300) return resolve(body?.result as T);
      reject(toApiError(request.status, request.getResponseHeader('retry-after'), body));
    };
    request.onerror = () => reject(new ApiError(0, 'network'));
    const form = new FormData();
    form.append(field, file);
    request.send(form);
  });
}

/** The address of a stored file (profile images, attachments) on this server. */
export function fileUrl(key: string): string {
  return `/api/files/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** A list answer's rows and page figures. */
export function pageOf<T>(answer: { result: T[]; meta: { page?: number; totalPages?: number; total?: number } } | undefined) {
  return {
    rows: answer?.result ?? [],
    page: answer?.meta.page ?? 1,
    totalPages: answer?.meta.totalPages ?? 0,
    total: answer?.meta.total ?? 0,
  };
}

/** Saves a file Core answers to a POST (a printable sheet) under the given name. */
export async function downloadFrom(url: string, body: unknown, fileName: string): Promise<void> {
  const response = await fetchOk(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
