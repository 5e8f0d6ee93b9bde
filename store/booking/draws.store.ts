import type { Database } from 'better-sqlite3';
import type { DrawStore, Keyed, OutboxWriter } from '../../core/booking/ports.ts';
import type { Application, DrawRecord, OutgoingMessage } from '../../core/booking/model.ts';
import { MESSAGE_PRIORITY } from '../../core/booking/model.ts';

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

const statements = (db: Database) => ({
  draw: db.prepare<[string, string], DrawRow>('SELECT * FROM draws WHERE service_id = ? AND day = ?'),
  putDraw: db.prepare<[DrawRow]>(`INSERT INTO draws (service_id, day, office_id, opens_at, closes_at, commitment, seed_sealed, seed, state, ran_at)
    VALUES (@service_id, @day, @office_id, @opens_at, @closes_at, @commitment, @seed_sealed, @seed, @state, @ran_at)
    ON CONFLICT (service_id, day) DO UPDATE SET seed = excluded.seed, state = excluded.state, ran_at = excluded.ran_at`),
  insertApplication: db.prepare<[ApplicationRow]>(`INSERT INTO applications (id, office_id, service_id, day, state, applied_at, rank_key, language, channel,
      name_sealed, email_sealed, phone_sealed, email_hash, phone_hash, identity_key_id, identity_hash, contact_key, hold_key_hash, booking_id)
    VALUES (@id, @office_id, @service_id, @day, @state, @applied_at, @rank_key, @language, @channel, @name_sealed,
      @email_sealed, @phone_sealed, @email_hash, @phone_hash, @identity_key_id, @identity_hash, @contact_key, @hold_key_hash, @booking_id)
    ON CONFLICT (service_id, day, contact_key) DO NOTHING`),
  applications: db.prepare<[string, string], ApplicationRow>('SELECT * FROM applications WHERE service_id = ? AND day = ? ORDER BY id'),
  setApplication: db.prepare<[Application['state'], string | null, string]>('UPDATE applications SET state = ?, booking_id = ? WHERE id = ?'),
  drawsDue: db.prepare<[number], DrawRow>(`SELECT * FROM draws WHERE state = 'open' AND closes_at <= ? ORDER BY closes_at`),
});

/** The SQLite adapter of draw days and their applications. */
export class SqliteDrawStore implements DrawStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(db: Database) {
    this.s = statements(db);
  }

  async draw(serviceId: string, day: string): Promise<DrawRecord | null> {
    const r = this.s.draw.get(serviceId, day);
    return r === undefined ? null : drawFromRow(r);
  }

  async putDraw(d: DrawRecord): Promise<void> {
    this.s.putDraw.run({
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

  async insertApplication(a: Application): Promise<boolean> {
    const row: ApplicationRow = {
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
    };
    return this.s.insertApplication.run(row).changes === 1;
  }

  async applications(serviceId: string, day: string): Promise<Application[]> {
    return this.s.applications.all(serviceId, day).map(applicationFromRow);
  }

  async setApplicationResult(id: string, state: Application['state'], bookingId: string | null): Promise<void> {
    this.s.setApplication.run(state, bookingId, id);
  }

  async drawsDue(now: number): Promise<DrawRecord[]> {
    return this.s.drawsDue.all(now).map(drawFromRow);
  }
}

const outboxStatements = (db: Database) => ({
  enqueue: db.prepare<[string, string | null, string, OutgoingMessage['channel'], OutgoingMessage['kind'], number, string, number, number, number]>(
    `INSERT INTO outbox (id, booking_id, office_id, channel, kind, priority, state, sealed, not_before, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
  ),
});

/** The writing side of the outbox: messages sealed at rest (they carry contacts, codes and link tokens). */
export class SqliteOutboxWriter implements OutboxWriter {
  private readonly s: ReturnType<typeof outboxStatements>;

  constructor(
    db: Database,
    private readonly keyed: Pick<Keyed, 'seal'>,
  ) {
    this.s = outboxStatements(db);
  }

  async enqueue(m: OutgoingMessage, id: string, now: number): Promise<void> {
    const sealed = this.keyed.seal(JSON.stringify({ to: m.to, language: m.language, params: m.params }));
    const at = Math.max(now, m.notBefore);
    this.s.enqueue.run(id, m.bookingId, m.officeId, m.channel, m.kind, MESSAGE_PRIORITY[m.kind], sealed, m.notBefore, at, now);
  }
}
