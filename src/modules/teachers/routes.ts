import { employeeFilters, employeeKind } from '../people/employees.js';
import { personRoutes } from '../people/routes.js';
import { teacherSchemas } from './schemas.js';

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

export default personRoutes({
  kind: TEACHER_KIND,
  tag: 'Teachers',
  one: 'Teacher',
  schemas: teacherSchemas,
  filtersOf: employeeFilters(TEACHER_KIND),
});
