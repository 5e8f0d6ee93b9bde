import type { Database, Statement } from 'better-sqlite3';
import type { BookingStore, Keyed, SmsCode, TokenLookup, TokenPurpose } from '../core/booking/ports.ts';
import type {
  Ban,
  Booking,
  BookingOfficeSettings,
  BookingPolicy,
  BookingRules,
  BookingState,
  CheckInSettings,
  KeyedHash,
  NoShowRecord,
  OutgoingMessage,
  PersonHashes,
  RuleDecision,
  Slot,
} from '../core/booking/model.ts';
import { DEFAULT_CHECK_IN, DEFAULT_RULES, MESSAGE_PRIORITY } from '../core/booking/model.ts';
import type { SlotSpec } from '../core/queue/capacity.ts';
import type { Application, DrawRecord } from '../core/booking/model.ts';

interface BookingRow {
  id: string;
  number: string;
  office_id: string;
  service_id: string;
  slot_id: string;
  day: string;
  start_at: number;
  state: BookingState;
  language: string;
  channel: 'email' | 'sms';
  name_sealed: string;
  email_sealed: string | null;
  phone_sealed: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  identity_key_id: string | null;
  identity_hash: string | null;
  hold_key_hash: string;
  hold_expires_at: number;
  hold_extended: number;
  kiosk_code: string | null;
  cancel_hash: string | null;
  created_at: number;
  confirmed_at: number | null;
  expired_at: number | null;
  cancelled_at: number | null;
  checked_in_at: number | null;
  ticket_id: string | null;
  lapsed_at: number | null;
  no_show_at: number | null;
}

const BOOKING_COLUMNS: Readonly<Record<keyof Booking, keyof BookingRow>> = {
  id: 'id',
  number: 'number',
  officeId: 'office_id',
  serviceId: 'service_id',
  slotId: 'slot_id',
  day: 'day',
  startAt: 'start_at',
  state: 'state',
  language: 'language',
  channel: 'channel',
  nameSealed: 'name_sealed',
  emailSealed: 'email_sealed',
  phoneSealed: 'phone_sealed',
  emailHash: 'email_hash',
  phoneHash: 'phone_hash',
  identityKeyId: 'identity_key_id',
  identityHash: 'identity_hash',
  holdKeyHash: 'hold_key_hash',
  holdExpiresAt: 'hold_expires_at',
  holdExtended: 'hold_extended',
  kioskCode: 'kiosk_code',
  cancelHash: 'cancel_hash',
  createdAt: 'created_at',
  confirmedAt: 'confirmed_at',
  expiredAt: 'expired_at',
  cancelledAt: 'cancelled_at',
  checkedInAt: 'checked_in_at',
  ticketId: 'ticket_id',
  lapsedAt: 'lapsed_at',
  noShowAt: 'no_show_at',
};
const BOOKING_FIELDS = Object.keys(BOOKING_COLUMNS) as (keyof Booking)[];

const toSql = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));

function bookingFromRow(r: BookingRow): Booking {
  const b = {} as Record<keyof Booking, unknown>;
  for (const f of BOOKING_FIELDS) b[f] = r[BOOKING_COLUMNS[f]];
  b.holdExtended = r.hold_extended === 1;
  return b as Booking;
}

interface SlotRow {
  id: string;
  service_id: string;
  day: string;
  start_min: number;
  start_at: number;
  places: number;
  taken: number;
}

const slotFromRow = (r: SlotRow): Slot => ({
  id: r.id,
  serviceId: r.service_id,
  day: r.day,
  startMin: r.start_min,
  startAt: r.start_at,
  places: r.places,
  taken: r.taken,
});

interface ApplicationRow {
  id: string;
  office_id: string;
  service_id: string;
  day: string;
  state: Application['state'];
  applied_at: number;
  rank_key: number;
  language: string;
  channel: 'email' | 'sms';
  name_sealed: string;
  email_sealed: string | null;
  phone_sealed: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  identity_key_id: string | null;
  identity_hash: string | null;
  contact_key: string;
  hold_key_hash: string;
  booking_id: string | null;
}

const applicationFromRow = (r: ApplicationRow): Application => ({
  id: r.id,
  officeId: r.office_id,
  serviceId: r.service_id,
  day: r.day,
  state: r.state,
  appliedAt: r.applied_at,
  rankKey: r.rank_key,
  language: r.language as Application['language'],
  channel: r.channel,
  nameSealed: r.name_sealed,
  emailSealed: r.email_sealed,
  phoneSealed: r.phone_sealed,
  emailHash: r.email_hash,
  phoneHash: r.phone_hash,
  identityKeyId: r.identity_key_id,
  identityHash: r.identity_hash,
  contactKey: r.contact_key,
  holdKeyHash: r.hold_key_hash,
  bookingId: r.booking_id,
});

interface DrawRow {
  service_id: string;
  day: string;
  office_id: string;
  opens_at: number;
  closes_at: number;
  commitment: string;
  seed_sealed: string;
  seed: string | null;
  state: 'open' | 'done';
  ran_at: number | null;
}

const drawFromRow = (r: DrawRow): DrawRecord => ({
  serviceId: r.service_id,
  day: r.day,
  officeId: r.office_id,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  commitment: r.commitment,
  seedSealed: r.seed_sealed,
  seed: r.seed,
  state: r.state,
  ranAt: r.ran_at,
});

interface NoShowRow {
  booking_id: string;
  office_id: string;
  service_id: string;
  email_hash: string | null;
  phone_hash: string | null;
  identity_key_id: string | null;
  identity_hash: string | null;
  reason: NoShowRecord['reason'];
  at: number;
  excused_at: number | null;
}

const noShowFromRow = (r: NoShowRow): NoShowRecord & { excusedAt: number | null } => ({
  bookingId: r.booking_id,
  officeId: r.office_id,
  serviceId: r.service_id,
  emailHash: r.email_hash,
  phoneHash: r.phone_hash,
  identityKeyId: r.identity_key_id,
  identityHash: r.identity_hash,
  reason: r.reason,
  at: r.at,
  excusedAt: r.excused_at,
});

interface BanRow {
  id: string;
  office_id: string;
  kind: Ban['kind'];
  email_hash: string | null;
  phone_hash: string | null;
  identity_key_id: string | null;
  identity_hash: string | null;
  reason: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  lifted_at: number | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

const banFromRow = (r: BanRow): Ban => ({
  id: r.id,
  officeId: r.office_id,
  kind: r.kind,
  emailHash: r.email_hash,
  phoneHash: r.phone_hash,
  identityKeyId: r.identity_key_id,
  identityHash: r.identity_hash,
  reason: r.reason,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
  liftedAt: r.lifted_at,
  liftedBy: r.lifted_by,
  liftReason: r.lift_reason,
});

interface DecisionRow {
  id: string;
  office_id: string;
  service_id: string | null;
  rule: string;
  outcome: RuleDecision['outcome'];
  booking_id: string | null;
  application_id: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  identity_hash: string | null;
  detail: string;
  at: number;
}

const decisionFromRow = (r: DecisionRow): RuleDecision => ({
  id: r.id,
  officeId: r.office_id,
  serviceId: r.service_id,
  rule: r.rule,
  outcome: r.outcome,
  bookingId: r.booking_id,
  applicationId: r.application_id,
  emailHash: r.email_hash,
  phoneHash: r.phone_hash,
  identityHash: r.identity_hash,
  detail: r.detail,
  at: r.at,
});

/**
 * SQL matching a person by any of their hashes: `@contacts` and `@ids` are JSON arrays of contact
 * hashes (e-mail and phone, every configured key; the purposes differ, so an e-mail hash can never
 * equal a phone hash) and of identity hashes.
 */
const MATCHES_PERSON = `(email_hash IN (SELECT value FROM json_each(@contacts)) OR phone_hash IN (SELECT value FROM json_each(@contacts))
  OR identity_hash IN (SELECT value FROM json_each(@ids)))`;
const identityIds = (identity: readonly KeyedHash[]): string => JSON.stringify(identity.map((k) => k.hash));
const personParams = (p: PersonHashes) => ({
  contacts: JSON.stringify([...new Set([p.emailHash, p.phoneHash, ...(p.contactHashes ?? [])].filter((h): h is string => h !== null))]),
  ids: identityIds(p.identity),
});
/** A booking that takes a place and can still change: a live hold or a confirmed booking. */
const LIVE = `(state = 'confirmed' OR (state = 'held' AND hold_expires_at > @now))`;

/**
 * The SQLite adapter of the booking store. Used inside the unit of work's transaction (same
 * connection as the queue store). The one contended write, `reserve`, is a single conditional
 * UPDATE; the CHECK (taken <= places) stands behind it.
 */
export class SqliteBookingStore implements BookingStore {
  private readonly parsedCache = new Map<string, { text: string; value: unknown }>();
  private readonly s: Record<string, Statement>;
  private readonly transitions = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    /** Seals outbox messages at rest (they carry contacts, codes and link tokens). */
    private readonly keyed: Pick<Keyed, 'seal'>,
  ) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      policy: p('SELECT policy FROM booking_policies WHERE service_id = ?'),
      office: p('SELECT * FROM booking_offices WHERE office_id = ?'),
      putOffice: p(PUT_OFFICE),
      ensureSlot: p(`INSERT INTO slots (id, service_id, day, start_min, start_at, places) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO NOTHING`),
      slots: p('SELECT * FROM slots WHERE service_id = ? AND day = ? ORDER BY start_min'),
      slotCount: p('SELECT count(*) AS n FROM slots WHERE service_id = ? AND day = ?'),
      slot: p('SELECT * FROM slots WHERE id = ?'),
      reserve: p('UPDATE slots SET taken = taken + 1 WHERE id = ? AND taken < places'),
      free: p('UPDATE slots SET taken = taken - 1 WHERE id = ? AND taken > 0'),
      hasFree: p('SELECT 1 AS y FROM slots WHERE service_id = ? AND day = ? AND taken < places LIMIT 1'),
      insertBooking: p(`INSERT INTO bookings (${Object.values(BOOKING_COLUMNS).join(', ')})
        VALUES (${Object.values(BOOKING_COLUMNS).map((c) => '@' + c).join(', ')})`),
      booking: p('SELECT * FROM bookings WHERE id = ?'),
      byNumber: p('SELECT * FROM bookings WHERE number = ?'),
      byHoldKey: p('SELECT * FROM bookings WHERE hold_key_hash = ?'),
      byCancel: p('SELECT * FROM bookings WHERE cancel_hash = ?'),
      lapsed: p(`SELECT * FROM bookings WHERE state = 'held' AND hold_expires_at <= ? ORDER BY hold_expires_at LIMIT ?`),
      lapsedOfSlot: p(`SELECT * FROM bookings WHERE state = 'held' AND slot_id = ? AND hold_expires_at <= ? ORDER BY hold_expires_at LIMIT ?`),
      // A literal LIMIT: with a bound one this ran 20 times slower (measured), and a release rush
      // asks it of every attempt on a full slot.
      anyLapsedOfSlot: p(`SELECT 1 FROM bookings WHERE state = 'held' AND slot_id = ? AND hold_expires_at <= ? LIMIT 1`),
      kioskCode: p(`SELECT 1 AS y FROM bookings WHERE office_id = @office AND kiosk_code = @code
        AND (state IN ('confirmed', 'checked_in') OR day >= @day) LIMIT 1`),
      byKioskCode: p(`SELECT * FROM bookings WHERE office_id = @office AND kiosk_code = @code
        AND (state IN ('confirmed', 'checked_in') OR day = @day)
        ORDER BY state IN ('confirmed', 'checked_in') DESC, start_at DESC LIMIT 1`),
      byTicket: p('SELECT * FROM bookings WHERE ticket_id = ?'),
      toLapse: p(`SELECT * FROM bookings WHERE state = 'confirmed' AND office_id = ? AND start_at < ? ORDER BY start_at LIMIT ?`),
      confirmedBetween: p(`SELECT * FROM bookings WHERE state = 'confirmed' AND office_id = ? AND start_at BETWEEN ? AND ? ORDER BY start_at, id`),
      recordNoShow: p(`INSERT INTO no_shows (booking_id, office_id, service_id, email_hash, phone_hash, identity_key_id, identity_hash, reason, at)
        VALUES (@bookingId, @officeId, @serviceId, @emailHash, @phoneHash, @identityKeyId, @identityHash, @reason, @at) ON CONFLICT (booking_id) DO NOTHING`),
      excuseNoShow: p('UPDATE no_shows SET excused_at = ? WHERE booking_id = ? AND excused_at IS NULL'),
      noShows: p('SELECT * FROM no_shows WHERE office_id = ? ORDER BY at, booking_id'),
      noShowsToNotice: p('SELECT * FROM no_shows WHERE noticed_at IS NULL ORDER BY at, booking_id LIMIT ?'),
      markNoShowNoticed: p('UPDATE no_shows SET noticed_at = ? WHERE booking_id = ? AND noticed_at IS NULL'),
      activeByIdentity: p(`SELECT * FROM bookings WHERE identity_hash IN (SELECT value FROM json_each(@ids)) AND service_id = @service
        AND (state IN ('confirmed', 'checked_in') OR (state = 'held' AND hold_expires_at > @now)) ORDER BY created_at, id`),
      cancellableOf: p(`SELECT * FROM bookings WHERE office_id = @office AND ${MATCHES_PERSON} AND ${LIVE} ORDER BY created_at, id`),
      noShowsOf: p(`SELECT * FROM no_shows WHERE office_id = @office AND ${MATCHES_PERSON} AND at > @since AND excused_at IS NULL ORDER BY at DESC`),
      noShowsSince: p('SELECT * FROM no_shows WHERE office_id = ? AND at > ? AND excused_at IS NULL ORDER BY at DESC'),
      insertBan: p(`INSERT INTO bans (id, office_id, kind, email_hash, phone_hash, identity_key_id, identity_hash, reason, starts_at, ends_at, created_by)
        VALUES (@id, @officeId, @kind, @emailHash, @phoneHash, @identityKeyId, @identityHash, @reason, @startsAt, @endsAt, @createdBy)`),
      bansOf: p(`SELECT * FROM bans WHERE office_id = @office AND ${MATCHES_PERSON} AND lifted_at IS NULL AND starts_at <= @now AND ends_at > @now`),
      bansInForce: p('SELECT * FROM bans WHERE office_id = ? AND lifted_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY ends_at DESC'),
      liftBan: p('UPDATE bans SET lifted_at = ?, lifted_by = ?, lift_reason = ? WHERE id = ? AND lifted_at IS NULL RETURNING *'),
      recordDecision: p(`INSERT INTO rule_decisions (id, office_id, service_id, rule, outcome, booking_id, application_id, email_hash, phone_hash, identity_hash, detail, at)
        VALUES (@id, @officeId, @serviceId, @rule, @outcome, @bookingId, @applicationId, @emailHash, @phoneHash, @identityHash, @detail, @at)
        ON CONFLICT (id) DO NOTHING`),
      decisionsAbout: p(`SELECT * FROM rule_decisions WHERE booking_id = @booking OR id = @attempt OR application_id = @attempt ORDER BY at, rowid`),
      lockedUntil: p('SELECT locked_until FROM kiosk_code_locks WHERE device_id = ? AND locked_until > ?').pluck(),
      pruneFailures: p('DELETE FROM kiosk_code_failures WHERE device_id = ? AND at <= ?'),
      addFailure: p('INSERT INTO kiosk_code_failures (device_id, at) VALUES (?, ?)'),
      countFailures: p('SELECT count(*) FROM kiosk_code_failures WHERE device_id = ? AND at > ?').pluck(),
      lock: p(`INSERT INTO kiosk_code_locks (device_id, locked_until) VALUES (?, ?)
        ON CONFLICT (device_id) DO UPDATE SET locked_until = excluded.locked_until`),
      insertToken: p('INSERT INTO booking_tokens (hash, booking_id, purpose, expires_at) VALUES (?, ?, ?, ?)'),
      token: p('SELECT * FROM booking_tokens WHERE hash = ? AND purpose = ?'),
      useToken: p('UPDATE booking_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?'),
      smsCode: p('SELECT * FROM sms_codes WHERE booking_id = ?'),
      putSmsCode: p(`INSERT INTO sms_codes (booking_id, code_hash, expires_at, tries_left, sends, resend_after) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (booking_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
          tries_left = excluded.tries_left, sends = excluded.sends, resend_after = excluded.resend_after`),
      spendTry: p('UPDATE sms_codes SET tries_left = max(0, tries_left - 1) WHERE booking_id = ? RETURNING tries_left'),
      deleteSmsCode: p('DELETE FROM sms_codes WHERE booking_id = ?'),
      dropReminders: p(`DELETE FROM outbox WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'`),
      enqueue: p(`INSERT INTO outbox (id, booking_id, office_id, channel, kind, priority, state, sealed, not_before, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`),
      draw: p('SELECT * FROM draws WHERE service_id = ? AND day = ?'),
      putDraw: p(`INSERT INTO draws (service_id, day, office_id, opens_at, closes_at, commitment, seed_sealed, seed, state, ran_at)
        VALUES (@service_id, @day, @office_id, @opens_at, @closes_at, @commitment, @seed_sealed, @seed, @state, @ran_at)
        ON CONFLICT (service_id, day) DO UPDATE SET seed = excluded.seed, state = excluded.state, ran_at = excluded.ran_at`),
      insertApplication: p(`INSERT INTO applications (id, office_id, service_id, day, state, applied_at, rank_key, language, channel, name_sealed,
          email_sealed, phone_sealed, email_hash, phone_hash, identity_key_id, identity_hash, contact_key, hold_key_hash, booking_id)
        VALUES (@id, @office_id, @service_id, @day, @state, @applied_at, @rank_key, @language, @channel, @name_sealed,
          @email_sealed, @phone_sealed, @email_hash, @phone_hash, @identity_key_id, @identity_hash, @contact_key, @hold_key_hash, @booking_id)
        ON CONFLICT (service_id, day, contact_key) DO NOTHING`),
      applications: p('SELECT * FROM applications WHERE service_id = ? AND day = ? ORDER BY id'),
      setApplication: p('UPDATE applications SET state = ?, booking_id = ? WHERE id = ?'),
      drawsDue: p(`SELECT * FROM draws WHERE state = 'open' AND closes_at <= ? ORDER BY closes_at`),
    };
  }

  private get<R>(name: string, ...args: unknown[]): R | undefined {
    return this.s[name]!.get(...args) as R | undefined;
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

  policy(serviceId: string): BookingPolicy | null {
    const r = this.get<{ policy: string }>('policy', serviceId);
    return r === undefined ? null : this.parsed(`policy:${serviceId}`, r.policy, (t) => JSON.parse(t) as BookingPolicy);
  }

  officeSettings(officeId: string): BookingOfficeSettings {
    const r = this.get<{ suspended: number; suspended_message: string; check_in: string; rules: string }>('office', officeId);
    if (r === undefined) return { officeId, suspended: false, suspendedMessage: {}, checkIn: { ...DEFAULT_CHECK_IN }, rules: { ...DEFAULT_RULES } };
    return this.parsed(`office:${officeId}`, `${r.suspended}\u0000${r.suspended_message}\u0000${r.check_in}\u0000${r.rules}`, () => ({
      officeId,
      suspended: r.suspended === 1,
      suspendedMessage: JSON.parse(r.suspended_message) as BookingOfficeSettings['suspendedMessage'],
      checkIn: { ...DEFAULT_CHECK_IN, ...(JSON.parse(r.check_in) as Partial<CheckInSettings>) },
      rules: { ...DEFAULT_RULES, ...(JSON.parse(r.rules) as Partial<BookingRules>) },
    }));
  }

  putOfficeSettings(settings: BookingOfficeSettings): void {
    this.s['putOffice']!.run(officeRow(settings));
  }

  ensureSlots(serviceId: string, day: string, slots: readonly SlotSpec[]): void {
    // Once a day exists its places are fixed; a second call inserts nothing.
    if ((this.get<{ n: number }>('slotCount', serviceId, day)?.n ?? 0) > 0) return;
    for (const s of slots) this.s['ensureSlot']!.run(s.id, serviceId, day, s.startMin, s.startAt, s.places);
  }

  slots(serviceId: string, day: string): Slot[] {
    return (this.s['slots']!.all(serviceId, day) as SlotRow[]).map(slotFromRow);
  }

  slot(id: string): Slot | null {
    const r = this.get<SlotRow>('slot', id);
    return r === undefined ? null : slotFromRow(r);
  }

  reserve(slotId: string): boolean {
    return this.s['reserve']!.run(slotId).changes === 1;
  }

  free(slotId: string): void {
    this.s['free']!.run(slotId);
  }

  hasFreePlace(serviceId: string, day: string): boolean {
    return this.get('hasFree', serviceId, day) !== undefined;
  }

  insertBooking(b: Booking): void {
    const row: Record<string, unknown> = {};
    for (const f of BOOKING_FIELDS) row[BOOKING_COLUMNS[f]] = toSql(b[f]);
    this.s['insertBooking']!.run(row);
  }

  private bookingBy(stmt: string, key: string): Booking | null {
    const r = this.get<BookingRow>(stmt, key);
    return r === undefined ? null : bookingFromRow(r);
  }

  booking(id: string): Booking | null {
    return this.bookingBy('booking', id);
  }

  bookingByNumber(number: string): Booking | null {
    return this.bookingBy('byNumber', number);
  }

  bookingByHoldKey(hash: string): Booking | null {
    return this.bookingBy('byHoldKey', hash);
  }

  bookingByCancelHash(hash: string): Booking | null {
    return this.bookingBy('byCancel', hash);
  }

  transition(id: string, from: BookingState, to: BookingState, patch: Partial<Booking>): Booking | null {
    const fields = (Object.keys(patch) as (keyof Booking)[]).filter((f) => f !== 'state' && f !== 'id');
    const key = fields.join(',');
    let stmt = this.transitions.get(key);
    if (stmt === undefined) {
      const sets = ['state = @__to', ...fields.map((f) => `${BOOKING_COLUMNS[f]} = @${BOOKING_COLUMNS[f]}`)];
      stmt = this.db.prepare(`UPDATE bookings SET ${sets.join(', ')} WHERE id = @__id AND state = @__from RETURNING *`);
      this.transitions.set(key, stmt);
    }
    const params: Record<string, unknown> = { __id: id, __from: from, __to: to };
    for (const f of fields) params[BOOKING_COLUMNS[f]] = toSql(patch[f]);
    const row = stmt.get(params) as BookingRow | undefined;
    if (row === undefined) return null;
    if (row.state !== 'confirmed') this.s['dropReminders']!.run(id);
    return bookingFromRow(row);
  }

  lapsedHolds(now: number, limit: number, slotId?: string): Booking[] {
    const rows = (slotId === undefined ? this.s['lapsed']!.all(now, limit) : this.s['lapsedOfSlot']!.all(slotId, now, limit)) as BookingRow[];
    return rows.map(bookingFromRow);
  }

  hasLapsedHold(slotId: string, now: number): boolean {
    return this.get('anyLapsedOfSlot', slotId, now) !== undefined;
  }

  kioskCodeInUse(officeId: string, code: string, day: string): boolean {
    return this.get('kioskCode', { office: officeId, code, day }) !== undefined;
  }

  bookingByKioskCode(officeId: string, code: string, day: string): Booking | null {
    const r = this.get<BookingRow>('byKioskCode', { office: officeId, code, day });
    return r === undefined ? null : bookingFromRow(r);
  }

  bookingByTicket(ticketId: string): Booking | null {
    return this.bookingBy('byTicket', ticketId);
  }

  bookingsToLapse(officeId: string, startedBefore: number, limit: number): Booking[] {
    return (this.s['toLapse']!.all(officeId, startedBefore, limit) as BookingRow[]).map(bookingFromRow);
  }

  confirmedBookingsBetween(officeId: string, from: number, to: number): Booking[] {
    return (this.s['confirmedBetween']!.all(officeId, from, to) as BookingRow[]).map(bookingFromRow);
  }

  recordNoShow(r: NoShowRecord): void {
    this.s['recordNoShow']!.run(r);
  }

  excuseNoShow(bookingId: string, at: number): void {
    this.s['excuseNoShow']!.run(at, bookingId);
  }

  noShowsToNotice(limit: number): NoShowRecord[] {
    return (this.s['noShowsToNotice']!.all(limit) as NoShowRow[]).map(noShowFromRow);
  }

  markNoShowNoticed(bookingId: string, at: number): void {
    this.s['markNoShowNoticed']!.run(at, bookingId);
  }

  noShows(officeId: string): (NoShowRecord & { excusedAt: number | null })[] {
    return (this.s['noShows']!.all(officeId) as NoShowRow[]).map(noShowFromRow);
  }

  activeBookingsByIdentity(serviceId: string, identity: readonly KeyedHash[], now: number): Booking[] {
    if (identity.length === 0) return [];
    return (this.s['activeByIdentity']!.all({ ids: identityIds(identity), service: serviceId, now }) as BookingRow[]).map(bookingFromRow);
  }

  cancellableBookingsOf(officeId: string, person: PersonHashes, now: number): Booking[] {
    return (this.s['cancellableOf']!.all({ office: officeId, ...personParams(person), now }) as BookingRow[]).map(bookingFromRow);
  }

  noShowsOf(officeId: string, person: PersonHashes, since: number): NoShowRecord[] {
    return (this.s['noShowsOf']!.all({ office: officeId, ...personParams(person), since }) as NoShowRow[]).map(noShowFromRow);
  }

  noShowsSince(officeId: string, since: number): NoShowRecord[] {
    return (this.s['noShowsSince']!.all(officeId, since) as NoShowRow[]).map(noShowFromRow);
  }

  insertBan(ban: Ban): void {
    this.s['insertBan']!.run(ban);
  }

  bansOf(officeId: string, person: PersonHashes, now: number): Ban[] {
    return (this.s['bansOf']!.all({ office: officeId, ...personParams(person), now }) as BanRow[]).map(banFromRow);
  }

  bansInForce(officeId: string, now: number): Ban[] {
    return (this.s['bansInForce']!.all(officeId, now, now) as BanRow[]).map(banFromRow);
  }

  liftBan(id: string, at: number, by: string, reason: string): Ban | null {
    const r = this.get<BanRow>('liftBan', at, by, reason, id);
    return r === undefined ? null : banFromRow(r);
  }

  recordDecision(d: RuleDecision): void {
    this.s['recordDecision']!.run(d);
  }

  decisionsAbout(ref: { bookingId?: string; attemptId?: string }): RuleDecision[] {
    return (this.s['decisionsAbout']!.all({ booking: ref.bookingId ?? null, attempt: ref.attemptId ?? null }) as DecisionRow[]).map(decisionFromRow);
  }

  codeEntryLockedUntil(deviceId: string, now: number): number | null {
    return (this.s['lockedUntil']!.get(deviceId, now) as number | undefined) ?? null;
  }

  recordCodeFailure(deviceId: string, at: number, windowMs: number): number {
    this.s['pruneFailures']!.run(deviceId, at - windowMs);
    this.s['addFailure']!.run(deviceId, at);
    return this.s['countFailures']!.get(deviceId, at - windowMs) as number;
  }

  lockCodeEntry(deviceId: string, until: number): void {
    this.s['lock']!.run(deviceId, until);
    this.s['pruneFailures']!.run(deviceId, until);
  }

  insertToken(hash: string, bookingId: string, purpose: TokenPurpose, expiresAt: number): void {
    this.s['insertToken']!.run(hash, bookingId, purpose, expiresAt);
  }

  peekToken(hash: string, purpose: TokenPurpose, now: number): TokenLookup {
    const r = this.get<{ booking_id: string; expires_at: number; used_at: number | null }>('token', hash, purpose);
    if (r === undefined) return { kind: 'unknown' };
    if (r.used_at !== null) return { kind: 'used', bookingId: r.booking_id };
    if (r.expires_at <= now) return { kind: 'expired' };
    return { kind: 'valid', bookingId: r.booking_id };
  }

  consumeToken(hash: string, purpose: TokenPurpose, now: number): TokenLookup {
    const seen = this.peekToken(hash, purpose, now);
    if (seen.kind !== 'valid') return seen;
    return this.s['useToken']!.run(now, hash, now).changes === 1 ? seen : { kind: 'used', bookingId: seen.bookingId };
  }

  smsCode(bookingId: string): SmsCode | null {
    const r = this.get<{ booking_id: string; code_hash: string; expires_at: number; tries_left: number; sends: number; resend_after: number }>(
      'smsCode',
      bookingId,
    );
    return r === undefined
      ? null
      : { bookingId: r.booking_id, codeHash: r.code_hash, expiresAt: r.expires_at, triesLeft: r.tries_left, sends: r.sends, resendAfter: r.resend_after };
  }

  putSmsCode(c: SmsCode): void {
    this.s['putSmsCode']!.run(c.bookingId, c.codeHash, c.expiresAt, c.triesLeft, c.sends, c.resendAfter);
  }

  spendTry(bookingId: string): number {
    return this.get<{ tries_left: number }>('spendTry', bookingId)?.tries_left ?? 0;
  }

  deleteSmsCode(bookingId: string): void {
    this.s['deleteSmsCode']!.run(bookingId);
  }

  enqueue(m: OutgoingMessage, id: string, now: number): void {
    const sealed = this.keyed.seal(JSON.stringify({ to: m.to, language: m.language, params: m.params }));
    const at = Math.max(now, m.notBefore);
    this.s['enqueue']!.run(id, m.bookingId, m.officeId, m.channel, m.kind, MESSAGE_PRIORITY[m.kind], sealed, m.notBefore, at, now);
  }

  draw(serviceId: string, day: string): DrawRecord | null {
    const r = this.get<DrawRow>('draw', serviceId, day);
    return r === undefined ? null : drawFromRow(r);
  }

  putDraw(d: DrawRecord): void {
    this.s['putDraw']!.run({
      service_id: d.serviceId,
      day: d.day,
      office_id: d.officeId,
      opens_at: d.opensAt,
      closes_at: d.closesAt,
      commitment: d.commitment,
      seed_sealed: d.seedSealed,
      seed: d.seed,
      state: d.state,
      ran_at: d.ranAt,
    });
  }

  insertApplication(a: Application): boolean {
    return (
      this.s['insertApplication']!.run({
        id: a.id,
        office_id: a.officeId,
        service_id: a.serviceId,
        day: a.day,
        state: a.state,
        applied_at: a.appliedAt,
        rank_key: a.rankKey,
        language: a.language,
        channel: a.channel,
        name_sealed: a.nameSealed,
        email_sealed: a.emailSealed,
        phone_sealed: a.phoneSealed,
        email_hash: a.emailHash,
        phone_hash: a.phoneHash,
        identity_key_id: a.identityKeyId,
        identity_hash: a.identityHash,
        contact_key: a.contactKey,
        hold_key_hash: a.holdKeyHash,
        booking_id: a.bookingId,
      }).changes === 1
    );
  }

  applications(serviceId: string, day: string): Application[] {
    return (this.s['applications']!.all(serviceId, day) as ApplicationRow[]).map(applicationFromRow);
  }

  setApplicationResult(id: string, state: Application['state'], bookingId: string | null): void {
    this.s['setApplication']!.run(state, bookingId, id);
  }

  drawsDue(now: number): DrawRecord[] {
    return (this.s['drawsDue']!.all(now) as DrawRow[]).map(drawFromRow);
  }
}

/** Configuration writes (demo seed, fixtures, back office later): one policy per service. */
export function saveBookingPolicy(db: Database, policy: BookingPolicy): void {
  db.prepare(`INSERT INTO booking_policies (service_id, policy) VALUES (?, ?)
    ON CONFLICT (service_id) DO UPDATE SET policy = excluded.policy`).run(policy.serviceId, JSON.stringify(policy));
}

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

/** Saves an office's booking switches; check-in settings and rules not given fall back to the defaults. */
export function saveBookingOffice(db: Database, s: OfficeSwitches): void {
  db.prepare(PUT_OFFICE).run(officeRow(s));
}
