import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, ok, page, PageEnvelope } from '../../http/envelope.js';
import {
  ClassIdParams, ClassListQuery, ClassMemberQuery, ClassMemberSchema, ClassSchema, ClassStudentParams, CopyClassBody, CreateClassBody,
  DeleteClassQuery, EnrolBody, EnrolResult, RolloverBody, RolloverPlan, UpdateClassBody,
} from './schemas.js';
import {
  copyClass, createClass, deleteClass, enrolStudents, getClass, getClasses, getClassStudents, removeStudent, rollover, updateClass,
} from './service.js';

const tags = ['Classes'];
const one = Envelope(Type.Ref(ClassSchema));

const classesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  app.get(
    '/api/classes',
    {
      config: { access: 'classes:read' },
      schema: {
        tags,
        summary: 'Get All Classes',
        description: 'Filter by `academicYear`, `gradeLevel` or `homeroomTeacherId`; default order: newest year first, then grade and name. Counts are of live students.',
        querystring: ClassListQuery,
        response: { 200: PageEnvelope(Type.Ref(ClassSchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getClasses(db, request.query);
      return page(items, meta);
    },
  );

  app.post(
    '/api/classes',
    {
      config: { access: 'classes:write' },
      schema: {
        tags,
        summary: 'Create a Class',
        description: 'A name already used in the academic year is a 409; the homeroom teacher must be a teacher record (400 otherwise).',
        body: CreateClassBody,
        response: { 201: one },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await createClass(db, request.body), 'Class created.');
    },
  );

  app.post(
    '/api/classes/rollover',
    {
      config: { access: 'classes:write' },
      schema: {
        tags,
        summary: 'Roll Over to the Next Academic Year',
        description:
          'Every grade-10 and grade-11 class of `fromAcademicYear` (default: the current one) is copied to grade + 1 in the next year with its ACTIVE students (names follow the grade: X-1 → XI-1), and the ACTIVE students of grade-12 classes are marked GRADUATED. `dryRun` (the default) only answers the plan; with `dryRun: false` the same plan is applied in one transaction, or refused with 409 if it has conflicts.',
        body: RolloverBody,
        response: { 200: Envelope(Type.Ref(RolloverPlan)) },
      },
    },
    async (request) => {
      const plan = await rollover(db, config, request.body ?? {});
      return ok(plan, plan.dryRun ? 'Rollover plan (nothing changed).' : 'Rollover applied.');
    },
  );

  app.get(
    '/api/classes/:id',
    {
      config: { access: 'classes:read' },
      schema: { tags, summary: 'Retrieve an Existing Class', params: ClassIdParams, response: { 200: one } },
    },
    async (request) => ok(await getClass(db, request.params.id)),
  );

  app.patch(
    '/api/classes/:id',
    {
      config: { access: 'classes:write' },
      schema: {
        tags,
        summary: 'Update an Existing Class',
        description: 'Changing `academicYear` moves the enrolments with it, unless one of its students already has a class in that year (409).',
        params: ClassIdParams,
        body: UpdateClassBody,
        response: { 200: one },
      },
    },
    async (request) => ok(await updateClass(db, request.params.id, request.body), 'Class updated.'),
  );

  app.delete(
    '/api/classes/:id',
    {
      config: { access: 'classes:delete' },
      schema: {
        tags,
        summary: 'Delete an Existing Class',
        description: 'A class with students is a 409 unless `force=true`, which removes its enrolments with it. Classes copied from it stay.',
        params: ClassIdParams,
        querystring: DeleteClassQuery,
        response: { 200: Envelope(Type.Object({ enrolmentsRemoved: Type.Integer({ minimum: 0 }) })) },
      },
    },
    async (request) => ok(await deleteClass(db, request.params.id, request.query.force), 'Class deleted.'),
  );

  app.get(
    '/api/classes/:id/students',
    {
      config: { access: 'classes:read' },
      schema: {
        tags,
        summary: 'Get Class Students',
        description: 'The live students enrolled in the class, paginated, with search over name, NISN and NIPD.',
        params: ClassIdParams,
        querystring: ClassMemberQuery,
        response: { 200: PageEnvelope(Type.Ref(ClassMemberSchema)) },
      },
    },
    async (request) => {
      const { items, meta } = await getClassStudents(db, request.params.id, request.query);
      return page(items, meta);
    },
  );

  app.post(
    '/api/classes/:id/students',
    {
      config: { access: 'classes:write' },
      schema: {
        tags,
        summary: 'Enrol Students',
        description:
          'All or nothing. A student is in at most one class per academic year: one placed in another class of the year is a 409 naming each (or, with `move: true`, is moved here). Unknown students are a 400; students already in this class are reported in `alreadyEnrolled`.',
        params: ClassIdParams,
        body: EnrolBody,
        response: { 200: Envelope(EnrolResult) },
      },
    },
    async (request) => ok(await enrolStudents(db, request.params.id, request.body), 'Students enrolled.'),
  );

  app.delete(
    '/api/classes/:id/students/:studentId',
    {
      config: { access: 'classes:delete' },
      schema: {
        tags,
        summary: 'Delete an Existing Student Copy',
        description: 'Removes that student’s enrolment from this class only (other years stay). A student not in the class is a 404.',
        params: ClassStudentParams,
        response: { 200: Envelope(Type.Null()) },
      },
    },
    async (request) => {
      await removeStudent(db, request.params.id, request.params.studentId);
      return ok(null, 'Student removed from the class.');
    },
  );

  app.post(
    '/api/classes/:id/copy',
    {
      config: { access: 'classes:write' },
      schema: {
        tags,
        summary: 'Create a Class Copy',
        description:
          'A new class in another academic year (default: the next one), with `gradeLevel` default grade + 1 (when copying forward), `name` derived from the new grade (X-1 → XI-1), the same homeroom teacher, and all (or the listed) students of the class, in one transaction. A student already placed in that year is a 409 naming them; nothing is created.',
        params: ClassIdParams,
        body: CopyClassBody,
        response: { 201: one },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await copyClass(db, request.params.id, request.body ?? {}), 'Class copied.');
    },
  );
};

export default classesRoutes;
