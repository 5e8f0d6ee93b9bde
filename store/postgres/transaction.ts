import type pg from 'pg';
import { remember, UnitMemo } from './unit-memo.ts';

/**
 * One unit of work in one PostgreSQL transaction on one pooled connection. Under REPEATABLE READ
 * or SERIALIZABLE PostgreSQL aborts a transaction that would break the isolation it promised
 * (SQLSTATE 40001) and breaks deadlocks by aborting one side (40P01): both mean "nothing happened,
 * run it again", so the unit is retried after a jittered back-off (full jitter: a random wait up to
 * an exponentially growing cap, so hosts that collided do not collide again in step). A unit must
 * therefore do nothing outside the transaction that cannot be repeated.
 */
export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: Isolation;
  /** Runs in all, the first included (default 10). */
  attempts?: number;
  /** First back-off cap in ms, doubled per retry up to maxDelayMs (defaults 2 and 200). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** [0, 1) — the jitter; an input so tests can pin it. */
  random?: () => number;
  /** Told of each retry (metrics, logs). */
  onRetry?: (info: { attempt: number; code: string; delayMs: number }) => void;
}

const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryable(err: unknown): err is Error & { code: string } {
  return typeof err === 'object' && err !== null && RETRYABLE.has(String((err as { code?: unknown }).code));
}

export class TooManyRetriesError extends Error {
  constructor(
    readonly attempts: number,
    readonly last: Error,
  ) {
    super(`transaction still conflicting after ${attempts} attempts: ${last.message}`);
  }
}

export async function inTransaction<T>(pool: pg.Pool, unit: (client: pg.PoolClient) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 10;
  const base = opts.baseDelayMs ?? 2;
  const cap = opts.maxDelayMs ?? 200;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await once(pool, unit, opts.isolation ?? 'read committed');
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (attempt >= attempts) throw new TooManyRetriesError(attempts, err);
      const delayMs = random() * Math.min(cap, base * 2 ** (attempt - 1));
      opts.onRetry?.({ attempt, code: err.code, delayMs });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * The transaction's connection as the unit sees it: its statements handed over one after the
 * other. A connection runs one statement at a time, and a unit may ask for several at once (a
 * route's Promise.all over services or counters); `pg` queues them itself only under a
 * deprecation (removed in pg 9), so they wait here for the previous one's answer instead.
 * Each statement is shown to the transaction's memo first (unit-memo.ts), in the order sent.
 */
function oneAtATime(client: pg.PoolClient): pg.PoolClient {
  let previous: Promise<unknown> = Promise.resolve();
  const memo = new UnitMemo();
  const query = (...args: unknown[]): Promise<unknown> => {
    memo.sending(textOf(args[0]), Array.isArray(args[1]) ? (args[1] as unknown[]) : []);
    const p = previous.then(() => (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args));
    previous = p.catch(() => undefined);
    return p;
  };
  const unit = new Proxy(client, { get: (target, key) => (key === 'query' ? query : (Reflect.get(target, key, target) as unknown)) });
  remember(unit, memo);
  return unit;
}

/** A statement's text, given as a string or in a query config. */
function textOf(statement: unknown): string {
  if (typeof statement === 'string') return statement;
  const text = (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : '';
}

/**
 * A client taken from the pool loses the pool's error listener: if its server goes away while the
 * unit is between two statements, the client emits 'error' with nobody listening, which would end
 * the process. The unit's next statement fails with that error anyway, so here it is only noted.
 */
const ignore = (): void => undefined;

async function once<T>(pool: pg.Pool, unit: (client: pg.PoolClient) => Promise<T>, isolation: Isolation): Promise<T> {
  const client = await pool.connect();
  client.on('error', ignore);
  try {
    return await begun(client, unit, isolation);
  } finally {
    client.off('error', ignore);
  }
}

async function begun<T>(client: pg.PoolClient, unit: (client: pg.PoolClient) => Promise<T>, isolation: Isolation): Promise<T> {
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
    const result = await unit(oneAtATime(client));
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch {
      // The connection is broken: drop it from the pool rather than hand it out again.
      client.release(true);
    }
    throw err;
  }
}
