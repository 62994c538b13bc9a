/** Normalises values read from either engine (see schema.ts). */
export function toIso(value: Date | string): string;
export function toIso(value: Date | string | null): string | null;
export function toIso(value: Date | string | null): string | null {
  if (value === null) return null;
  // SQLite hands back what was written, and Core and Better Auth write toISOString() output.
  if (typeof value === 'string' && value.length === 24 && value.endsWith('Z')) return value;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function toBool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}

/** `count(*)` is a bigint on PostgreSQL, which `pg` hands over as a string. */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function nowIso(): string {
  return new Date().toISOString();
}
