import type { ColumnType } from 'kysely';

/**
 * Table types. Timestamps are written as ISO-8601 strings and read back as a string (SQLite) or a
 * Date (PostgreSQL); booleans read back as 0/1 on SQLite. Repositories normalise both with
 * `toIso`/`toBool` from db/values.ts so callers never see the difference.
 */
export type Timestamp = ColumnType<Date | string, string, string>;
export type Bool = ColumnType<boolean | number, boolean, boolean>;

// Better Auth's tables (names and columns as Better Auth expects them).
export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: Bool;
  image: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  type: 'STUDENT' | 'TEACHER' | 'STAFF' | 'ADMIN';
  banned: Bool;
  banReason: string | null;
  secondaryEmail: string | null;
  mustChangePassword: Bool;
}

export interface SessionTable {
  id: string;
  expiresAt: Timestamp;
  token: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
  lastActiveAt: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

export interface AccountTable {
  id: string;
  accountId: string;
  providerId: string;
  userId: string;
  accessToken: string | null;
  refreshToken: string | null;
  idToken: string | null;
  accessTokenExpiresAt: Timestamp | null;
  refreshTokenExpiresAt: Timestamp | null;
  scope: string | null;
  password: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface VerificationTable {
  id: string;
  identifier: string;
  value: string;
  expiresAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

// Core's tables.
export interface RoleTable {
  id: string;
  name: string;
  description: string | null;
  system: Bool;
  permissionsVersion: ColumnType<number, number | undefined, number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface RolePermissionTable {
  roleId: string;
  permission: string;
}

export interface UserRoleTable {
  userId: string;
  roleId: string;
  createdAt: Timestamp;
}

export interface LoginHistoryTable {
  id: string;
  userId: string | null;
  email: string;
  ipAddress: string | null;
  userAgent: string | null;
  success: Bool;
  failureReason: string | null;
  createdAt: Timestamp;
}

export interface RoleHistoryTable {
  id: string;
  roleId: string;
  roleName: string;
  actorId: string | null;
  action: 'CREATED' | 'UPDATED' | 'DELETED' | 'MEMBERS_ADDED' | 'MEMBERS_REMOVED';
  /** JSON: what changed (text on SQLite, jsonb on PostgreSQL). */
  changes: ColumnType<unknown, string, string>;
  createdAt: Timestamp;
}

export interface DirectoryVersionTable {
  name: string;
  version: number;
}

/** A JSON column: jsonb on PostgreSQL (read back parsed), text on SQLite (read back as a string). */
export type Json = ColumnType<unknown, string | null, string | null>;

// Person records (migration 0004). Dates without time are 'YYYY-MM-DD' text.
export interface PersonColumns {
  id: string;
  userId: string;
  name: string;
  gender: string;
  religion: string | null;
  birthPlace: string | null;
  birthDate: string | null;
  nik: string | null;
  phoneNumber: string | null;
  bloodType: string | null;
  address: Json;
  deletedAt: ColumnType<Date | string | null, string | null | undefined, string | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface StudentTable extends PersonColumns {
  nisn: string | null;
  nipd: string | null;
  status: string;
  specialNeeds: Json;
  residenceType: string | null;
  transportationMode: string | null;
  distance: number | null;
  travelTime: number | null;
  birthOrder: number | null;
  numberOfSiblings: number | null;
  height: number | null;
  weight: number | null;
  headCircumference: number | null;
  hobby: string | null;
  landline: string | null;
  skhun: string | null;
  familyCardNumber: string | null;
  birthCertificateNumber: string | null;
  previousSchool: string | null;
  nationalExamNumber: string | null;
  diplomaSerialNumber: string | null;
  father: Json;
  mother: Json;
  guardian: Json;
  fatherEducation: string | null;
  fatherOccupation: string | null;
  fatherIncome: string | null;
  motherEducation: string | null;
  motherOccupation: string | null;
  motherIncome: string | null;
  welfare: Json;
  bankAccount: Json;
}

export interface TeacherTable extends PersonColumns {
  nip: string | null;
  nuptk: string | null;
  employmentStatus: string | null;
  position: string | null;
  subjects: Json;
  educationHistory: Json;
  startDate: string | null;
}

export interface StaffTable extends PersonColumns {
  nip: string | null;
  employmentStatus: string | null;
  position: string | null;
  educationHistory: Json;
  startDate: string | null;
}

export interface PersonSearchTable {
  token: string;
  personId: string;
  kind: 'NAME' | 'NUMBER';
}

export interface ClassTable {
  id: string;
  name: string;
  gradeLevel: number;
  academicYear: string;
  homeroomTeacherId: string | null;
  copiedFromId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ClassStudentTable {
  classId: string;
  studentId: string;
  academicYear: string;
  createdAt: Timestamp;
}

export type FileStatus = 'PENDING' | 'UPLOADED';

export interface FileTable {
  id: string;
  key: string;
  ownerId: string | null;
  /** Why it was uploaded: the presign request's `type` (e.g. 'letter-attachment'), or 'profile-image'. */
  purpose: string;
  fileName: string;
  contentType: string;
  /** Declared while PENDING; the stored size once UPLOADED. */
  size: number;
  status: FileStatus;
  /** When the upload URL stops working; a PENDING row past it is cleaned up. */
  expiresAt: Timestamp;
  createdAt: Timestamp;
  uploadedAt: Timestamp | null;
}

export type LetterTypeValue = 'DISPENSATION' | 'RECOMMENDATION' | 'ACTIVE_STATEMENT' | 'ASSIGNMENT';
export type LetterStatusValue = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';

export interface LetterTable {
  id: string;
  letterType: LetterTypeValue;
  status: LetterStatusValue;
  subject: string;
  reason: string | null;
  letterContent: string | null;
  beginDate: Timestamp | null;
  endDate: Timestamp | null;
  /** What the applicant sent (a fileUrl or a key), returned as sent. */
  attachment: string | null;
  attachmentKey: string | null;
  isPrinted: Bool;
  applicantId: string;
  reviewerId: string | null;
  letterDate: Timestamp | null;
  /** The numbering year and sequence, set with the number on approval. */
  numberYear: number | null;
  sequence: number | null;
  letterNumber: string | null;
  verificationCode: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface LetterCcTable {
  letterId: string;
  userId: string;
}

export interface LetterHistoryTable {
  id: string;
  letterId: string;
  action: 'CREATE' | 'APPROVE' | 'REJECT' | 'CANCEL';
  actorId: string | null;
  /** Kept so the history still names the actor after their account is deleted. */
  actorName: string;
  note: string | null;
  fromStatus: LetterStatusValue | null;
  toStatus: LetterStatusValue;
  createdAt: Timestamp;
}

export interface LetterSequenceTable {
  letterType: LetterTypeValue;
  year: number;
  lastNumber: number;
}

export interface StudentImportTable {
  id: string;
  userId: string | null;
  userName: string;
  fileName: string;
  dryRun: Bool;
  mode: 'create' | 'upsert';
  committed: Bool;
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** The report's errors, as JSON. */
  errors: ColumnType<string | object, string, string>;
  createdAt: Timestamp;
}

export interface Database {
  user: UserTable;
  session: SessionTable;
  account: AccountTable;
  verification: VerificationTable;
  role: RoleTable;
  role_permission: RolePermissionTable;
  user_role: UserRoleTable;
  login_history: LoginHistoryTable;
  role_history: RoleHistoryTable;
  directory_version: DirectoryVersionTable;
  student: StudentTable;
  teacher: TeacherTable;
  staff: StaffTable;
  person_search: PersonSearchTable;
  class: ClassTable;
  class_student: ClassStudentTable;
  file: FileTable;
  letter: LetterTable;
  letter_cc: LetterCcTable;
  letter_history: LetterHistoryTable;
  letter_sequence: LetterSequenceTable;
  student_import: StudentImportTable;
}

