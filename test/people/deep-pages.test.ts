import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import { buildTestApp, signedInAdministrator, type TestApp } from '../helpers/app.js';
import { searchRows, toRow } from '../../src/modules/people/repository.js';
import { STUDENT_KIND } from '../../src/modules/students/kind.js';
import { ANCHOR_STEP } from '../../src/db/anchors.js';
import { random, studentFields } from '../../bench/people.js';

/**
 * Pages past ANCHOR_STEP rows start from a remembered sort key instead of an offset
 * (db/anchors.ts): every page must hold exactly the rows the plain ORDER BY … OFFSET gives.
 */
const COUNT = ANCHOR_STEP * 2 + 150;
let t: TestApp;
let admin: { auth: { authorization: string } };

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signedInAdministrator(t.app);
  const rnd = random(7);
  const db = t.app.db as unknown as Kysely<any>;
  for (let start = 0; start < COUNT; start += 250) {
    const users = [];
    const students = [];
    const tokens = [];
    for (let i = start; i < Math.min(start + 250, COUNT); i++) {
      // Few distinct names, so the id has to break many ties.
      const record = { ...studentFields(rnd, i), name: `Siswa ${i % 37}` };
      const userId = uuidv7();
      const id = uuidv7();
      const at = new Date(Date.UTC(2026, 0, 1) + (i % 200) * 60_000).toISOString();
      users.push({ id: userId, name: record.name, email: `deep${i}@sch.id`, emailVerified: false, type: 'STUDENT', banned: false, mustChangePassword: false, createdAt: at, updatedAt: at });
      students.push({ ...toRow(STUDENT_KIND, record), id, userId, deletedAt: null, createdAt: at, updatedAt: at });
      tokens.push(...searchRows(STUDENT_KIND, id, record));
    }
    await db.insertInto('user').values(users).execute();
    await db.insertInto('student').values(students).execute();
    await db.insertInto('person_search').values(tokens).execute();
  }
});
afterAll(() => t.close());

async function expectedOrder(sort: 'name' | '-name' | 'createdAt', gender?: string): Promise<string[]> {
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const field = sort.replace('-', '') as 'name' | 'createdAt';
  let query = t.app.db.selectFrom('student').select('id').where('deletedAt', 'is', null);
  if (gender) query = query.where('gender', '=', gender);
  return (await query.orderBy(field, direction).orderBy('id', direction).execute()).map((r) => r.id);
}

async function pageIds(query: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/students?limit=100&${query}`, headers: admin.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().result.map((s: { id: string }) => s.id);
}

describe('deep pages', () => {
  it.each(['name', '-name', 'createdAt'] as const)('match ORDER BY … OFFSET on every page, sorted by %s, jumping far first', async (sort) => {
    const expected = await expectedOrder(sort);
    const pages = Math.ceil(expected.length / 100);
    // The last page first (anchors found on the way), then every page in order.
    expect(await pageIds(`sort=${sort}&page=${pages}`)).toEqual(expected.slice((pages - 1) * 100));
    const all: string[] = [];
    for (let page = 1; page <= pages; page++) all.push(...(await pageIds(`sort=${sort}&page=${page}`)));
    expect(all).toEqual(expected);
  });

  it('stay right with a filter, and after a change moves rows', async () => {
    const females = await expectedOrder('name', 'FEMALE');
    const lastPage = Math.ceil(females.length / 100);
    expect(await pageIds(`gender=FEMALE&page=${lastPage}`)).toEqual(females.slice((lastPage - 1) * 100));

    // Rename the first students so they sort last: every deep page shifts.
    const first = (await expectedOrder('name')).slice(0, 30);
    await t.app.db.updateTable('student').set({ name: 'Zz Moved' }).where('id', 'in', first).execute();
    const expected = await expectedOrder('name');
    const pages = Math.ceil(expected.length / 100);
    for (const page of [pages, 6, 11, 7]) expect(await pageIds(`page=${page}`)).toEqual(expected.slice((page - 1) * 100, page * 100));
  });
});

describe('deep pages of the users list', () => {
  it.each(['name', '-createdAt', 'email'] as const)('match ORDER BY … OFFSET, sorted by %s', async (sort) => {
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    const field = sort.replace('-', '') as 'name' | 'createdAt' | 'email';
    let query = t.app.db.selectFrom('user').select('id').orderBy(field, direction);
    if (field !== 'email') query = query.orderBy('id', direction);
    const expected = (await query.execute()).map((r) => r.id);
    const pages = Math.ceil(expected.length / 100);
    const ids = async (page: number) =>
      (await t.app.inject({ method: 'GET', url: `/api/users?limit=100&sort=${sort}&page=${page}`, headers: admin.auth })).json().result.map((u: { id: string }) => u.id);
    expect(await ids(pages)).toEqual(expected.slice((pages - 1) * 100));
    const all: string[] = [];
    for (let page = 1; page <= pages; page++) all.push(...(await ids(page)));
    expect(all).toEqual(expected);
  });
});
