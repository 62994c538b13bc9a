import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { BLOOD_TYPE, EDUCATION, GENDER, INCOME_BRACKET, OCCUPATION, RELIGION, SPECIAL_NEED, enumSchema } from '../reference/lists.js';

/**
 * The pieces every person record (student, teacher, staff) is made of, contract §3 and §6.
 *
 * Optional fields take `null` to clear them. Nullable fields are written as a JSON-Schema type
 * list (`["string", "null"]`) rather than `anyOf`, so a bad value inside a nested object is
 * reported at its own path (`body.father.nik`), and answers serialise without trying branches.
 */
export function nullable<T extends TSchema>(schema: T) {
  const { type, enum: values, ...rest } = schema as unknown as { type: string; enum?: unknown[] };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) });
}

export const digits = (length: number, description: string) =>
  Type.String({ pattern: `^[0-9]{${length}}$`, description });

export const text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

/** Every field made optional: a create body's optional part, an update body. */
export function optional<T extends Record<string, TSchema>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: TOptional<T[K]> };
}

/** A calendar date, `YYYY-MM-DD`; must exist (no 31 April). */
export const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD.' });

export const Gender = enumSchema(GENDER);
export const Religion = enumSchema(RELIGION);
export const BloodType = enumSchema(BLOOD_TYPE);
export const Education = enumSchema(EDUCATION);
export const Occupation = enumSchema(OCCUPATION);
export const IncomeBracket = enumSchema(INCOME_BRACKET);
export const SpecialNeed = enumSchema(SPECIAL_NEED);

export const Nik = digits(16, 'Nomor Induk Kependudukan: 16 digits.');
export const PhoneNumber = Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,18}[0-9]$', maxLength: 20, description: 'Digits, optionally with a leading + and spaces or dashes.' });

export const Location = Type.Object(
  {
    type: Type.Literal('Point'),
    coordinates: Type.Tuple(
      [Type.Number({ minimum: -180, maximum: 180, description: 'Longitude.' }), Type.Number({ minimum: -90, maximum: 90, description: 'Latitude.' })],
      { description: '[longitude, latitude] (GeoJSON order).' },
    ),
  },
  { additionalProperties: false, title: 'Location', description: 'A GeoJSON Point.' },
);

export const Address = Type.Object(
  {
    street: Type.Optional(nullable(text(200, 'Jalan, with house number.'))),
    rt: Type.Optional(nullable(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Rukun tetangga, 1-3 digits.' }))),
    rw: Type.Optional(nullable(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Rukun warga, 1-3 digits.' }))),
    hamlet: Type.Optional(nullable(text(100, 'Dusun.'))),
    subDistrict: Type.Optional(nullable(text(100, 'Kelurahan / desa.'))),
    district: Type.Optional(nullable(text(100, 'Kecamatan.'))),
    city: Type.Optional(nullable(text(100, 'Kabupaten / kota.'))),
    province: Type.Optional(nullable(text(100))),
    postalCode: Type.Optional(nullable(digits(5, 'Kode pos, 5 digits.'))),
    country: Type.Optional(nullable(text(100))),
    location: Type.Optional(nullable(Location)),
  },
  { additionalProperties: false, title: 'Address' },
);

export const ParentInfo = Type.Object(
  {
    name: Type.Optional(nullable(text(200))),
    nik: Type.Optional(nullable(Nik)),
    birthPlace: Type.Optional(nullable(text(100))),
    birthDate: Type.Optional(nullable(DateOnly)),
    birthYear: Type.Optional(nullable(Type.Integer({ minimum: 1900, maximum: 2100, description: 'Dapodik gives only the year; must match birthDate when both are set.' }))),
    education: Type.Optional(nullable(Education)),
    occupation: Type.Optional(nullable(Occupation)),
    income: Type.Optional(nullable(IncomeBracket)),
    phoneNumber: Type.Optional(nullable(PhoneNumber)),
    specialNeeds: Type.Optional(Type.Array(SpecialNeed, { uniqueItems: true, maxItems: 12 })),
  },
  { additionalProperties: false, title: 'ParentInfo' },
);

export const EducationHistory = Type.Object(
  {
    level: Education,
    institution: text(200),
    major: Type.Optional(nullable(text(200))),
    graduationYear: Type.Optional(nullable(Type.Integer({ minimum: 1900, maximum: 2100 }))),
  },
  { additionalProperties: false, title: 'EducationHistoryObject' },
);

/** Fields every person has and an editor may set (contract: UserProfile). */
export const personFields = {
  religion: nullable(Religion),
  birthPlace: nullable(text(100)),
  birthDate: nullable({ ...DateOnly, description: 'YYYY-MM-DD; not in the future.' }),
  nik: nullable(Nik),
  phoneNumber: nullable(PhoneNumber),
  address: nullable(Address),
  bloodType: nullable(BloodType),
};

export const PersonName = Type.String({ minLength: 1, maxLength: 200, description: 'Full name, as on the birth certificate.' });
export const PersonEmail = Type.String({ format: 'email', maxLength: 254, description: "The account's sign-in email; unique." });
export const Password = Type.String({ minLength: 8, maxLength: 128, description: 'The first password; without it one is generated and returned once.' });

/** What every person record answers with besides its own fields. */
export const personRecordFields = {
  id: Type.String(),
  userId: Type.String({ description: 'The linked user account.' }),
  name: Type.String(),
  email: Type.String(),
  image: nullable(Type.String({ description: 'Profile image path, `{w}x{h}/{hex6}/{hex6}.jpg`.' })),
  gender: Gender,
};
export const auditFields = {
  deletedAt: nullable(Type.String({ format: 'date-time', description: 'Set when the record was deleted (listed only with includeDeleted).' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const CREATED_DESCRIPTION =
  'Only when no password was given: the generated first password, shown this once and never stored in clear. The user must change it at first sign-in.';

export const MERGE_DESCRIPTION =
  'Partial: only the fields sent change; `null` clears a field. Nested objects (address, father, mother, guardian, welfare, bankAccount) are merged one level deep: the keys sent replace those keys, the others stay; sending `null` for the whole object clears it. Arrays (specialNeeds, subjects, educationHistory) are replaced whole. The merged record is validated as a whole, as on create.';
