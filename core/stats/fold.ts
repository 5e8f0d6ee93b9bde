import type { LoggedEvent, TicketView } from '../shared/events.ts';
import type { CounterStatus } from '../shared/model.ts';
import { localTime } from '../shared/office-time.ts';
import { missingCase } from '../shared/result.ts';
import type { Channel, DayCount, TicketFact } from './model.ts';

/**
 * Folds one office day of the event log into ticket facts and counter/kiosk counts. Pure: the
 * store hands the events (in log order), the day's bounds and `endAt` (the day's end, or now
 * for today). Counters are taken as closed at the start of the day (sessions are signed out
 * at night); a ticket whose first event falls on this day counts for this day.
 */

export interface DayWindow {
  officeId: string;
  day: string;
  timeZone: string;
  startAt: number;
  /** Where open intervals (a counter still open, a client still waiting) stop: the day's end, or now. */
  endAt: number;
}

interface TicketAcc {
  fact: TicketFact;
  lastCallAt: number | null;
  /** When the current stay at a counter began (service start, or the answered call). */
  segmentFrom: number | null;
}

interface CounterAcc {
  status: CounterStatus;
  busy: boolean;
  since: number;
  openMs: number;
  pausedMs: number;
  servingMs: number;
}

/** Events older than the channel and clerk fields: a booked time means a check-in, else a walk-in. */
const channelOf = (t: TicketView, channel: Channel | undefined): Channel => channel ?? (t.bookedAt === null ? 'walk_in' : 'booked');

export function foldDay(w: DayWindow, events: readonly LoggedEvent[]): { facts: TicketFact[]; counts: DayCount[] } {
  const tickets = new Map<string, TicketAcc>();
  const counters = new Map<string, CounterAcc>();
  const printerDown = new Map<string, boolean>();
  const printFailures = new Map<string, number>();

  const accOf = (t: TicketView, channel?: Channel, kioskId?: string | null): TicketAcc => {
    let acc = tickets.get(t.id);
    if (acc === undefined) {
      acc = {
        fact: {
          ticketId: t.id,
          officeId: w.officeId,
          day: w.day,
          number: t.number,
          serviceId: t.serviceId,
          finalServiceId: t.serviceId,
          channel: channelOf(t, channel),
          kioskId: kioskId ?? null,
          hour: Math.floor(localTime(w.timeZone, t.arrivedAt).minute / 60),
          arrivedAt: t.arrivedAt,
          bookedAt: t.bookedAt,
          answeredAt: null,
          counterId: null,
          clerkId: null,
          serviceMs: null,
          endedAt: null,
          outcome: 'open',
          recalls: 0,
          transfers: 0,
        },
        lastCallAt: null,
        segmentFrom: null,
      };
      tickets.set(t.id, acc);
    }
    acc.fact.finalServiceId = t.serviceId;
    return acc;
  };

  const endSegment = (acc: TicketAcc, at: number): void => {
    const from = acc.segmentFrom ?? acc.lastCallAt ?? at;
    acc.fact.serviceMs = (acc.fact.serviceMs ?? 0) + Math.max(0, at - from);
    acc.segmentFrom = null;
  };

  const flushCounter = (c: CounterAcc, at: number): void => {
    const ms = Math.max(0, at - c.since);
    if (c.status === 'open') c.openMs += ms;
    if (c.status === 'paused') c.pausedMs += ms;
    if (c.status !== 'closed' && c.busy) c.servingMs += ms;
    c.since = at;
  };

  for (const e of events) {
    switch (e.type) {
      case 'ticket:issued': {
        const acc = accOf(e.payload.ticket, e.payload.origin?.channel, e.payload.origin?.deviceId);
        if (e.payload.origin?.deviceId !== undefined) acc.fact.kioskId = e.payload.origin.deviceId;
        break;
      }
      case 'ticket:called': {
        const acc = accOf(e.payload.ticket);
        acc.lastCallAt = e.at;
        acc.fact.counterId = e.payload.counterId;
        acc.fact.clerkId = e.payload.userId ?? null;
        if (e.payload.recall) acc.fact.recalls++;
        break;
      }
      case 'ticket:changed': {
        const { ticket, previous } = e.payload;
        const acc = accOf(ticket);
        const f = acc.fact;
        if (previous === 'called' && (ticket.state === 'serving' || ticket.state === 'done' || ticket.state === 'waiting')) {
          f.answeredAt ??= acc.lastCallAt ?? e.at;
        }
        if (ticket.state === 'serving') acc.segmentFrom = e.at;
        if ((previous === 'called' || previous === 'serving') && ticket.state !== 'serving' && ticket.state !== 'no_show') endSegment(acc, e.at);
        if (ticket.state === 'waiting' && (previous === 'called' || previous === 'serving')) f.transfers++;
        if (ticket.state === 'done') [f.outcome, f.endedAt] = ['served', e.at];
        if (ticket.state === 'no_show') [f.outcome, f.endedAt] = ['no_show', e.at];
        if (ticket.state === 'void') {
          [f.outcome, f.endedAt] = ['void', e.at];
          if (e.payload.deviceId !== undefined) f.kioskId = e.payload.deviceId;
        }
        break;
      }
      case 'counter:changed': {
        const p = e.payload;
        let c = counters.get(p.counterId);
        if (c === undefined) {
          c = { status: 'closed', busy: false, since: w.startAt, openMs: 0, pausedMs: 0, servingMs: 0 };
          counters.set(p.counterId, c);
        }
        flushCounter(c, e.at);
        c.status = p.status;
        c.busy = p.ticket !== null;
        break;
      }
      case 'printer:changed': {
        const { deviceId, isOutOfOrder } = e.payload;
        if (isOutOfOrder && printerDown.get(deviceId) !== true) printFailures.set(deviceId, (printFailures.get(deviceId) ?? 0) + 1);
        printerDown.set(deviceId, isOutOfOrder);
        break;
      }
      case 'queue:changed':
      case 'service:closed':
      case 'ticket:reprinted':
      case 'booking:settings-changed':
      case 'ticket:rated':
      case 'alerts:changed':
      case 'config:changed':
      case 'booking:changed':
      case 'payment:changed': // fees are reported from their own ledger
      case 'outbox:resent':
      case 'ticket:called-out-of-order': // the call itself is its ticket:called; this says why
        break;
      default:
        missingCase(e);
    }
  }

  const counts: DayCount[] = [];
  const add = (metric: DayCount['metric'], key: string, value: number): void => {
    if (value > 0) counts.push({ day: w.day, metric, key, value: Math.round(value) });
  };
  for (const [id, c] of counters) {
    flushCounter(c, Math.max(c.since, w.endAt));
    add('counter_open_ms', id, c.openMs);
    add('counter_paused_ms', id, c.pausedMs);
    add('counter_serving_ms', id, c.servingMs);
  }
  for (const [id, n] of printFailures) add('kiosk_print_failures', id, n);
  return { facts: [...tickets.values()].map((a) => a.fact), counts };
}
