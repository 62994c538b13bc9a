import { employeeFilters, employeeKind } from '../people/employees.js';
import { personRoutes } from '../people/routes.js';
import { staffSchemas } from './schemas.js';

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

export default personRoutes({
  kind: STAFF_KIND,
  tag: 'Staff',
  one: 'Staff Member',
  schemas: staffSchemas,
  filtersOf: employeeFilters(STAFF_KIND),
});
