import { Type } from '@sinclair/typebox';
import { ref } from '../../http/envelope.js';
import { ListQuerySchema, PageQuerySchema } from '../../http/list.js';
import { enumSchema, LETTER_STATUS, LETTER_TYPE } from '../reference/lists.js';
import { UserType } from '../users/schemas.js';

export const LetterType = enumSchema(LETTER_TYPE, { $id: 'LetterType' });
export const LetterStatus = enumSchema(LETTER_STATUS, { $id: 'LetterStatus' });

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Instant = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:?\\d{2}))?$',
  description: 'An ISO date-time (`2026-03-30T07:30:00.000Z`, as the Android client sends), or a plain date (`2026-03-30`, the start of that day in the school’s time zone).',
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const Party = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() });

export const LetterHistorySchema = Type.Object(
  {
    action: Type.Union([Type.Literal('CREATE'), Type.Literal('APPROVE'), Type.Literal('REJECT'), Type.Literal('CANCEL')]),
    actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()], { description: 'Null once the account is deleted; the name stays.' }), name: Type.String() }),
    note: Nullable(Type.String()),
    fromStatus: Type.Union([ref(LetterStatus), Type.Null()]),
    toStatus: ref(LetterStatus),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'LetterHistory' },
);

const letterProperties = {
  id: Type.String(),
  letterNumber: Nullable(Type.String({ description: 'Assigned on approval, e.g. `007/DISP/SMAN1-SMD/XII/2026`.' })),
  letterType: ref(LetterType),
  status: ref(LetterStatus),
  subject: Type.String(),
  reason: Nullable(Type.String()),
  letterContent: Nullable(Type.String({ description: 'The letter’s text, rendered on approval from the type’s template.' })),
  letterDate: Nullable(Type.String({ format: 'date-time', description: 'The approval time.' })),
  beginDate: Nullable(Type.String({ format: 'date-time' })),
  endDate: Nullable(Type.String({ format: 'date-time' })),
  cc: Type.Array(Type.String(), { description: 'User ids.' }),
  attachment: Nullable(Type.String({ description: 'As the applicant sent it (a `fileUrl` or key); readable at `/api/files/{key}` by whoever can see the letter.' })),
  isPrinted: Type.Boolean(),
  applicant: Party,
  reviewer: Type.Union([Party, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const LetterSchema = Type.Object(letterProperties, { $id: 'Letter' });
export const LetterDetailSchema = Type.Object(
  { ...letterProperties, history: Type.Array(Type.Ref(LetterHistorySchema), { description: 'Oldest first.' }) },
  { $id: 'LetterDetail' },
);

export const CreateLetterBody = Type.Object(
  {
    letterType: ref(LetterType),
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    beginDate: Type.Optional(Type.Union([Instant, Type.Null()])),
    endDate: Type.Optional(Type.Union([Instant, Type.Null()])),
    cc: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'User ids (the client sends classmates’ `userId`s); each must exist.' })),
    attachment: Type.Optional(Nullable(Type.String({ maxLength: 2048, description: 'A `fileUrl` or key from `POST /api/presigned`, uploaded by the applicant.' }))),
    isPrinted: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const LETTER_SORTS = ['createdAt', 'letterDate', 'subject'] as const;

const letterFilters = {
  status: Type.Optional(ref(LetterStatus)),
  letterType: Type.Optional(ref(LetterType)),
  from: Type.Optional({ ...Instant, description: 'Created at or after (a plain date: from the start of that day).' }),
  to: Type.Optional({ ...Instant, description: 'Created before (a plain date: up to the end of that day).' }),
};

export const LetterListQuery = ListQuerySchema({
  sortable: LETTER_SORTS,
  defaultSort: '-createdAt',
  searchHint: 'Case-insensitive, over subject and letter number.',
  filters: letterFilters,
});

export const LetterIdParams = Type.Object({ id: Id });
export const UserLettersParams = Type.Object({ userId: Id });

export const LetterActionBody = Type.Object(
  {
    action: Type.Union([Type.Literal('APPROVE'), Type.Literal('REJECT'), Type.Literal('CANCEL')]),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Required for REJECT.' }))),
  },
  { additionalProperties: false },
);

export const RecipientSchema = Type.Object(
  {
    id: Type.String({ description: 'The user id to put in `cc`.' }),
    name: Type.String(),
    type: ref(UserType),
    image: Nullable(Type.String()),
    canReview: Type.Boolean({ description: 'Holds letters:review.' }),
  },
  { $id: 'LetterRecipient' },
);

export const RecipientQuery = Type.Object({
  ...PageQuerySchema().properties,
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive, over the name.' })),
  type: Type.Optional(ref(UserType)),
  canReview: Type.Optional(Type.Boolean()),
});

export const VerifyParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });

export const Verification = Type.Object(
  {
    letterNumber: Type.String(),
    letterType: ref(LetterType),
    letterDate: Type.String({ format: 'date-time' }),
    status: ref(LetterStatus),
    applicantInitials: Type.String({ description: 'Initials only: the page is public.' }),
  },
  { $id: 'LetterVerification' },
);

export const letterComponents = [LetterType, LetterStatus, LetterHistorySchema, LetterSchema, LetterDetailSchema, RecipientSchema, Verification];
