import { Type } from '@sinclair/typebox';
import { digits, nullable, text } from '../people/schemas.js';
import { EMPLOYEE_SORTS, employeeSchemas } from '../people/employees.js';

export const teacherSchemas = employeeSchemas({
  id: 'Teacher',
  key: 'teacher',
  description: 'A teacher’s record (teachers:read, or the teacher themself).',
  fields: {
    nuptk: nullable(digits(16, 'Nomor Unik Pendidik dan Tenaga Kependidikan: 16 digits; unique.')),
    subjects: Type.Array(text(100), { uniqueItems: true, maxItems: 20, description: 'Subjects taught (mata pelajaran).' }),
  },
  sorts: [...EMPLOYEE_SORTS, 'nuptk'],
  searchHint: 'Case-insensitive; every word must start a word of the name or an identity number (NIP, NUPTK, NIK).',
});

export const teacherComponents = [teacherSchemas.record, teacherSchemas.created];
