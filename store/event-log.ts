import type { Database, Statement } from 'better-sqlite3';
import type { DomainEventType, LoggedEvent } from '../core/shared/events.ts';
import type { EventLog } from '../core/queue/ports.ts';
import { fromRow, type EventRow } from './event-log.rows.ts';

/** Reads the event log: what a reconnecting client missed, in order. */
export class SqliteEventLog implements EventLog {
  private readonly after: Statement;
  private readonly last: Statement;
  /** Types read by type have a partial index each; the literal type in the SQL lets it answer. */
  private readonly byType: Partial<Record<DomainEventType, Statement>>;

  constructor(db: Database) {
    this.after = db.prepare('SELECT * FROM events WHERE office_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.last = db.prepare('SELECT max(id) AS id FROM events WHERE office_id = ?');
    this.byType = {
      'booking:settings-changed': db.prepare(`SELECT * FROM events WHERE office_id = ? AND type = 'booking:settings-changed' ORDER BY id DESC LIMIT ?`),
      'alerts:changed': db.prepare(`SELECT * FROM events WHERE office_id = ? AND type = 'alerts:changed' ORDER BY id DESC LIMIT ?`),
      'ticket:called-out-of-order': db.prepare(`SELECT * FROM events WHERE office_id = ? AND type = 'ticket:called-out-of-order' ORDER BY id DESC LIMIT ?`),
      'printer:changed': db.prepare(`SELECT * FROM events WHERE office_id = ? AND type = 'printer:changed' ORDER BY id DESC LIMIT ?`),
    };
  }

  async eventsAfter(officeId: string, afterId: number, limit: number): Promise<LoggedEvent[]> {
    return (this.after.all(officeId, afterId, limit) as EventRow[]).map(fromRow);
  }

  async lastEventId(officeId: string): Promise<number> {
    return (this.last.get(officeId) as { id: number | null }).id ?? 0;
  }

  async latestOfType<T extends DomainEventType>(officeId: string, type: T, limit: number): Promise<Extract<LoggedEvent, { type: T }>[]> {
    // Only the types read this way have an index of their own; others would scan the office's log.
    const statement = this.byType[type];
    if (statement === undefined) throw new Error(`no index to read ${type} events by type`);
    return (statement.all(officeId, limit) as EventRow[]).map(fromRow) as Extract<LoggedEvent, { type: T }>[];
  }
}
