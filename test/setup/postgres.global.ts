import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { warmUpRun } from '../helpers/postgres.ts';
import { stopPostgres } from '../helpers/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's folder where the first test file that needs PostgreSQL leaves its server's address. */
    'fronta.pgRun': string;
  }
}

/**
 * One PostgreSQL server per test run, shared by the files (each gets a database of its own),
 * stopped here when the run ends. Its start and the migrated template are begun here, beside the
 * first files, and not awaited: a file that needs them waits for them (test/helpers/postgres.ts),
 * a run without such a file loses nothing, and no file's first test pays the server's start in
 * its own time limit. A start that fails is reported by the first file that needs the server.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const run = mkdtempSync(join(tmpdir(), 'fronta-pg-run-'));
  project.provide('fronta.pgRun', run);
  const given = process.env['FRONTA_TEST_PG_URL'];
  const warming = given !== undefined && given !== '' ? Promise.resolve() : warmUpRun(run).catch(() => undefined);
  return async () => {
    await warming;
    const state = join(run, 'server-process.json');
    if (existsSync(state)) await stopPostgres(JSON.parse(readFileSync(state, 'utf8')) as { pid: number; dir: string });
    rmSync(run, { recursive: true, force: true });
  };
}
