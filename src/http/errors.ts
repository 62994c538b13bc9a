/** One error type for the whole API; the error handler turns it into the envelope. */
export interface FieldError {
  code: string;
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[], message = 'The request has invalid fields.'): AppError {
    return new AppError(400, 'VALIDATION_ERROR', message, errors);
  }

  static unauthorized(message = 'Sign in to continue.', code = 'UNAUTHORIZED'): AppError {
    return new AppError(401, code, message);
  }

  static forbidden(message = 'You do not have permission to do this.'): AppError {
    return new AppError(403, 'FORBIDDEN', message);
  }

  /** Also used for objects the caller may not see, so their existence is not revealed. */
  static notFound(what = 'Resource'): AppError {
    return new AppError(404, 'NOT_FOUND', `${what} not found.`);
  }

  static conflict(message: string, errors: FieldError[] = []): AppError {
    return new AppError(409, 'CONFLICT', message, errors);
  }

  static tooManyRequests(retryAfterSeconds: number, message: string): AppError {
    return new AppError(429, 'RATE_LIMITED', message, [], { 'retry-after': String(retryAfterSeconds) });
  }

  static unavailable(message = 'A service Core depends on is unavailable. Try again shortly.'): AppError {
    return new AppError(503, 'SERVICE_UNAVAILABLE', message, [], { 'retry-after': '5' });
  }
}
