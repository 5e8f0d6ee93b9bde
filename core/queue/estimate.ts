import type { ServiceLoadView } from '../shared/events.ts';
import type { Counter, Office } from '../shared/model.ts';
import type { QueueStore } from './ports.ts';

/** Weight of the newest sample in the moving average of service times. */
export const SERVICE_TIME_ALPHA = 0.2;

export const nextAverage = (previous: number | null, sampleMs: number): number =>
  previous === null ? sampleMs : previous + SERVICE_TIME_ALPHA * (sampleMs - previous);

/**
 * Minutes until someone with `position` people ahead is called: position × average service time,
 * shared among the open counters serving the service. Null when no counter is open for it.
 */
export function estimateWaitMin(position: number, openCounters: number, averageServiceMs: number): number | null {
  if (openCounters <= 0) return null;
  return Math.ceil((position * averageServiceMs) / openCounters / 60_000);
}

/** The services a counter takes tickets for right now. */
export const servedNow = (counter: Counter): readonly string[] => counter.sessionServiceIds ?? counter.serviceIds;

export const openCountersFor = (counters: readonly Counter[], serviceId: string): number =>
  counters.filter((c) => c.status === 'open' && servedNow(c).includes(serviceId)).length;

function expectedWait(store: QueueStore, office: Office, counters: readonly Counter[], serviceId: string, position: number): number | null {
  const avg = store.averageServiceMs(serviceId) ?? office.settings.defaultServiceMin * 60_000;
  return estimateWaitMin(position, openCountersFor(counters, serviceId), avg);
}

/** Live load of every service of an office: waiting count and the wait a newcomer can expect. */
export function officeLoad(store: QueueStore, office: Office): ServiceLoadView[] {
  const counters = store.listCounters(office.id);
  const load = new Map(store.serviceLoad(office.id).map((l) => [l.serviceId, l]));
  return store.listServices(office.id).map((s) => {
    const l = load.get(s.id);
    const waiting = l?.waiting ?? 0;
    return {
      serviceId: s.id,
      waiting,
      estimatedWaitMin: expectedWait(store, office, counters, s.id, waiting),
      oldestArrivedAt: l?.oldestArrivedAt ?? null,
    };
  });
}

/** The same for one service, without touching the others: what a kiosk prints on a new ticket. */
export function serviceWait(store: QueueStore, office: Office, serviceId: string): { waiting: number; estimatedWaitMin: number | null } {
  const waiting = store.waitingCount(serviceId);
  return { waiting, estimatedWaitMin: expectedWait(store, office, store.listCounters(office.id), serviceId, waiting) };
}

/** The wait of one waiting ticket with `ahead` people before it: what its status page says. */
export function waitForPlace(store: QueueStore, office: Office, serviceId: string, ahead: number): number | null {
  return expectedWait(store, office, store.listCounters(office.id), serviceId, ahead);
}
