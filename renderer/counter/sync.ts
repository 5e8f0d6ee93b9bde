import { z } from 'zod';
import { AlertsResponse } from '../../contracts/alerts.ts';
import { QueueSnapshot, ServicesResponse, TicketView } from '../../contracts/api.ts';
import { OfficeOutcomesResponse } from '../../contracts/rules.ts';
import { KioskPrintersResponse, type LoggedEvent } from '../../contracts/screens.ts';
import { api } from '../shared/api.ts';
import { LiveConnection } from '../shared/live.ts';
import { mine, page, printerEntry, saveParked, savedParked, showError, state, trackWaiting, type Ticket } from './state.ts';

const OfficesResponse = z.object({ offices: z.array(z.object({ id: z.string(), timeZone: z.string() })) });

/** The live connection: events patch the state; after an outage the office is read again. */
export const live = new LiveConnection({
  apply: applyEvent,
  resync: () => loadOffice().then(page.update, showError),
});

/** Everything the page shows, read from the host. */
export async function loadOffice(): Promise<void> {
  const me = state.me!;
  const [services, queue, offices, printers, alerts] = await Promise.all([
    api('GET', `/offices/${me.officeId}/services`, ServicesResponse),
    api('GET', `/offices/${me.officeId}/queue`, QueueSnapshot),
    state.timeZone === null ? api('GET', '/offices', OfficesResponse) : null,
    api('GET', `/offices/${me.officeId}/printers`, KioskPrintersResponse),
    // A host without alerts configured has no such route: no panel then.
    api('GET', `/offices/${me.officeId}/alerts`, AlertsResponse).catch(() => null),
  ]);
  state.alerts = alerts?.alerts ?? [];
  // The printers as they are now, not only after their next change.
  state.printers = new Map(printers.printers.map((p) => [p.deviceId, printerEntry(p)]));
  state.timeZone ??= offices?.offices.find((o) => o.id === me.officeId)?.timeZone ?? null;
  state.waiting = queue.waiting;
  state.services = services.services;
  state.loads = new Map(services.services.map((s) => [s.id, { waiting: s.waiting, oldestArrivedAt: s.oldestArrivedAt }]));
  state.counters = queue.counters;
  // Absent where online booking (and with it the clients' history) is not set up.
  const outcomes = await api('GET', `/offices/${me.officeId}/outcomes`, OfficeOutcomesResponse).catch(() => null);
  state.outcomes = new Map((outcomes?.services ?? []).map((s) => [s.serviceId, s.outcomes]));
  live.seen(queue.lastEventId);
  // Signed in at a counter already (reload, second tab): carry on there.
  const at = queue.counters.find((c) => c.counter.userId === me.id);
  if (at !== undefined) state.counterId = at.counter.id;
  else if (state.counterId !== null && mine()?.counter.userId !== me.id) state.counterId = null;
  state.ticket = mine()?.ticket ?? null;
  await loadParked();
  page.update();
}

/** Parked tickets remembered on this PC that the host still holds parked. */
async function loadParked(): Promise<void> {
  if (state.counterId === null) {
    state.parked = [];
    return;
  }
  const Status = z.object({ ticket: TicketView });
  const checked = await Promise.all(savedParked().map((p) => api('GET', `/tickets/${p.id}`, Status).then((r) => r.ticket, () => null)));
  state.parked = checked.filter((x): x is Ticket => x !== null && x.state === 'parked');
  saveParked();
}

function applyEvent(e: LoggedEvent): void {
  switch (e.type) {
    case 'queue:changed':
      for (const s of e.payload.services) state.loads.set(s.serviceId, { waiting: s.waiting, oldestArrivedAt: s.oldestArrivedAt });
      break;
    case 'counter:changed': {
      const entry = state.counters.find((c) => c.counter.id === e.payload.counterId);
      if (entry !== undefined) {
        entry.counter = { ...entry.counter, status: e.payload.status, userId: e.payload.userId };
        entry.ticket = e.payload.ticket;
      }
      if (e.payload.counterId === state.counterId) {
        state.ticket = e.payload.ticket;
        if (e.payload.userId !== state.me?.id) state.counterId = null; // signed out elsewhere
      }
      break;
    }
    case 'ticket:changed':
      trackWaiting(e.payload.ticket);
      if (e.payload.ticket.state !== 'parked' && state.parked.some((p) => p.id === e.payload.ticket.id)) {
        state.parked = state.parked.filter((p) => p.id !== e.payload.ticket.id);
        saveParked();
      }
      break;
    case 'service:closed': {
      const s = state.services.find((x) => x.id === e.payload.serviceId);
      if (s !== undefined) s.isOpen = false;
      break;
    }
    case 'printer:changed':
      state.printers.set(e.payload.deviceId, printerEntry(e.payload));
      break;
    case 'ticket:issued':
    case 'ticket:called':
      trackWaiting(e.payload.ticket);
      break;
    case 'alerts:changed':
      state.alerts = e.payload.alerts;
      break;
    case 'ticket:reprinted':
    case 'ticket:called-out-of-order':
    case 'ticket:rated':
    case 'booking:settings-changed':
    case 'config:changed':
    case 'booking:changed':
    case 'payment:changed':
    case 'outbox:resent':
      return;
    default: {
      const never: never = e;
      return never;
    }
  }
  page.update();
}
