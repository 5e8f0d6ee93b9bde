import type { PersonRuleStore } from '../../../core/booking/ports.ts';
import type { Ban, NoShowRecord, PersonHashes, RuleDecision } from '../../../core/booking/model.ts';
import { columnsOf, fieldsOf, personArrays, personMatch, placeholders, row, rows, type Async, type Sql } from './sql.ts';

const NO_SHOW_FIELDS = ['bookingId', 'officeId', 'serviceId', 'emailHash', 'phoneHash', 'identityKeyId', 'identityHash', 'reason', 'at'] as const satisfies readonly (keyof NoShowRecord)[];
const BAN_FIELDS = [
  'id', 'officeId', 'kind', 'emailHash', 'phoneHash', 'identityKeyId', 'identityHash', 'reason', 'startsAt', 'endsAt', 'createdBy',
] as const satisfies readonly (keyof Ban)[];
const DECISION_FIELDS = [
  'id', 'officeId', 'serviceId', 'rule', 'outcome', 'bookingId', 'applicationId', 'emailHash', 'phoneHash', 'identityHash', 'detail', 'at',
] as const satisfies readonly (keyof RuleDecision)[];
const NO_SHOW = fieldsOf(NO_SHOW_FIELDS);
const BAN = fieldsOf([...BAN_FIELDS, 'liftedAt', 'liftedBy', 'liftReason']);
const DECISION = fieldsOf(DECISION_FIELDS);
type Excusable = NoShowRecord & { excusedAt: number | null };

/** The PostgreSQL adapter of the rules about people: no-shows, staff bans, decisions. */
export class PgPersonRuleStore implements Async<PersonRuleStore> {
  constructor(private readonly sql: Sql) {}

  async recordNoShow(r: NoShowRecord): Promise<void> {
    await this.sql.query(
      `INSERT INTO no_shows (${columnsOf(NO_SHOW_FIELDS)}) VALUES (${placeholders(NO_SHOW_FIELDS.length)}) ON CONFLICT (booking_id) DO NOTHING`,
      NO_SHOW_FIELDS.map((f) => r[f]),
    );
  }

  async excuseNoShow(bookingId: string, at: number): Promise<void> {
    await this.sql.query('UPDATE no_shows SET excused_at = $1 WHERE booking_id = $2 AND excused_at IS NULL', [at, bookingId]);
  }

  noShows(officeId: string): Promise<Excusable[]> {
    return rows<Excusable>(this.sql, `SELECT ${NO_SHOW}, excused_at AS "excusedAt" FROM no_shows WHERE office_id = $1 ORDER BY at, booking_id COLLATE "C"`, [officeId]);
  }

  noShowsToNotice(limit: number): Promise<NoShowRecord[]> {
    return rows<NoShowRecord>(this.sql, `SELECT ${NO_SHOW} FROM no_shows WHERE noticed_at IS NULL ORDER BY at, booking_id COLLATE "C" LIMIT $1`, [limit]);
  }

  async markNoShowNoticed(bookingId: string, at: number): Promise<void> {
    await this.sql.query('UPDATE no_shows SET noticed_at = $1 WHERE booking_id = $2 AND noticed_at IS NULL', [at, bookingId]);
  }

  noShowsOf(officeId: string, person: PersonHashes, since: number): Promise<NoShowRecord[]> {
    return rows<NoShowRecord>(
      this.sql,
      `SELECT ${NO_SHOW} FROM no_shows WHERE office_id = $1 AND ${personMatch(2)} AND at > $4 AND excused_at IS NULL ORDER BY at DESC`,
      [officeId, ...personArrays(person), since],
    );
  }

  noShowsSince(officeId: string, since: number): Promise<NoShowRecord[]> {
    return rows<NoShowRecord>(this.sql, `SELECT ${NO_SHOW} FROM no_shows WHERE office_id = $1 AND at > $2 AND excused_at IS NULL ORDER BY at DESC`, [
      officeId,
      since,
    ]);
  }

  async insertBan(ban: Ban): Promise<void> {
    await this.sql.query(`INSERT INTO bans (${columnsOf(BAN_FIELDS)}) VALUES (${placeholders(BAN_FIELDS.length)})`, BAN_FIELDS.map((f) => ban[f]));
  }

  bansOf(officeId: string, person: PersonHashes, now: number): Promise<Ban[]> {
    return rows<Ban>(
      this.sql,
      `SELECT ${BAN} FROM bans WHERE office_id = $1 AND ${personMatch(2)} AND lifted_at IS NULL AND starts_at <= $4 AND ends_at > $4`,
      [officeId, ...personArrays(person), now],
    );
  }

  bansInForce(officeId: string, now: number): Promise<Ban[]> {
    return rows<Ban>(this.sql, `SELECT ${BAN} FROM bans WHERE office_id = $1 AND lifted_at IS NULL AND starts_at <= $2 AND ends_at > $2 ORDER BY ends_at DESC`, [
      officeId,
      now,
    ]);
  }

  liftBan(id: string, at: number, by: string, reason: string): Promise<Ban | null> {
    return row<Ban>(this.sql, `UPDATE bans SET lifted_at = $1, lifted_by = $2, lift_reason = $3 WHERE id = $4 AND lifted_at IS NULL RETURNING ${BAN}`, [
      at,
      by,
      reason,
      id,
    ]);
  }

  async recordDecision(d: RuleDecision): Promise<void> {
    await this.sql.query(
      `INSERT INTO rule_decisions (${columnsOf(DECISION_FIELDS)}) VALUES (${placeholders(DECISION_FIELDS.length)}) ON CONFLICT (id) DO NOTHING`,
      DECISION_FIELDS.map((f) => d[f]),
    );
  }

  /**
   * Oldest first; decisions of the same instant in the order they were written. SQLite orders
   * those by rowid; PostgreSQL has none, and the physical position (ctid) is the order of writing
   * while rows are only appended. Retention's anonymising UPDATE moves old rows, so ties of the same
   * millisecond among decisions older than the retention period may come back in another order.
   */
  decisionsAbout(ref: { bookingId?: string; attemptId?: string }): Promise<RuleDecision[]> {
    return rows<RuleDecision>(
      this.sql,
      `SELECT ${DECISION} FROM rule_decisions WHERE booking_id = $1 OR id = $2 OR application_id = $2 ORDER BY at, ctid`,
      [ref.bookingId ?? null, ref.attemptId ?? null],
    );
  }
}
