import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { UserRecord } from '../../core/access/access.ts';
import type { Office } from '../../core/shared/model.ts';
import { localTime } from '../../core/shared/office-time.ts';
import { missingCase } from '../../core/shared/result.ts';
import { CSV_BOM, csvLine, csvStyle } from '../../core/stats/csv.ts';
import type { StatsFilter } from '../../core/stats/model.ts';
import type { StatsStore } from '../../core/stats/ports.ts';
import { closeDay, exportRange, statsReport, ticketChunks } from '../../core/stats/report.ts';
import { addDays, dayUtc, zonedInstant } from '../../core/booking/release.ts';
import { ratingSummary } from '../../core/queue/rating.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { StatsDayClosed, StatsDayParams, StatsQuery, StatsReportResponse, StatsTicketsQuery, type StatsQueryT, type StatsTicketsQueryT, type StatsReportResponseT } from '../../contracts/stats.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { pickName } from './office.routes.ts';
import { unwrap, type Api } from './types.ts';
import { localFormatter, reportSections, TICKET_COLUMNS, ticketLine } from '../stats-tables.ts';

/**
 * Statistics of an office: the report (JSON), the same numbers as CSV and XLSX, and the
 * per-ticket export (CSV, streamed). Supervisors and admins see every clerk's figures; a clerk
 * sees the tickets they called and no office-wide sections; other offices see nothing.
 */
export function statsRoutes(api: Api, deps: ServerDeps & { stats: StatsStore }): void {
  async function officeOf(req: FastifyRequest<{ Params: { officeId: string } }>, atLeast: 'clerk' | 'supervisor'): Promise<{ user: UserRecord; office: Office }> {
    const user = requireUser(req.identity, atLeast);
    requireOffice(req.identity, req.params.officeId);
    const office = await deps.queue.read(async (store) => await store.getOffice(req.params.officeId));
    if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
    return { user, office };
  }

  /** The report's filters from the query; a clerk sees only the tickets they called. */
  function filterOf(user: UserRecord, q: StatsTicketsQueryT): StatsFilter {
    const ownOnly = user.role === 'clerk';
    if (ownOnly && q.clerk !== undefined && q.clerk !== user.id) throw new ApiError('FORBIDDEN');
    return {
      ...(q.service === undefined ? {} : { serviceId: q.service }),
      ...(q.counter === undefined ? {} : { counterId: q.counter }),
      ...(ownOnly ? { clerkId: user.id } : q.clerk === undefined ? {} : { clerkId: q.clerk }),
      ...(q.channel === undefined ? {} : { channel: q.channel }),
    };
  }

  async function names(req: FastifyRequest, office: Office): Promise<StatsReportResponseT['labels']> {
    const services = await deps.queue.read(async (store) => await store.listServices(office.id));
    const counters = await deps.queue.read(async (store) => await store.listCounters(office.id));
    return {
      services: Object.fromEntries(services.map((s) => [s.id, pickName(s.names, req.lang, office)])),
      counters: Object.fromEntries(counters.map((c) => [c.id, c.number])),
      clerks: {},
      kiosks: Object.fromEntries((await deps.access.listDevices(office.id)).filter((d) => d.kind === 'kiosk').map((d) => [d.id, d.name])),
    };
  }

  async function report(req: FastifyRequest<{ Params: { officeId: string } }>, q: StatsQueryT): Promise<StatsReportResponseT> {
    const { user, office } = await officeOf(req, 'clerk');
    const ownOnly = user.role === 'clerk';
    const filter = filterOf(user, q);
    const r = unwrap(await statsReport(deps.stats, office, { from: q.from, to: q.to, groupBy: q.groupBy, filter }, deps.clock.now()));
    const labels = await names(req, office);
    for (const id of new Set([...r.clerkIds, ...(filter.clerkId === undefined ? [] : [filter.clerkId])])) {
      const u = await deps.access.userById(id);
      if (u !== null && u.officeId === office.id) labels.clerks[id] = u.displayName;
    }
    const label = (key: string): string => {
      if (key === '') return req.t('stats.none');
      switch (q.groupBy) {
        case 'service':
          return labels.services[key] ?? key;
        case 'counter':
          return labels.counters[key] ?? key;
        case 'clerk':
          return labels.clerks[key] ?? key;
        case 'channel':
          return req.t(`stats.channel.${key}`);
        case 'hour':
          return `${key}:00`;
        case 'day':
        case 'week':
        case 'month':
          return key;
        default:
          return missingCase(q.groupBy);
      }
    };
    // Ratings name a service and a counter, not the clerk or the channel: none with either filter.
    const rated = ownOnly || filter.clerkId !== undefined || filter.channel !== undefined || deps.ratings === undefined
      ? null
      : (await deps.ratings.summary(office.id, zonedInstant(office.timeZone, q.from, 0), zonedInstant(office.timeZone, addDays(q.to, 1), 0))).filter(
          (x) => (filter.serviceId === undefined || x.serviceId === filter.serviceId) && (filter.counterId === undefined || x.counterId === filter.counterId),
        );
    return {
      ...r,
      ratings: rated === null ? null : ratingSummary(rated),
      groups: r.groups.map((g) => ({ ...g, label: label(g.key) })),
      // A clerk's view holds their own calls only: the office-wide sections stay with supervisors.
      ...(ownOnly ? { bookings: [], messages: [], kiosks: [], counters: [] } : {}),
      labels,
      ownOnly,
    };
  }

  api.get(
    '/offices/:officeId/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Statistics of a period: tickets, waiting and service times (mean, median, p90, max; minutes), grouped; bookings, messages, kiosks, counters',
        params: OfficeParams,
        querystring: StatsQuery,
        response: { 200: StatsReportResponse },
      },
    },
    async (req) => report(req, req.query),
  );

  api.get(
    '/offices/:officeId/stats.csv',
    {
      schema: {
        tags: ['statistics'],
        summary: "The report's tables as CSV in the caller's language (cs, ro: `;` and decimal comma; en, zh-CN: `,` and `.`)",
        params: OfficeParams,
        querystring: StatsQuery,
      },
    },
    async (req, reply) => {
      const r = await report(req, req.query);
      const style = csvStyle(req.lang);
      const text = reportSections(r, req.t)
        .map((s) => [csvLine([s.title], style), csvLine(s.header, style), ...s.rows.map((row) => csvLine(row, style))].join(''))
        .join('\r\n');
      void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="stats-${r.from}-${r.to}.csv"`);
      return CSV_BOM + text;
    },
  );

  api.get(
    '/offices/:officeId/stats.xlsx',
    {
      schema: { tags: ['statistics'], summary: "The report's tables as an XLSX workbook, one sheet per section", params: OfficeParams, querystring: StatsQuery },
    },
    async (req, reply) => {
      const r = await report(req, req.query);
      // Loaded on first use: exceljs is ~600 modules, a third of the host's start-up if imported eagerly.
      const { default: ExcelJS } = await import('exceljs');
      const book = new ExcelJS.Workbook();
      for (const s of reportSections(r, req.t)) {
        // Sheet names: at most 31 characters, no []:*?/\ (Excel's rules).
        const sheet = book.addWorksheet(s.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
        sheet.addRow(s.header).font = { bold: true };
        for (const row of s.rows) sheet.addRow(row);
        sheet.columns.forEach((c) => (c.width = 16));
      }
      const buffer = Buffer.from(await book.xlsx.writeBuffer());
      void reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="stats-${r.from}-${r.to}.xlsx"`);
      return buffer;
    },
  );

  api.get(
    '/offices/:officeId/stats/tickets.csv',
    {
      schema: {
        tags: ['supervisor'],
        summary: "One row per ticket of the period and the report's filters (service, channel, office-local times, counter; nothing personal), streamed as CSV",
        params: OfficeParams,
        querystring: StatsTicketsQuery,
      },
    },
    async (req, reply) => {
      const { user, office } = await officeOf(req, 'supervisor');
      const range = unwrap(exportRange(req.query));
      const filter = filterOf(user, req.query);
      const style = csvStyle(req.lang);
      const local = localFormatter((at) => {
        const lt = localTime(office.timeZone, at);
        return dayUtc(lt.date) + lt.minute * 60_000 - Math.floor(at / 60_000) * 60_000;
      });
      const line = ticketLine(await names(req, office), req.t, local, style);
      const header = TICKET_COLUMNS.map((c) => req.t(`stats.tickets.${c}`));
      const now = deps.clock.now();
      async function* lines(): AsyncGenerator<string> {
        yield CSV_BOM + csvLine(header, style);
        yield* ticketChunks(deps.stats, office, range, now, line, filter);
      }
      void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="tickets-${range.from}-${range.to}.csv"`);
      // A byte stream, not an object stream: it reads the next page only once the socket took the last one.
      return reply.send(Readable.from(lines(), { objectMode: false }));
    },
  );

  api.post(
    '/offices/:officeId/stats/days/:day/close',
    {
      schema: {
        tags: ['supervisor'],
        summary: "Rebuilds a finished day's rollup from the event log (after a correction, or to check it); today cannot be closed",
        params: StatsDayParams,
        response: { 200: StatsDayClosed },
      },
    },
    async (req) => {
      const { office } = await officeOf(req, 'supervisor');
      const closed = unwrap(await closeDay(deps.stats, office, req.params.day, deps.clock.now()));
      return { day: req.params.day, tickets: closed.tickets };
    },
  );
}
