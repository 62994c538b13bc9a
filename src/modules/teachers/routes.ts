import { employeeFilters } from '../people/employees.js';
import { personRoutes } from '../people/routes.js';
import { TEACHER_KIND } from './kind.js';
import { teacherSchemas } from './schemas.js';

export default personRoutes({
  kind: TEACHER_KIND,
  tag: 'Teachers',
  one: 'Teacher',
  schemas: teacherSchemas,
  filtersOf: employeeFilters(TEACHER_KIND),
});
