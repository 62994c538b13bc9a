import type { MessageKey } from '../i18n/messages';
import type { ListName } from '../reference';

/** The three kinds of person records, each a profile linked to an account. */
export type PersonKind = 'students' | 'teachers' | 'staff';

export type FieldKind = 'text' | 'email' | 'password' | 'date' | 'integer' | 'select' | 'multiselect' | 'checkbox' | 'commaList' | 'education';

export interface FieldSpec {
  /** The field's path in the record: `name`, `address.city`, `father.income`. */
  path: string;
  kind: FieldKind;
  /** The reference list a select offers (GET /api/reference). */
  list?: ListName;
  required?: boolean;
  /** Only when creating (the first password). */
  createOnly?: boolean;
  hint?: MessageKey;
  /** Digits only: phones get the numeric keypad. */
  numeric?: boolean;
}

export interface Section {
  title: MessageKey;
  fields: FieldSpec[];
}

const text = (path: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, kind: 'text', ...extra });
const digits = (path: string, hint: MessageKey): FieldSpec => ({ path, kind: 'text', numeric: true, hint });
const select = (path: string, list: ListName, extra: Partial<FieldSpec> = {}): FieldSpec => ({ path, kind: 'select', list, ...extra });
const integer = (path: string, hint?: MessageKey): FieldSpec => ({ path, kind: 'integer', ...(hint ? { hint } : {}) });

const identity: Section = {
  title: 'section.identity',
  fields: [
    text('name', { required: true }),
    { path: 'email', kind: 'email', required: true },
    { path: 'password', kind: 'password', createOnly: true, hint: 'hint.password' },
    select('gender', 'gender', { required: true }),
    select('religion', 'religion'),
    text('birthPlace'),
    { path: 'birthDate', kind: 'date' },
    digits('nik', 'hint.nik'),
    { path: 'phoneNumber', kind: 'text', numeric: true },
    select('bloodType', 'bloodType'),
  ],
};

const address: Section = {
  title: 'section.address',
  fields: [
    text('address.street'),
    digits('address.rt', 'hint.rtRw'),
    digits('address.rw', 'hint.rtRw'),
    text('address.hamlet'),
    text('address.subDistrict'),
    text('address.district'),
    text('address.city'),
    text('address.province'),
    digits('address.postalCode', 'hint.postalCode'),
  ],
};

function parent(who: 'father' | 'mother' | 'guardian', title: MessageKey): Section {
  return {
    title,
    fields: [
      text(`${who}.name`),
      digits(`${who}.nik`, 'hint.nik'),
      integer(`${who}.birthYear`),
      select(`${who}.education`, 'education'),
      select(`${who}.occupation`, 'occupation'),
      select(`${who}.income`, 'incomeBracket'),
      { path: `${who}.phoneNumber`, kind: 'text', numeric: true },
    ],
  };
}

const employment = (withTeacherFields: boolean): Section => ({
  title: 'section.employment',
  fields: [
    digits('nip', 'hint.nip'),
    ...(withTeacherFields ? [digits('nuptk', 'hint.nuptk')] : []),
    select('employmentStatus', 'employmentStatus'),
    text('position'),
    { path: 'startDate', kind: 'date', hint: 'hint.startDate' },
    ...(withTeacherFields ? [{ path: 'subjects', kind: 'commaList', hint: 'hint.subjects' } satisfies FieldSpec] : []),
    { path: 'educationHistory', kind: 'education' },
  ],
});

/** The form of each kind, in Dapodik's order of sections. */
export const SECTIONS: Record<PersonKind, Section[]> = {
  students: [
    identity,
    {
      title: 'section.school',
      fields: [
        digits('nisn', 'hint.nisn'),
        text('nipd'),
        select('status', 'studentStatus'),
        text('previousSchool'),
        text('nationalExamNumber'),
        text('diplomaSerialNumber'),
        text('skhun'),
      ],
    },
    address,
    {
      title: 'section.living',
      fields: [
        select('residenceType', 'residenceType'),
        select('transportationMode', 'transportationMode'),
        integer('distance', 'hint.distance'),
        integer('travelTime', 'hint.travelTime'),
        integer('birthOrder'),
        integer('numberOfSiblings'),
        text('hobby'),
        { path: 'landline', kind: 'text', numeric: true },
        digits('familyCardNumber', 'hint.nik'),
        text('birthCertificateNumber'),
      ],
    },
    {
      title: 'section.health',
      fields: [integer('height', 'hint.height'), integer('weight', 'hint.weight'), integer('headCircumference', 'hint.height'), { path: 'specialNeeds', kind: 'multiselect', list: 'specialNeed' }],
    },
    parent('father', 'section.father'),
    parent('mother', 'section.mother'),
    parent('guardian', 'section.guardian'),
    {
      title: 'section.welfare',
      fields: [
        { path: 'welfare.kpsRecipient', kind: 'checkbox' },
        text('welfare.kpsNumber'),
        { path: 'welfare.kipRecipient', kind: 'checkbox' },
        text('welfare.kipNumber'),
        text('welfare.kipName'),
        text('welfare.kksNumber'),
        { path: 'welfare.pipEligible', kind: 'checkbox' },
        text('welfare.pipReason'),
        text('bankAccount.bank'),
        text('bankAccount.number'),
        text('bankAccount.holderName'),
      ],
    },
  ],
  teachers: [identity, address, employment(true)],
  staff: [identity, address, employment(false)],
};

/** Fields whose value is an object in the record (sent whole, or null when left empty). */
export const OBJECT_FIELDS = ['address', 'father', 'mother', 'guardian', 'welfare', 'bankAccount'];

export const PERMISSION: Record<PersonKind, { read: string; write: string; delete: string }> = {
  students: { read: 'students:read', write: 'students:write', delete: 'students:delete' },
  teachers: { read: 'teachers:read', write: 'teachers:write', delete: 'teachers:delete' },
  staff: { read: 'staff:read', write: 'staff:write', delete: 'staff:delete' },
};
