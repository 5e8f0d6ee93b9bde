import { pickNext } from './call-policy.ts';
import { nextAverage, servedNow } from './estimate.ts';
import { ticketView } from '../shared/events.ts';
import type { QueueDeps } from './issue-ticket.ts';
import type { Counter, Office, Ticket, TicketState } from '../shared/model.ts';
import type { QueueStore } from './ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { AT_COUNTER } from './ticket-state.ts';

/**
 * What a clerk does at a counter. Every action checks that the acting user is the one signed
 * in at the counter, and appends the events describing its change in the same transaction.
 */

export interface CounterActor {
  userId: string;
  /** The user's office: nobody acts at another office's counters. */
  officeId: string;
  counterId: string;
}

export interface CounterState {
  counter: Counter;
  ticket: Ticket | null;
  /**
   * The ticket this action ended (done or no-show), when it did: call-next ends the current
   * ticket and answers with the next one. Followers such as a booked arrival's booking read it.
   */
  ended?: Ticket;
}

interface Ctx {
  office: Office;
  counter: Counter;
  now: number;
}

async function atOwnCounter(deps: QueueDeps, actor: CounterActor): Promise<Result<Ctx>> {
  // First: a second press at this counter waits here and then sees the first one's outcome.
  await deps.store.lockCounter(actor.counterId);
  const counter = await deps.store.getCounter(actor.counterId);
  if (counter === null) return fail('COUNTER_NOT_FOUND');
  if (counter.officeId !== actor.officeId) return fail('FORBIDDEN');
  if (counter.userId !== actor.userId || counter.status === 'closed') return fail('COUNTER_NOT_ASSIGNED');
  const office = await deps.store.getOffice(counter.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  return ok({ office, counter, now: deps.clock.now() });
}

/** `current` when the caller knows it (saves a lookup on the hot call-next path). */
async function emitCounter(store: QueueStore, counter: Counter, now: number, known?: Ticket | null): Promise<void> {
  const current = known === undefined ? await store.currentTicket(counter.id) : known;
  await store.appendEvent(
    {
      type: 'counter:changed',
      officeId: counter.officeId,
      payload: {
        counterId: counter.id,
        number: counter.number,
        status: counter.status,
        userId: counter.userId,
        ticket: current === null ? null : ticketView(current),
      },
    },
    now,
  );
}

async function emitQueue(store: QueueStore, office: Office, now: number): Promise<void> {
  await store.markQueueChanged(office.id, now);
}

async function emitTicketChanged(store: QueueStore, ticket: Ticket, previous: TicketState, now: number): Promise<void> {
  await store.appendEvent({ type: 'ticket:changed', officeId: ticket.officeId, payload: { ticket: ticketView(ticket), previous } }, now);
}

/** Moves a ticket, which must be in `from`, to `to`; the store's compare-and-set makes it race-free. */
async function move(store: QueueStore, ticket: Ticket, to: TicketState, patch: Partial<Ticket>, now: number): Promise<Result<Ticket>> {
  const moved = await store.transition(ticket.id, ticket.state, to, patch);
  if (moved === null) return fail('TICKET_STATE_INVALID');
  await emitTicketChanged(store, moved, ticket.state, now);
  return ok(moved);
}

/** Ends the current ticket as served; a ticket still `called` passes through `serving`. */
async function finishCurrent(store: QueueStore, current: Ticket, now: number): Promise<Result<Ticket>> {
  const servingAt = current.servingAt ?? current.calledAt ?? now;
  const done = await move(store, current, 'done', { doneAt: now, servingAt }, now);
  if (done.ok) await store.setAverageServiceMs(current.serviceId, nextAverage(await store.averageServiceMs(current.serviceId), now - servingAt));
  return done;
}

async function currentAt(deps: QueueDeps, ctx: Ctx): Promise<Result<Ticket>> {
  const current = await deps.store.currentTicket(ctx.counter.id);
  return current === null ? fail('COUNTER_NOT_SERVING') : ok(current);
}

/**
 * Sign in at a counter (opens it). A user is at one counter at a time. `serviceIds` narrows the
 * counter to some of its services for this session (kept in the counter's preference order);
 * signing in again without it restores all of them.
 */
export async function openCounter(deps: QueueDeps, actor: CounterActor, serviceIds?: readonly string[]): Promise<Result<CounterState>> {
  const { store } = deps;
  await store.lockCounter(actor.counterId);
  const counter = await store.getCounter(actor.counterId);
  if (counter === null) return fail('COUNTER_NOT_FOUND');
  if (counter.officeId !== actor.officeId) return fail('FORBIDDEN');
  if (counter.userId !== null && counter.userId !== actor.userId) return fail('COUNTER_BUSY');
  if (serviceIds !== undefined && (serviceIds.length === 0 || serviceIds.some((id) => !counter.serviceIds.includes(id)))) {
    return fail('COUNTER_DOES_NOT_SERVE');
  }
  const session = serviceIds === undefined || serviceIds.length === counter.serviceIds.length ? null : counter.serviceIds.filter((id) => serviceIds.includes(id));
  const now = deps.clock.now();
  for (const other of await store.countersOfUser(actor.userId)) {
    if (other.id === counter.id) continue;
    if ((await store.currentTicket(other.id)) !== null) return fail('COUNTER_BUSY');
    await emitCounter(store, await store.updateCounter(other.id, { status: 'closed', userId: null, sessionServiceIds: null }), now);
  }
  const status = counter.status === 'paused' && counter.userId === actor.userId ? 'paused' : 'open';
  const opened = await store.updateCounter(counter.id, { status, userId: actor.userId, sessionServiceIds: session });
  await emitCounter(store, opened, now);
  const office = await store.getOffice(counter.officeId);
  if (office !== null) await emitQueue(store, office, now);
  return ok({ counter: opened, ticket: await store.currentTicket(counter.id) });
}

/** Sign out (closes the counter). Refused while a client is at the counter. */
export async function closeCounter(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { store } = deps;
  if ((await store.currentTicket(ctx.value.counter.id)) !== null) return fail('COUNTER_BUSY');
  const closed = await store.updateCounter(ctx.value.counter.id, { status: 'closed', userId: null, sessionServiceIds: null });
  await emitCounter(store, closed, ctx.value.now);
  await emitQueue(store, ctx.value.office, ctx.value.now);
  return ok({ counter: closed, ticket: null });
}

export async function setPaused(deps: QueueDeps, actor: CounterActor, paused: boolean): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { store } = deps;
  const updated = await store.updateCounter(ctx.value.counter.id, { status: paused ? 'paused' : 'open' });
  await emitCounter(store, updated, ctx.value.now);
  await emitQueue(store, ctx.value.office, ctx.value.now);
  return ok({ counter: updated, ticket: await store.currentTicket(updated.id) });
}

/**
 * Call next: the counter's current ticket ends as done and the next one is called, in one
 * transaction. A paused counter is never handed a ticket.
 */
export async function callNext(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { office, counter, now } = ctx.value;
  const { store } = deps;
  if (counter.status === 'paused') return fail('COUNTER_PAUSED');
  const current = await store.currentTicket(counter.id);
  const finished = current === null ? null : await finishCurrent(store, current, now);
  if (finished !== null && !finished.ok) return finished;
  const ended = finished === null ? {} : { ended: finished.value };
  const maxWaitMs = office.settings.maxWaitMin * 60_000;
  // The store seeks the lines of the services served now (the session's choice, if any).
  const serving = { ...counter, serviceIds: servedNow(counter) };
  const next = await store.claimNext(serving, (candidates) => pickNext(candidates, { serviceIds: serving.serviceIds, now, maxWaitMs }), now);
  if (next === null) {
    // The finished ticket still changed the floor: say so before reporting the empty queue.
    if (current !== null) await emitCounter(store, counter, now, null);
    return current === null ? fail('QUEUE_EMPTY') : ok({ counter, ticket: null, ...ended });
  }
  await announceCall(store, office, counter, next, now);
  return ok({ counter, ticket: next, ...ended });
}

/** A ticket just called at a counter: the hall display's call, the counter's and the queue's change. */
async function announceCall(store: QueueStore, office: Office, counter: Counter, called: Ticket, now: number): Promise<void> {
  await store.appendEvent(
    {
      type: 'ticket:called',
      officeId: office.id,
      payload: { ticket: ticketView(called), counterId: counter.id, counterNumber: counter.number, recall: false, ...(counter.userId === null ? {} : { userId: counter.userId }) },
    },
    now,
  );
  await emitCounter(store, counter, now, called);
  await emitQueue(store, office, now);
}

/**
 * Calls a chosen waiting ticket out of turn (a client who cannot wait, one the policy would reach
 * too late), ending the current ticket as call-next does. The reason is required and recorded
 * with who called which ticket (`ticket:called-out-of-order`, for staff only: a reason may say
 * something about a person, so it never goes to a hall display). The ticket must wait for a
 * service the counter serves now.
 */
export async function callChosen(deps: QueueDeps, actor: CounterActor, input: { ticketId: string; reason: string }): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { office, counter, now } = ctx.value;
  const { store } = deps;
  if (counter.status === 'paused') return fail('COUNTER_PAUSED');
  const chosen = await store.getTicket(input.ticketId);
  if (chosen === null || chosen.officeId !== office.id) return fail('TICKET_NOT_FOUND');
  if (chosen.state !== 'waiting') return fail('TICKET_STATE_INVALID');
  if (!servedNow(counter).includes(chosen.serviceId)) return fail('COUNTER_DOES_NOT_SERVE');
  const reason = input.reason.trim().slice(0, 200);
  if (reason === '') return fail('CALL_REASON_REQUIRED');
  const current = await store.currentTicket(counter.id);
  const finished = current === null ? null : await finishCurrent(store, current, now);
  if (finished !== null && !finished.ok) return finished;
  const called = await store.transition(chosen.id, 'waiting', 'called', { counterId: counter.id, calledAt: now, recallCount: 0 });
  if (called === null) return fail('TICKET_STATE_INVALID');
  await store.appendEvent(
    {
      type: 'ticket:called-out-of-order',
      officeId: office.id,
      payload: { ticket: ticketView(called), counterId: counter.id, counterNumber: counter.number, userId: actor.userId, reason },
    },
    now,
  );
  await announceCall(store, office, counter, called, now);
  return ok({ counter, ticket: called, ...(finished === null ? {} : { ended: finished.value }) });
}

/**
 * Recall: announce the called ticket again. Counted; once the office's maximum is reached,
 * one more recall marks the ticket a no-show instead.
 */
export async function recall(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { office, counter, now } = ctx.value;
  const { store } = deps;
  const current = await currentAt(deps, ctx.value);
  if (!current.ok) return current;
  const t = current.value;
  if (t.state !== 'called') return fail('TICKET_STATE_INVALID');
  if (t.recallCount >= office.settings.maxRecalls) {
    const gone = await move(store, t, 'no_show', { noShowAt: now }, now);
    if (!gone.ok) return gone;
    await emitCounter(store, counter, now);
    return ok({ counter, ticket: gone.value, ended: gone.value });
  }
  const again = await store.transition(t.id, 'called', 'called', { recallCount: t.recallCount + 1, calledAt: now });
  if (again === null) return fail('TICKET_STATE_INVALID');
  await store.appendEvent(
    {
      type: 'ticket:called',
      officeId: office.id,
      payload: { ticket: ticketView(again), counterId: counter.id, counterNumber: counter.number, recall: true, userId: actor.userId },
    },
    now,
  );
  return ok({ counter, ticket: again });
}

/** The client arrived at the counter: service begins. */
export async function startService(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  return withCurrent(deps, actor, ['called'], (store, t, ctx) => move(store, t, 'serving', { servingAt: ctx.now }, ctx.now));
}

/** Service finished; the counter is free (call next also does this). */
export async function finishService(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  return withCurrent(deps, actor, ['called', 'serving'], (store, t, ctx) => finishCurrent(store, t, ctx.now));
}

export async function markNoShow(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  return withCurrent(deps, actor, ['called'], (store, t, ctx) => move(store, t, 'no_show', { noShowAt: ctx.now }, ctx.now));
}

/** The client fetches a document: the ticket leaves the counter and waits aside until resumed. */
export async function park(deps: QueueDeps, actor: CounterActor): Promise<Result<CounterState>> {
  return withCurrent(deps, actor, ['serving'], (store, t, ctx) =>
    move(store, t, 'parked', { parkedAt: ctx.now, counterId: null }, ctx.now),
  );
}

/**
 * Transfer: the same ticket and number join the queue of another service with their original
 * arrival time, so the client does not start again at the back.
 */
export async function transfer(deps: QueueDeps, actor: CounterActor, serviceId: string): Promise<Result<CounterState>> {
  return withCurrent(deps, actor, AT_COUNTER, async (store, t, ctx) => {
    const service = await store.getService(serviceId);
    if (service === null || service.officeId !== ctx.office.id) return fail('SERVICE_NOT_FOUND');
    if (service.id === t.serviceId) return fail('TRANSFER_SAME_SERVICE');
    return move(store, t, 'waiting', { serviceId: service.id, counterId: null, waitingAt: ctx.now }, ctx.now);
  });
}

/** A parked client is back: the ticket waits again with its original arrival, so it goes ahead. */
export async function resumeParked(deps: QueueDeps, actor: CounterActor, ticketId: string): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const { office, counter, now } = ctx.value;
  const { store } = deps;
  const t = await store.getTicket(ticketId);
  if (t === null || t.officeId !== office.id) return fail('TICKET_NOT_FOUND');
  if (t.state !== 'parked') return fail('TICKET_STATE_INVALID');
  const back = await move(store, t, 'waiting', { waitingAt: now }, now);
  if (!back.ok) return back;
  await emitQueue(store, office, now);
  return ok({ counter, ticket: await store.currentTicket(counter.id) });
}

async function withCurrent(
  deps: QueueDeps,
  actor: CounterActor,
  allowed: readonly TicketState[],
  act: (store: QueueStore, t: Ticket, ctx: Ctx) => Promise<Result<Ticket>>,
): Promise<Result<CounterState>> {
  const ctx = await atOwnCounter(deps, actor);
  if (!ctx.ok) return ctx;
  const current = await currentAt(deps, ctx.value);
  if (!current.ok) return current;
  if (!allowed.includes(current.value.state)) return fail('TICKET_STATE_INVALID');
  const done = await act(deps.store, current.value, ctx.value);
  if (!done.ok) return done;
  const { counter, office, now } = ctx.value;
  await emitCounter(deps.store, counter, now);
  await emitQueue(deps.store, office, now);
  const ended = done.value.state === 'done' || done.value.state === 'no_show' ? { ended: done.value } : {};
  return ok({ counter, ticket: (await deps.store.currentTicket(counter.id)) ?? done.value, ...ended });
}

/**
 * A user was disabled: every counter they were signed in at closes, and a client at it waits
 * again with their original arrival (so the next clerk calls them first among later arrivals),
 * rather than being left at a counter nobody works at.
 */
export async function releaseCountersOf(deps: QueueDeps, userId: string): Promise<Counter[]> {
  const { store } = deps;
  const now = deps.clock.now();
  const released: Counter[] = [];
  for (const counter of await store.countersOfUser(userId)) {
    const current = await store.currentTicket(counter.id);
    if (current !== null && AT_COUNTER.includes(current.state)) await move(store, current, 'waiting', { counterId: null, waitingAt: now }, now);
    const closed = await store.updateCounter(counter.id, { status: 'closed', userId: null, sessionServiceIds: null });
    await emitCounter(store, closed, now, null);
    const office = await store.getOffice(counter.officeId);
    if (office !== null) await emitQueue(store, office, now);
    released.push(closed);
  }
  return released;
}
