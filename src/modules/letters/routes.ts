import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import contentDisposition from 'content-disposition';
import { callerOf } from '../../auth/guard.js';
import { Envelope, ok, page, PageEnvelope } from '../../http/envelope.js';
import { sendOnceSerialized } from '../../http/serialized.js';
import { filesContextOf } from '../files/service.js';
import {
  CreateLetterBody, LetterActionBody, LetterDetailSchema, LetterIdParams, LetterListQuery, LetterSchema, RecipientQuery, RecipientSchema,
  UserLettersParams, Verification, VerifyParams,
} from './schemas.js';
import {
  actOnLetter, createLetter, getLetter, getLetters, getRecipients, getUserLetters, letterDocument, verifyLetter, type LettersContext,
} from './service.js';

const tags = ['Letters'];
const detail = Envelope(Type.Ref(LetterDetailSchema));
const list = PageEnvelope(Type.Ref(LetterSchema));
// Pages come from a cache (service.ts); each cached page is serialised once.
const sendPage = sendOnceSerialized(list);
const listDescription =
  'Filters: `status`, `letterType`, `from`/`to` (creation time; a plain date covers that whole day in the school’s time zone); `search` over subject and number. Newest first by default.';

const lettersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx: LettersContext = { db: app.db, config: app.config, files: filesContextOf(app) };

  app.get(
    '/api/letters',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Get All Letters',
        description: `Reviewers (letters:review) and holders of letters:read see every letter; anyone else sees the letters they applied for or are cc’d on. ${listDescription}`,
        querystring: LetterListQuery,
        response: { 200: list },
      },
    },
    async (request, reply) => {
      const letters = await getLetters(ctx, callerOf(request), request.query);
      return sendPage(reply, letters, () => page(letters.items, letters.meta));
    },
  );

  app.post(
    '/api/letters',
    {
      config: { access: 'letters:create' },
      schema: {
        tags,
        summary: 'Create a Letter',
        description:
          'A request by the signed-in user, PENDING until reviewed. DISPENSATION and ASSIGNMENT need `beginDate` and `endDate` (400 when missing; 422 when the end is before the beginning). Every `cc` must be a user (400 naming each one that is not; the applicant is dropped from it). `attachment` must be the `fileUrl` or key of a file the applicant uploaded through `POST /api/presigned`, after the upload.',
        body: CreateLetterBody,
        response: { 201: Envelope(Type.Ref(LetterSchema)) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await createLetter(ctx, callerOf(request), request.body), 'Letter requested.');
    },
  );

  app.get(
    '/api/letters/recipients',
    {
      config: { access: 'letters:create' },
      schema: {
        tags,
        summary: 'Get Letter Recipients',
        description: 'Users who can be put in `cc` or asked to review (active accounts), by name; `canReview` marks reviewers. Filter by `type` or `canReview`.',
        querystring: RecipientQuery,
        response: { 200: PageEnvelope(Type.Ref(RecipientSchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getRecipients(ctx, request.query);
      return page(items, meta);
    },
  );

  app.get(
    '/api/letters/verify/:code',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Verify a Printed Letter',
        description:
          'For anyone holding a printed letter (its QR code points here): answers its number, type, date, status and the applicant’s initials, nothing else. The code is printed under the QR code; dashes and case do not matter. An unknown code → 404.',
        security: [],
        params: VerifyParams,
        response: { 200: Envelope(Type.Ref(Verification)) },
      },
    },
    async (request) => ok(await verifyLetter(ctx, request.params.code)),
  );

  app.get(
    '/api/letters/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Retrieve an Existing Letter', description: 'With its `history`, oldest first. A letter the caller may not see → 404.', params: LetterIdParams, response: { 200: detail } },
    },
    async (request) => ok(await getLetter(ctx, callerOf(request), request.params.id)),
  );

  app.get(
    '/api/letters/:id/document',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Download the Letter (PDF)',
        description: 'The approved letter as an A4 PDF: letterhead, number, date, content, the reviewer’s name and a QR code of its verification address. Not approved yet → 409; not visible → 404.',
        params: LetterIdParams,
        response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'application/pdf' }) },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await letterDocument(ctx, callerOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .headers({ 'content-disposition': contentDisposition(fileName, { type: 'inline' }), 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' })
        .send(pdf);
    },
  );

  app.post(
    '/api/letters/:id/actions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Initiate a Letter Action',
        description:
          'APPROVE and REJECT (letters:review; a note is required to reject; not on one’s own letter) and CANCEL (the applicant). Only a PENDING letter moves; anything else → 409 naming the current status. APPROVE sets the reviewer and `letterDate`, renders `letterContent`, and assigns the number: the next of its type in the year, never reused or skipped, even with reviewers approving at once on several instances. Every action is appended to `history`.',
        params: LetterIdParams,
        body: LetterActionBody,
        response: { 200: detail },
      },
    },
    async (request) => {
      const { action, note } = request.body;
      const letter = await actOnLetter(ctx, callerOf(request), request.params.id, action, note);
      return ok(letter, `Letter ${letter.status.toLowerCase()}.`);
    },
  );

  for (const [url, summary] of [
    ['/api/users/me/letters', 'List Current User Letter'],
    ['/api/users/:userId/letters', 'List User Letter'],
  ] as const) {
    app.get(
      url,
      {
        config: { access: 'signed-in' },
        schema: {
          tags,
          summary,
          description: `The letters a user applied for: one’s own, or anyone’s with letters:read or letters:review (404 otherwise, as for anything the caller may not see). ${listDescription}`,
          ...(url.includes(':userId') ? { params: UserLettersParams } : {}),
          querystring: LetterListQuery,
          response: { 200: list },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const userId = (request.params as { userId?: string }).userId ?? caller.user.id;
        const letters = await getUserLetters(ctx, caller, userId, request.query);
        return sendPage(reply, letters, () => page(letters.items, letters.meta));
      },
    );
  }
};

export default lettersRoutes;
