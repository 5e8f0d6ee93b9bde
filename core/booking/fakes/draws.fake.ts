import type { DrawStore, OutboxWriter } from '../ports.ts';
import type { Application, DrawRecord, OutgoingMessage } from '../model.ts';
import { byKeys } from './person-match.ts';

const dayKey = (serviceId: string, day: string): string => `${serviceId}\u0000${day}`;

/** In-memory draws and applications: one application per contact, service and day. */
export function memoryDrawStore() {
  const draws = new Map<string, DrawRecord>();
  const applications = new Map<string, Application>();
  return {
    draw: async (serviceId, day) => {
      const d = draws.get(dayKey(serviceId, day));
      return d === undefined ? null : { ...d };
    },
    putDraw: async (d) => {
      const key = dayKey(d.serviceId, d.day);
      const old = draws.get(key);
      draws.set(key, old === undefined ? { ...d } : { ...old, seed: d.seed, state: d.state, ranAt: d.ranAt });
    },
    insertApplication: async (a) => {
      const taken = [...applications.values()].some((x) => x.serviceId === a.serviceId && x.day === a.day && x.contactKey === a.contactKey);
      if (taken) return false;
      if (applications.has(a.id)) throw new Error(`application ${a.id} exists`);
      applications.set(a.id, { ...a });
      return true;
    },
    applications: async (serviceId, day) =>
      [...applications.values()]
        .filter((a) => a.serviceId === serviceId && a.day === day)
        .sort(byKeys((a) => a.id))
        .map((a) => ({ ...a })),
    setApplicationResult: async (id, state, bookingId) => {
      const a = applications.get(id);
      if (a !== undefined) Object.assign(a, { state, bookingId });
    },
    drawsDue: async (now) =>
      [...draws.values()]
        .filter((d) => d.state === 'open' && d.closesAt <= now)
        .sort(byKeys((d) => d.closesAt))
        .map((d) => ({ ...d })),
  } satisfies DrawStore;
}

export interface QueuedMessage extends OutgoingMessage {
  id: string;
  createdAt: number;
}

/** In-memory outbox (writing side): the messages queued, in order, readable by tests. */
export function memoryOutbox() {
  const messages: QueuedMessage[] = [];
  return {
    messages,
    /** Pending reminders of a booking go (a move out of `confirmed`). */
    dropReminders: (bookingId: string): void => {
      for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.bookingId === bookingId && messages[i]!.kind === 'reminder') messages.splice(i, 1);
    },
    enqueue: async (m, id, now) => {
      messages.push({ ...structuredClone(m), id, createdAt: now });
    },
  } satisfies OutboxWriter & { messages: QueuedMessage[]; dropReminders(bookingId: string): void };
}
