import { pickText } from '../../core/booking/availability.ts';
import { checkInAtCounter, checkInAtKiosk, findBookingsForCheckIn, undoCheckIn, whatToVerify, type CheckInDeps, type CheckInOutcome, type ToVerify } from '../../core/booking/check-in.ts';
import { ticketView } from '../../core/shared/events.ts';
import type { Language, Office } from '../../core/shared/model.ts';
import { formatHhMm, localTime } from '../../core/shared/office-time.ts';
import type { QueueStore } from '../../core/queue/ports.ts';
import type { Result } from '../../core/shared/result.ts';
import { CounterParams } from '../../contracts/api.ts';
import {
  BookingSearchQuery,
  BookingSearchResponse,
  CheckInResponse,
  CounterCheckInBody,
  CounterCheckInResponse,
  KioskCheckInBody,
} from '../../contracts/check-in.ts';
import type { ServerDeps } from '../deps.ts';
import { requireDevice, requireUser, type Identity } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { holdPrinter, printAllocated } from '../issue-and-print.ts';
import type { PrintAgents } from '../print-agents.ts';
import { unwrap, type Api } from './types.ts';

type Checked = Extract<CheckInOutcome, { kind: 'checked-in' }>;

/** A refusal is a committed outcome (a wrong code counts, a late code lapses); it still answers 4xx. */
function checked(r: Result<CheckInOutcome>): Checked {
  const outcome = unwrap(r);
  if (outcome.kind === 'refused') throw ApiError.from(outcome.error);
  return outcome;
}

const hhmm = (office: Office, at: number): string => formatHhMm(localTime(office.timeZone, at).minute);

/** What to verify, in the clerk's language. */
const verifyView = (v: ToVerify, lang: Language, office: Office) => ({
  name: v.name,
  phoneEnd: v.phoneEnd,
  identityLabel: v.identityLabel === null ? null : pickText(v.identityLabel, lang, office),
});

/**
 * Check-in of booked clients: at the kiosk by code (printed through the kiosk's agent like a
 * walk-in ticket when it has one), and by hand at a counter by booking number.
 */
export function checkInRoutes(api: Api, deps: ServerDeps & { printAgents: PrintAgents }): void {
  const b = deps.booking;
  const core = (store: QueueStore): CheckInDeps => {
    if (b === undefined) throw new ApiError('BOOKING_NOT_OFFERED');
    return { store, bookings: b.store, clock: deps.clock, ids: deps.ids };
  };
  const response = async (store: QueueStore, c: Checked) => {
    const office = (await store.getOffice(c.issued.ticket.officeId))!;
    return {
      ticket: ticketView(c.issued.ticket),
      ahead: c.issued.ahead,
      estimatedWaitMin: c.issued.estimatedWaitMin,
      bookedTime: hhmm(office, c.booking.startAt),
      walkIn: c.walkIn,
    };
  };

  api.post(
    '/kiosk/check-in',
    {
      schema: {
        tags: ['kiosk'],
        summary:
          'A booked client checks in with the kiosk code (kiosk device): accepted from earlyMin before to lateMin after the booked time. ' +
          'Five unknown codes in a minute lock this kiosk’s code entry for a minute (CHECK_IN_LOCKED). With a print agent, answered once printed.',
        body: KioskCheckInBody,
        response: { 201: CheckInResponse },
      },
    },
    async (req, reply) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      if (b === undefined) throw new ApiError('BOOKING_NOT_OFFERED');
      const input = { officeId: kiosk.officeId, deviceId: kiosk.id, code: req.body.code, walkIn: req.body.walkIn };
      void reply.status(201);
      if (kiosk.printer !== 'agent') {
        const c = checked(await deps.queue.run(async (store) => await checkInAtKiosk(core(store), { ...input, state: 'waiting' })));
        return deps.queue.read(async (store) => await response(store, c));
      }
      // Refused before the code is looked at when the printer cannot print: nothing is used up.
      const holdId = unwrap(await holdPrinter(deps, kiosk));
      let c: Checked;
      try {
        c = checked(await deps.queue.run(async (store) => await checkInAtKiosk(core(store), { ...input, state: 'printing' })));
      } catch (error) {
        deps.printAgents.release(kiosk, holdId);
        throw error;
      }
      // No paper, no check-in: a voided ticket leaves the booking as it was, so the client can try again.
      const onVoided = async (store: QueueStore, ticketId: string): Promise<void> => {
        await undoCheckIn(core(store), ticketId);
      };
      const printed = unwrap(await printAllocated(deps, kiosk, c.issued, req.lang, req.t, { holdId, onVoided }));
      return deps.queue.read(async (store) => await response(store, { ...c, issued: { ...c.issued, ticket: printed } }));
    },
  );

  /** Like every counter action: only the clerk signed in at this counter, in their office. */
  const clerkAtCounter = async (identity: Identity, counterId: string) => {
    const user = requireUser(identity, 'clerk');
    if (b === undefined) throw new ApiError('BOOKING_NOT_OFFERED');
    const counter = await deps.queue.read(async (s) => await s.getCounter(counterId));
    if (counter === null) throw new ApiError('COUNTER_NOT_FOUND');
    if (counter.officeId !== user.officeId) throw new ApiError('FORBIDDEN');
    if (counter.userId !== user.id || counter.status === 'closed') throw new ApiError('COUNTER_NOT_ASSIGNED');
    return { user, b };
  };

  api.post(
    '/counters/:counterId/check-in',
    {
      schema: {
        tags: ['counter'],
        summary:
          'A clerk checks a booked client in by booking number (no kiosk, or its printer is down); early is allowed on the booking’s day. ' +
          'Answers what to verify: the name as booked, the phone’s last digits and the identity document the service asks for.',
        params: CounterParams,
        body: CounterCheckInBody,
        response: { 201: CounterCheckInResponse },
      },
    },
    async (req, reply) => {
      const { user, b } = await clerkAtCounter(req.identity, req.params.counterId);
      const c = checked(await deps.queue.run(async (store) => await checkInAtCounter(core(store), { officeId: user.officeId, number: req.body.number })));
      void reply.status(201);
      return deps.queue.read(async (store) => {
        const office = (await store.getOffice(c.booking.officeId))!;
        const service = (await store.getService(c.booking.serviceId))!;
        return { ...await response(store, c), serviceName: pickText(service.names, req.lang, office), ...verifyView(await whatToVerify({ keyed: b.keyed, bookings: b.store }, c.booking), req.lang, office) };
      });
    },
  );

  api.get(
    '/counters/:counterId/bookings',
    {
      schema: {
        tags: ['counter'],
        summary:
          'A clerk finds a booked client without the booking number: today’s bookings of the office that can still be checked in, ' +
          'by part of the name and the time the client remembers (±30 min), with what to verify. Check in with the number found.',
        params: CounterParams,
        querystring: BookingSearchQuery,
        response: { 200: BookingSearchResponse },
      },
    },
    async (req) => {
      const { user, b } = await clerkAtCounter(req.identity, req.params.counterId);
      return deps.queue.read(async (store) => {
        const found = unwrap(
          await findBookingsForCheckIn({ store, bookings: b.store, clock: deps.clock, keyed: b.keyed }, { officeId: user.officeId, name: req.query.name, time: req.query.time }),
        );
        const office = (await store.getOffice(user.officeId))!;
        return {
          bookings: await Promise.all(found.map(async ({ booking, verify }) => ({
            number: booking.number,
            serviceId: booking.serviceId,
            serviceName: pickText((await store.getService(booking.serviceId))?.names ?? {}, req.lang, office),
            time: hhmm(office, booking.startAt),
            startAt: booking.startAt,
            ...verifyView(verify, req.lang, office),
          }))),
        };
      });
    },
  );
}
