import pg from 'pg';

/**
 * The PostgreSQL dialect's connection pool, from a `postgres://` (or `postgresql://`) URL. Counts
 * and instants are BIGINT columns (milliseconds since the epoch do not fit 32 bits): they come back
 * as numbers, as SQLite gives them, and a value a number cannot hold exactly is an error rather than
 * a silently rounded instant.
 */
export type PgPool = pg.Pool;

const INT8_OID = 20;

function parseBigint(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} is beyond what a number holds exactly`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary' ? parseBigint : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser,
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * How long a request waits for a connection (a new one to a server that does not answer, or a
 * free one of a busy pool) before it is refused as DATABASE_UNAVAILABLE: without a limit a kiosk
 * would wait on a vanished server for as long as the operating system keeps trying. A server
 * that is down refuses at once; the limit is generous because a release rush on a loaded machine
 * queues for the pool for seconds, and that is load to be served, not an outage.
 */
export const CONNECT_TIMEOUT_MS = 15_000;

export function createPool(url: string, opts: { max?: number; applicationName?: string } = {}): PgPool {
  if (!isPostgresUrl(url)) throw new Error(`not a PostgreSQL URL (postgres://user@host:port/database): ${url}`);
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: opts.applicationName ?? 'fronta', types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client that loses its server (restart, failover) emits here; without a listener that
  // would end the process. The next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` on one client of the pool held for its whole length (a migration, a copy). A client
 * taken from the pool loses the pool's error listener: a server that goes away while it is held
 * (restarted, the connection terminated) makes it emit 'error', which with nobody listening ends
 * the process with a stack trace instead of the caller's one line. Here that error is only noted:
 * the statement under way, or the next one, fails with it and the caller reports that. A client
 * whose work failed is not handed out again.
 */
export async function withHeldClient<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const noted = (): void => undefined;
  client.on('error', noted);
  let failed: Error | undefined;
  try {
    return await work(client);
  } catch (err) {
    failed = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(failed);
    client.off('error', noted);
  }
}

/** The connection to the server was lost (terminated, shut down, the network gone): no SQL error of ours. */
export function isLostConnection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (/^(08|57)/.test(code) || code.startsWith('E'))) return true;
  // A migration that failed wraps its statement's error.
  return /Connection terminated|not queryable/i.test(err.message) || (err.cause !== undefined && isLostConnection(err.cause));
}
