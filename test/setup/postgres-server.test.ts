import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startPostgres, stopPostgres, type PgServer } from '../helpers/postgres-server.ts';

/**
 * The tests' PostgreSQL server (test/helpers/postgres-server.ts), as the set-up of a CI machine
 * meets it: started from Debian's binaries on a free port, never as root, gone after stop; and when
 * it cannot start, one error that says why.
 */

let server: PgServer | undefined;

afterEach(async () => {
  if (server !== undefined) await stopPostgres(server);
  server = undefined;
  delete process.env['FRONTA_PG_BIN'];
});

describe('the test PostgreSQL server', () => {
  it('starts on a free loopback port as an unprivileged user, answers, and leaves nothing behind when stopped', async () => {
    server = await startPostgres();
    const client = new pg.Client({ connectionString: server.url('postgres') });
    await client.connect();
    const r = await client.query<{ version: string }>('SELECT version()');
    await client.end();
    expect(r.rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
    expect(uid).not.toBe('0');
    const { dir } = server;
    await stopPostgres(server);
    server = undefined;
    expect(existsSync(dir)).toBe(false);
  });

  it('without the binaries, says in one error what is missing', async () => {
    process.env['FRONTA_PG_BIN'] = '/nonexistent/postgresql/bin';
    await expect(startPostgres()).rejects.toThrow(
      'PostgreSQL is not installed (no initdb and postgres in /nonexistent/postgresql/bin): run  node test/setup/system-deps.js  (apt-get install postgresql)',
    );
  });
});
