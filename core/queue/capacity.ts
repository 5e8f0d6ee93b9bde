import type { BookingPolicy, Slot } from '../booking/model.ts';
import type { Counter, Office, Service } from '../shared/model.ts';
import { formatHhMm } from '../shared/office-time.ts';
import { openIntervals, zonedInstant } from '../booking/release.ts';

/**
 * The day's capacity of a service, defined once: the kiosk's walk-in cap and the portal's
 * online slots both come from here, so together they never exceed the day.
 */

const openMinutes = (office: Office, day: string, service?: Service): number =>
  openIntervals(office, day, service).reduce((sum, [a, b]) => sum + (b - a), 0);

/**
 * Counter-minutes of `day` allotted to `serviceId`: each counter serving it gives its opening
 * minutes × this service's weight ÷ the sum of the weights of everything that counter serves —
 * a counter serving three services is split three ways, never counted three times.
 */
export function counterMinutes(
  office: Office,
  counters: readonly Counter[],
  policyOf: (serviceId: string) => BookingPolicy | null,
  serviceId: string,
  day: string,
  service?: Service,
): number {
  const minutes = openMinutes(office, day, service);
  let total = 0;
  for (const c of counters) {
    if (!c.serviceIds.includes(serviceId)) continue;
    const weight = (sid: string): number => Math.max(0, policyOf(sid)?.counterWeights[c.id] ?? 1);
    const sum = c.serviceIds.reduce((s, sid) => s + weight(sid), 0);
    if (sum > 0) total += (minutes * weight(serviceId)) / sum;
  }
  return total;
}

export interface DayCapacity {
  /** Clients the service can take that day. */
  day: number;
  online: number;
  walkIn: number;
}

/**
 * The split of a day. Without a policy the whole day is walk-in and its size is the service's
 * explicit `dailyWalkInCapacity` (the foundation's rule). A closed day has no capacity at all.
 */
export function dayCapacity(
  office: Office,
  service: Service,
  policy: BookingPolicy | null,
  counters: readonly Counter[],
  policyOf: (serviceId: string) => BookingPolicy | null,
  day: string,
): DayCapacity {
  if (policy === null) return { day: service.dailyWalkInCapacity, online: 0, walkIn: service.dailyWalkInCapacity };
  if (openMinutes(office, day, service) === 0) return { day: 0, online: 0, walkIn: 0 };
  const rule = policy.dayCapacity;
  const total =
    rule.kind === 'explicit'
      ? Math.max(0, Math.floor(rule.clients))
      : Math.max(0, Math.floor(counterMinutes(office, counters, policyOf, service.id, day, service) / Math.max(1, rule.serviceMin)));
  const share = Math.min(100, Math.max(0, policy.onlineSharePct));
  const byShare = Math.floor((total * share) / 100);
  const online = Math.min(total, Math.max(0, policy.onlinePlaces ?? byShare));
  return { day: total, online, walkIn: total - online };
}

export interface SlotSpec {
  id: string;
  startMin: number;
  startAt: number;
  places: number;
  /** Its length when cut, kept with the slot since the service's slot length may change afterwards (null: a slot stored before lengths were kept). */
  minutes?: number | null;
}

export const slotId = (serviceId: string, day: string, startMin: number): string =>
  `${serviceId}~${day}~${formatHhMm(startMin).replace(':', '')}`;

/** A slot's length in whole minutes (at least one). */
export const slotLength = (policy: Pick<BookingPolicy, 'slotMin'>): number => Math.max(1, Math.floor(policy.slotMin));

/** Where the slots of `len` minutes start within a day's open intervals: each interval from its opening, whole slots only. */
export function slotStarts(hours: readonly (readonly [number, number])[], len: number): number[] {
  const starts: number[] = [];
  for (const [a, b] of hours) for (let m = a; m + len <= b; m += len) starts.push(m);
  return starts;
}

/**
 * Cuts the online places of a day into timed slots of `slotMin` within the opening hours: places
 * spread evenly, the remainder going to the earliest slots. The sum of places is exactly
 * `online` (unless the day has no whole slot, then nothing is offered). With `placesPerSlot` each
 * slot offers that many, earliest first, until the day's online places are used up.
 */
export function cutSlots(office: Office, policy: BookingPolicy, day: string, online: number, service?: Service): SlotSpec[] {
  const minutes = slotLength(policy);
  const starts = slotStarts(openIntervals(office, day, service), minutes);
  if (starts.length === 0 || online <= 0) return [];
  const per = policy.placesPerSlot ?? null;
  const base = per === null ? Math.floor(online / starts.length) : per;
  const extra = per === null ? online % starts.length : 0;
  let left = online;
  return starts
    .map((startMin, i) => {
      const places = Math.min(left, base + (i < extra ? 1 : 0));
      left -= places;
      return { id: slotId(policy.serviceId, day, startMin), startMin, startAt: zonedInstant(office.timeZone, day, startMin), places, minutes };
    })
    .filter((s) => s.places > 0);
}

export const freePlaces = (slot: Slot): number => slot.places - slot.taken;

/** The kiosk's walk-in cap for a service and day, read through the queue store (void tickets don't count; the caller compares). */
export async function walkInCapacity(
  store: { bookingPolicy(serviceId: string): Promise<BookingPolicy | null>; listCounters(officeId: string): Promise<Counter[]> },
  office: Office,
  service: Service,
  day: string,
): Promise<number> {
  const policy = await store.bookingPolicy(service.id);
  if (policy === null) return service.dailyWalkInCapacity;
  const counters = await store.listCounters(office.id);
  const policyOf = await counterPolicies(counters, service.id, policy, (id) => store.bookingPolicy(id));
  return dayCapacity(office, service, policy, counters, policyOf, day).walkIn;
}

/**
 * dayCapacity is pure and asks for the policies of the services the counters share: read them
 * first (the store answers asynchronously) and hand it a lookup.
 */
export async function counterPolicies(
  counters: readonly Counter[],
  serviceId: string,
  policy: BookingPolicy | null,
  read: (serviceId: string) => Promise<BookingPolicy | null>,
): Promise<(serviceId: string) => BookingPolicy | null> {
  const policies = new Map<string, BookingPolicy | null>([[serviceId, policy]]);
  for (const c of counters) {
    for (const id of [...c.serviceIds, ...(c.sessionServiceIds ?? [])]) if (!policies.has(id)) policies.set(id, await read(id));
  }
  return (id) => policies.get(id) ?? null;
}
