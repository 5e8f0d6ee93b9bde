import type { Database } from 'better-sqlite3';
import type { BookingSettingsStore } from '../../core/booking/ports.ts';
import type { BookingOfficeSettings, BookingPolicy, BookingRules, CheckInSettings } from '../../core/booking/model.ts';
import { DEFAULT_CHECK_IN, DEFAULT_RULES } from '../../core/booking/model.ts';
import { ReadCache } from '../read-cache.ts';

/** Upserts an office's booking switches (its retention period, a column of the same row, is left alone). */
const PUT_OFFICE = `INSERT INTO booking_offices (office_id, suspended, suspended_message, check_in, rules)
  VALUES (@officeId, @suspended, @message, @checkIn, @rules)
  ON CONFLICT (office_id) DO UPDATE SET suspended = excluded.suspended, suspended_message = excluded.suspended_message,
    check_in = excluded.check_in, rules = excluded.rules`;

type OfficeSwitches = Omit<BookingOfficeSettings, 'checkIn' | 'rules'> & { checkIn?: Partial<CheckInSettings>; rules?: Partial<BookingRules> };

const officeRow = (s: OfficeSwitches) => ({
  officeId: s.officeId,
  suspended: s.suspended ? 1 : 0,
  message: JSON.stringify(s.suspendedMessage),
  checkIn: JSON.stringify(s.checkIn ?? {}),
  rules: JSON.stringify(s.rules ?? {}),
});

const statements = (db: Database) => ({
  policy: db.prepare<[string], { policy: string }>('SELECT policy FROM booking_policies WHERE service_id = ?'),
  office: db.prepare<[string], { suspended: number; suspended_message: string; check_in: string; rules: string }>(
    'SELECT * FROM booking_offices WHERE office_id = ?',
  ),
  putOffice: db.prepare<[ReturnType<typeof officeRow>]>(PUT_OFFICE),
});

/** Policies and office switches: read by every booking request, written by the back office. */
export class SqliteBookingSettings implements BookingSettingsStore {
  private readonly parsedCache = new Map<string, { text: string; value: unknown }>();
  private readonly s: ReturnType<typeof statements>;
  /** Outside a transaction not even the row is read while nothing was written (every hold attempt of a rush asks both). */
  private readonly cache: ReadCache;

  constructor(db: Database) {
    this.s = statements(db);
    this.cache = new ReadCache(db);
  }

  /**
   * The parsed value of a row's JSON, reused while the stored text is the same: policies and
   * office settings are read by every booking request and change rarely. Keyed on the text
   * itself, so a change (or a rollback) can never leave a stale value behind.
   */
  private parsed<T>(key: string, text: string, parse: (text: string) => T): T {
    const hit = this.parsedCache.get(key);
    if (hit !== undefined && hit.text === text) return hit.value as T;
    const value = parse(text);
    this.parsedCache.set(key, { text, value });
    return value;
  }

  async policy(serviceId: string): Promise<BookingPolicy | null> {
    return this.cache.get(`policy:${serviceId}`, () => {
      const r = this.s.policy.get(serviceId);
      return r === undefined ? null : this.parsed(`policy:${serviceId}`, r.policy, (t) => JSON.parse(t) as BookingPolicy);
    });
  }

  async officeSettings(officeId: string): Promise<BookingOfficeSettings> {
    return this.cache.get(`office:${officeId}`, () => this.readOfficeSettings(officeId));
  }

  private readOfficeSettings(officeId: string): BookingOfficeSettings {
    const r = this.s.office.get(officeId);
    if (r === undefined) return { officeId, suspended: false, suspendedMessage: {}, checkIn: { ...DEFAULT_CHECK_IN }, rules: { ...DEFAULT_RULES } };
    return this.parsed(`office:${officeId}`, `${r.suspended}\u0000${r.suspended_message}\u0000${r.check_in}\u0000${r.rules}`, () => ({
      officeId,
      suspended: r.suspended === 1,
      suspendedMessage: JSON.parse(r.suspended_message) as BookingOfficeSettings['suspendedMessage'],
      checkIn: { ...DEFAULT_CHECK_IN, ...(JSON.parse(r.check_in) as Partial<CheckInSettings>) },
      rules: { ...DEFAULT_RULES, ...(JSON.parse(r.rules) as Partial<BookingRules>) },
    }));
  }

  async putOfficeSettings(settings: BookingOfficeSettings): Promise<void> {
    this.s.putOffice.run(officeRow(settings));
  }
}

/** Configuration writes (demo seed, fixtures, back office later): one policy per service. */
export function saveBookingPolicy(db: Database, policy: BookingPolicy): void {
  db.prepare(`INSERT INTO booking_policies (service_id, policy) VALUES (?, ?)
    ON CONFLICT (service_id) DO UPDATE SET policy = excluded.policy`).run(policy.serviceId, JSON.stringify(policy));
}

/** Saves an office's booking switches; check-in settings and rules not given fall back to the defaults. */
export function saveBookingOffice(db: Database, s: OfficeSwitches): void {
  db.prepare(PUT_OFFICE).run(officeRow(s));
}
