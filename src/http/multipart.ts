import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * The one file of a multipart/form-data request, in memory, with @fastify/multipart's failures
 * turned into envelope errors that name the field. Exactly one file part, named `field`, is
 * accepted; other (text) fields are ignored.
 */
export async function singleFile(request: FastifyRequest, field: string, maxBytes: number): Promise<{ bytes: Buffer; fileName: string }> {
  const name = `body.${field}`;
  let file: Buffer | undefined;
  let fileName = '';
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes, files: 2, fields: 20, parts: 22, fieldSize: 4096 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === field) throw AppError.validation([{ code: 'INVALID_TYPE', field: name, message: 'must be a file' }]);
        continue;
      }
      if (part.fieldname !== field || file !== undefined) {
        throw AppError.validation([{ code: 'TOO_MANY_FILES', field: `body.${part.fieldname}`, message: `send exactly one file, in the field "${field}"` }]);
      }
      fileName = part.filename;
      file = await part.toBuffer();
    }
  } catch (error) {
    throw asEnvelopeError(error, name, maxBytes);
  }
  if (file === undefined) throw AppError.validation([{ code: 'REQUIRED', field: name, message: 'is required' }]);
  if (file.length === 0) throw AppError.validation([{ code: 'EMPTY_FILE', field: name, message: 'must not be empty' }]);
  return { bytes: file, fileName };
}

function asEnvelopeError(error: unknown, field: string, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(413, 'FILE_TOO_LARGE', 'The file is too large.', [{ code: 'TOO_LARGE', field, message: `must be at most ${maxBytes} bytes` }]);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.', [
        { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'headers.content-type', message: 'must be multipart/form-data' },
      ]);
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return AppError.validation([{ code: 'TOO_MANY_PARTS', field: 'body', message: `send exactly one file, in the field "${field.slice(5)}"` }]);
    case 'FST_PROTO_VIOLATION':
      return AppError.validation([{ code: 'INVALID_VALUE', field: 'body', message: 'has a forbidden field name' }]);
  }
  // Busboy's own errors (a malformed or cut-off body) carry no code.
  if (error instanceof Error && !('statusCode' in error)) {
    return AppError.validation([{ code: 'INVALID_MULTIPART', field: 'body', message: 'is not a well-formed multipart/form-data body' }]);
  }
  return error;
}
