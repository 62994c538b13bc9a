import { employeeKind } from '../people/employees.js';

export const TEACHER_KIND = employeeKind({
  table: 'teacher',
  resource: 'teachers',
  userType: 'TEACHER',
  noun: 'Teacher',
  columns: ['nuptk'],
  jsonColumns: ['subjects'],
  numbers: ['nuptk'],
  uniqueNumbers: ['nuptk'],
  defaults: { subjects: [] },
});
