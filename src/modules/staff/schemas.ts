import { EMPLOYEE_SORTS, employeeSchemas } from '../people/employees.js';

export const staffSchemas = employeeSchemas({
  id: 'Staff',
  key: 'staff',
  description: 'A staff member’s record: tenaga kependidikan (staff:read, or the staff member themself).',
  fields: {},
  sorts: EMPLOYEE_SORTS,
  searchHint: 'Case-insensitive; every word must start a word of the name or an identity number (NIP, NIK).',
});

export const staffComponents = [staffSchemas.record, staffSchemas.created];
