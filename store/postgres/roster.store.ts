import type { KeyedHash } from '../../core/booking/model.ts';
import type { RosterEntry, RosterStore } from '../../core/rules/roster.ts';
import { fieldsOf, row, rows } from './booking/sql.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';

const ENTRY = fieldsOf(['identityKeyId', 'identityHash', 'nameSealed', 'phoneSealed']);

/** The rosters of roster-gated services on PostgreSQL: one row a person, keyed by the identity hash of their document. */
export class PgRosterStore implements RosterStore {
  constructor(private readonly db: PgDb) {}

  rosterEntries(serviceId: string): Promise<RosterEntry[]> {
    return rows<RosterEntry>(sqlOf(this.db), `SELECT ${ENTRY} FROM roster_entries WHERE service_id = $1 ORDER BY imported_at, identity_hash COLLATE "C"`, [serviceId]);
  }

  /** The first of the person's hashes (current key first) that is on the roster. */
  rosterEntry(serviceId: string, identity: readonly KeyedHash[]): Promise<RosterEntry | null> {
    return row<RosterEntry>(
      sqlOf(this.db),
      `SELECT ${ENTRY} FROM unnest($2::text[]) WITH ORDINALITY AS h(hash, ord) JOIN roster_entries r ON r.service_id = $1 AND r.identity_hash = h.hash
       ORDER BY h.ord LIMIT 1`,
      [serviceId, identity.map((h) => h.hash)],
    );
  }

  replaceRoster(serviceId: string, put: readonly RosterEntry[], remove: readonly string[], at: number): Promise<void> {
    return atomically(this.db, async (sql) => {
      if (remove.length > 0) await sql.query('DELETE FROM roster_entries WHERE service_id = $1 AND identity_hash = ANY($2::text[])', [serviceId, [...remove]]);
      for (const e of put) {
        await sql.query(
          `INSERT INTO roster_entries (service_id, identity_hash, identity_key_id, name_sealed, phone_sealed, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (service_id, identity_hash) DO UPDATE SET identity_key_id = excluded.identity_key_id, name_sealed = excluded.name_sealed,
             phone_sealed = excluded.phone_sealed, imported_at = excluded.imported_at`,
          [serviceId, e.identityHash, e.identityKeyId, e.nameSealed, e.phoneSealed, at],
        );
      }
    });
  }
}
