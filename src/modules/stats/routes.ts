import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, ok } from '../../http/envelope.js';
import { sendOnceSerialized } from '../../http/serialized.js';
import { AllStats, EMPLOYEE_STAT_SCHEMAS, EmployeeStatsQuery, STUDENT_STAT_SCHEMAS, StudentStatsQuery, UsersSummary } from './schemas.js';
import { allStats, EMPLOYEE_STATS, employeeStat, STUDENT_STATS, studentStat, usersSummaryStats, type StatsQuery } from './service.js';

const tags = ['Statistics'];
const allStatsEnvelope = Envelope(Type.Ref(AllStats));
const sendAllStats = sendOnceSerialized(allStatsEnvelope);
const title = (word: string) => word[0]!.toUpperCase() + word.slice(1);
const SCOPE =
  'Over ACTIVE students that are not deleted; `academicYear`, `gradeLevel` and `classId` narrow it to students enrolled in those classes. Computed by the database and cached until any person, class or enrolment changes, so the next answer after a change shows it.';

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app;

  for (const stat of STUDENT_STATS) {
    app.get(
      `/api/stats/students/${stat}`,
      {
        config: { access: 'stats:read' },
        schema: {
          tags,
          summary: `Get Student ${title(stat)} Statistics`,
          description: SCOPE,
          querystring: StudentStatsQuery,
          response: { 200: Envelope(Type.Ref(STUDENT_STAT_SCHEMAS[stat]!)) },
        },
      },
      async (request) => ok(await studentStat(db, config, stat, request.query as StatsQuery)),
    );
  }

  for (const [table, path, noun] of [['teacher', 'teachers', 'Teacher'], ['staff', 'staff', 'Staff']] as const) {
    for (const stat of EMPLOYEE_STATS) {
      app.get(
        `/api/stats/${path}/${stat}`,
        {
          config: { access: 'stats:read' },
          schema: {
            tags,
            summary: `Get ${noun} ${title(stat)} Statistics`,
            description: `Over ${path} records that are not deleted.`,
            querystring: EmployeeStatsQuery,
            response: { 200: Envelope(Type.Ref(EMPLOYEE_STAT_SCHEMAS[stat]!)) },
          },
        },
        async (request) => ok(await employeeStat(db, config, table, stat, request.query)),
      );
    }
  }

  app.get(
    '/api/stats/users/summary',
    {
      config: { access: 'stats:read' },
      schema: {
        tags,
        summary: 'Get Users Summary',
        description: 'Accounts by type, banned accounts, signed-in devices, and sign-ins today and over the last seven days (school time zone). Kept for at most 10 seconds, and never past a change to an account: session and sign-in counts may lag by that much.',
        response: { 200: Envelope(Type.Ref(UsersSummary)) },
      },
    },
    async () => ok(await usersSummaryStats(db, config)),
  );

  app.get(
    '/api/stats',
    {
      config: { access: 'stats:read' },
      schema: {
        tags,
        summary: 'Get All Statistics',
        description: `Every statistic in one answer, with the same query parameters (students’ filters apply to students only). ${SCOPE}`,
        querystring: StudentStatsQuery,
        response: { 200: allStatsEnvelope },
      },
    },
    // The answer comes from a cache as the same object until something changes: serialised once.
    async (request, reply) => {
      const stats = await allStats(db, config, request.query as StatsQuery);
      return sendAllStats(reply, stats as object, () => ok(stats));
    },
  );
};

export default statsRoutes;
