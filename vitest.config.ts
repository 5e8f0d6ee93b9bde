import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites open real ports, SQLite files and child processes; two cores: keep it to two workers.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    // One PostgreSQL server per run, started by the first file that needs it (test/helpers/postgres.ts).
    globalSetup: ['./test/setup/postgres.global.ts'],
    // Hosts the suites spawn (bin/fronta.js) run the sources through tsx, never a build of them
    // (test/compiled-host.test.ts checks the build on its own).
    env: { FRONTA_FROM_SOURCE: '1' },
  },
});
