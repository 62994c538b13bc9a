import { Type, type TSchema } from '@sinclair/typebox';
import { EMPLOYMENT_STATUS, enumSchema } from '../reference/lists.js';
import { ListQuerySchema } from '../../http/list.js';
import type { PersonKind } from './kind.js';
import { checkEducationHistory, checkNip, checkStartDate } from './rules.js';
import {
  auditFields, BloodType, CREATED_DESCRIPTION, DateOnly, digits, EducationHistory, Gender, MERGE_DESCRIPTION, nullable, optional,
  Password, PersonEmail, personFields, PersonName, personRecordFields, Religion, text,
} from './schemas.js';

/**
 * Teachers and staff are both school employees: the same record (NIP, employment status,
 * position, education history, start date), teachers adding their own fields (NUPTK, subjects).
 */
export const EmploymentStatus = enumSchema(EMPLOYMENT_STATUS);

export const employeeFields = {
  ...personFields,
  nip: nullable(digits(18, 'Nomor Induk Pegawai: 18 digits (civil servants, PNS/PPPK); unique. Starts with the birth date (YYYYMMDD), then the month of appointment (YYYYMM), gender (1 male, 2 female) and a sequence number — each checked against the record.')),
  employmentStatus: nullable(EmploymentStatus),
  position: nullable(text(100, 'Jabatan / tugas tambahan.')),
  educationHistory: Type.Array(EducationHistory, { maxItems: 20, description: 'Graduation years not in the future and after birth.' }),
  startDate: nullable({ ...DateOnly, description: 'TMT: when the person started at the school; after birthDate.' }),
};

export const EMPLOYEE_SORTS = ['name', 'birthDate', 'createdAt', 'nip', 'nik'] as const;

/** The record, create, update, created and list-query schemas of one kind of employee. */
export function employeeSchemas<F extends Record<string, TSchema>, S extends string>(options: {
  id: string;
  key: string;
  description: string;
  fields: F;
  sorts: readonly S[];
  searchHint: string;
}) {
  const fields = { ...employeeFields, ...options.fields };
  const record = Type.Object({ ...personRecordFields, ...fields, ...auditFields }, { $id: options.id, description: options.description });
  return {
    record,
    create: Type.Object(
      { name: PersonName, email: PersonEmail, gender: Gender, password: Type.Optional(Password), ...optional(fields) },
      { additionalProperties: false },
    ),
    update: Type.Object(
      { name: Type.Optional(PersonName), email: Type.Optional(PersonEmail), gender: Type.Optional(Gender), ...optional(fields) },
      { additionalProperties: false, minProperties: 1, description: MERGE_DESCRIPTION },
    ),
    created: Type.Object(
      { [options.key]: Type.Ref(record), temporaryPassword: Type.Optional(Type.String({ description: CREATED_DESCRIPTION })) },
      { $id: `Created${options.id}` },
    ),
    query: ListQuerySchema({
      sortable: options.sorts,
      defaultSort: 'name',
      searchHint: options.searchHint,
      filters: {
        gender: Type.Optional(Gender),
        religion: Type.Optional(Religion),
        bloodType: Type.Optional(BloodType),
        employmentStatus: Type.Optional(EmploymentStatus),
        includeDeleted: Type.Optional(Type.Boolean({ description: 'Also list deleted records (needs the delete permission).' })),
      },
    }),
  };
}

/** What teachers and staff share as a kind; each adds its own columns and numbers. */
export function employeeKind(
  kind: Pick<PersonKind, 'table' | 'resource' | 'userType' | 'noun' | 'defaults'> & { columns: string[]; jsonColumns: string[]; numbers: string[]; uniqueNumbers: string[] },
): PersonKind {
  return {
    ...kind,
    columns: ['nip', 'employmentStatus', 'position', 'startDate', ...kind.columns],
    jsonColumns: ['educationHistory', ...kind.jsonColumns],
    numbers: ['nip', 'nik', ...kind.numbers],
    uniqueNumbers: ['nip', 'nik', ...kind.uniqueNumbers],
    filterColumns: ['gender', 'religion', 'bloodType', 'employmentStatus'],
    defaults: { educationHistory: [], ...kind.defaults },
    check: (record, today) => [...checkNip(record), ...checkStartDate(record), ...checkEducationHistory(record, today)],
  };
}

/** The exact-match filters of a teachers or staff list query. */
export function employeeFilters(kind: PersonKind) {
  return (query: Record<string, unknown>) => ({ equals: Object.fromEntries(kind.filterColumns.map((column) => [column, query[column]])) });
}
