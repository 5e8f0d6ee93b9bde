import { zonedInstant } from '../booking/release.ts';
import type { GroupRow, StatsFilter, TicketFact } from './model.ts';
import { waitMs } from './summary.ts';

/**
 * Group rows (see `GroupRow`): what a day's rollup keeps for reports besides the tickets.
 */

/** The whole-day row marker (rows by hour hold 0–23). */
export const WHOLE_DAY = -1;

const keyOf = (f: TicketFact, hour: number): string =>
  `${f.day}\u0000${hour}\u0000${f.serviceId}\u0000${f.counterId ?? ''}\u0000${f.clerkId ?? ''}\u0000${f.channel}\u0000${f.outcome === 'void' ? (f.kioskId ?? '') : ''}`;

/**
 * The group rows of a day's facts: one set summing the whole day (with people waiting by hour)
 * and one set by hour of arrival. `now` cuts today's waiting-by-hour (an hour to come is no sample).
 */
export function groupRows(facts: readonly TicketFact[], timeZone: string, now: number): { rows: GroupRow[]; hourly: GroupRow[] } {
  const whole = new Map<string, { row: GroupRow; waits: number[]; services: number[]; facts: TicketFact[] }>();
  const hourly = new Map<string, { row: GroupRow; waits: number[]; services: number[]; facts: TicketFact[] }>();
  const add = (m: typeof whole, f: TicketFact, hour: number): void => {
    const k = keyOf(f, hour);
    let g = m.get(k);
    if (g === undefined) {
      const row: GroupRow = {
        day: f.day,
        hour,
        serviceId: f.serviceId,
        counterId: f.counterId ?? '',
        clerkId: f.clerkId ?? '',
        channel: f.channel,
        kioskId: f.outcome === 'void' ? (f.kioskId ?? '') : '',
        issued: 0,
        served: 0,
        noShow: 0,
        voided: 0,
        open: 0,
        transferred: 0,
        waits: [],
        services: [],
        early: 0,
        onTime: 0,
        late: 0,
        lateSumMs: 0,
        waitingAt: null,
      };
      g = { row, waits: [], services: [], facts: [] };
      m.set(k, g);
    }
    const r = g.row;
    if (f.outcome === 'void') {
      r.voided++;
      return;
    }
    g.facts.push(f);
    r.issued++;
    if (f.outcome === 'served') r.served++;
    if (f.outcome === 'no_show') r.noShow++;
    if (f.outcome === 'open') r.open++;
    r.transferred += f.transfers;
    const w = waitMs(f);
    if (w !== null) g.waits.push(w);
    if (f.serviceMs !== null) g.services.push(f.serviceMs);
    if (f.channel === 'booked' && f.bookedAt !== null) {
      const d = f.arrivedAt - f.bookedAt;
      if (d < -5 * 60_000) r.early++;
      else if (d > 5 * 60_000) r.late++;
      else r.onTime++;
      r.lateSumMs += d;
    }
  };
  for (const f of facts) {
    add(whole, f, WHOLE_DAY);
    add(hourly, f, f.hour);
  }
  const hours = new Map<string, number[]>();
  const hourStarts = (day: string): number[] => {
    let h = hours.get(day);
    if (h === undefined) {
      h = Array.from({ length: 24 }, (_, i) => zonedInstant(timeZone, day, i * 60));
      hours.set(day, h);
    }
    return h;
  };
  const done = (m: typeof whole, withHours: boolean): GroupRow[] =>
    [...m.values()].map(({ row, waits, services, facts: list }) => {
      if (withHours) {
        const starts = hourStarts(row.day);
        row.waitingAt = starts.map((at) => {
          if (at > now) return 0;
          let n = 0;
          for (const f of list) if (f.arrivedAt <= at && at < (f.answeredAt ?? f.endedAt ?? Number.POSITIVE_INFINITY)) n++;
          return n;
        });
      }
      return { ...row, waits, services };
    });
  return { rows: done(whole, true), hourly: done(hourly, false) };
}

/** Whether a group row, or one ticket's fact (same four fields; a fact never called has null), passes the report's filter. */
export function rowMatches(r: Pick<GroupRow, 'serviceId' | 'channel'> & { counterId: string | null; clerkId: string | null }, filter: StatsFilter): boolean {
  return (
    (filter.serviceId === undefined || r.serviceId === filter.serviceId) &&
    (filter.counterId === undefined || r.counterId === filter.counterId) &&
    (filter.clerkId === undefined || r.clerkId === filter.clerkId) &&
    (filter.channel === undefined || r.channel === filter.channel)
  );
}
