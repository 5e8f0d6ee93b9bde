import type { FastifyReply, FastifyRequest } from 'fastify';
import { addDays, zonedInstant } from '../../core/booking/release.ts';
import { dailyTotals, reconcile, refundRows } from '../../core/fees/reports.ts';
import type { StoredOrder } from '../../core/fees/ports.ts';
import type { Office } from '../../core/shared/model.ts';
import { localTime } from '../../core/shared/office-time.ts';
import { CSV_BOM, csvLine, csvStyle, type Cell } from '../../core/stats/csv.ts';
import { exportRange } from '../../core/stats/report.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { FeeOrdersQuery, FeeOrdersResponse, FeeRangeQuery, FeeWaitingResponse, type FeeOrderHistoryT } from '../../contracts/fees.ts';
import { IN_FLIGHT } from '../../core/fees/model.ts';
import type { FeesServerDeps, ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { unwrap, type Api } from './types.ts';

/**
 * Fees for the office's supervisors and admins: an order's whole history (found by its number or
 * the booking's), and three CSV exports of a period of office days — daily totals, refunds, and
 * our orders beside the provider's statement. Another office's orders are not found.
 */
export function feesOfficeRoutes(api: Api, deps: ServerDeps, fees: FeesServerDeps): void {
  const ledger = fees.ledger;

  async function officeOf(req: FastifyRequest<{ Params: { officeId: string } }>): Promise<Office> {
    requireUser(req.identity, 'supervisor');
    requireOffice(req.identity, req.params.officeId);
    const office = await deps.queue.read(async (store) => await store.getOffice(req.params.officeId));
    if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
    return office;
  }

  const bookingNumber = async (id: string): Promise<string | null> => (await deps.booking?.store.booking(id))?.number ?? null;

  async function view(s: StoredOrder): Promise<FeeOrderHistoryT> {
    const o = s.order;
    return {
      orderNo: o.orderNo,
      bookingNumber: await bookingNumber(s.bookingId),
      serviceId: s.serviceId,
      state: o.state,
      amount: o.amount,
      currency: o.currency,
      deadline: o.deadline,
      attempts: o.attempts.map((a) => ({
        no: a.no,
        state: a.state,
        providerRef: a.providerRef,
        captured: a.captured,
        refunds: a.refunds.map((r) => ({ no: r.no, amount: r.amount, reason: r.reason, state: r.state, providerRefundId: r.providerRefundId })),
      })),
      history: (await ledger.history(o.orderNo)).map((h) => ({ at: h.at, what: h.what, attempt: h.attempt, refund: h.refund, state: h.state, detail: h.detail })),
    };
  }

  api.get(
    '/offices/:officeId/fees/waiting',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'The office’s fee orders waiting on the payment provider: a payment opened and not finished, or not answered at all (oldest deadline first)',
        params: OfficeParams,
        response: { 200: FeeWaitingResponse },
      },
    },
    async (req) => {
      const office = await officeOf(req);
      const open = (await fees.orders.listOpen(500)).filter((s) => s.officeId === office.id && s.order.state === 'awaiting_payment');
      const orders = [];
      for (const s of open) {
        const a = s.order.attempts.find((x) => IN_FLIGHT.includes(x.state) || x.state === 'timed_out');
        if (a === undefined) continue;
        const o = s.order;
        orders.push({ orderNo: o.orderNo, bookingNumber: await bookingNumber(s.bookingId), serviceId: s.serviceId, amount: o.amount, currency: o.currency, deadline: o.deadline, attempt: a.no, attemptState: a.state, providerRef: a.providerRef });
      }
      return { orders };
    },
  );

  api.get(
    '/offices/:officeId/fees/orders',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'A fee order’s history (attempts with the provider’s references, webhooks, refunds, states with times), by order number or by booking number',
        params: OfficeParams,
        querystring: FeeOrdersQuery,
        response: { 200: FeeOrdersResponse },
      },
    },
    async (req) => {
      const office = await officeOf(req);
      const { order, booking } = req.query;
      if ((order === undefined) === (booking === undefined)) throw new ApiError('VALIDATION_FAILED');
      let found: StoredOrder[] = [];
      if (order !== undefined) {
        const s = await fees.orders.load(order);
        found = s === null ? [] : [s];
      } else {
        const b = await deps.booking?.store.bookingByNumber(booking!.toUpperCase());
        found = b == null ? [] : await ledger.ordersOfBooking(b.id);
      }
      found = found.filter((s) => s.officeId === office.id);
      if (found.length === 0) throw new ApiError('FEE_ORDER_NOT_FOUND');
      return { orders: await Promise.all(found.map(view)) };
    },
  );

  /** The period's office days as milliseconds UTC, [from 00:00, the day after `to` 00:00). */
  async function period(req: FastifyRequest<{ Params: { officeId: string }; Querystring: { from?: string | undefined; to?: string | undefined } }>) {
    const office = await officeOf(req);
    const today = localTime(office.timeZone, deps.clock.now()).date;
    const q = unwrap(exportRange({ from: req.query.from ?? today, to: req.query.to ?? today }));
    const span = { from: zonedInstant(office.timeZone, q.from, 0), to: zonedInstant(office.timeZone, addDays(q.to, 1), 0) };
    return { office, q, span, activity: await ledger.activity(office.id, span.from, span.to) };
  }

  const csv = (req: FastifyRequest, reply: FastifyReply, name: string, header: readonly string[], rows: readonly (readonly Cell[])[]): string => {
    const style = csvStyle(req.lang);
    void reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
    return CSV_BOM + csvLine(header, style) + rows.map((r) => csvLine(r, style)).join('');
  };
  /** Office-local date and time, as the statistics exports write them. */
  const local = (office: Office, at: number | null): string => {
    if (at === null) return '';
    const lt = localTime(office.timeZone, at);
    return `${lt.date} ${String(Math.floor(lt.minute / 60)).padStart(2, '0')}:${String(lt.minute % 60).padStart(2, '0')}`;
  };
  const col = (req: FastifyRequest, keys: readonly string[]): string[] => keys.map((k) => req.t(`fees.csv.${k}`));
  const schema = (summary: string) => ({ schema: { tags: ['supervisor'], summary, params: OfficeParams, querystring: FeeRangeQuery } });

  api.get('/offices/:officeId/fees/daily.csv', schema('Fees per office day and currency: payments captured and refunds made (amounts in minor units), as CSV'), async (req, reply) => {
    const { office, q, activity } = await period(req);
    const rows = dailyTotals(activity.orders, activity.entries, office.timeZone).map((d) => [d.day, d.currency, d.payments, d.captured, d.refunds, d.refunded, d.captured - d.refunded]);
    return csv(req, reply, `fees-daily-${q.from}-${q.to}`, col(req, ['day', 'currency', 'payments', 'captured', 'refunds', 'refunded', 'net']), rows);
  });

  api.get('/offices/:officeId/fees/refunds.csv', schema('Every refund asked for in the period: order, the provider’s references, amount, reason, state, times (office time), as CSV'), async (req, reply) => {
    const { office, q, activity } = await period(req);
    const rows = refundRows(activity.orders, activity.entries).map((r) => [
      r.orderNo,
      r.providerRef,
      r.refundId,
      r.amount,
      r.currency,
      req.t(`fees.reason.${r.reason}`),
      req.t(`fees.refundState.${r.state}`),
      local(office, r.requestedAt),
      local(office, r.settledAt),
    ]);
    return csv(req, reply, `fees-refunds-${q.from}-${q.to}`, col(req, ['order', 'providerRef', 'refundId', 'amount', 'currency', 'reason', 'state', 'requestedAt', 'settledAt']), rows);
  });

  api.get(
    '/offices/:officeId/fees/reconciliation.csv',
    schema('Our orders that moved in the period beside the provider’s statement (charges and refunds per order; a charge with no order of ours is listed), as CSV'),
    async (req, reply) => {
      const { q, span, activity } = await period(req);
      const statement = await fees.payments.listStatement();
      if (!statement.ok) throw new ApiError('FEE_PROVIDER_UNAVAILABLE');
      const ours = new Set(activity.orders.map((o) => o.order.orderNo));
      const lines = [];
      for (const e of statement.value) {
        if (ours.has(e.reference)) lines.push(e);
        // A charge in the period for no order at all (another office's orders are theirs to reconcile).
        else if (e.at >= span.from && e.at < span.to && (await fees.orders.load(e.reference)) === null) lines.push(e);
      }
      const rows = reconcile(activity.orders, lines).map((r) => [r.orderNo, r.currency, r.ourCaptured, r.ourRefunded, r.providerCharged, r.providerRefunded, req.t(`fees.match.${r.status}`)]);
      return csv(req, reply, `fees-reconciliation-${q.from}-${q.to}`, col(req, ['order', 'currency', 'ourCaptured', 'ourRefunded', 'providerCharged', 'providerRefunded', 'status']), rows);
    },
  );
}
