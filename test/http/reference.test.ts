import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signedInUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('GET /api/reference', () => {
  it('gives any signed-in user every list with value, Dapodik code and Indonesian label', async () => {
    const student = await signedInUser(t.app, { type: 'STUDENT' });
    const response = await t.app.inject({ method: 'GET', url: '/api/reference', headers: student.auth });
    expect(response.statusCode).toBe(200);
    const lists = response.json().result;
    expect(Object.keys(lists).sort()).toEqual(
      ['bloodType', 'education', 'employmentStatus', 'gender', 'incomeBracket', 'letterStatus', 'letterType', 'occupation', 'religion', 'residenceType', 'specialNeed', 'studentStatus', 'transportationMode', 'userType'].sort(),
    );
    expect(lists.religion).toContainEqual({ value: 'ISLAM', code: '1', label: 'Islam' });
    expect(lists.religion.map((r: { value: string }) => r.value)).toEqual(['ISLAM', 'PROTESTANT', 'CATHOLIC', 'HINDU', 'BUDDHIST', 'CONFUCIAN', 'INDIGENOUS_BELIEF', 'OTHER']);
    expect(lists.transportationMode).toContainEqual({ value: 'MOTORCYCLE', code: '13', label: 'Sepeda motor' });
    expect(lists.residenceType).toContainEqual({ value: 'BOARDING_HOUSE', code: '3', label: 'Kost' });
    expect(lists.incomeBracket).toHaveLength(7);
    expect(lists.employmentStatus.map((r: { value: string }) => r.value)).toEqual(['PNS', 'PPPK', 'GTY', 'GTT', 'HONORER', 'OTHER']);
    for (const list of Object.values<{ value: string; code: string; label: string }[]>(lists)) {
      expect(new Set(list.map((i) => i.value)).size).toBe(list.length);
      expect(new Set(list.map((i) => i.code)).size).toBe(list.length);
      for (const item of list) expect(item.value).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });
});

describe('GET /api/roles/permissions', () => {
  it('lists the catalogue for those who may read roles', async () => {
    const admin = await signedInUser(t.app, { type: 'ADMIN' });
    const response = await t.app.inject({ method: 'GET', url: '/api/roles/permissions', headers: admin.auth });
    expect(response.statusCode).toBe(200);
    const catalogue = response.json().result;
    expect(catalogue).toContainEqual({ name: 'students:read', resource: 'students', action: 'read', description: expect.any(String) });
    expect(catalogue.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['users:read', 'roles:write', 'letters:review', 'letters:create', 'stats:read', 'classes:write']),
    );
  });
});
