import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, ok, page, PageEnvelope } from '../../../http/envelope.js';
import { PageQuerySchema } from '../../../http/list.js';
import { singleFile } from '../../../http/multipart.js';
import { callerOf } from '../../../auth/guard.js';
import { errorsCsv, importErrors, listImports, recordImport } from './history.js';
import { importStudents } from './service.js';
import { csvTemplate, xlsxTemplate } from './template.js';

const tags = ['Students'];

const ImportError = Type.Object({ row: Type.Integer(), column: Type.String(), code: Type.String(), message: Type.String() }, { $id: 'StudentImportError' });

const ImportReport = Type.Object(
  {
    importId: Type.String({ description: 'Its entry in the import history; the errors can be downloaded there as CSV.' }),
    dryRun: Type.Boolean(),
    mode: Type.Union([Type.Literal('create'), Type.Literal('upsert')]),
    committed: Type.Boolean({ description: 'Whether anything was written: false for a dry run and whenever any row failed.' }),
    rows: Type.Integer({ description: 'Data rows read (blank rows not counted).' }),
    created: Type.Integer(),
    updated: Type.Integer(),
    skipped: Type.Integer({ description: 'Blank rows, and rows identical to the record already there (upsert).' }),
    failed: Type.Integer({ description: 'Rows with at least one error.' }),
    errors: Type.Array(Type.Ref(ImportError)),
    unknownColumns: Type.Array(Type.String(), { description: 'Headers that name no column; their cells were ignored.' }),
    generatedEmails: Type.Array(Type.Object({ row: Type.Integer(), email: Type.String() }), { description: 'Addresses made from IMPORT_EMAIL_PATTERN for rows without one.' }),
    createdClasses: Type.Array(Type.String(), { description: 'Classes of the current academic year the import creates for "Rombel Saat Ini".' }),
  },
  { $id: 'StudentImportReport' },
);

const ImportEntry = Type.Object(
  {
    id: Type.String(),
    by: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
    fileName: Type.String(),
    dryRun: Type.Boolean(),
    mode: Type.Union([Type.Literal('create'), Type.Literal('upsert')]),
    committed: Type.Boolean(),
    rows: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    skipped: Type.Integer(),
    failed: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'StudentImport' },
);

export const importComponents = [ImportReport, ImportEntry, ImportError];

const studentImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart);
  const { db, config } = app;

  app.get(
    '/api/students/import/template',
    {
      config: { access: 'students:write' },
      schema: {
        tags,
        summary: 'Download the Import Template',
        description:
          'A header row with every importable column (Indonesian label and field name) and one example row. The XLSX has a second sheet listing every reference list (value, Dapodik code, label). Cells that a spreadsheet would run as a formula are written behind an apostrophe.',
        querystring: Type.Object({ format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' }) }),
        response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) },
      },
    },
    async (request, reply) => {
      const xlsx = request.query.format === 'xlsx';
      return reply
        .type(xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="template-import-siswa.${request.query.format}"`)
        .send(xlsx ? await xlsxTemplate() : csvTemplate());
    },
  );

  app.post(
    '/api/students/import',
    {
      config: { access: 'students:write' },
      schema: {
        tags,
        summary: 'Import Students',
        description:
          'Multipart field `file`: the template (XLSX or CSV, comma or semicolon) or Dapodik’s “Daftar Peserta Didik” export as downloaded (title rows and the two-row header are found by their contents). Each row is checked like `POST /api/students`; a value may be Core’s value, the Dapodik code or the Indonesian label; dates `YYYY-MM-DD`, `DD/MM/YYYY` or Excel dates; distance in km. All-or-nothing: if any row fails, nothing is written and every error is listed with its row and column. Duplicates inside the file are errors. `mode=upsert` updates the student with the same NISN (only the columns given; identical rows are skipped). Rows without an e-mail get one from IMPORT_EMAIL_PATTERN. “Rombel Saat Ini” enrols the student in that class of the current academic year, creating it when needed. Accounts are created without a password (see the credentials step). `dryRun=true` checks everything and writes nothing. Over IMPORT_MAX_SIZE (20 MiB) → 413; a workbook that would unpack to too much → 413; more than IMPORT_MAX_ROWS (100,000) rows → 400.',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({
          dryRun: Type.Boolean({ default: false }),
          mode: Type.Union([Type.Literal('create'), Type.Literal('upsert')], { default: 'create' }),
        }),
        response: { 200: Envelope(Type.Ref(ImportReport)) },
      },
    },
    async (request) => {
      const { bytes, fileName } = await singleFile(request, 'file', config.studentImport.maxFileBytes);
      const report = await importStudents(db, config, bytes, request.query);
      const caller = callerOf(request);
      const importId = await recordImport(db, caller.user, fileName || 'upload', report);
      const message = report.committed
        ? `Imported: ${report.created} created, ${report.updated} updated.`
        : report.failed > 0
          ? `Nothing was imported: ${report.failed} row(s) have errors.`
          : 'Dry run: every row can be imported; nothing was written.';
      return ok({ importId, ...report }, message);
    },
  );

  app.get(
    '/api/students/imports',
    {
      config: { access: 'students:write' },
      schema: {
        tags,
        summary: 'Get the Import History',
        description: 'Every import, dry runs included, newest first: who, when, which file, and its counts.',
        querystring: PageQuerySchema(),
        response: { 200: PageEnvelope(Type.Ref(ImportEntry)) },
      },
    },
    async (request) => {
      const { items, meta } = await listImports(db, request.query);
      return page(items, meta);
    },
  );

  app.get(
    '/api/students/imports/:id/errors',
    {
      config: { access: 'students:write' },
      schema: {
        tags,
        summary: 'Download an Import’s Errors',
        description: '`format=csv` (default): a CSV to open in Excel (row, column, code, message). `format=json`: the same in the envelope.',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('json')], { default: 'csv' }) }),
        response: { 200: Type.Union([Envelope(Type.Array(Type.Ref(ImportError))), Type.Unsafe<unknown>({ type: 'string', format: 'binary' })]) },
      },
    },
    async (request, reply) => {
      const errors = await importErrors(db, request.params.id);
      if (request.query.format === 'json') return ok(errors);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${request.params.id}-errors.csv"`)
        .send(errorsCsv(errors));
    },
  );
};

export default studentImportRoutes;
