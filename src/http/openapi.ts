import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { Config } from '../config.js';

const INTRODUCTION = `
# Introduction

## What is Core
Core is the backend of a school information management system for Indonesian senior high schools:
accounts and sessions, users, staff, teachers and students with Dapodik-depth records, roles and
permissions, classes across academic years, statistics for dashboards, student letter requests with
review and numbering, and file uploads. The web dashboard and the Android app both speak this API.

## HTTP Statuses
| Status | Meaning |
|---|---|
| 200 | OK |
| 201 | Created |
| 400 | Validation error: every failing field is listed in \`errors\` |
| 401 | No session, or it expired or was revoked |
| 403 | Signed in, but the role does not grant the permission the route needs |
| 404 | Not found, also for objects the caller may not see |
| 409 | Conflict: a duplicate (email, NISN, NIP…) or a state transition that is no longer possible |
| 413 | Body or file too large |
| 415 | Unsupported content type |
| 422 | Well-formed but impossible (e.g. an end date before the begin date) |
| 429 | Rate limited; wait for the seconds in \`Retry-After\` |
| 500 | Server error: a generic message; details go only to the server's log |
| 503 | A dependency (database, storage) is down; \`Retry-After\` says when to try again |

## Request
Send JSON (\`Content-Type: application/json\`), at most 1 MiB, except uploads (multipart) and files.
Authenticate with \`Authorization: Bearer <token>\` (the \`token\` from sign-in) or the session cookie set by
sign-in. Browser requests that use the cookie and change something must come from a trusted origin.
IDs are opaque strings (UUID v7). Timestamps are ISO 8601 in UTC with milliseconds; dates are \`YYYY-MM-DD\`.

## Responses
Every endpoint except \`/api/auth/*\` and file bodies answers with one envelope:
\`\`\`json
{ "success": true, "message": "OK.", "meta": {}, "errors": [], "result": {} }
\`\`\`
On error, \`success\` is false, \`result\` is null and \`errors\` lists each problem as
\`{ "code": "INVALID_FORMAT", "field": "body.email", "message": "must match format \\"email\\"" }\`.
The \`/api/auth/*\` endpoints answer with Better Auth's own shapes, which the Android client reads.

## Meta
Lists fill \`meta\` with \`{ "page": 1, "limit": 10, "total": 134, "totalPages": 14 }\`; other answers leave it \`{}\`.

## Limit & Pagination
\`page\` starts at 1 (default 1); \`limit\` is 1 to 100 (default 10). A value out of range is a 400, never a
silently larger answer.

## Query Parameters
- \`search\`: case-insensitive text search over the resource's name-like and number fields.
- \`sort\`: a comma list of the fields each list documents, \`-\` for descending (\`sort=-createdAt,name\`); an unknown field is a 400.
- Filters: exact-match parameters named after fields (\`gender=FEMALE&religion=ISLAM\`), documented per list.
- Unknown parameters are ignored; malformed values are a 400.

# Quick Start

## Letters
A student asks for a dispensation letter, and the office approves it.

1. Sign in and keep the token:
\`\`\`bash
TOKEN=$(curl -s http://localhost:3000/api/auth/sign-in/email \\
  -H 'Content-Type: application/json' \\
  -d '{"email":"siswa@sman1samarinda.sch.id","password":"rahasia-sekali"}' | jq -r .token)
\`\`\`
2. Check who you are:
\`\`\`bash
curl -s http://localhost:3000/api/users/me -H "Authorization: Bearer $TOKEN"
\`\`\`
3. Request a letter:
\`\`\`bash
curl -s http://localhost:3000/api/letters -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
  -d '{"letterType":"DISPENSATION","subject":"Lomba debat","beginDate":"2026-03-30T07:30:00.000Z","endDate":"2026-03-31T15:00:00.000Z"}'
\`\`\`
4. A reviewer approves it, which assigns its number:
\`\`\`bash
curl -s http://localhost:3000/api/letters/$LETTER_ID/actions -H "Authorization: Bearer $REVIEWER_TOKEN" \\
  -H 'Content-Type: application/json' -d '{"action":"APPROVE"}'
\`\`\`
5. Sign out; the token stops working at once:
\`\`\`bash
curl -s -X POST http://localhost:3000/api/auth/sign-out -H "Authorization: Bearer $TOKEN"
\`\`\`
`;

/**
 * OpenAPI 3.1 generated from the route schemas at /api/openapi.json, and an interactive reference
 * at /api/docs (Scalar, served from the installed package: nothing is fetched from elsewhere).
 * Shared schemas registered with `addSchema` become named components (their `$id`).
 */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Core API', version: '1.0.0', description: INTRODUCTION.trim() },
      servers: [{ url: config.publicUrl }],
      tags: [
        { name: 'Auth', description: 'Sign in, the current session, sign out (Better Auth shapes).' },
        { name: 'Users' },
        { name: 'Roles' },
        { name: 'Reference' },
        { name: 'Health' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'The `token` from sign-in.' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(scalar, {
    routePrefix: '/api/docs',
    configuration: {
      url: '/api/openapi.json',
      title: 'Core API',
      withDefaultFonts: false,
      hideClientButton: true,
      showDeveloperTools: 'never',
      mcp: { disabled: true },
      agent: { disabled: true },
    },
  } as never);
}
