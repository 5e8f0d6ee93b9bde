import type { BookingPolicy } from '../../booking/model.ts';
import type { CallCandidate } from '../call-policy.ts';
import type { QueueStore } from '../ports.ts';
import type { DomainEvent } from '../../shared/events.ts';
import type { Counter, Department, Office, Service, Ticket } from '../../shared/model.ts';

/** An office as configured (what the configuration writes store). */
export interface MemoryOffice {
  office: Office;
  departments: readonly Department[];
  services: readonly Service[];
  counters: readonly Omit<Counter, 'status' | 'userId' | 'sessionServiceIds'>[];
}

type Order = (a: Ticket, b: Ticket) => number;
const byId: Order = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byArrival: Order = (a, b) => a.arrivedAt - b.arrivedAt || byId(a, b);
const byPriority: Order = (a, b) => b.priorityWeight - a.priorityWeight || byArrival(a, b);
const byBooked: Order = (a, b) => (a.bookedAt ?? 0) - (b.bookedAt ?? 0) || byArrival(a, b);
const byPosition = <T extends { position: number; id: string }>(a: T, b: T): number => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const candidate = (t: Ticket): CallCandidate => ({ id: t.id, serviceId: t.serviceId, arrivedAt: t.arrivedAt, bookedAt: t.bookedAt, priorityWeight: t.priorityWeight });

/**
 * In-memory queue store for core unit tests. `events` and `queueChanges` show what was appended
 * and announced; `savePolicy` stands in for the booking configuration.
 */
export function memoryQueueStore(config: readonly MemoryOffice[] = []) {
  const offices = new Map(config.map((c) => [c.office.id, structuredClone(c.office)]));
  const departments = config.flatMap((c) => c.departments.map((d) => ({ ...d })));
  const services = new Map(config.flatMap((c) => c.services.map((s) => [s.id, structuredClone(s)] as const)));
  const counters = new Map<string, Counter>(
    config.flatMap((c) => c.counters.map((k) => [k.id, { ...k, serviceIds: [...k.serviceIds], status: 'closed', userId: null, sessionServiceIds: null }] as const)),
  );
  const tickets = new Map<string, Ticket>();
  const numbers = new Map<string, number>();
  const averages = new Map<string, number>();
  const closures = new Set<string>();
  const policies = new Map<string, BookingPolicy>();
  const events: (DomainEvent & { id: number; at: number })[] = [];
  const queueChanges: { officeId: string; at: number }[] = [];

  const ticketsWhere = (pred: (t: Ticket) => boolean, order: Order): Ticket[] => [...tickets.values()].filter(pred).sort(order).map((t) => ({ ...t }));
  const waitingOf = (serviceId: string): Ticket[] => ticketsWhere((t) => t.serviceId === serviceId && t.state === 'waiting', byArrival);
  const copy = <T>(x: T | undefined): T | null => (x === undefined ? null : structuredClone(x));

  const store = {
    getOffice: async (id) => copy(offices.get(id)),
    listOffices: async () => [...offices.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((o) => structuredClone(o)),
    listDepartments: async (officeId) => departments.filter((d) => d.officeId === officeId).sort(byPosition).map((d) => ({ ...d })),
    getService: async (id) => copy(services.get(id)),
    listServices: async (officeId) => [...services.values()].filter((s) => s.officeId === officeId).sort(byPosition).map((s) => structuredClone(s)),
    getCounter: async (id) => copy(counters.get(id)),
    lockCounter: async () => undefined,
    listCounters: async (officeId) =>
      [...counters.values()].filter((c) => c.officeId === officeId).sort((a, b) => Number(a.number) - Number(b.number) || (a.number < b.number ? -1 : 1)).map((c) => structuredClone(c)),
    getTicket: async (id) => copy(tickets.get(id)),
    nextNumber: async (officeId, prefix, day) => {
      const key = `${officeId} ${prefix} ${day}`;
      const next = (numbers.get(key) ?? 0) + 1;
      numbers.set(key, next);
      return next;
    },
    countIssued: async (serviceId, day) => ticketsWhere((t) => t.serviceId === serviceId && t.day === day && t.bookedAt === null && t.state !== 'void', byId).length,
    insertTicket: async (ticket) => {
      if (tickets.has(ticket.id)) throw new Error(`ticket ${ticket.id} exists`);
      const key = `${ticket.officeId} ${ticket.prefix} ${ticket.day}`;
      if ([...tickets.values()].some((t) => `${t.officeId} ${t.prefix} ${t.day}` === key && t.seq === ticket.seq)) throw new Error(`number ${ticket.number} taken`);
      tickets.set(ticket.id, { ...ticket });
    },
    transition: async (id, from, to, patch) => {
      const t = tickets.get(id);
      if (t === undefined || t.state !== from) return null;
      const after: Ticket = { ...t, ...patch, id, state: to };
      tickets.set(id, after);
      return { ...after };
    },
    claimNext: async (counter, pick, now) => {
      const heads: CallCandidate[] = [];
      for (const serviceId of counter.serviceIds) {
        const line = waitingOf(serviceId);
        const walkIns = line.filter((t) => t.bookedAt === null);
        for (const head of [walkIns[0], walkIns.filter((t) => t.priorityWeight > 0).sort(byPriority)[0], line.filter((t) => t.bookedAt !== null).sort(byBooked)[0]]) {
          if (head !== undefined) heads.push(candidate(head));
        }
      }
      if (heads.length === 0) return null;
      const chosen = pick(heads);
      const t = chosen === null ? undefined : tickets.get(chosen.id);
      if (t === undefined || t.state !== 'waiting') return null;
      const after: Ticket = { ...t, state: 'called', counterId: counter.id, calledAt: now, recallCount: 0 };
      tickets.set(t.id, after);
      return { ...after };
    },
    currentTicket: async (counterId) => ticketsWhere((t) => t.counterId === counterId && (t.state === 'called' || t.state === 'serving'), byId)[0] ?? null,
    waitingTickets: async (officeId) => ticketsWhere((t) => t.officeId === officeId && t.state === 'waiting', byArrival),
    printingTickets: async (officeId) => ticketsWhere((t) => t.officeId === officeId && t.state === 'printing', (a, b) => a.issuedAt - b.issuedAt || byId(a, b)),
    withdrawPrinting: async (id) => {
      const t = tickets.get(id);
      const key = t === undefined ? '' : `${t.officeId} ${t.prefix} ${t.day}`;
      if (t === undefined || t.state !== 'printing' || numbers.get(key) !== t.seq) return null;
      numbers.set(key, t.seq - 1);
      tickets.delete(id);
      return { ...t };
    },
    updateCounter: async (id, patch) => {
      const c = counters.get(id);
      if (c === undefined) throw new Error(`counter ${id} vanished inside a transaction`);
      const after: Counter = {
        ...c,
        ...(patch.status === undefined ? {} : { status: patch.status }),
        ...(patch.userId === undefined ? {} : { userId: patch.userId }),
        ...(patch.sessionServiceIds === undefined ? {} : { sessionServiceIds: patch.sessionServiceIds === null ? null : [...patch.sessionServiceIds] }),
      };
      counters.set(id, after);
      return structuredClone(after);
    },
    countersOfUser: async (userId) => [...counters.values()].filter((c) => c.userId === userId).map((c) => structuredClone(c)),
    serviceLoad: async (officeId) =>
      [...services.values()]
        .filter((s) => s.officeId === officeId)
        .map((s) => ({ serviceId: s.id, line: waitingOf(s.id) }))
        .filter(({ line }) => line.length > 0)
        .map(({ serviceId, line }) => ({ serviceId, waiting: line.length, oldestArrivedAt: line[0]!.arrivedAt })),
    waitingCount: async (serviceId) => waitingOf(serviceId).length,
    averageServiceMs: async (serviceId) => averages.get(serviceId) ?? null,
    setAverageServiceMs: async (serviceId, ms) => {
      averages.set(serviceId, ms);
    },
    closeServiceForDay: async (serviceId, day) => {
      const key = `${serviceId} ${day}`;
      if (closures.has(key)) return false;
      closures.add(key);
      return true;
    },
    closedServices: async (officeId, day) => [...services.values()].filter((s) => s.officeId === officeId && closures.has(`${s.id} ${day}`)).map((s) => s.id),
    setServiceNames: async (serviceId, names) => {
      const s = services.get(serviceId);
      if (s === undefined) return false;
      s.names = structuredClone(names);
      return true;
    },
    setOfficeSettings: async (officeId, settings) => {
      const o = offices.get(officeId);
      if (o !== undefined) o.settings = structuredClone(settings);
    },
    markQueueChanged: async (officeId, at) => {
      queueChanges.push({ officeId, at });
    },
    appendEvent: async (event, at) => {
      const id = events.length + 1;
      events.push({ ...structuredClone(event), id, at });
      return id;
    },
    bookingPolicy: async (serviceId) => copy(policies.get(serviceId)),
  } satisfies QueueStore;

  return { store, events, queueChanges, savePolicy: (p: BookingPolicy): void => void policies.set(p.serviceId, structuredClone(p)) };
}
