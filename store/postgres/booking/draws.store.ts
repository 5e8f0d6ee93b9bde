import type { DrawStore, Keyed, OutboxWriter } from '../../../core/booking/ports.ts';
import type { Application, DrawRecord, OutgoingMessage } from '../../../core/booking/model.ts';
import { MESSAGE_PRIORITY } from '../../../core/booking/model.ts';
import { changes, columnsOf, fieldsOf, placeholders, row, rows, type Async, type Sql } from './sql.ts';

const DRAW_FIELDS = ['serviceId', 'day', 'officeId', 'opensAt', 'closesAt', 'commitment', 'seedSealed', 'seed', 'state', 'ranAt'] as const satisfies readonly (keyof DrawRecord)[];
const APPLICATION_FIELDS = [
  'id', 'officeId', 'serviceId', 'day', 'state', 'appliedAt', 'rankKey', 'language', 'channel', 'nameSealed', 'emailSealed', 'phoneSealed',
  'emailHash', 'phoneHash', 'identityKeyId', 'identityHash', 'contactKey', 'holdKeyHash', 'bookingId',
] as const satisfies readonly (keyof Application)[];
const DRAW = fieldsOf(DRAW_FIELDS);
const APPLICATION = fieldsOf(APPLICATION_FIELDS);

/** The PostgreSQL adapter of draw days and their applications. */
export class PgDrawStore implements Async<DrawStore> {
  constructor(private readonly sql: Sql) {}

  draw(serviceId: string, day: string): Promise<DrawRecord | null> {
    return row<DrawRecord>(this.sql, `SELECT ${DRAW} FROM draws WHERE service_id = $1 AND day = $2`, [serviceId, day]);
  }

  async putDraw(d: DrawRecord): Promise<void> {
    await this.sql.query(
      `INSERT INTO draws (${columnsOf(DRAW_FIELDS)}) VALUES (${placeholders(DRAW_FIELDS.length)})
      ON CONFLICT (service_id, day) DO UPDATE SET seed = excluded.seed, state = excluded.state, ran_at = excluded.ran_at`,
      DRAW_FIELDS.map((f) => d[f]),
    );
  }

  async insertApplication(a: Application): Promise<boolean> {
    const text = `INSERT INTO applications (${columnsOf(APPLICATION_FIELDS)}) VALUES (${placeholders(APPLICATION_FIELDS.length)})
      ON CONFLICT (service_id, day, contact_key) DO NOTHING`;
    return (await changes(this.sql, text, APPLICATION_FIELDS.map((f) => a[f]))) === 1;
  }

  applications(serviceId: string, day: string): Promise<Application[]> {
    return rows<Application>(this.sql, `SELECT ${APPLICATION} FROM applications WHERE service_id = $1 AND day = $2 ORDER BY id COLLATE "C"`, [serviceId, day]);
  }

  async setApplicationResult(id: string, state: Application['state'], bookingId: string | null): Promise<void> {
    await this.sql.query('UPDATE applications SET state = $1, booking_id = $2 WHERE id = $3', [state, bookingId, id]);
  }

  drawsDue(now: number): Promise<DrawRecord[]> {
    return rows<DrawRecord>(this.sql, `SELECT ${DRAW} FROM draws WHERE state = 'open' AND closes_at <= $1 ORDER BY closes_at`, [now]);
  }
}

/** The writing side of the outbox: messages sealed at rest (they carry contacts, codes and link tokens). */
export class PgOutboxWriter implements Async<OutboxWriter> {
  constructor(
    private readonly sql: Sql,
    private readonly keyed: Pick<Keyed, 'seal'>,
  ) {}

  async enqueue(m: OutgoingMessage, id: string, now: number): Promise<void> {
    const sealed = this.keyed.seal(JSON.stringify({ to: m.to, language: m.language, params: m.params }));
    await this.sql.query(
      `INSERT INTO outbox (id, booking_id, office_id, channel, kind, priority, state, sealed, not_before, next_attempt_at, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10)`,
      [id, m.bookingId, m.officeId, m.channel, m.kind, MESSAGE_PRIORITY[m.kind], sealed, m.notBefore, Math.max(now, m.notBefore), now],
    );
  }
}
