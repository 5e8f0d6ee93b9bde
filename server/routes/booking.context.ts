import type { FastifyRequest } from 'fastify';
import { pickText } from '../../core/booking/availability.ts';
import type { ConfirmedBooking } from '../../core/booking/confirm.ts';
import type { BookingDeps } from '../../core/booking/deps.ts';
import type { Booking, DrawRecord } from '../../core/booking/model.ts';
import type { Language, Office } from '../../core/shared/model.ts';
import { formatHhMm, localTime } from '../../core/shared/office-time.ts';
import type { QueueStore } from '../../core/queue/ports.ts';
import type { Result } from '../../core/shared/result.ts';
import type { OwnBookingT } from '../../contracts/booking.ts';
import type { BookingServerDeps, ServerDeps } from '../deps.ts';
import { PUBLIC } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { unwrap } from './types.ts';
import { bookingCore, feeRuntime, serviceFee } from '../fee-runtime.ts';
import { settle } from '../../core/fees/settle.ts';
import type { StoredOrder } from '../../core/fees/ports.ts';

export function clientKey(req: FastifyRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first !== undefined && first !== '') return first;
  }
  return req.ip;
}

export const isLang = (l: string): l is Language => ['cs', 'ro', 'zh-CN', 'en'].includes(l);

/** What the portal's routes share: the use cases' inputs, the rate limits, the unit of work, the client's view of a booking. */
export function bookingRouteContext(deps: ServerDeps, b: BookingServerDeps) {
  const fees = deps.fees === undefined || deps.config === undefined ? undefined : { fees: deps.fees, config: deps.config, ids: deps.ids };
  const core: (store: QueueStore) => BookingDeps = bookingCore({ clock: deps.clock, publicUrl: deps.publicUrl, booking: b, fees });
  const feesRt = fees === undefined ? null : feeRuntime({ queue: deps.queue, clock: deps.clock, publicUrl: deps.publicUrl, booking: b, ...fees });

  /**
   * A booking just ended or changed (its unit committed): its order follows. Unpaid, the order is
   * withdrawn (the payment page closed; a payment still landing is refunded as late). Paid, it is
   * refunded when the office caused the change, or when the fee's rule grants it to a client who
   * cancels (`refunds.clientCancel`: 'none' by default).
   */
  const settleOrderOf = async (bookingId: string, by: 'client' | 'office'): Promise<void> => {
    const stored = feesRt === null ? null : await feesRt.orders.byBooking(bookingId);
    if (stored !== null) await settleOrder(stored, by);
  };
  /** The same for one order (changed details close the booking's previous order, not its newest). */
  const settleOrder = async (stored: StoredOrder, by: 'client' | 'office'): Promise<void> => {
    if (feesRt === null || fees === undefined) return;
    const at = deps.clock.now();
    if (stored.order.state === 'awaiting_payment') {
      unwrap(await settle(feesRt, stored, { kind: 'withdraw', at }));
      return;
    }
    // Refunded in the unit that ended the booking: the provider is asked now (else reconciliation does).
    if (stored.order.state === 'refunded') {
      unwrap(await settle(feesRt, stored, { kind: 'reconcile', at }));
      return;
    }
    if (stored.order.state !== 'paid') return;
    const fee = await deps.queue.read((store) => serviceFee(fees.config, store, stored.serviceId));
    if (by === 'office' || fee?.refunds.clientCancel === 'full') unwrap(await settle(feesRt, stored, { kind: 'office_refund', at }));
  };
  // Each limited route is a public one (the portal's): the limit config declares that too.
  const limit = (max: number) => ({
    ...PUBLIC,
    rateLimit: { max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => clientKey(req, b.trustProxy === true) },
  });
  const holdLimit = limit(b.limits?.holdPerMin ?? 30);
  const guessLimit = limit(b.limits?.guessPerMin ?? 20);
  const lookupLimit = limit(b.limits?.lookupPerMin ?? 30);
  /**
  /** Runs a use case in the unit of work; a rule's refusal is recorded after its rollback. */
  const attempt = async <T>(work: (d: BookingDeps) => Promise<Result<T>>): Promise<Result<T>> => {
    const r = await deps.queue.run((store) => work(core(store)));
    if (r.ok) b.onQueued?.();
    else if (r.error.decision !== undefined) {
      const decision = r.error.decision;
      await deps.queue.run(async () => await b.store.recordDecision(decision));
    }
    return r;
  };
  const write = async <T>(work: (d: BookingDeps) => Promise<Result<T>>): Promise<T> => unwrap(await attempt(work));

  /**
   * A confirmation that a rule turned into cancellations (cancel-all of an identity key) is
   * answered as such; the office's rule cancelled them, so a paid fee among them goes back.
   */
  const refuseIfCancelled = async (c: ConfirmedBooking, lang: Language): Promise<void> => {
    const cancelled = c.cancelledByRule;
    if (cancelled === undefined) return;
    for (const x of cancelled) await settleOrderOf(x.id, 'office');
    const label = await deps.queue.read(async (store) => {
      const office = (await store.getOffice(c.booking.officeId))!;
      const rule = (await b.store.policy(c.booking.serviceId))?.identityKey;
      return rule == null ? '' : pickText(rule.label, lang, office);
    });
    throw new ApiError('IDENTITY_BOOKINGS_CANCELLED', { label, numbers: cancelled.map((x) => x.number).join(', ') });
  };

  const when = (office: Office, at: number): { day: string; time: string } => {
    const t = localTime(office.timeZone, at);
    return { day: t.date, time: formatHhMm(t.minute) };
  };

  const own = async (store: QueueStore, bk: Booking, lang: Language): Promise<OwnBookingT> => {
    const office = (await store.getOffice(bk.officeId))!;
    const service = (await store.getService(bk.serviceId))!;
    const confirmed = bk.state === 'confirmed' || bk.state === 'checked_in' || bk.state === 'done';
    // A fee-paying booking's order: its number shown from the start, on every receipt.
    const order = deps.fees === undefined ? null : ((await deps.fees.orders.byBooking(bk.id))?.order ?? null);
    return {
      state: bk.state,
      serviceId: bk.serviceId,
      serviceName: pickText(service.names, lang, office),
      officeName: office.name,
      ...when(office, bk.startAt),
      startAt: bk.startAt,
      timeZone: office.timeZone,
      channel: bk.channel,
      // Awaiting payment, the place is held until the payment deadline.
      holdExpiresAt: bk.state === 'held' || bk.state === 'awaiting_payment' ? bk.holdExpiresAt : null,
      canExtend: bk.state === 'held' && !bk.holdExtended,
      number: confirmed || bk.state === 'cancelled' ? bk.number : null,
      kioskCode: confirmed ? bk.kioskCode : null,
      icsUrl: confirmed ? `${deps.publicUrl}/api/v1/booking/bookings/${bk.number}/ics` : null,
      order: order === null ? null : { orderNo: order.orderNo, state: order.state, amount: order.amount, currency: order.currency, deadlineAt: order.deadline },
    };
  };

  const drawView = (d: DrawRecord) => ({
    serviceId: d.serviceId,
    day: d.day,
    opensAt: d.opensAt,
    closesAt: d.closesAt,
    commitment: d.commitment,
    seed: d.seed,
    state: d.state,
  });

  return { core, holdLimit, guessLimit, lookupLimit, attempt, write, refuseIfCancelled, when, own, drawView, settleOrderOf, settleOrder };
}
