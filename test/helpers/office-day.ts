import type { Booking } from '../../core/booking/model.ts';
import { checkInAtKiosk } from '../../core/booking/check-in.ts';
import { callNext, finishService, markNoShow, openCounter, closeCounter, recall, setPaused, startService, transfer, type CounterActor } from '../../core/queue/counter-actions.ts';
import { issueTicket } from '../../core/queue/issue-ticket.ts';
import { allocateForPrint, voidPrint } from '../../core/queue/print-ticket.ts';
import { issueAtCounter } from '../../core/queue/reception.ts';
import type { Result } from '../../core/shared/result.ts';
import type { BookingTestHost } from './booking.ts';

/**
 * A simulated office day on the fake clock, generated from a seed: 2,000 tickets (walk-ins at the
 * kiosk, reception tickets, booked arrivals checking in), four clerks calling, recalling,
 * serving, transferring, marking no-shows and pausing, plus bookings that lapse or are cancelled,
 * failed prints, printer faults and messages. Everything goes through the real use cases and the
 * real store; the test's own log records what happened as the test saw it (the clock it set, the
 * tickets the calls returned), and `expected*` below compute the statistics from that log alone.
 */

export const DAY = '2026-11-23';
const MIN = 60_000;
/** 08:00 in Prague (UTC+1 in November). */
export const OPEN_AT = Date.UTC(2026, 10, 23, 7, 0, 0);
const ISSUE_UNTIL = OPEN_AT + 510 * MIN; // 16:30

export interface LoggedTicket {
  id: string;
  serviceId: string;
  channel: 'walk_in' | 'booked' | 'reception';
  kioskId: string | null;
  arrivedAt: number;
  bookedAt: number | null;
  answeredAt: number | null;
  lastCall: { at: number; counterId: string; clerkId: string } | null;
  recalls: number;
  transfers: number;
  serviceMs: number | null;
  endedAt: number | null;
  outcome: 'served' | 'no_show' | 'void' | 'open';
}

export interface CounterLog {
  counterId: string;
  /** [from, to) intervals. */
  open: [number, number][];
  paused: [number, number][];
  busy: [number, number][];
}

export interface DayLog {
  tickets: Map<string, LoggedTicket>;
  counters: CounterLog[];
  slotsOffered: Map<string, number>;
  bookings: Map<string, { booked: number; checkedIn: number; lapsed: number; cancelled: number }>;
  messages: Map<string, { sent: number; failed: number; retried: number }>;
  printFaults: Map<string, number>;
  kioskId: string;
}

/** mulberry32: a small seeded generator, so the day is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Plan = { at: number; kind: 'walk_in' | 'reception'; serviceId: string } | { at: number; kind: 'booked'; code: string; bookedAt: number };

interface CounterSim {
  actor: CounterActor;
  log: CounterLog;
  /** What the counter does next and when. */
  next: { at: number; step: 'call' | 'recall' | 'start' | 'finish' | 'no_show' | 'transfer' };
  ticket: string | null;
  recallsLeft: number;
  fate: 'serve' | 'no_show' | 'transfer';
  pauseAt: number;
  paused: boolean;
}

const must = <T>(r: Result<T>, what: string): T => {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}`);
  return r.value;
};

export async function simulateOfficeDay(h: BookingTestHost, seed: number, tickets = 2000): Promise<DayLog> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const services = ['o1-s1', 'o1-s2', 'o1-s3'];
  const users = new Map((await h.sql<{ username: string; id: string }>('SELECT username, id FROM users')).map((u) => [u.username, u.id]));
  const [kiosk] = await h.sql<{ id: string }>("SELECT id FROM devices WHERE kind = 'kiosk'");
  const kioskId = kiosk!.id;
  const deps = () => ({ clock: h.clock, ids: { ticketId: () => `t${String(++idSeq).padStart(6, '0')}`, entityId: (p: string) => `${p}_${++idSeq}` } });
  let idSeq = 0;
  const log: DayLog = { tickets: new Map(), counters: [], slotsOffered: new Map(), bookings: new Map(), messages: new Map(), printFaults: new Map(), kioskId };
  const run = <T>(work: Parameters<typeof h.queue.run<T>>[0]) => h.queue.run<T>(work);

  // Bookings: slots every 30 minutes for two services; most booked clients come (±14 minutes of
  // their time), some lapse, some cancelled.
  const plans: Plan[] = [];
  let code = 10_000_000;
  let bookingSeq = 0;
  const bookingCount = (s: string) => {
    let b = log.bookings.get(s);
    if (b === undefined) log.bookings.set(s, (b = { booked: 0, checkedIn: 0, lapsed: 0, cancelled: 0 }));
    return b;
  };
  const bookedComers = 150;
  for (const serviceId of ['o1-s1', 'o1-s2']) {
    for (let slot = 1; slot <= 16; slot++) {
      const startAt = OPEN_AT + slot * 30 * MIN;
      const hhmm = new Date(startAt + 60 * MIN).toISOString().slice(11, 16);
      const slotId = `${serviceId}~${DAY}~${hhmm.replace(':', '')}`;
      const places = 8;
      const startMin = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
      await h.sql(`INSERT INTO slots (id, service_id, day, start_min, start_at, places, taken) VALUES ('${slotId}', '${serviceId}', '${DAY}', ${startMin}, ${startAt}, ${places}, 0)`);
      log.slotsOffered.set(serviceId, (log.slotsOffered.get(serviceId) ?? 0) + places);
      const taken = between(4, 7);
      for (let k = 0; k < taken; k++) {
        const roll = rnd();
        const state: Booking['state'] = roll < 0.12 ? 'lapsed' : roll < 0.2 ? 'cancelled' : 'confirmed';
        const kioskCode = String(code++);
        await insertBooking(h, { id: `bk${++bookingSeq}`, serviceId, slotId, startAt, state, kioskCode });
        await h.sql(`UPDATE slots SET taken = taken + 1 WHERE id = '${slotId}'`);
        const b = bookingCount(serviceId);
        b.booked++;
        if (state === 'lapsed') b.lapsed++;
        if (state === 'cancelled') b.cancelled++;
        if (state === 'confirmed') plans.push({ at: Math.max(OPEN_AT, startAt + between(-14, 14) * MIN + between(0, 59) * 1000), kind: 'booked', code: kioskCode, bookedAt: startAt });
      }
    }
  }
  const booked = plans.length;
  if (booked < bookedComers / 2) throw new Error('too few booked arrivals');
  for (let i = 0; i < tickets - booked; i++) {
    plans.push({ at: OPEN_AT + between(0, (ISSUE_UNTIL - OPEN_AT) / 1000) * 1000, kind: rnd() < 0.1 ? 'reception' : 'walk_in', serviceId: pick(services) });
  }
  plans.sort((a, b) => a.at - b.at);

  const counterIds = ['o1-c1', 'o1-c2', 'o1-c3', 'o1-c4'];
  const counters: CounterSim[] = counterIds.map((counterId, k) => ({
    actor: { userId: users.get(`clerk${k + 1}`)!, officeId: 'o1', counterId },
    log: { counterId, open: [], paused: [], busy: [] },
    next: { at: OPEN_AT, step: 'call' },
    ticket: null,
    recallsLeft: 0,
    fate: 'serve',
    pauseAt: OPEN_AT + (240 + 20 * k) * MIN,
    paused: false,
  }));
  h.clock.set(OPEN_AT);
  for (const c of counters) {
    must(await run(async (store) => await openCounter({ store, ...deps() }, c.actor)), 'open');
    c.log.open.push([OPEN_AT, Number.NaN]);
  }

  const seen = (id: string, t: Omit<LoggedTicket, 'id'>): void => {
    log.tickets.set(id, { id, ...t });
  };
  const fresh = (serviceId: string, channel: LoggedTicket['channel'], arrivedAt: number, bookedAt: number | null, kiosk: string | null): Omit<LoggedTicket, 'id'> => ({
    serviceId, channel, kioskId: kiosk, arrivedAt, bookedAt, answeredAt: null, lastCall: null, recalls: 0, transfers: 0, serviceMs: null, endedAt: null, outcome: 'open',
  });

  let p = 0;
  let visitStart = new Map<string, number>();
  const counterStep = async (c: CounterSim, now: number): Promise<void> => {
    const t = c.ticket === null ? null : log.tickets.get(c.ticket)!;
    switch (c.next.step) {
      case 'call': {
        if (c.paused) {
          must(await run(async (store) => await setPaused({ store, ...deps() }, c.actor, false)), 'resume');
          c.paused = false;
          c.log.paused.at(-1)![1] = now;
          c.log.open.push([now, Number.NaN]);
        } else if (now >= c.pauseAt && c.pauseAt > 0) {
          must(await run(async (store) => await setPaused({ store, ...deps() }, c.actor, true)), 'pause');
          c.paused = true;
          c.pauseAt = 0;
          c.log.open.at(-1)![1] = now;
          c.log.paused.push([now, Number.NaN]);
          c.next = { at: now + 20 * MIN, step: 'call' };
          return;
        }
        const r = await run(async (store) => await callNext({ store, ...deps() }, c.actor));
        if (!r.ok || r.value.ticket === null) {
          c.next = { at: now + 5000, step: 'call' };
          return;
        }
        const id = r.value.ticket.id;
        const lt = log.tickets.get(id)!;
        lt.lastCall = { at: now, counterId: c.actor.counterId, clerkId: c.actor.userId };
        c.ticket = id;
        c.log.busy.push([now, Number.NaN]);
        c.recallsLeft = rnd() < 0.85 ? 0 : rnd() < 0.66 ? 1 : 2;
        const roll = rnd();
        c.fate = roll < 0.04 ? 'no_show' : roll < 0.09 && lt.transfers === 0 ? 'transfer' : 'serve';
        c.next = c.recallsLeft > 0 ? { at: now + 30_000, step: 'recall' } : c.fate === 'no_show' ? { at: now + 45_000, step: 'no_show' } : { at: now + between(3, 10) * 1000, step: 'start' };
        return;
      }
      case 'recall': {
        must(await run(async (store) => await recall({ store, ...deps() }, c.actor)), 'recall');
        t!.recalls++;
        t!.lastCall = { at: now, counterId: c.actor.counterId, clerkId: c.actor.userId };
        c.recallsLeft--;
        c.next = c.recallsLeft > 0 ? { at: now + 30_000, step: 'recall' } : c.fate === 'no_show' ? { at: now + 45_000, step: 'no_show' } : { at: now + between(3, 10) * 1000, step: 'start' };
        return;
      }
      case 'start': {
        must(await run(async (store) => await startService({ store, ...deps() }, c.actor)), 'start');
        t!.answeredAt ??= t!.lastCall!.at;
        visitStart.set(t!.id, now);
        c.next = { at: now + between(15, 50) * 1000, step: c.fate === 'transfer' ? 'transfer' : 'finish' };
        return;
      }
      case 'finish':
      case 'transfer':
      case 'no_show': {
        if (c.next.step === 'finish') must(await run(async (store) => await finishService({ store, ...deps() }, c.actor)), 'finish');
        if (c.next.step === 'no_show') must(await run(async (store) => await markNoShow({ store, ...deps() }, c.actor)), 'no-show');
        if (c.next.step === 'transfer') {
          const to = services.filter((s) => s !== t!.serviceId && s !== currentService.get(t!.id))[0]!;
          must(await run(async (store) => await transfer({ store, ...deps() }, c.actor, to)), 'transfer');
          currentService.set(t!.id, to);
          t!.transfers++;
        }
        if (c.next.step !== 'no_show') t!.serviceMs = (t!.serviceMs ?? 0) + (now - visitStart.get(t!.id)!);
        if (c.next.step === 'finish') [t!.outcome, t!.endedAt] = ['served', now];
        if (c.next.step === 'no_show') [t!.outcome, t!.endedAt] = ['no_show', now];
        c.log.busy.at(-1)![1] = now;
        c.ticket = null;
        c.next = { at: now + between(1, 4) * 1000, step: 'call' };
        return;
      }
    }
  };
  const currentService = new Map<string, string>();
  visitStart = new Map();

  const arrive = async (plan: Plan): Promise<void> => {
    const now = plan.at;
    if (plan.kind === 'booked') {
      const r = must(
        await run(async (store) => await checkInAtKiosk({ store, bookings: h.booking.store, ...deps() }, { officeId: 'o1', deviceId: kioskId, code: plan.code, state: 'waiting' })),
        'check-in',
      );
      if (r.kind !== 'checked-in') throw new Error(`check-in refused: ${r.error.code}`);
      seen(r.issued.ticket.id, fresh(r.issued.ticket.serviceId, 'booked', now, plan.bookedAt, null));
      bookingCount(r.issued.ticket.serviceId).checkedIn++;
      return;
    }
    const issued =
      plan.kind === 'walk_in'
        ? must(await run(async (store) => await issueTicket({ store, ...deps() }, { serviceId: plan.serviceId, origin: { channel: 'walk_in', deviceId: kioskId } })), 'issue')
        : must(await run(async (store) => await issueAtCounter({ store, ...deps() }, counters[0]!.actor, { serviceId: plan.serviceId })), 'reception');
    seen(issued.ticket.id, fresh(plan.serviceId, plan.kind, now, null, plan.kind === 'walk_in' ? kioskId : null));
  };

  // Failed prints at the kiosk: void tickets counted per kiosk; and the printer going out of order twice.
  const printFault = async (at: number, out: boolean): Promise<void> => {
    h.clock.set(at);
    await run(async (store) => {
      await store.appendEvent({ type: 'printer:changed', officeId: 'o1', payload: { deviceId: kioskId, deviceName: 'kiosk', state: out ? 'paper_end' : 'ok', isOutOfOrder: out, isPaperNearEnd: false } }, at);
      return { ok: true, value: null };
    });
  };
  const voids = [OPEN_AT + 61 * MIN, OPEN_AT + 62 * MIN, OPEN_AT + 200 * MIN, OPEN_AT + 301 * MIN];
  const faults: [number, boolean][] = [[OPEN_AT + 60 * MIN, true], [OPEN_AT + 63 * MIN, false], [OPEN_AT + 300 * MIN, true], [OPEN_AT + 305 * MIN, false]];
  log.printFaults.set(kioskId, 2);

  const end = OPEN_AT + 12 * 60 * MIN;
  for (let now = OPEN_AT; now < end; now += 1000) {
    h.clock.set(now);
    for (const [at, out] of faults) if (at === now) await printFault(at, out);
    for (const at of voids) {
      if (at !== now) continue;
      const serviceId = pick(services);
      const t = must(await run(async (store) => await allocateForPrint({ store, ...deps() }, { serviceId })), 'allocate');
      must(await run(async (store) => await voidPrint({ store, ...deps() }, t.ticket.id, 'sent: paper jam', kioskId)), 'void');
      seen(t.ticket.id, { ...fresh(serviceId, 'walk_in', now, null, kioskId), outcome: 'void', endedAt: now });
    }
    const batch: Promise<void>[] = [];
    while (p < plans.length && plans[p]!.at <= now) batch.push(arrive(plans[p++]!));
    await Promise.all(batch);
    await Promise.all(counters.filter((c) => c.next.at <= now).map((c) => counterStep(c, now)));
    if (p === plans.length && counters.every((c) => c.ticket === null) && (await h.queue.read(async (s) => (await s.waitingTickets('o1')).length)) === 0) break;
  }
  const closeAt = h.clock.now() + 60_000;
  h.clock.set(closeAt);
  for (const c of counters) {
    if (c.paused) {
      must(await run(async (store) => await setPaused({ store, ...deps() }, c.actor, false)), 'resume');
      c.log.paused.at(-1)![1] = closeAt;
      c.log.open.push([closeAt, Number.NaN]);
    }
    must(await run(async (store) => await closeCounter({ store, ...deps() }, c.actor)), 'close');
    c.log.open.at(-1)![1] = closeAt;
    log.counters.push(c.log);
  }

  // Messages the outbox sent that day: e-mails (some after a retry) and failed SMS.
  const messages: [string, 'sent' | 'failed', number, number][] = [['email', 'sent', 1, 30], ['email', 'sent', 2, 6], ['sms', 'sent', 1, 12], ['sms', 'failed', 5, 3]];
  let m = 0;
  for (const [channel, state, attempts, n] of messages) {
    for (let i = 0; i < n; i++) {
      const at = OPEN_AT + (++m) * 7 * MIN;
      await h.sql(
        `INSERT INTO outbox (id, booking_id, office_id, channel, kind, priority, state, sealed, attempts, not_before, next_attempt_at, last_error, created_at, sent_at)
         VALUES ('ob${m}', NULL, 'o1', '${channel}', 'confirm', 1, '${state}', NULL, ${attempts}, ${at}, ${at}, NULL, ${at}, NULL)`,
      );
      const row = log.messages.get(channel) ?? { sent: 0, failed: 0, retried: 0 };
      if (state === 'sent') row.sent++;
      else row.failed++;
      if (attempts > 1) row.retried++;
      log.messages.set(channel, row);
    }
  }
  return log;
}

async function insertBooking(h: BookingTestHost, b: { id: string; serviceId: string; slotId: string; startAt: number; state: Booking['state']; kioskCode: string }): Promise<void> {
  const k = h.booking.keyed;
  await h.booking.store.insertBooking({
    id: b.id,
    number: `BK${b.id.toUpperCase().padStart(8, '0')}`,
    officeId: 'o1',
    serviceId: b.serviceId,
    slotId: b.slotId,
    day: DAY,
    startAt: b.startAt,
    state: b.state,
    language: 'cs',
    channel: 'email',
    nameSealed: k.seal('KLIENT'),
    emailSealed: k.seal('klient@example.test'),
    phoneSealed: null,
    emailHash: k.hmac('contact:email', `${b.id}@example.test`),
    phoneHash: null,
    identityKeyId: null,
    identityHash: null,
    holdKeyHash: `hold-${b.id}`,
    holdExpiresAt: b.startAt,
    holdExtended: false,
    kioskCode: b.state === 'confirmed' ? b.kioskCode : null,
    cancelHash: null,
    createdAt: b.startAt - 86_400_000,
    confirmedAt: b.startAt - 86_400_000,
    expiredAt: null,
    cancelledAt: b.state === 'cancelled' ? b.startAt - 3_600_000 : null,
    checkedInAt: null,
    ticketId: null,
    lapsedAt: b.state === 'lapsed' ? b.startAt + 16 * MIN : null,
    noShowAt: null,
    sequence: 0,
    changeAcceptedAt: null,
  });
}
