import type { PersonKind } from '../people/kind.js';
import { checkParent } from '../people/rules.js';
import { placementsIn } from '../classes/repository.js';

const PARENTS = ['father', 'mother'] as const;

export const STUDENT_KIND: PersonKind = {
  table: 'student',
  resource: 'students',
  userType: 'STUDENT',
  noun: 'Student',
  columns: [
    'nisn', 'nipd', 'status', 'residenceType', 'transportationMode', 'distance', 'travelTime', 'birthOrder', 'numberOfSiblings',
    'height', 'weight', 'headCircumference', 'hobby', 'landline', 'skhun', 'familyCardNumber', 'birthCertificateNumber',
    'previousSchool', 'nationalExamNumber', 'diplomaSerialNumber',
  ],
  jsonColumns: ['specialNeeds', 'father', 'mother', 'guardian', 'welfare', 'bankAccount'],
  numbers: ['nisn', 'nipd', 'nik'],
  uniqueNumbers: ['nisn', 'nik'],
  filterColumns: [
    'status', 'gender', 'religion', 'bloodType', 'residenceType', 'transportationMode',
    'fatherEducation', 'fatherOccupation', 'fatherIncome', 'motherEducation', 'motherOccupation', 'motherIncome',
  ],
  defaults: { status: 'ACTIVE', specialNeeds: [] },
  // The parents' education, occupation and income are columns too, for filters and statistics.
  derivedColumns(record) {
    const columns: Record<string, unknown> = {};
    for (const parent of PARENTS) {
      const info = (record[parent] ?? {}) as { education?: string | null; occupation?: string | null; income?: string | null };
      columns[`${parent}Education`] = info.education ?? null;
      columns[`${parent}Occupation`] = info.occupation ?? null;
      columns[`${parent}Income`] = info.income ?? null;
    }
    return columns;
  },
  // The class shown is the enrolment of the current academic year (classes/academic-year.ts).
  dependsOn: ['class', 'class_student'],
  async attach(db, records, context) {
    const classes = await placementsIn(db, context.academicYear, records.map((r) => r.id));
    for (const record of records) {
      const current = classes.get(record.id);
      Object.assign(record, { classId: current?.classId ?? null, className: current?.className ?? null });
    }
  },
  check(record, today) {
    const errors = ['father', 'mother', 'guardian'].flatMap((parent) => checkParent(`body.${parent}`, record[parent], today));
    const welfare = (record.welfare ?? {}) as Record<string, unknown>;
    for (const [flag, number] of [['kpsRecipient', 'kpsNumber'], ['kipRecipient', 'kipNumber']] as const) {
      if (welfare[number] && welfare[flag] !== true) {
        errors.push({ code: 'INCONSISTENT', field: `body.welfare.${flag}`, message: `must be true when welfare.${number} is set` });
      }
    }
    return errors;
  },
};
