import type { DayLog, LoggedTicket } from './office-day.ts';

/**
 * The statistics of a simulated office day as the test computes them from its own log — the
 * definitions of docs/statistics.md written a second time, independently of core/stats.
 */

export const toMin = (ms: number): number => Math.round(ms / 6000) / 10;
function dist(xs: number[]) {
  if (xs.length === 0) return { count: 0, mean: null, median: null, p90: null, max: null };
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const mid = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  const p90 = s.find((_, i) => (i + 1) / n >= 0.9)!;
  return { count: n, mean: toMin(s.reduce((a, b) => a + b, 0) / n), median: toMin(mid), p90: toMin(p90), max: toMin(s[n - 1]!) };
}
const waitOf = (t: LoggedTicket): number | null => (t.answeredAt === null ? null : Math.max(0, t.answeredAt - Math.max(t.arrivedAt, t.bookedAt ?? 0)));
export function expectedFigures(ts: LoggedTicket[]) {
  const live = ts.filter((t) => t.outcome !== 'void');
  return {
    issued: live.length,
    served: live.filter((t) => t.outcome === 'served').length,
    noShow: live.filter((t) => t.outcome === 'no_show').length,
    voided: ts.length - live.length,
    transferred: live.reduce((a, t) => a + t.transfers, 0),
    open: live.filter((t) => t.outcome === 'open').length,
    wait: dist(live.map(waitOf).filter((w): w is number => w !== null)),
    service: dist(live.map((t) => t.serviceMs).filter((w): w is number => w !== null)),
  };
}
export function groupedBy(log: DayLog, key: (t: LoggedTicket) => string) {
  const m = new Map<string, LoggedTicket[]>();
  for (const t of log.tickets.values()) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return [...m.keys()].sort().map((k) => ({ key: k, figures: expectedFigures(m.get(k)!) }));
}
const sumOf = (xs: [number, number][]): number => xs.reduce((a, [from, to]) => a + (to - from), 0);
export function expectedRest(log: DayLog) {
  const all = [...log.tickets.values()];
  const booked = all.filter((t) => t.channel === 'booked');
  const lateness = booked.map((t) => t.arrivedAt - t.bookedAt!);
  return {
    waitingByHour: Array.from({ length: 24 }, (_, hour) => {
      const at = Date.UTC(2026, 10, 22, 23 + hour); // Prague midnight is 23:00 UTC the day before
      const n = all.filter((t) => t.outcome !== 'void' && t.arrivedAt <= at && at < (t.answeredAt ?? t.endedAt ?? Infinity)).length;
      return { hour, mean: n, max: n };
    }),
    punctuality: {
      early: lateness.filter((d) => d < -5 * 60_000).length,
      onTime: lateness.filter((d) => d >= -5 * 60_000 && d <= 5 * 60_000).length,
      late: lateness.filter((d) => d > 5 * 60_000).length,
      meanMin: toMin(lateness.reduce((a, b) => a + b, 0) / lateness.length),
    },
    bookings: [...log.bookings.entries()].sort().map(([serviceId, b]) => ({
      serviceId, offered: log.slotsOffered.get(serviceId)!, booked: b.booked, checkedIn: b.checkedIn, lapsed: b.lapsed, cancelled: b.cancelled, noShow: 0, drawAllocated: 0, drawNotAllocated: 0,
    })),
    messages: [...log.messages.entries()].sort().map(([channel, m]) => ({ channel, ...m })),
    kiosks: [{ kioskId: log.kioskId, printFailures: 2, voided: all.filter((t) => t.outcome === 'void').length }],
    counters: log.counters.map((c) => {
      const open = sumOf(c.open);
      const paused = sumOf(c.paused);
      const busy = sumOf(c.busy);
      return { counterId: c.counterId, openMin: toMin(open), pausedMin: toMin(paused), servingMin: toMin(busy), utilisationPct: Math.round((1000 * busy) / (open + paused)) / 10 };
    }),
  };
}

