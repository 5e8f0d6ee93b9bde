import type { Database, Statement } from 'better-sqlite3';
import type { KeyedHash } from '../core/booking/model.ts';
import type { RosterEntry, RosterStore } from '../core/rules/roster.ts';

interface RosterRow {
  identity_key_id: string;
  identity_hash: string;
  name_sealed: string;
  phone_sealed: string;
}

const entryOf = (r: RosterRow): RosterEntry => ({
  identityKeyId: r.identity_key_id,
  identityHash: r.identity_hash,
  nameSealed: r.name_sealed,
  phoneSealed: r.phone_sealed,
});

/** The rosters of roster-gated services: one row a person, keyed by the identity hash of their document. */
export class SqliteRosterStore implements RosterStore {
  private readonly s: Record<'all' | 'one' | 'put' | 'remove', Statement>;

  constructor(db: Database) {
    this.s = {
      all: db.prepare('SELECT * FROM roster_entries WHERE service_id = ? ORDER BY imported_at, identity_hash'),
      one: db.prepare('SELECT * FROM roster_entries WHERE service_id = ? AND identity_hash = ?'),
      put: db.prepare(`INSERT INTO roster_entries (service_id, identity_hash, identity_key_id, name_sealed, phone_sealed, imported_at)
        VALUES (@serviceId, @identityHash, @identityKeyId, @nameSealed, @phoneSealed, @at)
        ON CONFLICT (service_id, identity_hash) DO UPDATE SET identity_key_id = excluded.identity_key_id, name_sealed = excluded.name_sealed,
          phone_sealed = excluded.phone_sealed, imported_at = excluded.imported_at`),
      remove: db.prepare('DELETE FROM roster_entries WHERE service_id = ? AND identity_hash = ?'),
    };
  }

  async rosterEntries(serviceId: string): Promise<RosterEntry[]> {
    return (this.s.all.all(serviceId) as RosterRow[]).map(entryOf);
  }

  async rosterEntry(serviceId: string, identity: readonly KeyedHash[]): Promise<RosterEntry | null> {
    for (const h of identity) {
      const r = this.s.one.get(serviceId, h.hash) as RosterRow | undefined;
      if (r !== undefined) return entryOf(r);
    }
    return null;
  }

  async replaceRoster(serviceId: string, put: readonly RosterEntry[], remove: readonly string[], at: number): Promise<void> {
    for (const hash of remove) this.s.remove.run(serviceId, hash);
    for (const e of put) this.s.put.run({ serviceId, at, ...e });
  }
}
