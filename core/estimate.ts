import type { ServiceLoadView } from './events.ts';
import type { Counter, Office } from './model.ts';
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

export const openCountersFor = (counters: readonly Counter[], serviceId: string): number =>
  counters.filter((c) => c.status === 'open' && c.serviceIds.includes(serviceId)).length;

/** Live load of every service of an office: waiting count and the wait a newcomer can expect. */
export function officeLoad(store: QueueStore, office: Office): ServiceLoadView[] {
  const counters = store.listCounters(office.id);
  const load = new Map(store.serviceLoad(office.id).map((l) => [l.serviceId, l]));
  return store.listServices(office.id).map((s) => {
    const l = load.get(s.id);
    const waiting = l?.waiting ?? 0;
    const avg = store.averageServiceMs(s.id) ?? office.settings.defaultServiceMin * 60_000;
    return {
      serviceId: s.id,
      waiting,
      estimatedWaitMin: estimateWaitMin(waiting, openCountersFor(counters, s.id), avg),
      oldestArrivedAt: l?.oldestArrivedAt ?? null,
    };
  });
}
