import type { BookingSettingsStore } from '../../../core/booking/ports.ts';
import type { BookingOfficeSettings, BookingPolicy, BookingRules, CheckInSettings } from '../../../core/booking/model.ts';
import { DEFAULT_CHECK_IN, DEFAULT_RULES } from '../../../core/booking/model.ts';
import { memoRows } from '../unit-memo.ts';
import type { Async, Sql } from './sql.ts';

/** A service's booking policy (the queue store reads it too, for the day's walk-in share). */
export const POLICY = 'SELECT policy FROM booking_policies WHERE service_id = $1';

/** Upserts an office's booking switches (its retention period, a column of the same row, is left alone). */
const PUT_OFFICE = `INSERT INTO booking_offices (office_id, suspended, suspended_message, check_in, rules) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (office_id) DO UPDATE SET suspended = excluded.suspended, suspended_message = excluded.suspended_message,
    check_in = excluded.check_in, rules = excluded.rules`;

interface OfficeRow {
  suspended: number;
  suspended_message: string;
  check_in: string;
  rules: string;
}

/**
 * Policies and office switches, stored as on SQLite (JSON text). Parsed on every read: unlike
 * SQLite's adapter, which lives as long as its connection, this one lives for one transaction.
 */
export class PgBookingSettings implements Async<BookingSettingsStore> {
  constructor(private readonly sql: Sql) {}

  async policy(serviceId: string): Promise<BookingPolicy | null> {
    const [r] = await memoRows<{ policy: string }>(this.sql, POLICY, [serviceId]);
    return r === undefined ? null : (JSON.parse(r.policy) as BookingPolicy);
  }

  async officeSettings(officeId: string): Promise<BookingOfficeSettings> {
    const [r] = await memoRows<OfficeRow>(this.sql, 'SELECT suspended, suspended_message, check_in, rules FROM booking_offices WHERE office_id = $1', [officeId]);
    if (r === undefined) return { officeId, suspended: false, suspendedMessage: {}, checkIn: { ...DEFAULT_CHECK_IN }, rules: { ...DEFAULT_RULES } };
    return {
      officeId,
      suspended: r.suspended === 1,
      suspendedMessage: JSON.parse(r.suspended_message) as BookingOfficeSettings['suspendedMessage'],
      checkIn: { ...DEFAULT_CHECK_IN, ...(JSON.parse(r.check_in) as Partial<CheckInSettings>) },
      rules: { ...DEFAULT_RULES, ...(JSON.parse(r.rules) as Partial<BookingRules>) },
    };
  }

  async putOfficeSettings(s: BookingOfficeSettings): Promise<void> {
    await this.sql.query(PUT_OFFICE, [s.officeId, s.suspended ? 1 : 0, JSON.stringify(s.suspendedMessage), JSON.stringify(s.checkIn), JSON.stringify(s.rules)]);
  }
}

/** Configuration writes (fixtures, the back office later): one policy per service. */
export async function savePgBookingPolicy(sql: Sql, policy: BookingPolicy): Promise<void> {
  await sql.query(`INSERT INTO booking_policies (service_id, policy) VALUES ($1, $2) ON CONFLICT (service_id) DO UPDATE SET policy = excluded.policy`, [
    policy.serviceId,
    JSON.stringify(policy),
  ]);
}
