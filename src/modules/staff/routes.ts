import { employeeFilters } from '../people/employees.js';
import { personRoutes } from '../people/routes.js';
import { STAFF_KIND } from './kind.js';
import { staffSchemas } from './schemas.js';

export default personRoutes({
  kind: STAFF_KIND,
  tag: 'Staff',
  one: 'Staff Member',
  schemas: staffSchemas,
  filtersOf: employeeFilters(STAFF_KIND),
});
