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
  const core = (store: QueueStore): BookingDeps => ({
    store,
    bookings: b.store,
    clock: deps.clock,
    secrets: b.secrets,
    keyed: b.keyed,
    publicUrl: deps.publicUrl,
    checks: b.checks,
    ...(b.onConfirm === undefined ? {} : { onConfirm: b.onConfirm }),
  });
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

  /** A confirmation that a rule turned into cancellations (cancel-all of an identity key) is answered as such. */
  const refuseIfCancelled = async (c: ConfirmedBooking, lang: Language): Promise<void> => {
    const cancelled = c.cancelledByRule;
    if (cancelled === undefined) return;
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
    return {
      state: bk.state,
      serviceId: bk.serviceId,
      serviceName: pickText(service.names, lang, office),
      officeName: office.name,
      ...when(office, bk.startAt),
      startAt: bk.startAt,
      timeZone: office.timeZone,
      channel: bk.channel,
      holdExpiresAt: bk.state === 'held' ? bk.holdExpiresAt : null,
      canExtend: bk.state === 'held' && !bk.holdExtended,
      number: confirmed || bk.state === 'cancelled' ? bk.number : null,
      kioskCode: confirmed ? bk.kioskCode : null,
      icsUrl: confirmed ? `${deps.publicUrl}/api/v1/booking/bookings/${bk.number}/ics` : null,
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

  return { core, holdLimit, guessLimit, lookupLimit, attempt, write, refuseIfCancelled, when, own, drawView };
}
