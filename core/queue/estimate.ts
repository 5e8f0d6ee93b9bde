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

async function expectedWait(store: QueueStore, office: Office, counters: readonly Counter[], serviceId: string, position: number): Promise<number | null> {
  const avg = await store.averageServiceMs(serviceId) ?? office.settings.defaultServiceMin * 60_000;
  return estimateWaitMin(position, openCountersFor(counters, serviceId), avg);
}

/** Live load of every service of an office: waiting count and the wait a newcomer can expect. */
export async function officeLoad(store: QueueStore, office: Office): Promise<ServiceLoadView[]> {
  const counters = await store.listCounters(office.id);
  const load = new Map((await store.serviceLoad(office.id)).map((l) => [l.serviceId, l]));
  const views: ServiceLoadView[] = [];
  for (const s of await store.listServices(office.id)) {
    const l = load.get(s.id);
    const waiting = l?.waiting ?? 0;
    views.push({
      serviceId: s.id,
      waiting,
      estimatedWaitMin: await expectedWait(store, office, counters, s.id, waiting),
      oldestArrivedAt: l?.oldestArrivedAt ?? null,
    });
  }
  return views;
}

/** The same for one service, without touching the others: what a kiosk prints on a new ticket. */
export async function serviceWait(store: QueueStore, office: Office, serviceId: string): Promise<{ waiting: number; estimatedWaitMin: number | null }> {
  const waiting = await store.waitingCount(serviceId);
  return { waiting, estimatedWaitMin: await expectedWait(store, office, await store.listCounters(office.id), serviceId, waiting) };
}

/** The wait of one waiting ticket with `ahead` people before it: what its status page says. */
export async function waitForPlace(store: QueueStore, office: Office, serviceId: string, ahead: number): Promise<number | null> {
  return expectedWait(store, office, await store.listCounters(office.id), serviceId, ahead);
}
