import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server from Debian's `postgresql` package (test/setup/system-deps.js
 * installs it): initdb in a temp folder, `postgres` on a free loopback port with its unix socket in
 * that folder, trust authentication for the role `fronta`. postgres refuses to run as root, so as
 * root it runs as the `postgres` user the package creates (else `nobody`), by uid/gid on spawn —
 * no runuser or sudo, which a CI container may lack. Durability is off (fsync, full pages): a test
 * server is thrown away, and it starts and creates databases faster.
 */
export interface PgServer {
  /** Superuser URL of database `db` (`postgres` is always there). */
  url(db: string): string;
  pid: number;
  dir: string;
  /** How long initdb and the start until the first connection took (ms). */
  timings: { initdbMs: number; startMs: number };
}

export const PG_ROLE = 'fronta';

/** Debian's binaries, newest major version first; FRONTA_PG_BIN points elsewhere. */
export function postgresBinDir(): string {
  const forced = process.env['FRONTA_PG_BIN'];
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  const bin = forced !== undefined && forced !== '' ? forced : newest === undefined ? undefined : join(root, newest, 'bin');
  if (bin === undefined || !existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'postgres'))) {
    const where = bin ?? `${root}/<version>/bin`;
    throw new Error(`PostgreSQL is not installed (no initdb and postgres in ${where}): run  node test/setup/system-deps.js  (apt-get install postgresql)`);
  }
  return bin;
}

/** uid/gid to run the server as when this process is root; undefined when it may run as itself. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', [name], { encoding: 'utf8' });
    const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
    const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
    if (r.status === 0 && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const READY_TIMEOUT_MS = 30_000;

/** Starts a server; throws with the server's log when it cannot (another process took the port twice, say). */
export async function startPostgres(): Promise<PgServer> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'fronta-pg-'));
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const t0 = performance.now();
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', PG_ROLE, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'],
    { encoding: 'utf8', cwd: dir, ...user },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.error?.message ?? `exit ${String(init.status)}`}): ${(init.stderr ?? '').trim()}`);
  }
  const initdbMs = performance.now() - t0;
  let lastError: Error | undefined;
  // A free port can be taken between finding and binding it: try another.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const t1 = performance.now();
    try {
      const pid = await launch(bin, data, dir, port, user);
      const url = (db: string): string => `postgres://${PG_ROLE}@127.0.0.1:${port}/${db}`;
      return { url, pid, dir, timings: { initdbMs, startMs: performance.now() - t1 } };
    } catch (err) {
      lastError = err as Error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error('PostgreSQL did not start');
}

async function launch(bin: string, data: string, dir: string, port: number, user: { uid: number; gid: number } | undefined): Promise<number> {
  const log = join(dir, `server-${port}.log`);
  const out = openSync(log, 'a');
  if (user !== undefined) chownSync(log, user.uid, user.gid);
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'fsync=off', 'full_page_writes=off', 'synchronous_commit=off', 'max_connections=200', 'deadlock_timeout=100ms'];
  // Detached and unref'd: the server outlives the test worker that started it; stopPostgres ends it.
  const child = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', out, out],
    ...user,
  });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) throw new Error(`postgres exited (${String(exited)}) before accepting connections:\n${readFileSync(log, 'utf8').trim()}`);
    const client = new pg.Client({ connectionString: `postgres://${PG_ROLE}@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return child.pid ?? -1;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms:\n${readFileSync(log, 'utf8').trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Fast shutdown, then the temp folder goes. Done when postmaster.pid is gone: the process itself
 * may linger as a zombie of a test worker that has not reaped it yet.
 */
export async function stopPostgres(server: Pick<PgServer, 'pid' | 'dir'>): Promise<void> {
  const pidFile = join(server.dir, 'data', 'postmaster.pid');
  const alive = (): boolean => {
    try {
      process.kill(server.pid, 0);
      return existsSync(pidFile);
    } catch {
      return false;
    }
  };
  if (alive()) {
    process.kill(server.pid, 'SIGINT');
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (alive()) process.kill(server.pid, 'SIGKILL');
  }
  rmSync(server.dir, { recursive: true, force: true });
}
