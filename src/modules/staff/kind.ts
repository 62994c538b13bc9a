import { employeeKind } from '../people/employees.js';

export const STAFF_KIND = employeeKind({
  table: 'staff',
  resource: 'staff',
  userType: 'STAFF',
  noun: 'Staff member',
  columns: [],
  jsonColumns: [],
  numbers: [],
  uniqueNumbers: [],
  defaults: {},
});
