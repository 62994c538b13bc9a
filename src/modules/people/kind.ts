import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FieldError } from '../../http/errors.js';
import type { Permission } from '../../auth/permissions.js';

/** One person record as the API shows it: the contract's fields, by name. */
export type PersonRecord = Record<string, unknown> & { id: string; userId: string; name: string; deletedAt: string | null };

/**
 * What differs between students, teachers and staff; everything else about a person record
 * (accounts, uniqueness, search, soft delete) is written once in this folder.
 */
export interface PersonKind {
  table: 'student' | 'teacher' | 'staff';
  /** Path segment and permission prefix: /api/students, students:read. */
  resource: 'students' | 'teachers' | 'staff';
  userType: 'STUDENT' | 'TEACHER' | 'STAFF';
  /** "Student", "Teacher", "Staff member": for messages. */
  noun: string;
  /** The kind's own fields stored in a column of the same name (common ones are in COMMON_COLUMNS). */
  columns: readonly string[];
  /** The kind's own fields stored as JSON. */
  jsonColumns: readonly string[];
  /** Identity numbers: searchable by prefix. */
  numbers: readonly string[];
  /** Identity numbers no two records may share (a duplicate is a 409 naming the field). */
  uniqueNumbers: readonly string[];
  /** Query parameters that match a column exactly. */
  filterColumns: readonly string[];
  /** Values a new record starts with. */
  defaults: Record<string, unknown>;
  /** Columns computed from the record (the parents' income…), written with it. */
  derivedColumns?(record: Record<string, unknown>): Record<string, unknown>;
  /** Other tables (directory_version names) whose changes show in this kind's records. */
  dependsOn?: readonly string[];
  /** Adds what the record shows from elsewhere (a student's current class) to records just read. */
  attach?(db: Kysely<Database>, records: PersonRecord[], context: ReadContext): Promise<void>;
  /** Rules across fields beyond what the schema checks, on the whole (merged) record. */
  check?(record: Record<string, unknown>, today: string): FieldError[];
}

/** What a record's shown values depend on besides the database: the current academic year. */
export interface ReadContext {
  academicYear: string;
}

export const COMMON_COLUMNS = ['name', 'gender', 'religion', 'birthPlace', 'birthDate', 'nik', 'phoneNumber', 'bloodType'] as const;
export const COMMON_JSON_COLUMNS = ['address'] as const;

/** A deleted person's account is banned with this reason; restoring lifts only a ban with this reason. */
export const DELETED_PERSON_BAN_REASON = 'The person record was deleted.';

/** Nested objects a PATCH merges one level deep (the others are replaced). */
export const MERGED_OBJECTS = new Set(['address', 'father', 'mother', 'guardian', 'welfare', 'bankAccount']);

export function permissionOf(kind: PersonKind, action: 'read' | 'write' | 'delete'): Permission {
  return `${kind.resource}:${action}` as Permission;
}
