import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentAcademicYear } from '../../src/modules/classes/academic-year.js';
import { ADMIN, buildTestApp, signIn, type TestApp } from '../helpers/app.js';
import { fullEmployee, fullStudent } from '../helpers/people.js';

/**
 * Hostile input on every route that takes a body or a query, generated from the route's own schema
 * in the OpenAPI document: each field gets a value of the wrong type, a huge string, unicode edge
 * cases, SQL and formula injection, or a plausible value (so the other fields get their turn);
 * required fields go missing, unknown fields and prototype-pollution keys come along, and now and
 * then the body is not an object or not JSON at all. The administrator sends them (every
 * permission, so the input reaches the checks rather than a 403), against real records.
 *
 * Every answer must be a 2xx or a 4xx (never a 5xx), a refusal in the envelope, and a refusal must
 * leave the database exactly as it was.
 */
const RUNS_PER_ROUTE = 40;

const INJECTIONS = [
  "' OR '1'='1", "'; DROP TABLE \"user\"; --", "1; SELECT pg_sleep(10)--", '" OR ""="', "%' UNION SELECT password FROM account --",
  "Robert'); DELETE FROM student;--", '\\', "'", '%', '_', '*',
  '=HYPERLINK("http://evil.example","klik")', "+cmd|' /C calc'!A0", '-2+3+cmd', '@SUM(1+1)*cmd', '\t=1+1', '\r=1+1',
  '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd', 'file:///etc/passwd',
  'null', 'undefined', 'NaN', 'Infinity', '-1', '0', '1e309', '0x1F', '[]', '{}', 'true', ' ', '',
];
const UNICODE = [
  '\uD800', '\uDFFF', 'a\u0000b', '\u0000', '\u202Eevil\u202C', '\u200B\u200C\u200D', '\uFEFF', 'Z\u0364\u0354\u0367\u0311\u0313a\u0308\u0356\u036D',
  '👨‍👩‍👧‍👦', '\uFDFA', '𝕏𝔸', 'İı', 'ß', 'ＡＢＣ１２３', '\r\n\r\n', 'Ｓｅｌｅｃｔ', '\u0085\u2028\u2029', 'ꦱꦩꦫꦶꦤ꧀ꦝ',
];
const HUGE = ['x'.repeat(100_000), '9'.repeat(5_000), 'é'.repeat(20_000), "' OR 1=1 -- ".repeat(2_000)];
/** Keys an attacker adds: prototype pollution and mass assignment. */
const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'permissions', 'roles', 'type', 'banned', 'emailVerified', 'userId', 'id', 'createdAt', 'deletedAt', 'password'];
const POLLUTION = { polluted: 'yes', isAdmin: true, roles: ['administrator'], toString: 'x' };

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
};

const ANY_ID = '01930000-0000-7000-8000-000000000000';

let t: TestApp;
let token: string;
let components: Record<string, Schema> = {};
/** A real record for each path parameter, by the path's first segment. */
const ids: Record<string, string> = {};

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!]);
  return schema;
}

/** A value the schema accepts (or close to it): lets the other, hostile fields be looked at. */
function plausible(raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => plausible(s, depth)));
  if (schema.allOf) return plausible(Object.assign({}, ...schema.allOf.map(resolve)), depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = [schema.type ?? 'string'].flat()[0];
  switch (type) {
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, (schema.minimum ?? 0) + 1000) });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(plausible(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectOf(schema, depth + 1, plausible);
    default:
      switch (schema.format) {
        case 'uuid': return fc.constantFrom(ANY_ID, ...Object.values(ids));
        case 'email': return fc.constantFrom('siswa@sman1samarinda.sch.id', 'a@b.c');
        case 'date': return fc.constantFrom('2010-05-17', '2026-02-30', '1900-01-01');
        case 'date-time': return fc.constantFrom('2026-03-30T07:30:00.000Z', '2026-13-01T00:00:00Z');
        case 'uri': return fc.constantFrom('https://example.com/x.pdf', 'javascript:alert(1)');
        default: return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
      }
  }
}

/** Anything at all: a wrong type, an injection, odd unicode, a huge string. */
function hostile(raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...INJECTIONS, ...UNICODE),
    fc.constantFrom(...HUGE),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 1e308), fc.boolean(), fc.constant(null)),
    fc.array(fc.oneof(fc.constantFrom(...INJECTIONS), fc.integer()), { maxLength: 3 }),
    fc.constant(POLLUTION),
    depth < 2 ? plausible(raw, depth) : fc.constant(undefined),
  );
}

/** An object with some of the schema's fields (each plausible or hostile) and some extra keys. */
function objectOf(schema: Schema, depth: number, value: (s: Schema | undefined, depth: number) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fc.oneof(plausible(s, depth), hostile(s, depth + 1))]));
  return fc.tuple(fc.record(model, { requiredKeys: [] }), fc.subarray(EXTRA_KEYS, { maxLength: 3 }), value({}, depth + 1)).map(([fields, extras, extra]) => {
    const body: Record<string, unknown> = { ...fields };
    // defineProperty makes `__proto__` an own key, so JSON.stringify sends it as an attacker would.
    for (const key of extras) Object.defineProperty(body, key, { value: key === '__proto__' ? POLLUTION : extra, enumerable: true, configurable: true, writable: true });
    return body;
  });
}

/** A request body: usually an object after the schema, sometimes not an object, sometimes not JSON. */
function body(schema: Schema): fc.Arbitrary<{ payload: string; contentType: string }> {
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  return fc.oneof(
    { weight: 6, arbitrary: objectOf(resolve(schema), 0, hostile).map(json) },
    { weight: 1, arbitrary: hostile({}).map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { payload: '{"name": "x",', contentType: 'application/json' },
        { payload: '[['.repeat(5_000), contentType: 'application/json' },
        { payload: '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}', contentType: 'application/json' },
        { payload: 'name=x&__proto__[polluted]=yes', contentType: 'application/x-www-form-urlencoded' },
        { payload: '<x/>', contentType: 'text/xml' },
        { payload: '', contentType: 'application/json' },
      ),
    },
  );
}

/** Query strings: each parameter of the route missing, plausible, hostile, or repeated. */
function query(parameters: { name: string; schema: Schema }[]): fc.Arbitrary<Record<string, string | string[]>> {
  const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  const model = Object.fromEntries(
    parameters.map((p) => [p.name, fc.oneof(plausible(p.schema).map(asText), hostile(p.schema).map(asText), fc.array(fc.constantFrom(...INJECTIONS), { minLength: 2, maxLength: 3 }))]),
  );
  return fc.tuple(fc.record(model, { requiredKeys: [] }), fc.subarray(['__proto__', 'constructor', 'sort', 'page'], { maxLength: 2 })).map(([values, extras]) => {
    const result: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(values)) result[key] = value as string | string[];
    for (const key of extras) Object.defineProperty(result, key, { value: "' OR 1=1 --", enumerable: true, configurable: true, writable: true });
    return result;
  });
}

// Tables a refused request may change by design: a failed sign-in is recorded (login_history),
// reading a session refreshes it, and a refused import keeps its error report (student_import).
const CHANGED_BY_REFUSALS = new Set(['login_history', 'session', 'student_import']);

/** Every row of every table, as one hash (the test database is small). */
async function databaseDigest(): Promise<string> {
  const hash = createHash('sha256');
  const tables = (await t.app.db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_') && !CHANGED_BY_REFUSALS.has(name)).sort();
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.app.db);
    hash.update(`${table}\n${rows.map((row) => JSON.stringify(row)).sort().join('\n')}\n`);
  }
  return hash.digest('hex');
}

async function freshToken(): Promise<void> {
  const me = await t.app.inject({ url: '/api/users/me', headers: { authorization: `Bearer ${token}` } });
  if (me.statusCode !== 200) token = (await signIn(t.app, ADMIN)).token;
}

interface Operation {
  method: string;
  path: string;
  url: string;
  parameters: { name: string; schema: Schema }[];
  body?: Schema;
  takesBody: boolean;
}

let operations: Operation[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  token = (await signIn(t.app, ADMIN)).token;
  const auth = { authorization: `Bearer ${token}` };
  const created = async (url: string, payload: Record<string, unknown>) => {
    const response = await t.app.inject({ method: 'POST', url, headers: auth, payload });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
    return response.json().result;
  };
  const student = await created('/api/students', fullStudent());
  ids.students = student.student.id;
  ids.users = student.student.userId;
  ids.teachers = (await created('/api/teachers', fullEmployee())).teacher.id;
  ids.staff = (await created('/api/staff', fullEmployee())).staff.id;
  ids.classes = (await created('/api/classes', { name: 'X IPA 1', gradeLevel: 10, academicYear: currentAcademicYear(t.config) })).id;
  ids.roles = (await created('/api/roles', { name: 'piket', permissions: ['students:read'] })).id;

  const document = (await t.app.inject({ url: '/api/openapi.json' })).json();
  components = document.components?.schemas ?? {};
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const parameters = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'query');
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      // Routes that take a file (multipart) or no body at all get hostile bodies too.
      const takesBody = ['post', 'put', 'patch', 'delete'].includes(method);
      if (parameters.length === 0 && !json && !takesBody) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? ids[path.split('/')[2]!] ?? ANY_ID : name === 'studentId' ? ids.students! : name === 'userId' ? ids.users! : 'x'));
      operations.push({ method: method.toUpperCase(), path, url: url.replace('/*', '/x'), parameters, ...(json ? { body: json } : {}), takesBody });
    }
  }
}, 60_000);
afterAll(() => t.close());

describe('hostile input on every route with a body or a query', () => {
  it('finds the routes in the OpenAPI document', () => {
    // Bodies: users, people, classes, roles, letters, files, imports, credentials, auth…
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(25);
    expect(operations.filter((o) => o.parameters.length > 0).length).toBeGreaterThan(15);
    expect(operations.filter((o) => o.takesBody && !o.body).map((o) => o.path)).toEqual(expect.arrayContaining(['/api/students/import', '/api/users/me/image']));
  });

  it('answers each with a 2xx or a 4xx in the envelope, and a refusal changes nothing', async () => {
    const tried: Record<string, number> = {};
    let before = await databaseDigest();
    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      const input = fc.record({
        query: operation.parameters.length > 0 ? query(operation.parameters) : fc.constant({}),
        body: operation.body ? body(operation.body) : operation.takesBody ? body({}) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ query: q, body: b }) => {
          const response = await t.app.inject({
            method: operation.method as 'GET',
            url: operation.url,
            query: q,
            headers: { authorization: `Bearer ${token}`, ...(b ? { 'content-type': b.contentType } : {}) },
            ...(b ? { payload: b.payload } : {}),
          });
          tried[name] = (tried[name] ?? 0) + 1;
          const where = `${name} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, where).toBeGreaterThanOrEqual(200);
          expect(response.statusCode, where).toBeLessThan(500);
          const after = await databaseDigest();
          if (response.statusCode >= 400) {
            // Better Auth answers its own three routes in its own shape.
            if (!operation.path.startsWith('/api/auth/')) expect(response.json(), where).toMatchObject({ success: false, result: null, message: expect.any(String), errors: expect.any(Array) });
            expect(after, `${where}: a refused request changed the database`).toBe(before);
          }
          before = after;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      await freshToken();
    }
    // Nothing reached Object.prototype, in the server or anywhere else in this process.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(tried)).toHaveLength(operations.length);
    expect(Math.min(...Object.values(tried))).toBeGreaterThanOrEqual(RUNS_PER_ROUTE);
  }, 600_000);
});
