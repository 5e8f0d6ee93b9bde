import type { Keyed } from './ports.ts';
import { NOTHING_HAPPENED_YET, type Application, type Booking, type BookingPolicy, type DrawRecord } from './model.ts';
import type { ApplicantFields, BookingDeps, HoldContext } from './deps.ts';
import { daySlots, pickText } from './availability.ts';
import { personOf, runChecks, sealedContact, vetApplicant } from './applicant.ts';
import { sendConfirmation } from './notify.ts';
import { releaseInstant } from './release.ts';
import { fail, ok, type Result } from '../shared/result.ts';

// The entity types live in booking-model.ts (the ports need them too); kept reachable from here.
export type { Application, DrawRecord } from './model.ts';

/**
 * The application window (commit, then reveal). While the window is open people apply for a
 * day; speed earns nothing. At its close one run ranks the applications by the service's rule,
 * breaking ties by HMAC(seed, application id); SHA-256(seed) was published before the window
 * opened and the seed is published after the run, so anyone can recompute the order and nobody
 * (the operator included) could steer it.
 */

export interface Ranked {
  id: string;
  rankKey: number;
  tieBreak: string;
}

/** The order of the draw: rank rule first, then HMAC(seed, id). Independent of input order. */
export function rankApplications(
  apps: readonly { id: string; rankKey: number }[],
  seed: string,
  hmacWith: Keyed['hmacWith'],
  limit = Number.POSITIVE_INFINITY,
): Ranked[] {
  // Only the first `limit` (the places there are) need an order. Grouping by rule first means
  // the tie-break is hashed and sorted only in the classes that reach the places — every class
  // ahead of the boundary and the boundary class itself — not for a million hopeless entries.
  const byRank = new Map<number, { id: string; rankKey: number }[]>();
  for (const a of apps) {
    const group = byRank.get(a.rankKey);
    if (group === undefined) byRank.set(a.rankKey, [a]);
    else group.push(a);
  }
  const out: Ranked[] = [];
  for (const rankKey of [...byRank.keys()].sort((x, y) => x - y)) {
    if (out.length >= limit) break;
    const group = byRank.get(rankKey)!.map((a) => ({ id: a.id, rankKey, tieBreak: hmacWith(seed, a.id) }));
    group.sort((a, b) => (a.tieBreak < b.tieBreak ? -1 : a.tieBreak > b.tieBreak ? 1 : 0));
    for (const r of group) {
      if (out.length >= limit) break;
      out.push(r);
    }
  }
  return out;
}

/**
 * Fills the slots in time order with the ranked applicants: application id → slot id (absent =
 * not allocated). `place` may turn an applicant down (a rule refuses them now): the place goes to
 * the next in rank.
 */
export function allocate(
  ranked: Iterable<Ranked>,
  slots: readonly { id: string; free: number }[],
  place: (applicationId: string, slotId: string) => boolean = () => true,
): Map<string, string> {
  const steps = allocation(ranked, slots);
  let step = steps.next(true);
  while (step.done !== true) step = steps.next(place(step.value.applicationId, step.value.slotId));
  return step.value;
}

/**
 * The same allocation, one proposal at a time: it yields each (application, slot) in turn and is
 * told whether the place was taken (a rule may turn a winner down, then the next in rank is
 * proposed). Lets a caller place asynchronously (the store) without a second copy of the walk.
 */
export function* allocation(
  ranked: Iterable<Ranked>,
  slots: readonly { id: string; free: number }[],
): Generator<{ applicationId: string; slotId: string }, Map<string, string>, boolean> {
  const out = new Map<string, string>();
  const next = ranked[Symbol.iterator]();
  for (const s of slots) {
    for (let k = 0; k < s.free; ) {
      const r = next.next();
      if (r.done === true) return out;
      const placed = yield { applicationId: r.value.id, slotId: s.id };
      if (!placed) continue;
      out.set(r.value.id, s.id);
      k++;
    }
  }
  return out;
}

/** The ranking, lazily: as far as the places reach, and further only while winners are turned down. */
function* rankedLazily(apps: readonly { id: string; rankKey: number }[], seed: string, hmacWith: Keyed['hmacWith'], places: number): Generator<Ranked> {
  let i = 0;
  for (let limit = Math.max(1, places); ; limit *= 2) {
    const ranked = rankApplications(apps, seed, hmacWith, limit);
    for (; i < ranked.length; i++) yield ranked[i]!;
    if (ranked.length < limit) return;
  }
}

/** An application as the rules see it at allocation: contacts opened, the identity key by its hash only. */
function applicantContext(deps: BookingDeps, a: Application, base: Pick<HoldContext, 'office' | 'service' | 'policy' | 'day' | 'slotId' | 'now'>): HoldContext {
  const open = (sealed: string | null): string | null => (sealed === null ? null : deps.keyed.open(sealed));
  return {
    ...base,
    name: open(a.nameSealed) ?? '',
    email: open(a.emailSealed),
    phone: open(a.phoneSealed),
    emailHash: a.emailHash,
    phoneHash: a.phoneHash,
    identityKey: null,
    identity: personOf(a).identity,
    language: a.language,
  };
}

function windowOf(policy: BookingPolicy, office: Parameters<typeof releaseInstant>[1], day: string): { opensAt: number; closesAt: number } | null {
  const opensAt = releaseInstant(policy, office, day);
  return opensAt === null ? null : { opensAt, closesAt: opensAt + policy.drawWindowMin * 60_000 };
}

/** The draw of a day, created with its commitment the first time anyone asks (before the window opens). */
export async function ensureDraw(deps: BookingDeps, serviceId: string, day: string): Promise<Result<DrawRecord>> {
  const service = await deps.store.getService(serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  const office = await deps.store.getOffice(service.officeId);
  const policy = await deps.bookings.policy(serviceId);
  if (office === null || policy === null) return fail('BOOKING_NOT_OFFERED');
  if (policy.allocation !== 'draw') return fail('BOOKING_BY_FCFS');
  const existing = await deps.bookings.draw(serviceId, day);
  if (existing !== null) return ok(existing);
  const w = windowOf(policy, office, day);
  if (w === null) return fail('DAY_NOT_OFFERED');
  const seed = deps.secrets.token();
  const d: DrawRecord = {
    officeId: office.id,
    serviceId,
    day,
    ...w,
    commitment: deps.keyed.sha256(seed),
    seedSealed: deps.keyed.seal(seed),
    seed: null,
    state: 'open',
    ranAt: null,
  };
  await deps.bookings.putDraw(d);
  return ok(d);
}

export interface ApplyRequest extends ApplicantFields {
  serviceId: string;
  day: string;
}

/** An application during the window; the same checks as a hold run first. */
export async function applyForDay(deps: BookingDeps, req: ApplyRequest): Promise<Result<{ application: Application; holdKey: string; draw: DrawRecord; }>> {
  const d = await ensureDraw(deps, req.serviceId, req.day);
  if (!d.ok) return d;
  const draw = d.value;
  const now = deps.clock.now();
  if (now < draw.opensAt) return fail('DRAW_NOT_OPEN');
  if (now >= draw.closesAt || draw.state !== 'open') return fail('DRAW_WINDOW_CLOSED');
  const service = (await deps.store.getService(req.serviceId))!;
  const office = (await deps.store.getOffice(service.officeId))!;
  const policy = (await deps.bookings.policy(req.serviceId))!;
  const settings = await deps.bookings.officeSettings(office.id);
  if (settings.suspended) return fail('BOOKING_SUSPENDED', { message: pickText(settings.suspendedMessage, req.language, office) });
  if (!policy.confirmBy.includes(req.channel)) return fail('CONFIRM_CHANNEL_UNAVAILABLE');
  const vetted = await vetApplicant(deps, { office, service, policy, day: req.day, slotId: '', now }, req);
  if (!vetted.ok) return vetted;
  const ctx = vetted.value;
  const holdKey = deps.secrets.token();
  const application: Application = {
    id: deps.secrets.id(),
    officeId: office.id,
    serviceId: service.id,
    day: req.day,
    state: 'applied',
    appliedAt: now,
    rankKey: 0,
    language: req.language,
    channel: req.channel,
    ...sealedContact(deps, ctx),
    contactKey: (req.channel === 'email' ? ctx.emailHash : ctx.phoneHash)!,
    holdKeyHash: deps.keyed.hashToken(holdKey),
    bookingId: null,
  };
  if (!await deps.bookings.insertApplication(application)) return fail('DRAW_ALREADY_APPLIED');
  return ok({ application, holdKey, draw });
}

export interface DrawOutcome {
  draw: DrawRecord;
  allocated: number;
  notAllocated: number;
}

/**
 * The run at the window's close: ranks, allocates, turns each winner into a held booking that
 * the winner confirms as usual (link or code), tells everyone, and reveals the seed.
 */
export async function runDraw(deps: BookingDeps, serviceId: string, day: string): Promise<Result<DrawOutcome>> {
  const d = await deps.bookings.draw(serviceId, day);
  if (d === null) return fail('DRAW_NOT_FOUND');
  const now = deps.clock.now();
  if (d.state === 'done') return fail('DRAW_WINDOW_CLOSED');
  if (now < d.closesAt) return fail('DRAW_NOT_OPEN');
  const seed = deps.keyed.open(d.seedSealed);
  if (seed === null) throw new Error(`draw seed of ${serviceId} ${day} cannot be opened`);
  const service = (await deps.store.getService(serviceId))!;
  const office = (await deps.store.getOffice(service.officeId))!;
  const policy = (await deps.bookings.policy(serviceId))!;
  const apps = (await deps.bookings.applications(serviceId, day)).filter((a) => a.state === 'applied');
  const slots = (await daySlots(deps, { office, service, policy }, day)).filter((s) => s.startAt > now);
  await deps.bookings.ensureSlots(serviceId, day, slots);
  const free = slots.map((s) => ({ id: s.id, free: s.places - s.taken }));
  const places = free.reduce((n, s) => n + s.free, 0);
  // Winners confirm within a day (or before the slot, if sooner).
  const holdUntil = (startAt: number): number => Math.min(startAt, now + 24 * 3600_000);
  const byId = new Map(apps.map((a) => [a.id, a]));
  // Each winner in rank order passes the rules again, as things stand now (a ban since, a booking
  // of the same identity key — also one allocated a moment ago in this run), then takes the place.
  const place = async (id: string, slotId: string): Promise<boolean> => {
    const a = byId.get(id)!;
    const slot = await deps.bookings.slot(slotId);
    if (slot === null) return false;
    const checked = await runChecks(deps, applicantContext(deps, a, { office, service, policy, day, slotId, now }), a.id);
    if (!checked.ok) {
      if (checked.error.decision !== undefined) await deps.bookings.recordDecision(checked.error.decision);
      return false;
    }
    if (!(await deps.bookings.reserve(slot.id))) return false;
    let number = deps.secrets.bookingNumber();
    while ((await deps.bookings.bookingByNumber(number)) !== null) number = deps.secrets.bookingNumber();
    const booking: Booking = {
      id: deps.secrets.id(),
      number,
      officeId: office.id,
      serviceId,
      slotId: slot.id,
      day,
      startAt: slot.startAt,
      state: 'held',
      language: a.language,
      channel: a.channel,
      nameSealed: a.nameSealed,
      emailSealed: a.emailSealed,
      phoneSealed: a.phoneSealed,
      emailHash: a.emailHash,
      phoneHash: a.phoneHash,
      identityKeyId: a.identityKeyId,
      identityHash: a.identityHash,
      holdKeyHash: a.holdKeyHash,
      holdExpiresAt: holdUntil(slot.startAt),
      holdExtended: true,
      createdAt: now,
      ...NOTHING_HAPPENED_YET,
    };
    await deps.bookings.insertBooking(booking);
    await deps.bookings.setApplicationResult(a.id, 'allocated', booking.id);
    await sendConfirmation(deps, booking, now);
    return true;
  };
  const steps = allocation(rankedLazily(apps, seed, (k, v) => deps.keyed.hmacWith(k, v), places), free);
  let step = steps.next(true);
  while (step.done !== true) step = steps.next(await place(step.value.applicationId, step.value.slotId));
  const plan = step.value;
  for (const a of apps) {
    if (plan.has(a.id)) continue;
    await deps.bookings.setApplicationResult(a.id, 'not_allocated', null);
    const to = a.channel === 'email' ? a.emailSealed : a.phoneSealed;
    const plain = to === null ? null : deps.keyed.open(to);
    if (plain !== null) {
      await deps.bookings.enqueue(
        {
          bookingId: null,
          officeId: office.id,
          channel: a.channel,
          kind: 'draw-result',
          to: plain,
          language: a.language,
          params: { office: office.name, service: pickText(service.names, a.language, office), day, timeZone: office.timeZone, startAt: 0, allocated: 0 },
          notBefore: now,
        },
        deps.secrets.id(),
        now,
      );
    }
  }
  const allocated = plan.size;
  const done: DrawRecord = { ...d, state: 'done', ranAt: now, seed };
  await deps.bookings.putDraw(done);
  return ok({ draw: done, allocated, notAllocated: apps.length - allocated });
}

/** Every draw whose window has closed: the host calls this on a timer. */
export async function runDueDraws(deps: BookingDeps): Promise<DrawOutcome[]> {
  const out: DrawOutcome[] = [];
  for (const d of await deps.bookings.drawsDue(deps.clock.now())) {
    const r = await runDraw(deps, d.serviceId, d.day);
    if (r.ok) out.push(r.value);
  }
  return out;
}
