import type { Database, Statement } from 'better-sqlite3';
import type { CallCandidate } from '../core/queue/call-policy.ts';
import type { DomainEvent } from '../core/shared/events.ts';
import type { Counter, Localized, OfficeSettings, Ticket, TicketState } from '../core/shared/model.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import { SqliteQueueReads } from './queue-reads.store.ts';
import { counterFromRow, TICKET_COLUMNS, TICKET_FIELDS, ticketFromRow, ticketFromValues, type CounterRow, type TicketRow } from './rows.ts';

/**
 * The SQLite adapter of the queue store. Must be used inside a transaction opened by the unit
 * of work; every statement is prepared once. `onEvent` receives each appended event so the
 * unit of work can publish it after commit. Its reads and caches are SqliteQueueReads'
 * (queue-reads.store.ts); here, the writes and the atomic operations.
 */
export class SqliteQueueStore extends SqliteQueueReads implements QueueStore {
  private readonly transitionStatements = new Map<string, Statement>();

  constructor(
    db: Database,
    private readonly onEvent: (event: DomainEvent & { id: number; at: number }) => void,
    private readonly onQueueChanged: (officeId: string, at: number) => void,
  ) {
    super(db);
  }

  /** One writer runs every unit in turn: a counter is never acted on by two at once. */
  async lockCounter(): Promise<void> {}

  /**
   * Counted in the live image (rolled back with its unit): an upsert per ticket was one more
   * write and page per commit. The UNIQUE (office, prefix, day, seq) index still refuses a
   * number twice, whatever happens here.
   */
  async nextNumber(officeId: string, prefix: string, day: string): Promise<number> {
    return this.image().nextNumber(`${officeId} ${prefix} ${day}`, () => this.s['lastNumber']!.get({ o: officeId, p: prefix, d: day }) as number);
  }

  async insertTicket(ticket: Ticket): Promise<void> {
    // The image first: built after the INSERT it would already hold the new row.
    const live = this.image();
    const values = TICKET_FIELDS.map((f) => ticket[f] ?? null);
    this.s['insertTicket']!.run(values);
    live.replace(null, ticketFromValues(values));
  }

  /**
   * A live ticket (the usual case) moves with a plain UPDATE and its new value is computed here;
   * one that left the office (a no-show put back, say) is read back with RETURNING.
   */
  async transition(id: string, from: TicketState, to: TicketState, patch: Partial<Ticket>): Promise<Ticket | null> {
    const live = this.image();
    const before = live.get(id);
    if (before !== undefined && before.state !== from) return null;
    const fields = (Object.keys(patch) as (keyof Ticket)[]).filter((f) => f !== 'state' && f !== 'id');
    const params: Record<string, unknown> = { __id: id, __from: from, __to: to };
    for (const f of fields) params[TICKET_COLUMNS[f]] = patch[f] ?? null;
    if (before === undefined) {
      const row = this.transitionStatement(fields, true).get(params) as TicketRow | undefined;
      if (row === undefined) return null;
      const after = ticketFromRow(row);
      live.replace(null, after);
      return after;
    }
    this.changedOne(this.transitionStatement(fields, false).run(params).changes, id);
    const after = { ...before, state: to } as Record<keyof Ticket, unknown>;
    for (const f of fields) after[f] = patch[f] ?? null;
    live.replace(before, after as unknown as Ticket);
    return after as unknown as Ticket;
  }

  private transitionStatement(fields: readonly (keyof Ticket)[], returning: boolean): Statement {
    const key = `${fields.join(',')}${returning ? ' returning' : ''}`;
    let stmt = this.transitionStatements.get(key);
    if (stmt === undefined) {
      const sets = ['state = @__to', ...fields.map((f) => `${TICKET_COLUMNS[f]} = @${TICKET_COLUMNS[f]}`)];
      stmt = this.db.prepare(`UPDATE tickets SET ${sets.join(', ')} WHERE id = @__id AND state = @__from${returning ? ' RETURNING *' : ''}`);
      this.transitionStatements.set(key, stmt);
    }
    return stmt;
  }

  /** The image said the row was there in that state; anything else means the image is wrong. */
  private changedOne(changes: number, id: string): void {
    if (changes !== 1) {
      this.live = null;
      throw new Error(`ticket ${id}: the live image was out of step with the tickets table`);
    }
  }

  /**
   * The heads of the lines a counter can be handed — per service the oldest walk-in, the
   * highest-priority walk-in and the earliest booked arrival — come from the live image; the
   * choice moves to `called` with one UPDATE.
   */
  async claimNext(counter: Counter, pick: (candidates: readonly CallCandidate[]) => CallCandidate | null, now: number): Promise<Ticket | null> {
    if (counter.serviceIds.length === 0) return null;
    const live = this.image();
    const chosen = pick(live.heads(counter.serviceIds));
    if (chosen === null) return null;
    const before = live.get(chosen.id)!;
    this.changedOne(this.s['claim']!.run(counter.id, now, chosen.id).changes, chosen.id);
    const after: Ticket = { ...before, state: 'called', counterId: counter.id, calledAt: now, recallCount: 0 };
    live.replace(before, after);
    return after;
  }

  async withdrawPrinting(id: string): Promise<Ticket | null> {
    const live = this.image();
    const ticket = live.get(id);
    if (ticket === undefined || ticket.state !== 'printing') return null;
    const { officeId: o, prefix: p, day: d } = ticket;
    if (!live.giveNumberBack(`${o} ${p} ${d}`, ticket.seq, () => this.s['lastNumber']!.get({ o, p, d }) as number)) return null;
    this.changedOne(this.s['deletePrinting']!.run(id).changes, id);
    // What the void trigger does for a void ticket: a walk-in withdrawn counts against no capacity.
    if (ticket.bookedAt === null) this.s['uncountIssued']!.run(ticket.serviceId, d);
    live.remove(ticket);
    return ticket;
  }

  async updateCounter(id: string, patch: { status?: Counter['status']; userId?: string | null; sessionServiceIds?: readonly string[] | null }): Promise<Counter> {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id };
    if (patch.status !== undefined) {
      sets.push('status = @status');
      params['status'] = patch.status;
    }
    if (patch.userId !== undefined) {
      sets.push('user_id = @user_id');
      params['user_id'] = patch.userId;
    }
    if (patch.sessionServiceIds !== undefined) {
      sets.push('session_service_ids = @session_service_ids');
      params['session_service_ids'] = patch.sessionServiceIds === null ? null : JSON.stringify(patch.sessionServiceIds);
    }
    const row = (
      sets.length === 0
        ? this.s['counter']!.get(id)
        : this.db.prepare(`UPDATE counters SET ${sets.join(', ')} WHERE id = @id RETURNING *`).get(params)
    ) as CounterRow | undefined;
    if (row === undefined) throw new Error(`counter ${id} vanished inside a transaction`);
    if (sets.length > 0) this.configChanged();
    return counterFromRow(row);
  }

  async setAverageServiceMs(serviceId: string, averageMs: number): Promise<void> {
    this.s['setAvg']!.run(serviceId, averageMs);
    this.averages.set(serviceId, averageMs);
  }

  async setServiceNames(serviceId: string, names: Localized): Promise<boolean> {
    const changed = this.db.prepare('UPDATE services SET names = ? WHERE id = ?').run(JSON.stringify(names), serviceId).changes === 1;
    this.configChanged();
    return changed;
  }

  async setOfficeSettings(officeId: string, settings: OfficeSettings): Promise<void> {
    this.db.prepare('UPDATE offices SET settings = ? WHERE id = ?').run(JSON.stringify(settings), officeId);
    this.configChanged();
  }

  async closeServiceForDay(serviceId: string, day: string, at: number): Promise<boolean> {
    this.closures.clear();
    return (
      this.db.prepare('INSERT INTO service_closures (service_id, day, closed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(serviceId, day, at)
        .changes === 1
    );
  }

  async markQueueChanged(officeId: string, at: number): Promise<void> {
    this.onQueueChanged(officeId, at);
  }

  async appendEvent(event: DomainEvent, at: number): Promise<number> {
    const id = Number(this.s['appendEvent']!.run(event.officeId, event.type, JSON.stringify(event.payload), at).lastInsertRowid);
    // Built field by field: a spread here cost more than the INSERT (V8 copies it slowly).
    this.onEvent({ type: event.type, officeId: event.officeId, payload: event.payload, id, at } as DomainEvent & { id: number; at: number });
    return id;
  }
}
