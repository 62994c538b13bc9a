import { Type } from '@sinclair/typebox';
import { RESIDENCE_TYPE, STUDENT_STATUS, TRANSPORTATION_MODE, enumSchema } from '../reference/lists.js';
import { ListQuerySchema } from '../../http/list.js';
import { AcademicYear } from '../classes/academic-year.js';
import {
  auditFields, BloodType, CREATED_DESCRIPTION, digits, Education, Gender, IncomeBracket, MERGE_DESCRIPTION, nullable, Occupation,
  optional, ParentInfo, Password, PersonEmail, personFields, PersonName, personRecordFields, Religion, SpecialNeed, text,
} from '../people/schemas.js';

export const StudentStatus = enumSchema(STUDENT_STATUS);
const ResidenceType = enumSchema(RESIDENCE_TYPE);
const TransportationMode = enumSchema(TRANSPORTATION_MODE);

const count = (minimum: number, maximum: number, description: string) => Type.Integer({ minimum, maximum, description });

const Welfare = Type.Object(
  {
    kpsRecipient: Type.Optional(Type.Boolean({ description: 'Penerima KPS/PKH.' })),
    kpsNumber: Type.Optional(nullable(text(50))),
    kipRecipient: Type.Optional(Type.Boolean({ description: 'Penerima KIP.' })),
    kipNumber: Type.Optional(nullable(text(50))),
    kipName: Type.Optional(nullable(text(200, 'Name printed on the KIP.'))),
    kksNumber: Type.Optional(nullable(text(50))),
    pipEligible: Type.Optional(Type.Boolean({ description: 'Layak PIP (usulan dari sekolah).' })),
    pipReason: Type.Optional(nullable(text(200))),
  },
  { additionalProperties: false, title: 'Welfare' },
);

const BankAccount = Type.Object(
  {
    bank: Type.Optional(nullable(text(100))),
    number: Type.Optional(nullable(Type.String({ pattern: '^[0-9][0-9 -]{3,30}$', description: 'Digits, spaces or dashes.' }))),
    holderName: Type.Optional(nullable(text(200))),
  },
  { additionalProperties: false, title: 'BankAccount' },
);

/** Every field of a student an editor may set (besides name, email, gender). */
const studentFields = {
  ...personFields,
  nisn: nullable(digits(10, 'Nomor Induk Siswa Nasional: 10 digits; unique.')),
  nipd: nullable(text(30, 'Nomor induk peserta didik (the school’s own number).')),
  status: StudentStatus,
  specialNeeds: Type.Array(SpecialNeed, { uniqueItems: true, maxItems: 12 }),
  residenceType: nullable(ResidenceType),
  transportationMode: nullable(TransportationMode),
  distance: nullable(count(0, 1_000_000, 'From home to school, in metres (Dapodik’s km × 1000).')),
  travelTime: nullable(count(0, 1440, 'Minutes from home to school.')),
  birthOrder: nullable(count(1, 30, 'Anak ke-.')),
  numberOfSiblings: nullable(count(0, 30, 'Jumlah saudara kandung.')),
  height: nullable(count(50, 250, 'Centimetres.')),
  weight: nullable(count(10, 300, 'Kilograms.')),
  headCircumference: nullable(count(30, 80, 'Lingkar kepala, centimetres.')),
  hobby: nullable(text(100)),
  landline: nullable(Type.String({ pattern: '^[0-9][0-9 -]{4,18}[0-9]$', description: 'Telepon rumah.' })),
  skhun: nullable(text(50, 'Nomor SKHUN.')),
  familyCardNumber: nullable(digits(16, 'Nomor Kartu Keluarga: 16 digits.')),
  birthCertificateNumber: nullable(text(50, 'Nomor registrasi akta lahir.')),
  father: nullable(ParentInfo),
  mother: nullable(ParentInfo),
  guardian: nullable(ParentInfo),
  previousSchool: nullable(text(200, 'Sekolah asal.')),
  nationalExamNumber: nullable(text(50, 'Nomor peserta ujian nasional.')),
  diplomaSerialNumber: nullable(text(50, 'Nomor seri ijazah.')),
  welfare: nullable(Welfare),
  bankAccount: nullable(BankAccount),
};

export const StudentSchema = Type.Object(
  {
    ...personRecordFields,
    ...studentFields,
    classId: nullable(Type.String({ description: 'The class of the current academic year (ACADEMIC_YEAR, or from the date: a new year starts in July).' })),
    className: nullable(Type.String()),
    ...auditFields,
  },
  { $id: 'Student', description: 'A student’s full record (students:read, or the student themself).' },
);

export const StudentDirectoryEntry = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    name: Type.String(),
    gender: Gender,
    classId: nullable(Type.String()),
    className: nullable(Type.String()),
  },
  { $id: 'StudentDirectoryEntry', description: 'What any signed-in user may see of an active student (to pick classmates for a letter).' },
);

export const CreateStudentBody = Type.Object(
  {
    name: PersonName,
    email: PersonEmail,
    gender: Gender,
    password: Type.Optional(Password),
    ...optional(studentFields),
  },
  { additionalProperties: false, description: 'status defaults to ACTIVE.' },
);

export const UpdateStudentBody = Type.Object(
  { name: Type.Optional(PersonName), email: Type.Optional(PersonEmail), gender: Type.Optional(Gender), ...optional(studentFields) },
  { additionalProperties: false, minProperties: 1, description: MERGE_DESCRIPTION },
);

export const CreatedStudent = Type.Object(
  { student: Type.Ref(StudentSchema), temporaryPassword: Type.Optional(Type.String({ description: CREATED_DESCRIPTION })) },
  { $id: 'CreatedStudent' },
);

export const STUDENT_SORTS = ['name', 'birthDate', 'createdAt', 'nisn', 'nipd', 'nik'] as const;

/** Filters a caller without students:read may use on the directory (nothing that reveals more than it shows). */
export const DIRECTORY_FILTERS = ['page', 'limit', 'search', 'sort', 'gender', 'classId'] as const;

export const StudentListQuery = ListQuerySchema({
  sortable: STUDENT_SORTS,
  defaultSort: 'name',
  searchHint:
    'Case-insensitive; every word must start a word of the name or an identity number (NISN, NIPD, NIK). In the directory (without students:read) names only.',
  filters: {
    status: Type.Optional(StudentStatus),
    gender: Type.Optional(Gender),
    religion: Type.Optional(Religion),
    bloodType: Type.Optional(BloodType),
    residenceType: Type.Optional(ResidenceType),
    transportationMode: Type.Optional(TransportationMode),
    specialNeed: Type.Optional(SpecialNeed),
    fatherEducation: Type.Optional(Education),
    fatherOccupation: Type.Optional(Occupation),
    fatherIncome: Type.Optional(IncomeBracket),
    motherEducation: Type.Optional(Education),
    motherOccupation: Type.Optional(Occupation),
    motherIncome: Type.Optional(IncomeBracket),
    classId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Students enrolled in this class.' })),
    academicYear: Type.Optional({ ...AcademicYear, description: 'Students enrolled in a class in this academic year.' }),
    includeDeleted: Type.Optional(Type.Boolean({ description: 'Also list deleted students (students:delete).' })),
  },
});

export const studentComponents = [StudentSchema, StudentDirectoryEntry, CreatedStudent];
