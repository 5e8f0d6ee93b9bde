import { csvCell, type Cell, type CsvStyle } from '../core/stats/csv.ts';
import { CHANNELS, OUTCOMES, type Figures, type TicketFact } from '../core/stats/model.ts';
import { minutes, waitMs } from '../core/stats/summary.ts';
import type { StatsReportResponseT } from '../contracts/stats.ts';
import type { Translate } from './i18n.ts';

/**
 * The report as tables: what the CSV and the XLSX hold, section by section, with the page's
 * numbers (the same report object, no figure recomputed). Headers in the caller's language.
 */

export interface Section {
  id: 'summary' | 'waitingByHour' | 'bookings' | 'punctuality' | 'messages' | 'kiosks' | 'counters' | 'ratings';
  title: string;
  header: string[];
  rows: Cell[][];
}

const FIGURE_COLUMNS = ['issued', 'served', 'noShow', 'voided', 'transferred', 'open', 'waitMean', 'waitMedian', 'waitP90', 'waitMax', 'serviceMean', 'serviceMedian', 'serviceP90', 'serviceMax'] as const;

const figureCells = (f: Figures): Cell[] => [
  f.issued,
  f.served,
  f.noShow,
  f.voided,
  f.transferred,
  f.open,
  f.wait.mean,
  f.wait.median,
  f.wait.p90,
  f.wait.max,
  f.service.mean,
  f.service.median,
  f.service.p90,
  f.service.max,
];

export function reportSections(r: StatsReportResponseT, t: Translate): Section[] {
  const h = (keys: readonly string[], prefix: string): string[] => keys.map((k) => t(`${prefix}.${k}`));
  const sections: Section[] = [
    {
      id: 'summary',
      title: t('stats.section.summary'),
      header: [t(`stats.group.${r.groupBy}`), ...h(FIGURE_COLUMNS, 'stats.col')],
      rows: [...r.groups.map((g) => [g.label, ...figureCells(g.figures)]), [t('stats.total'), ...figureCells(r.totals)]],
    },
    {
      id: 'waitingByHour',
      title: t('stats.section.waitingByHour'),
      header: h(['hour', 'mean', 'max'], 'stats.hour'),
      rows: r.waitingByHour.map((x) => [`${String(x.hour).padStart(2, '0')}:00`, x.mean, x.max]),
    },
  ];
  if (r.ownOnly) return sections;
  const name = (m: Record<string, string>, id: string): string => m[id] ?? id;
  return [
    ...sections,
    {
      id: 'bookings',
      title: t('stats.section.bookings'),
      header: h(['service', 'offered', 'booked', 'checkedIn', 'lapsed', 'cancelled', 'noShow', 'drawAllocated', 'drawNotAllocated'], 'stats.bookings'),
      rows: r.bookings.map((b) => [name(r.labels.services, b.serviceId), b.offered, b.booked, b.checkedIn, b.lapsed, b.cancelled, b.noShow, b.drawAllocated, b.drawNotAllocated]),
    },
    {
      id: 'punctuality',
      title: t('stats.section.punctuality'),
      header: h(['early', 'onTime', 'late', 'meanMin'], 'stats.punctuality'),
      rows: [[r.punctuality.early, r.punctuality.onTime, r.punctuality.late, r.punctuality.meanMin]],
    },
    {
      id: 'messages',
      title: t('stats.section.messages'),
      header: h(['channel', 'sent', 'failed', 'retried'], 'stats.messages'),
      rows: r.messages.map((m) => [m.channel, m.sent, m.failed, m.retried]),
    },
    {
      id: 'kiosks',
      title: t('stats.section.kiosks'),
      header: h(['kiosk', 'printFailures', 'voided'], 'stats.kiosks'),
      rows: r.kiosks.map((k) => [name(r.labels.kiosks, k.kioskId), k.printFailures, k.voided]),
    },
    {
      id: 'counters',
      title: t('stats.section.counters'),
      header: h(['counter', 'openMin', 'pausedMin', 'servingMin', 'utilisation'], 'stats.counters'),
      rows: r.counters.map((c) => [name(r.labels.counters, c.counterId), c.openMin, c.pausedMin, c.servingMin, c.utilisationPct]),
    },
    ...(r.ratings === null ? [] : [ratingsSection(r.ratings, r.labels, t)]),
  ];
}

/** Ratings per service, per counter and in all: how many, the mean, and how many gave each mark (1 to 5). */
function ratingsSection(ratings: NonNullable<StatsReportResponseT['ratings']>, labels: StatsReportResponseT['labels'], t: Translate): Section {
  type Summary = (typeof ratings)['total'];
  const row = (label: string, s: Summary): Cell[] => [label, s.count, s.mean, ...s.distribution];
  return {
    id: 'ratings',
    title: t('stats.section.ratings'),
    header: [t('stats.ratings.of'), t('stats.ratings.count'), t('stats.ratings.mean'), '1', '2', '3', '4', '5'],
    rows: [
      ...ratings.services.map((s) => row(labels.services[s.serviceId] ?? s.serviceId, s)),
      ...ratings.counters.map((c) => row(`${t('stats.counters.counter')} ${labels.counters[c.counterId] ?? c.counterId}`, c)),
      row(t('stats.total'), ratings.total),
    ],
  };
}

export const TICKET_COLUMNS = ['day', 'number', 'service', 'finalService', 'channel', 'kiosk', 'arrived', 'booked', 'answered', 'ended', 'outcome', 'waitMin', 'serviceMin', 'recalls', 'transfers', 'counter'] as const;

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Office-local wall time `YYYY-MM-DD HH:MM:SS` for many instants: the text up to the minute is
 * kept per UTC minute (every zone's offset is whole minutes, so the seconds are the instant's own),
 * the zone's offset looked up once per UTC hour (Intl is ~10 µs a call; a year's export formats
 * millions of instants). The minute cache is dropped when it grows: the export goes day by day.
 */
export function localFormatter(offsetAt: (at: number) => number): (at: number | null) => string {
  const offsets = new Map<number, number>();
  const minutesText = new Map<number, string>();
  const prefix = (minute: number): string => {
    const hour = Math.floor(minute / 60);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = offsetAt(hour * 3_600_000);
      offsets.set(hour, offset);
    }
    if (minutesText.size > 10_000) minutesText.clear();
    const text = `${new Date(minute * 60_000 + offset).toISOString().slice(0, 16).replace('T', ' ')}:`;
    minutesText.set(minute, text);
    return text;
  };
  return (at) => {
    if (at === null) return '';
    const minute = Math.floor(at / 60_000);
    return (minutesText.get(minute) ?? prefix(minute)) + PAD2[Math.floor(at / 1000) % 60]!;
  };
}

/** Minutes to 0.1 as the CSV writes them (`minutes` of summary.ts, with the style's decimal mark), kept per value. */
function minutesCell(style: CsvStyle): (ms: number | null) => string {
  const cells: string[] = [];
  return (ms) => {
    if (ms === null) return '';
    const tenths = Math.round(ms / 6000);
    if (tenths < 0 || tenths > 100_000) return csvCell(minutes(ms), style);
    return (cells[tenths] ??= csvCell(tenths / 10, style));
  };
}

/**
 * One export line per ticket: nothing personal (no name, no contact, no clerk). A year is some
 * 730,000 lines, so the line is built as one string: names and words are escaped once, up front,
 * and the other cells (days, times, numbers) never need quoting.
 */
export function ticketLine(
  names: { services: Record<string, string>; counters: Record<string, string>; kiosks: Record<string, string> },
  t: Translate,
  local: (at: number | null) => string,
  style: CsvStyle,
): (f: Readonly<TicketFact>) => string {
  const escaped = (m: Record<string, string>): Map<string, string> => new Map(Object.entries(m).map(([k, v]) => [k, csvCell(v, style)]));
  const services = escaped(names.services);
  const counters = escaped(names.counters);
  const kiosks = escaped(names.kiosks);
  const channel = new Map(CHANNELS.map((c) => [c, csvCell(t(`stats.channel.${c}`), style)]));
  const outcome = new Map(OUTCOMES.map((o) => [o, csvCell(t(`stats.outcome.${o}`), style)]));
  // Ticket numbers repeat every day: each is escaped once.
  const numbers = new Map<string, string>();
  const number = (n: string): string => {
    let cell = numbers.get(n);
    if (cell === undefined) numbers.set(n, (cell = csvCell(n, style)));
    return cell;
  };
  const id = (m: Map<string, string>, v: string | null): string => (v === null ? '' : (m.get(v) ?? csvCell(v, style)));
  const mins = minutesCell(style);
  const sep = style.separator;
  return (f) =>
    f.day + sep +
    number(f.number) + sep +
    id(services, f.serviceId) + sep +
    id(services, f.finalServiceId) + sep +
    channel.get(f.channel)! + sep +
    id(kiosks, f.kioskId) + sep +
    local(f.arrivedAt) + sep +
    local(f.bookedAt) + sep +
    local(f.answeredAt) + sep +
    local(f.endedAt) + sep +
    outcome.get(f.outcome)! + sep +
    mins(waitMs(f)) + sep +
    mins(f.serviceMs) + sep +
    f.recalls + sep +
    f.transfers + sep +
    id(counters, f.counterId) + '\r\n';
}
