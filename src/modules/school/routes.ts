import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Envelope, ok } from '../../http/envelope.js';
import { AcademicYear, currentAcademicYear } from '../classes/academic-year.js';

const School = Type.Object(
  {
    name: Type.String({ description: 'SCHOOL_NAME.' }),
    publicUrl: Type.String({ description: 'PUBLIC_URL: the address clients use; a browser signs in only from it (or from TRUSTED_ORIGINS).' }),
    city: Type.String({ description: 'SCHOOL_CITY: where letters are signed.' }),
    timeZone: Type.String({ description: 'TIME_ZONE (IANA): clients show dates and times in it, not in the device’s zone.' }),
    academicYear: { ...AcademicYear, description: 'The current academic year (ACADEMIC_YEAR, or from today’s date in the school’s time zone).' },
    academicYearStartMonth: Type.Integer({ minimum: 1, maximum: 12, description: 'The month a new academic year starts (ACADEMIC_YEAR_START_MONTH).' }),
  },
  { $id: 'School' },
);

export const schoolComponents = [School];

const schoolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/school',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Reference'],
        summary: 'Get the School',
        description:
          'What a client needs before anyone signs in: the school’s name (the sign-in page shows it), its time zone and the current academic year. Public: it holds nothing a visitor to the school’s gate could not read.',
        security: [],
        response: { 200: Envelope(Type.Ref(School)) },
      },
    },
    async () => {
      const { config } = app;
      return ok({
        name: config.schoolName,
        publicUrl: config.publicUrl,
        city: config.letters.city,
        timeZone: config.timeZone,
        academicYear: currentAcademicYear(config),
        academicYearStartMonth: config.academicYear.startMonth,
      });
    },
  );
};

export default schoolRoutes;
