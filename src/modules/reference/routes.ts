import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TProperties } from '@sinclair/typebox';
import { Envelope, ok } from '../../http/envelope.js';
import { REFERENCE_LISTS } from './lists.js';

export const ReferenceItem = Type.Object(
  {
    value: Type.String({ description: 'What Core stores and answers with (English UPPER_SNAKE).' }),
    code: Type.String({ description: 'The Dapodik code.' }),
    label: Type.String({ description: 'The Indonesian label.' }),
  },
  { $id: 'ReferenceItem' },
);

export const ReferenceLists = Type.Object(
  Object.fromEntries(Object.keys(REFERENCE_LISTS).map((name) => [name, Type.Array(Type.Ref(ReferenceItem))])) as TProperties,
  { $id: 'ReferenceLists' },
);

const referenceRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/api/reference',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Reference'],
        summary: 'Get the Reference Lists',
        description: 'Every value list Core uses (religion, gender, Dapodik lists…), each item with `value`, Dapodik `code` and Indonesian `label`, for dropdowns.',
        response: { 200: Envelope(Type.Ref(ReferenceLists)) },
      },
    },
    async () => ok(REFERENCE_LISTS),
  );
};

export default referenceRoutes;
