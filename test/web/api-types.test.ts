import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypes, openApiDocument } from '../../scripts/web-api-types.js';

describe('the dashboard’s API types', () => {
  it('are generated from the routes as they are now (run `npm run web:api-types` after changing a route schema)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed).toContain('"/api/students": {');
    expect(await apiTypes(await openApiDocument())).toBe(committed);
  });
});
