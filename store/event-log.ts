import type { Database, Statement } from 'better-sqlite3';
import type { DomainEvent, LoggedEvent } from '../core/events.ts';
import type { EventLog } from '../core/ports.ts';

interface EventRow {
  id: number;
  office_id: string;
  type: DomainEvent['type'];
  payload: string;
  at: number;
}

const fromRow = (r: EventRow): LoggedEvent =>
  ({ id: r.id, officeId: r.office_id, type: r.type, payload: JSON.parse(r.payload) as unknown, at: r.at }) as LoggedEvent;

/** Reads the event log: what a reconnecting client missed, in order. */
export class SqliteEventLog implements EventLog {
  private readonly after: Statement;
  private readonly last: Statement;

  constructor(db: Database) {
    this.after = db.prepare('SELECT * FROM events WHERE office_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.last = db.prepare('SELECT max(id) AS id FROM events WHERE office_id = ?');
  }

  eventsAfter(officeId: string, afterId: number, limit: number): LoggedEvent[] {
    return (this.after.all(officeId, afterId, limit) as EventRow[]).map(fromRow);
  }

  lastEventId(officeId: string): number {
    return (this.last.get(officeId) as { id: number | null }).id ?? 0;
  }
}
