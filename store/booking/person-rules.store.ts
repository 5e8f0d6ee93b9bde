import type { Database } from 'better-sqlite3';
import type { PersonRuleStore } from '../../core/booking/ports.ts';
import type { Ban, NoShowRecord, PersonHashes, RuleDecision } from '../../core/booking/model.ts';
import { MATCHES_PERSON, personParams } from './rows.ts';

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

type ByPerson<K extends string> = [{ office: string; contacts: string; ids: string } & Record<K, number>];

const statements = (db: Database) => ({
  recordNoShow: db.prepare<[NoShowRecord]>(`INSERT INTO no_shows (booking_id, office_id, service_id, email_hash, phone_hash, identity_key_id, identity_hash, reason, at)
    VALUES (@bookingId, @officeId, @serviceId, @emailHash, @phoneHash, @identityKeyId, @identityHash, @reason, @at) ON CONFLICT (booking_id) DO NOTHING`),
  excuseNoShow: db.prepare<[number, string]>('UPDATE no_shows SET excused_at = ? WHERE booking_id = ? AND excused_at IS NULL'),
  noShows: db.prepare<[string], NoShowRow>('SELECT * FROM no_shows WHERE office_id = ? ORDER BY at, booking_id'),
  noShowsToNotice: db.prepare<[number], NoShowRow>('SELECT * FROM no_shows WHERE noticed_at IS NULL ORDER BY at, booking_id LIMIT ?'),
  markNoShowNoticed: db.prepare<[number, string]>('UPDATE no_shows SET noticed_at = ? WHERE booking_id = ? AND noticed_at IS NULL'),
  noShowsOf: db.prepare<ByPerson<'since'>, NoShowRow>(
    `SELECT * FROM no_shows WHERE office_id = @office AND ${MATCHES_PERSON} AND at > @since AND excused_at IS NULL ORDER BY at DESC`,
  ),
  noShowsSince: db.prepare<[string, number], NoShowRow>('SELECT * FROM no_shows WHERE office_id = ? AND at > ? AND excused_at IS NULL ORDER BY at DESC'),
  insertBan: db.prepare<[Ban]>(`INSERT INTO bans (id, office_id, kind, email_hash, phone_hash, identity_key_id, identity_hash, reason, starts_at, ends_at, created_by)
    VALUES (@id, @officeId, @kind, @emailHash, @phoneHash, @identityKeyId, @identityHash, @reason, @startsAt, @endsAt, @createdBy)`),
  bansOf: db.prepare<ByPerson<'now'>, BanRow>(
    `SELECT * FROM bans WHERE office_id = @office AND ${MATCHES_PERSON} AND lifted_at IS NULL AND starts_at <= @now AND ends_at > @now`,
  ),
  bansInForce: db.prepare<[string, number, number], BanRow>(
    'SELECT * FROM bans WHERE office_id = ? AND lifted_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY ends_at DESC',
  ),
  liftBan: db.prepare<[number, string, string, string], BanRow>(
    'UPDATE bans SET lifted_at = ?, lifted_by = ?, lift_reason = ? WHERE id = ? AND lifted_at IS NULL RETURNING *',
  ),
  recordDecision: db.prepare<[RuleDecision]>(`INSERT INTO rule_decisions (id, office_id, service_id, rule, outcome, booking_id, application_id, email_hash,
      phone_hash, identity_hash, detail, at)
    VALUES (@id, @officeId, @serviceId, @rule, @outcome, @bookingId, @applicationId, @emailHash, @phoneHash, @identityHash, @detail, @at)
    ON CONFLICT (id) DO NOTHING`),
  decisionsAbout: db.prepare<[{ booking: string | null; attempt: string | null }], DecisionRow>(
    'SELECT * FROM rule_decisions WHERE booking_id = @booking OR id = @attempt OR application_id = @attempt ORDER BY at, rowid',
  ),
});

/** The SQLite adapter of the rules about people: no-shows, staff bans, decisions. */
export class SqlitePersonRuleStore implements PersonRuleStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(db: Database) {
    this.s = statements(db);
  }

  async recordNoShow(r: NoShowRecord): Promise<void> {
    this.s.recordNoShow.run(r);
  }

  async excuseNoShow(bookingId: string, at: number): Promise<void> {
    this.s.excuseNoShow.run(at, bookingId);
  }

  async noShows(officeId: string): Promise<(NoShowRecord & { excusedAt: number | null })[]> {
    return this.s.noShows.all(officeId).map(noShowFromRow);
  }

  async noShowsToNotice(limit: number): Promise<NoShowRecord[]> {
    return this.s.noShowsToNotice.all(limit).map(noShowFromRow);
  }

  async markNoShowNoticed(bookingId: string, at: number): Promise<void> {
    this.s.markNoShowNoticed.run(at, bookingId);
  }

  async noShowsOf(officeId: string, person: PersonHashes, since: number): Promise<NoShowRecord[]> {
    return this.s.noShowsOf.all({ office: officeId, ...personParams(person), since }).map(noShowFromRow);
  }

  async noShowsSince(officeId: string, since: number): Promise<NoShowRecord[]> {
    return this.s.noShowsSince.all(officeId, since).map(noShowFromRow);
  }

  async insertBan(ban: Ban): Promise<void> {
    this.s.insertBan.run(ban);
  }

  async bansOf(officeId: string, person: PersonHashes, now: number): Promise<Ban[]> {
    return this.s.bansOf.all({ office: officeId, ...personParams(person), now }).map(banFromRow);
  }

  async bansInForce(officeId: string, now: number): Promise<Ban[]> {
    return this.s.bansInForce.all(officeId, now, now).map(banFromRow);
  }

  async liftBan(id: string, at: number, by: string, reason: string): Promise<Ban | null> {
    const r = this.s.liftBan.get(at, by, reason, id);
    return r === undefined ? null : banFromRow(r);
  }

  async recordDecision(d: RuleDecision): Promise<void> {
    this.s.recordDecision.run(d);
  }

  async decisionsAbout(ref: { bookingId?: string; attemptId?: string }): Promise<RuleDecision[]> {
    return this.s.decisionsAbout.all({ booking: ref.bookingId ?? null, attempt: ref.attemptId ?? null }).map(decisionFromRow);
  }
}
