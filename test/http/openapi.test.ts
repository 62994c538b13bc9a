import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, buildTestApp, signIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await buildTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the Introduction and Quick Start of the original documentation', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const heading of ['# Introduction', '## What is Core', '## HTTP Statuses', '## Request', '## Responses', '## Meta', '## Limit & Pagination', '## Query Parameters', '# Quick Start', '## Letters']) {
      expect(doc.info.description).toContain(heading);
    }
  });

  it('names the shared shapes as the original Schemas section does', () => {
    for (const name of ['Base', 'Meta', 'Error', 'User', 'LoginHistory', 'AuthSession', 'AuthUser', 'Permission', 'ReferenceItem']) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
  });

  it('documents every API route with a tag, a summary and its responses', () => {
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1').replace('{*}', '*')}`);
        expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)), `${method} ${path}`).toBe(true);
      }
    }
    for (const route of t.app.apiRoutes.filter((r) => !r.url.startsWith('/api/docs') && r.url !== '/api/openapi.json')) {
      expect(documented.has(`${route.method} ${route.url}`), `${route.method} ${route.url}`).toBe(true);
    }
  });

  it('describes the list parameters with their limits', () => {
    const parameters = doc.paths['/api/users/me/login-history'].get.parameters;
    const limit = parameters.find((p: any) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 100, default: 10 });
    expect(parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['page', 'limit', 'sort']));
  });

  it('matches what the server answers: a real response validates against the documented shape', async () => {
    const { token } = await signIn(t.app, ADMIN);
    const me = (await t.app.inject({ method: 'GET', url: '/api/users/me', headers: { authorization: `Bearer ${token}` } })).json();
    const userSchema = doc.components.schemas.User;
    expect(Object.keys(me.result.user).sort()).toEqual(Object.keys(userSchema.properties).sort());
  });
});

describe('interactive reference', () => {
  it('is served at /api/docs from the installed package, with nothing loaded from elsewhere', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source, source).not.toMatch(/^(https?:)?\/\//);
    expect(page.body).toContain('/api/openapi.json');
    const script = await t.app.inject({ method: 'GET', url: '/api/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
  });
});
