import type { DomainEvent, LoggedEvent } from '../core/shared/events.ts';

/** What the event logs of both dialects share: an events row and the logged event it is read as. */

export interface EventRow {
  id: number;
  office_id: string;
  type: DomainEvent['type'];
  payload: string;
  at: number;
}

export const fromRow = (r: EventRow): LoggedEvent =>
  ({ id: r.id, officeId: r.office_id, type: r.type, payload: JSON.parse(r.payload) as unknown, at: r.at }) as LoggedEvent;
