import { personRoutes } from '../people/routes.js';
import { STUDENT_KIND } from './kind.js';
import { CreatedStudent, CreateStudentBody, StudentDirectoryEntry, StudentListQuery, StudentSchema, UpdateStudentBody } from './schemas.js';
import { listStudentDirectory, studentFilters } from './service.js';

export default personRoutes({
  kind: STUDENT_KIND,
  tag: 'Students',
  one: 'Student',
  schemas: { record: StudentSchema, created: CreatedStudent, create: CreateStudentBody, update: UpdateStudentBody, query: StudentListQuery },
  filtersOf: studentFilters,
  directory: {
    item: StudentDirectoryEntry,
    description:
      'the directory of active students (id, userId, name, gender, classId, className; never contact details, identity numbers or parents), searchable by name, filterable by gender and classId, sorted by name. Any other filter or sort is a 403.',
    list: listStudentDirectory,
  },
});
