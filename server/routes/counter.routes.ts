import {
  callChosen,
  callNext,
  closeCounter,
  markNoShow,
  openCounter,
  park,
  recall,
  resumeParked,
  setPaused,
  startService,
  transfer,
  type CounterActor,
  type CounterState,
} from '../../core/queue/counter-actions.ts';
import { followEndedTicket } from '../../core/booking/check-in.ts';
import { requestRating } from '../../core/booking/rating-request.ts';
import { finishWithOutcome } from '../../core/rules/outcomes.ts';
import { FinishBody } from '../../contracts/rules.ts';
import { ticketView } from '../../core/shared/events.ts';
import type { UserRecord } from '../../core/access/access.ts';
import type { QueueDeps } from '../../core/queue/issue-ticket.ts';
import type { Result } from '../../core/shared/result.ts';
import { CallChosenBody, CounterParams, CounterStateResponse, CounterTicketParams, OfficeParams, OpenCounterBody, OutOfOrderCallsResponse, TransferBody } from '../../contracts/api.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { unwrap, type Api } from './types.ts';
import { counterView } from '../views.ts';
import { bookingCore } from '../fee-runtime.ts';

type Action = (deps: QueueDeps, actor: CounterActor) => Promise<Result<CounterState>>;

const SIMPLE_ACTIONS: Record<string, { action: Action; summary: string }> = {
  close: { action: closeCounter, summary: 'Sign out; refused while a client is at the counter' },
  'call-next': { action: callNext, summary: 'Ends the current ticket as done and calls the next, in one transaction' },
  recall: { action: recall, summary: 'Announces the called ticket again; past the office maximum it becomes a no-show' },
  start: { action: startService, summary: 'The called client arrived: service begins' },
  'no-show': { action: markNoShow, summary: 'The called client did not come' },
  park: { action: park, summary: 'The client fetches a document; the ticket waits aside until resumed' },
  pause: { action: (d, a) => setPaused(d, a, true), summary: 'Pause the counter: it is handed no tickets' },
  unpause: { action: (d, a) => setPaused(d, a, false), summary: 'Resume a paused counter' },
};

const view = (s: CounterState) => ({
  counter: counterView(s.counter),
  ticket: s.ticket === null ? null : ticketView(s.ticket),
});

/** Counter actions: a clerk (or any staff) acts only at the counter they are signed in at. */
export function counterRoutes(api: Api, deps: ServerDeps): void {
  const booking = deps.booking;
  const bookingDeps = booking === undefined ? undefined : bookingCore({ clock: deps.clock, publicUrl: deps.publicUrl, booking });
  const run = async (user: UserRecord, counterId: string, action: (q: QueueDeps, a: CounterActor) => Promise<Result<CounterState>>) => {
    const actor = { userId: user.id, officeId: user.officeId, counterId };
    let queued = false;
    const state = view(
      unwrap(
        await deps.queue.run(async (store) => {
          const r = await action({ store, clock: deps.clock, ids: deps.ids }, actor);
          // A booked arrival's booking follows its ticket, same transaction: served → done (and,
          // where the office asks, the rating request is queued with it), did not come → a no-show.
          if (r.ok && booking !== undefined && bookingDeps !== undefined && r.value.ended !== undefined) {
            const followed = await followEndedTicket({ bookings: booking.store }, r.value.ended, deps.clock.now());
            if (followed !== null) queued = await requestRating(bookingDeps(store), followed, r.value.ended);
          }
          return r;
        }),
      ),
    );
    if (queued) booking?.onQueued?.();
    return state;
  };

  for (const [path, { action, summary }] of Object.entries(SIMPLE_ACTIONS)) {
    api.post(
      `/counters/:counterId/${path}`,
      { schema: { tags: ['counter'], summary, params: CounterParams, response: { 200: CounterStateResponse } } },
      async (req) => run(requireUser(req.identity), req.params.counterId, action),
    );
  }

  api.post(
    '/counters/:counterId/open',
    {
      schema: {
        tags: ['counter'],
        summary: 'Sign in at this counter (one counter per user); optionally only some of its services for this session',
        params: CounterParams,
        body: OpenCounterBody,
        response: { 200: CounterStateResponse },
      },
    },
    async (req) => run(requireUser(req.identity), req.params.counterId, async (d, a) => await openCounter(d, a, req.body?.serviceIds)),
  );

  api.post(
    '/counters/:counterId/transfer',
    {
      schema: {
        tags: ['counter'],
        summary: 'Re-queues the current ticket (same number, original arrival time) under another service',
        params: CounterParams,
        body: TransferBody,
        response: { 200: CounterStateResponse },
      },
    },
    async (req) => run(requireUser(req.identity), req.params.counterId, async (d, a) => await transfer(d, a, req.body.serviceId)),
  );

  api.post(
    '/counters/:counterId/finish',
    {
      schema: {
        tags: ['counter'],
        summary: 'Service finished; the counter is free. `outcome` records the result, for a service that defines outcomes',
        params: CounterParams,
        body: FinishBody,
        response: { 200: CounterStateResponse },
      },
    },
    async (req) => {
      const b = deps.booking;
      const rules = b?.serviceRules?.rules;
      const outcomes = b === undefined || rules === undefined ? null : { bookings: b.store, rules };
      return run(requireUser(req.identity), req.params.counterId, async (d, a) => await finishWithOutcome({ ...d, outcomes }, a, req.body?.outcome));
    },
  );

  api.post(
    '/counters/:counterId/tickets/:ticketId/resume',
    {
      schema: {
        tags: ['counter'],
        summary: 'A parked client is back: the ticket waits again with its original arrival time',
        params: CounterTicketParams,
        response: { 200: CounterStateResponse },
      },
    },
    async (req) => run(requireUser(req.identity), req.params.counterId, async (d, a) => await resumeParked(d, a, req.params.ticketId)),
  );

  api.post(
    '/counters/:counterId/call-chosen',
    {
      schema: {
        tags: ['counter'],
        summary: 'Calls a chosen waiting ticket out of turn (ending the current one as call-next does); the reason is required and recorded with the clerk',
        params: CounterParams,
        body: CallChosenBody,
        response: { 200: CounterStateResponse },
      },
    },
    async (req) => run(requireUser(req.identity), req.params.counterId, async (d, a) => await callChosen(d, a, { ticketId: req.body.ticketId, reason: req.body.reason })),
  );

  api.get(
    '/offices/:officeId/out-of-order-calls',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Tickets called out of turn: which, at which counter, by whom and why, newest first (supervisor, admin)',
        params: OfficeParams,
        response: { 200: OutOfOrderCallsResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      const events = await deps.events.latestOfType(req.params.officeId, 'ticket:called-out-of-order', 200);
      return {
        calls: await Promise.all(events.map(async (e) => ({
          eventId: e.id,
          at: e.at,
          ticketNumber: e.payload.ticket.number,
          counterNumber: e.payload.counterNumber,
          userId: e.payload.userId,
          username: (await deps.access.userById(e.payload.userId))?.username ?? null,
          reason: e.payload.reason,
        }))),
      };
    },
  );
}
