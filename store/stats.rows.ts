import type { DomainEvent } from '../core/shared/events.ts';
import { WHOLE_DAY } from '../core/stats/groups.ts';
import type { Channel, DayCount, GroupRow, Outcome, StatsFilter, TicketFact } from '../core/stats/model.ts';

/**
 * What the statistics stores of both dialects share: the columns of the rollup tables, a row as
 * the statement parameters it is written with and back from the raw row it is read as, the
 * samples' encoding (exact milliseconds as little-endian 8-byte floats: BLOB on SQLite, bytea on
 * PostgreSQL), and how the day's table figures become counts.
 */

export const FACT_COLUMNS =
  'day, ticket_id, number, service_id, final_service_id, channel, kiosk_id, hour, arrived_at, booked_at, answered_at, counter_id, clerk_id, service_ms, ended_at, outcome, recalls, transfers';

export const GROUP_COLUMNS =
  'day, hour, service_id, counter_id, clerk_id, channel, kiosk_id, issued, served, no_show, voided, open, transferred, waits, services, early, on_time, late, late_sum_ms, waiting_at';

export type GroupDbRow = [string, number, string, string, string, Channel, string, number, number, number, number, number, number, Buffer, Buffer, number, number, number, number, string | null];

/** Exact milliseconds as little-endian 8-byte floats. */
export function encodeSamples(a: ArrayLike<number>): Buffer {
  const b = Buffer.allocUnsafe(a.length * 8);
  for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i]!, i * 8);
  return b;
}

export function decodeSamples(b: Buffer): Float64Array {
  // A copy: the row's buffer need not be 8-byte aligned.
  const out = new Float64Array(b.length / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export const groupOf = (r: GroupDbRow): GroupRow => ({
  day: r[0],
  hour: r[1],
  serviceId: r[2],
  counterId: r[3],
  clerkId: r[4],
  channel: r[5],
  kioskId: r[6],
  issued: r[7],
  served: r[8],
  noShow: r[9],
  voided: r[10],
  open: r[11],
  transferred: r[12],
  waits: decodeSamples(r[13]),
  services: decodeSamples(r[14]),
  early: r[15],
  onTime: r[16],
  late: r[17],
  lateSumMs: r[18],
  waitingAt: r[19] === null ? null : r[19].split(',').map(Number),
});

export type FactRow = [string, string, string, string, string, Channel, string | null, number, number, number | null, number | null, string | null, string | null, number | null, number | null, Outcome, number, number];

/** Refills one fact from a row (the export visits hundreds of thousands: no object per row). */
export function fill(f: TicketFact, r: FactRow): TicketFact {
  f.day = r[0];
  f.ticketId = r[1];
  f.number = r[2];
  f.serviceId = r[3];
  f.finalServiceId = r[4];
  f.channel = r[5];
  f.kioskId = r[6];
  f.hour = r[7];
  f.arrivedAt = r[8];
  f.bookedAt = r[9];
  f.answeredAt = r[10];
  f.counterId = r[11];
  f.clerkId = r[12];
  f.serviceMs = r[13];
  f.endedAt = r[14];
  f.outcome = r[15];
  f.recalls = r[16];
  f.transfers = r[17];
  return f;
}

/** The report filter's set columns, in one fixed order: both dialects build their WHERE from it. */
export function filterColumns(filter: StatsFilter): [string, string][] {
  const all: [string, string | undefined][] = [
    ['service_id', filter.serviceId],
    ['counter_id', filter.counterId],
    ['clerk_id', filter.clerkId],
    ['channel', filter.channel],
  ];
  return all.filter((f): f is [string, string] => f[1] !== undefined);
}

/** The event types statistics fold: the others (queue counts, settings audit) are skipped unparsed. */
export const READ_TYPES: readonly DomainEvent['type'][] = ['ticket:issued', 'ticket:called', 'ticket:changed', 'counter:changed', 'printer:changed'];

/** A group row of `day` as the parameters of its INSERT, after `office_id`: `by_hour` then GROUP_COLUMNS. */
export const groupParams = (g: GroupRow, day: string): unknown[] => [
  g.hour === WHOLE_DAY ? 0 : 1, day, g.hour, g.serviceId, g.counterId, g.clerkId, g.channel, g.kioskId, g.issued, g.served, g.noShow, g.voided, g.open,
  g.transferred, encodeSamples(g.waits), encodeSamples(g.services), g.early, g.onTime, g.late, g.lateSumMs, g.waitingAt === null ? null : g.waitingAt.join(','),
];

/** A fact of `day` as the parameters of its INSERT, after `office_id`: FACT_COLUMNS. */
export const factParams = (f: TicketFact, day: string): unknown[] => [
  day, f.ticketId, f.number, f.serviceId, f.finalServiceId, f.channel, f.kioskId, f.hour, f.arrivedAt, f.bookedAt, f.answeredAt, f.counterId, f.clerkId,
  f.serviceMs, f.endedAt, f.outcome, f.recalls, f.transfers,
];

/** An empty fact to refill row by row (`fill`). */
export const blankFact = (officeId: string): TicketFact =>
  fill({ officeId } as TicketFact, ['', '', '', '', '', 'walk_in', null, 0, 0, null, null, null, null, null, null, 'open', 0, 0]);

/** A metric may come twice for one key (folded and read from a table): stored once, summed. */
export function summedCounts(counts: readonly DayCount[]): DayCount[] {
  const summed = new Map<string, DayCount>();
  for (const c of counts) {
    const k = `${c.metric}|${c.key}`;
    const prev = summed.get(k);
    summed.set(k, prev === undefined ? { ...c } : { ...prev, value: prev.value + c.value });
  }
  return [...summed.values()];
}

/** The day's figures read from the booking, draw and outbox tables, by the rows each dialect's statements give. */
export interface TableFigures {
  slots: readonly { key: string; value: number }[];
  bookings: readonly { key: string; state: string; value: number }[];
  applications: readonly { key: string; state: string; value: number }[];
  messages: readonly { key: string; sent: number; failed: number; retried: number }[];
}

/** What each booking state counts as: every booking made, then what became of it. */
const BOOKING: Readonly<Record<string, readonly DayCount['metric'][]>> = {
  confirmed: ['bookings_made'],
  cancelled: ['bookings_made', 'bookings_cancelled'],
  lapsed: ['bookings_made', 'bookings_lapsed'],
  checked_in: ['bookings_made', 'bookings_checked_in'],
  done: ['bookings_made', 'bookings_checked_in'],
  no_show: ['bookings_made', 'bookings_checked_in', 'bookings_no_show'],
};

export function tableCountsOf(day: string, t: TableFigures): DayCount[] {
  const out: DayCount[] = [];
  const push = (metric: DayCount['metric'], key: string, value: number): void => {
    if (value > 0) out.push({ day, metric, key, value });
  };
  for (const r of t.slots) push('slots_offered', r.key, r.value);
  for (const r of t.bookings) for (const metric of BOOKING[r.state] ?? []) push(metric, r.key, r.value);
  for (const r of t.applications) push(r.state === 'allocated' ? 'draw_allocated' : 'draw_not_allocated', r.key, r.value);
  for (const r of t.messages) {
    push('messages_sent', r.key, r.sent);
    push('messages_failed', r.key, r.failed);
    push('messages_retried', r.key, r.retried);
  }
  return out;
}
