import type { Database } from 'better-sqlite3';
import m0001 from './0001-queue.ts';
import m0002 from './0002-service-closures.ts';
import m0003 from './0003-kiosk-printer-mode.ts';
import m0004 from './0004-online-booking.ts';
import m0005 from './0005-config-version.ts';
import m0006 from './0006-check-in.ts';
import m0007 from './0007-counter-session-services.ts';
import m0008 from './0008-rules-about-people.ts';
import m0009 from './0009-rosters-outcomes-eligibility.ts';
import m0010 from './0010-fewer-index-pages.ts';
import m0011 from './0011-no-show-notice.ts';
import m0012 from './0012-settings-audit-index.ts';
import m0013 from './0013-ticket-language.ts';
import m0014 from './0014-live-tickets-in-memory.ts';
import m0015 from './0015-office-configuration.ts';
import m0016 from './0016-alert-settings.ts';
import m0017 from './0017-ticket-ratings.ts';
import m0018 from './0018-people.ts';
import m0019 from './0019-people-audit.ts';
import m0020 from './0020-templates-and-out-of-turn-calls.ts';
import m0021 from './0021-office-changes-to-bookings.ts';
import m0022 from './0022-statistics-rollups.ts';
import m0023 from './0023-statistics-groups-and-alerts-in-config.ts';
import m0024 from './0024-webhooks.ts';
import m0025 from './0025-fee-orders.ts';
import m0026 from './0026-booking-awaiting-payment.ts';
import m0027 from './0027-fee-history.ts';
import m0028 from './0028-background-leases.ts';
import m0029 from './0029-rate-limits.ts';
import m0030 from './0030-slot-length.ts';
import type { Migration } from './migration.ts';

/**
 * Numbered, forward-only, additive migrations, one file per version. `PRAGMA user_version` holds
 * the number of the last one applied; each runs in its own transaction with the version bump.
 * Never edit a migration that has shipped: add the next file and list it here.
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
  m0021,
  m0022,
  m0023,
  m0024,
  m0025,
  m0026,
  m0027,
  m0028,
  m0029,
  m0030,
];

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this build knows (${known}); run a newer Fronta`);
  }
}

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  // By version, not position: branches hold reserved numbers (with gaps) until they are merged.
  for (const m of MIGRATIONS.filter((x) => x.version > current)) {
    // A table rebuilt whole is dropped while others still reference it: keys are off for the swap
    // (the pragma means nothing inside a transaction) and checked before the commit.
    const keysWereOn = m.foreignKeysOff === true && (db.pragma('foreign_keys', { simple: true }) as number) === 1;
    if (keysWereOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (m.foreignKeysOff === true && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error(`migration ${m.version} broke a foreign key`);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (keysWereOn) db.pragma('foreign_keys = ON');
    }
  }
  return latest;
}
