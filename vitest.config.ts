import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Every suite runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
const projects: TestProjectInlineConfiguration[] = [{ extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { CORE_TEST_DB: 'sqlite' } } }];
if (process.env.TEST_DATABASE_URL) {
  projects.push({ extends: true, test: { name: 'postgres', include: ['test/**/*.test.ts'], env: { CORE_TEST_DB: 'postgres' } } });
}

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
