import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { credentialSlips, credentialsWorkbook, issueCredentials, MAX_CREDENTIALS } from './service.js';

const credentialsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.post(
    '/api/students/credentials',
    {
      config: { access: 'students:write' },
      schema: {
        tags: ['Students'],
        summary: 'Issue First Passwords',
        description: `For \`studentIds\` (up to ${MAX_CREDENTIALS}) or every ACTIVE student of \`classId\`: a new random password each (12 easily read characters), to be changed at first sign-in; any earlier password stops working and the students are signed out. Answers the printable sheet once — \`format=pdf\` (default) one slip per student, eight to an A4 page; \`format=xlsx\` a table — and keeps the passwords nowhere else: asking again issues new ones. Unknown ids → 400 naming each; an unknown class → 404.`,
        body: Type.Object(
          {
            studentIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_CREDENTIALS, uniqueItems: true })),
            classId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            format: Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('xlsx')], { default: 'pdf' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'application/pdf or the XLSX workbook' }) },
      },
    },
    async (request, reply) => {
      const credentials = await issueCredentials(db, config, request.body);
      const xlsx = request.body.format === 'xlsx';
      return reply
        .type(xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf')
        .headers({ 'content-disposition': `attachment; filename="akun-siswa.${xlsx ? 'xlsx' : 'pdf'}"`, 'cache-control': 'no-store' })
        .send(xlsx ? await credentialsWorkbook(credentials) : await credentialSlips(credentials, config));
    },
  );
};

export default credentialsRoutes;
