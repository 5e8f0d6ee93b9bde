import type pg from 'pg';

const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** How often (ms of this host's clock) a host clears windows long over; any host may, the delete is idempotent. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Rate-limit counters several hosts share: one row per key (route and client), counting the
 * requests of a fixed window. A hit is one upsert — it starts a new window when the row's is over,
 * else adds one — so two hosts counting the same client at once both land in one row, and the
 * limit holds across hosts instead of being multiplied by their number. Windows are timed on the
 * database's clock.
 */
export class PgRateLimits {
  private lastSweep = 0;

  constructor(
    private readonly db: pg.Pool,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Counts one request for `key` in a window of `windowMs`; answers the window's count so far and the ms left in it. */
  async hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    this.sweepNowAndThen();
    const r = await this.db.query<{ count: number; ttl: string }>(
      `INSERT INTO rate_limits (key, count, expires_at) VALUES ($1, 1, ${NOW_MS} + $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.expires_at <= ${NOW_MS} THEN 1 ELSE rate_limits.count + 1 END,
         expires_at = CASE WHEN rate_limits.expires_at <= ${NOW_MS} THEN EXCLUDED.expires_at ELSE rate_limits.expires_at END
       RETURNING count, expires_at - ${NOW_MS} AS ttl`,
      [key, windowMs],
    );
    const row = r.rows[0]!;
    return { count: row.count, ttlMs: Math.max(0, Number(row.ttl)) };
  }

  /** The window's count for `key` without counting (0 when none is open). */
  async peek(key: string): Promise<{ count: number; ttlMs: number }> {
    const r = await this.db.query<{ count: number; ttl: string }>(`SELECT count, expires_at - ${NOW_MS} AS ttl FROM rate_limits WHERE key = $1 AND expires_at > ${NOW_MS}`, [key]);
    const row = r.rows[0];
    return row === undefined ? { count: 0, ttlMs: 0 } : { count: row.count, ttlMs: Number(row.ttl) };
  }

  /** Rows of windows that ended: a client who stopped asking leaves no row behind for long. */
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.db.query(`DELETE FROM rate_limits WHERE expires_at <= ${NOW_MS}`).catch(this.onError);
  }
}
