import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopPostgres } from '../helpers/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder where the first test file that needs PostgreSQL leaves its server's address. */
    'fronta.pgRun': string;
  }
}

/**
 * One PostgreSQL server per test run, shared by the files (each gets a database of its own):
 * started lazily by the first file that asks (test/helpers/postgres.ts), so a run without such a
 * file pays nothing; stopped here when the run ends.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const run = mkdtempSync(join(tmpdir(), 'fronta-pg-run-'));
  project.provide('fronta.pgRun', run);
  return async () => {
    const state = join(run, 'server-process.json');
    if (existsSync(state)) await stopPostgres(JSON.parse(readFileSync(state, 'utf8')) as { pid: number; dir: string });
    rmSync(run, { recursive: true, force: true });
  };
}
