import type { BookingDeps } from './deps.ts';
import type { BookingPolicy, Slot } from './model.ts';
import { counterPolicies, cutSlots, dayCapacity, freePlaces, slotLength, slotStarts } from '../queue/capacity.ts';
import type { Language, Localized, Office, Service } from '../shared/model.ts';
import { formatHhMm, localTime } from '../shared/office-time.ts';
import { addDays, dayStatus, isDay, openIntervals, type DayStatus } from './release.ts';
import { insideHours, openedSlots, slotMinutes, uncoveredStarts } from './recut.ts';
import { fail, ok, type Result } from '../shared/result.ts';

export const pickText = (names: Localized, lang: Language, office: Office): string =>
  names[lang] ?? names[office.languages[0] ?? 'en'] ?? Object.values(names)[0] ?? '';

export function parseSlotId(slotId: string): { serviceId: string; day: string; startMin: number } | null {
  const m = /^(.+)~(\d{4}-\d{2}-\d{2})~(\d{2})(\d{2})$/.exec(slotId);
  if (m === null || !isDay(m[2]!)) return null;
  const startMin = Number(m[3]) * 60 + Number(m[4]);
  return startMin < 1440 ? { serviceId: m[1]!, day: m[2]!, startMin } : null;
}

export function formatLocal(office: Office, at: number): string {
  const t = localTime(office.timeZone, at);
  return `${t.date} ${formatHhMm(t.minute)}`;
}

export function dayStatusError<T>(status: Exclude<DayStatus, { kind: 'open' }>, office: Office, policy: BookingPolicy): Result<T> {
  switch (status.kind) {
    case 'not-yet':
      return fail('DAY_NOT_RELEASED', { time: formatLocal(office, status.opensAt) });
    case 'never':
      return fail('DAY_NOT_OFFERED');
    case 'closed':
      return fail('DAY_CLOSED');
    case 'past':
    case 'too-soon':
      return fail('DAY_TOO_SOON');
    case 'beyond-horizon':
      return fail('DAY_BEYOND_HORIZON', { days: policy.horizonDays });
  }
}

export interface Bookable {
  office: Office;
  service: Service;
  policy: BookingPolicy;
}

/** `language`: the caller's, for the crisis message (default the office's first). */
export async function bookable(deps: BookingDeps, serviceId: string, language?: Language): Promise<Result<Bookable>> {
  const service = await deps.store.getService(serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  const office = await deps.store.getOffice(service.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const settings = await deps.bookings.officeSettings(office.id);
  if (settings.suspended) return fail('BOOKING_SUSPENDED', { message: pickText(settings.suspendedMessage, language ?? office.languages[0] ?? 'en', office) });
  const policy = await deps.bookings.policy(service.id);
  if (policy === null) return fail('BOOKING_NOT_OFFERED');
  return ok({ office, service, policy });
}

/**
 * Whether the time starting at `startMin` on `day` lies inside the hours in force (the service's
 * own, else the office's); `stored`: the slot already stored there, which covers its own length.
 */
export const offeredAt = (b: Bookable, day: string, startMin: number, stored: Pick<Slot, 'minutes'> | null): boolean =>
  insideHours(openIntervals(b.office, day, b.service), startMin, stored === null ? slotLength(b.policy) : slotMinutes(stored, slotLength(b.policy)));

/**
 * The slots of a day on offer under the hours in force now (nothing written): the stored ones
 * inside those hours, with what is taken so far, and slots for time opened since the day was
 * stored (see recut.ts); the whole cut when the day is not stored yet.
 */
export async function daySlots(deps: Pick<BookingDeps, 'store' | 'bookings'>, b: Bookable, day: string): Promise<Slot[]> {
  const stored = await deps.bookings.slots(b.service.id, day);
  const len = slotLength(b.policy);
  const hours = openIntervals(b.office, day, b.service);
  const kept = stored.filter((s) => insideHours(hours, s.startMin, slotMinutes(s, len))).sort((x, y) => x.startMin - y.startMin);
  // A slot's id is its start: one stored and no longer on offer (it outruns the hours over its own
  // length) still holds that start, so no new slot is cut there.
  const storedStarts = new Set(stored.map((s) => s.startMin));
  const uncovered = uncoveredStarts(slotStarts(hours, len), kept, len).filter((m) => !storedStarts.has(m));
  // A stored day whose hours did not grow needs nothing computed: during a release rush every
  // request after the first lands here.
  if (stored.length > 0 && uncovered.length === 0) return kept;
  const counters = await deps.store.listCounters(b.office.id);
  const policyOf = await counterPolicies(counters, b.service.id, b.policy, (id) => deps.bookings.policy(id));
  const cap = dayCapacity(b.office, b.service, b.policy, counters, policyOf, day);
  const cut = cutSlots(b.office, b.policy, day, cap.online, b.service);
  const fresh = stored.length === 0 ? cut : openedSlots(kept, cut, uncovered, cap.online);
  return [...kept, ...fresh.map((s) => ({ ...s, serviceId: b.service.id, day, taken: 0, minutes: s.minutes ?? len }))].sort((x, y) => x.startMin - y.startMin);
}

/** How long before a day opens the sweep stores its slots (and so fixes its places). */
export const STORE_DAYS_AHEAD_OF_RELEASE_MS = 60_000;

/**
 * Stores the slots of first-come days that are open, or open within the next minute, and are
 * not stored yet (the host's sweep runs this every few seconds). At a release instant every hold
 * attempt then finds its slot stored, and a full one is refused by a read instead of the first
 * thousand attempts all queueing for the write that would store the day. Returns how many days
 * it stored.
 */
export async function storeOpeningDays(deps: Pick<BookingDeps, 'store' | 'bookings' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  let stored = 0;
  for (const office of await deps.store.listOffices()) {
    const today = localTime(office.timeZone, now).date;
    for (const service of await deps.store.listServices(office.id)) {
      const policy = await deps.bookings.policy(service.id);
      if (policy === null || policy.allocation !== 'fcfs') continue;
      const b: Bookable = { office, service, policy };
      for (let ahead = policy.earliestDays; ahead <= policy.horizonDays; ahead++) {
        const day = addDays(today, ahead);
        const status = dayStatus(policy, office, day, now, service);
        const soon = status.kind === 'open' || (status.kind === 'not-yet' && status.opensAt - now <= STORE_DAYS_AHEAD_OF_RELEASE_MS);
        if (!soon || (await deps.bookings.slots(service.id, day)).length > 0) continue;
        await deps.bookings.ensureSlots(service.id, day, await daySlots(deps, b, day));
        stored++;
      }
    }
  }
  return stored;
}

export interface Availability {
  serviceId: string;
  day: string;
  status: DayStatus;
  allocation: BookingPolicy['allocation'];
  slots: { id: string; startAt: number; startMin: number; free: number }[];
}

/** Free places of a day for the portal; closed or unreleased days say why. Read-only. */
export async function availability(deps: Pick<BookingDeps, 'store' | 'bookings' | 'clock'>, serviceId: string, day: string): Promise<Result<Availability>> {
  const b = await bookable(deps as BookingDeps, serviceId);
  if (!b.ok) return b;
  const now = deps.clock.now();
  const status = dayStatus(b.value.policy, b.value.office, day, now, b.value.service);
  const slots =
    status.kind === 'open'
      ? (await daySlots(deps, b.value, day))
          .filter((s) => s.startAt > now)
          .map((s) => ({ id: s.id, startAt: s.startAt, startMin: s.startMin, free: freePlaces(s) }))
      : [];
  return ok({ serviceId, day, status, allocation: b.value.policy.allocation, slots });
}
