import type pg from 'pg';

/**
 * Leases on background work across hosts sharing one PostgreSQL: a row per task names its holder
 * and the instant its hold lapses. Taking and renewing are one conditional upsert — the row is
 * written only when it is free, lapsed, or already ours — so two hosts asking at once cannot both
 * win (the second upsert waits on the first's row lock, then sees it held). Instants come from the
 * database's clock, never a host's: hosts whose clocks disagree still agree on when a lease lapses.
 */

const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

export interface LeaseHolder {
  owner: string;
  acquiredAt: number;
  expiresAt: number;
}

export class PgLeases {
  constructor(private readonly db: pg.Pool) {}

  /**
   * Takes the lease for `ttlMs` if it is free or lapsed, renews it if `owner` holds it; true when
   * `owner` holds it afterwards. `acquired_at` is kept across renewals (when this holder took it).
   */
  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES ($1, $2, ${NOW_MS}, ${NOW_MS} + $3)
       ON CONFLICT (name) DO UPDATE SET
         owner = EXCLUDED.owner,
         expires_at = EXCLUDED.expires_at,
         acquired_at = CASE WHEN leases.owner = EXCLUDED.owner THEN leases.acquired_at ELSE EXCLUDED.acquired_at END
       WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= EXCLUDED.acquired_at
       RETURNING owner`,
      [name, owner, ttlMs],
    );
    return r.rowCount === 1;
  }

  /** Gives the lease up at once (a graceful stop): another host need not wait for it to lapse. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.query('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
  }

  /** Who holds the lease, lapsed or not (null when nobody ever took it or it was released). */
  async holder(name: string): Promise<LeaseHolder | null> {
    const r = await this.db.query<{ owner: string; acquired_at: number; expires_at: number }>('SELECT owner, acquired_at, expires_at FROM leases WHERE name = $1', [name]);
    const row = r.rows[0];
    return row === undefined ? null : { owner: row.owner, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
  }
}
