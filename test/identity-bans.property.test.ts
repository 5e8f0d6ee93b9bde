import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingRules } from '../core/booking/model.ts';
import { cancelBooking } from '../core/booking/cancel.ts';
import { confirmByLink } from '../core/booking/confirm.ts';
import { formatLocal } from '../core/booking/availability.ts';
import { holdSlot, releaseHold, sweepLapsedHolds } from '../core/booking/hold.ts';
import type { BookingDeps } from '../core/booking/deps.ts';
import { normaliseIdentityKey } from '../core/booking/codes.ts';
import { localTime } from '../core/shared/office-time.ts';
import { addDays } from '../core/booking/release.ts';
import { banCheck, banForFictitiousData, DAY_MS, liftBan, recordNoShowBan } from '../core/rules/bans.ts';
import { identityCancelAll, identityKeyCheck } from '../core/rules/identity.ts';
import type { Secrets } from '../core/booking/ports.ts';
import { coreBookingDeps, countingSecrets, policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { MONDAY_0900_PRAGUE } from './helpers/fakes.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';
import { together } from './helpers/queue-world.ts';

/**
 * Invariants about people on the real SQLite and PostgreSQL stores, under random interleavings
 * and under bursts of concurrent holds, confirmations and cancellations with colliding identity
 * keys: an identity key never holds two active bookings of a service, no slot is held over its
 * places; a banned contact or identity never gets a hold before the ban ends (and nobody else is
 * refused as banned).
 */

let h: BookingTestHost;

const secrets = countingSecrets();

/** The run's secrets (never repeating), with the tokens handed out to one call kept apart: holds started together do not mix their keys. */
function ownTokens(): Secrets & { tokens: string[] } {
  const tokens: string[] = [];
  return {
    ...secrets,
    tokens,
    token: () => {
      const t = secrets.token();
      tokens.push(t);
      return t;
    },
  };
}

const deps = (store: BookingDeps['store'], s: Secrets = secrets): BookingDeps => coreBookingDeps(h, store, s, { checks: [identityKeyCheck, banCheck], onConfirm: [identityCancelAll] });

async function reset(rules: Partial<BookingRules>): Promise<void> {
  for (const table of ['outbox', 'booking_tokens', 'sms_codes', 'no_shows', 'bans', 'rule_decisions', 'bookings', 'slots']) await h.sql(`DELETE FROM ${table}`);
  await h.stores.seed.bookingOffice({ officeId: 'o1', suspended: false, suspendedMessage: {}, rules });
  h.clock.set(MONDAY_0900_PRAGUE);
}

/** A slot of the first working day a week or more after the clock's day (released, in the horizon, open). */
function slotAhead(serviceId: string, k: number): string {
  let day = addDays(localTime('Europe/Prague', h.clock.now()).date, 7);
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay()) || day === '2026-12-24') day = addDays(day, 1);
  return `${serviceId}~${day}~${String(8 + k).padStart(2, '0')}00`;
}

interface Held {
  key: string;
  token: string;
  bookingId: string;
  cancel: string | null;
}

async function hold(serviceId: string, slot: number, who: { email: string; phone?: string; identityKey?: string }): Promise<{ held: Held | null; error: { code: string; params?: Record<string, string | number> } | null }> {
  const mine = ownTokens();
  const r = await h.queue.run(async (s) => await holdSlot(deps(s, mine), { slotId: slotAhead(serviceId, slot), name: 'X Y', channel: 'email', language: 'en', ...who }));
  if (!r.ok) return { held: null, error: r.error };
  return { held: { key: mine.tokens[0]!, token: mine.tokens[1]!, bookingId: r.value.booking.id, cancel: null }, error: null };
}

async function confirm(t: Held): Promise<void> {
  const r = await h.queue.run(async (s) => await confirmByLink(deps(s), t.token));
  if (r.ok) t.cancel = r.value.cancelToken;
}

/** A service's bookings active for one identity hash, more than one: what must never be. */
async function twiceActive(mode: 'refuse' | 'cancelAll'): Promise<unknown[]> {
  const active =
    mode === 'refuse' ? `state IN ('confirmed', 'checked_in') OR (state = 'held' AND hold_expires_at > ${h.clock.now()})` : `state IN ('confirmed', 'checked_in')`;
  return await h.sql(`SELECT service_id, identity_hash, count(*) AS n FROM bookings WHERE ${active} GROUP BY service_id, identity_hash HAVING count(*) > 1`);
}

/** Slots holding more than their places, or whose places taken are not their live bookings. */
async function slotsAmiss(): Promise<unknown[]> {
  const slots = await h.sql<{ id: string; places: number; taken: number; live: number | string }>(
    `SELECT s.id, s.places, s.taken, (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.state IN ('held', 'confirmed')) AS live FROM slots s`,
  );
  return slots.filter((x) => x.taken > x.places || x.taken !== Number(x.live));
}

/** Runs per store: each file under a minute on PostgreSQL on two shared cores. */
const RUNS = { sqlite: { each: 40, bursts: 40, maxBursts: 8 }, postgres: { each: 40, bursts: 40, maxBursts: 8 } } as const;

describe.each(BOTH_STORES)('on %s', (store: TestStore) => {
  beforeAll(async () => {
    const big = { dayCapacity: { kind: 'explicit', clients: 400 }, slotMin: 60 } as const;
    const vin = { identityKey: { required: true, label: { en: 'VIN' } } } as const;
    h = await startBookingHost({
      store,
      // o1-s3: 2 online places in each of its slots at 08:00, 11:00 and 14:00, so bursts collide on them too.
      policies: [policy('o1-s1', { ...big, ...vin }), policy('o1-s2', big), policy('o1-s3', { dayCapacity: { kind: 'explicit', clients: 12 }, slotMin: 180, ...vin })],
    });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('identity keys (fast-check, real store)', () => {
    type Op =
      | { kind: 'hold'; person: number; key: number; slot: number }
      | { kind: 'confirm' | 'cancel' | 'release'; which: number }
      | { kind: 'advance'; min: number }
      | { kind: 'sweep' };
    const arbOp: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('hold' as const), person: fc.nat(3), key: fc.nat(2), slot: fc.nat(2) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('confirm' as const), which: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'release' as const), which: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), min: fc.integer({ min: 1, max: 20 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
    );
    /** Two keys, the first typed two ways: collisions are frequent. */
    const KEYS = ['WVWZZZ1JZXW000001', 'wvw-zzz 1jz xw 000001', 'UU1LSDAC123456789'];

    it('never holds two active bookings of a service (refuse), nor two confirmed ones (cancel-all, after confirmation)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('refuse' as const, 'cancelAll' as const), fc.array(arbOp, { minLength: 4, maxLength: 40 }), async (mode, ops) => {
          await reset({ identityDuplicates: mode });
          const held: Held[] = [];
          const pick = (i: number): Held | undefined => held[i % Math.max(1, held.length)];
          for (const op of ops) {
            switch (op.kind) {
              case 'hold': {
                const r = await hold('o1-s1', op.slot, { email: `p${op.person}@example.org`, identityKey: KEYS[op.key]! });
                if (r.held !== null) held.push(r.held);
                else expect(r.error!.code).toBe('IDENTITY_KEY_HAS_BOOKING');
                break;
              }
              case 'confirm': {
                const t = pick(op.which);
                if (t !== undefined) await confirm(t);
                break;
              }
              case 'cancel': {
                const t = pick(op.which);
                if (t?.cancel != null) await h.queue.run(async (s) => await cancelBooking(deps(s), { token: t.cancel! }));
                break;
              }
              case 'release': {
                const t = pick(op.which);
                if (t !== undefined) await h.queue.run(async (s) => await releaseHold(deps(s), t.key));
                break;
              }
              case 'advance':
                h.clock.advance(op.min * 60_000);
                break;
              case 'sweep':
                await h.queue.run(async (s) => await sweepLapsedHolds(deps(s)));
                break;
            }
            expect(await twiceActive(mode)).toEqual([]);
          }
          // Every booking carries its key's hash, never the key.
          const rows = await h.sql<{ identity_hash: string }>('SELECT identity_hash FROM bookings');
          expect(rows.every((x) => /^[0-9a-f]{64}$/.test(x.identity_hash))).toBe(true);
        }),
        { numRuns: RUNS[store].each },
      );
    });

    type Pressed = { kind: 'hold'; person: number; key: number; slot: number } | { kind: 'confirm' | 'cancel' | 'release'; which: number };
    const pressed: fc.Arbitrary<Pressed> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('hold' as const), person: fc.nat(3), key: fc.nat(2), slot: fc.nat(2) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('confirm' as const), which: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'release' as const), which: fc.nat() }) },
    );

    it('under bursts of 2–20 concurrent holds, confirmations and cancellations with colliding keys: never two active bookings of one key, no slot over its places', async () => {
      console.log(`identity-bans.property ${store}: ${RUNS[store].bursts} runs of concurrent bursts`);
      let holds = 0;
      const burstArb = fc.record({ presses: fc.array(pressed, { minLength: 2, maxLength: 20 }), thenMin: fc.integer({ min: 0, max: 12 }) });
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('refuse' as const, 'cancelAll' as const), fc.array(burstArb, { minLength: 1, maxLength: RUNS[store].maxBursts }), async (mode, bursts) => {
          await reset({ identityDuplicates: mode });
          const held: Held[] = [];
          for (const { presses, thenMin } of bursts) {
            // What each press may name: the bookings held before the burst (those of the burst come back together).
            const known = [...held];
            const pick = (i: number): Held | undefined => known[i % Math.max(1, known.length)];
            await together(
              presses.map((op) => async () => {
                if (op.kind === 'hold') {
                  // Slots of o1-s3 start at 08:00, 11:00 and 14:00.
                  const r = await hold('o1-s3', op.slot * 3, { email: `p${op.person}@example.org`, identityKey: KEYS[op.key]! });
                  if (r.held === null) expect(['IDENTITY_KEY_HAS_BOOKING', 'SLOT_TAKEN', 'DAY_SOLD_OUT']).toContain(r.error!.code);
                  else held.push(r.held);
                  return;
                }
                const t = pick(op.which);
                if (t === undefined) return;
                if (op.kind === 'confirm') await confirm(t);
                else if (op.kind === 'release') await h.queue.run(async (s) => await releaseHold(deps(s), t.key));
                else if (t.cancel !== null) await h.queue.run(async (s) => await cancelBooking(deps(s), { token: t.cancel! }));
              }),
            );
            expect(await twiceActive(mode), 'two active bookings of one identity key').toEqual([]);
            expect(await slotsAmiss(), 'a slot over its places').toEqual([]);
            h.clock.advance(thenMin * 60_000);
          }
          holds += held.length;
        }),
        // An interleaving is not replayed by its seed: a failure is reported as found, not shrunk.
      { numRuns: RUNS[store].bursts, endOnFailure: true },
      );
      // The bursts were not all refused: places were held.
      expect(holds).toBeGreaterThan(RUNS[store].bursts);
    });
  });

  describe('bans (fast-check, real store)', () => {
    type Who = { email: number; phone: number; key: number };
    type Op =
      | ({ kind: 'hold' } & Who)
      | { kind: 'confirm' | 'noShow'; which: number }
      | { kind: 'ban'; field: 'email' | 'phone' | 'identityKey'; value: number; days: number }
      | { kind: 'lift'; which: number }
      | { kind: 'advance'; hours: number };
    const who = { email: fc.nat(2), phone: fc.nat(2), key: fc.nat(2) };
    const arbOp: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('hold' as const), ...who }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('confirm' as const), which: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('noShow' as const), which: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('ban' as const), field: fc.constantFrom('email' as const, 'phone' as const, 'identityKey' as const), value: fc.nat(2), days: fc.integer({ min: 1, max: 6 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('lift' as const), which: fc.nat() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 72 }) }) },
    );
    const NO_SHOW_DAYS = 3;
    const values = (w: Who): string[] => [`e${w.email}@example.org`, `+42060100000${w.phone}`, normaliseIdentityKey(`ABC-${w.key}00000000000001`)];
    const fields = (w: Who) => ({ email: `e${w.email}@example.org`, phone: `+42060100000${w.phone}`, identityKey: `ABC-${w.key}00000000000001` });

    it('a banned contact or identity never gets a hold before the ban ends, and nobody else is refused as banned', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 30 }), async (ops) => {
          await reset({ noShowBanDays: NO_SHOW_DAYS, identityDuplicates: 'cancelAll' });
          // The model: each ban as the values it covers (clear, as typed), until when, lifted or not.
          const bans: { id: string; staff: boolean; covers: string[]; until: number; lifted: boolean }[] = [];
          const held: (Held & { who: Who })[] = [];
          const pick = <T>(xs: T[], i: number): T | undefined => xs[i % Math.max(1, xs.length)];
          for (const op of ops) {
            const now = h.clock.now();
            switch (op.kind) {
              case 'hold': {
                const mine = values(op);
                const inForce = bans.filter((b) => !b.lifted && b.until > now && b.covers.some((v) => mine.includes(v)));
                const r = await hold('o1-s2', 0, fields(op));
                if (inForce.length === 0) {
                  expect(r.error, 'refused though not banned').toBeNull();
                  held.push({ ...r.held!, who: op });
                } else {
                  expect(r.error?.code, 'held though banned').toBe('BOOKING_BANNED');
                  const office = await h.queue.read(async (s) => (await s.getOffice('o1'))!);
                  expect(r.error!.params!['until']).toBe(formatLocal(office, Math.max(...inForce.map((b) => b.until))));
                }
                break;
              }
              case 'confirm': {
                const t = pick(held, op.which);
                if (t !== undefined) await confirm(t);
                break;
              }
              case 'noShow': {
                const t = pick(held, op.which);
                const b = t === undefined ? null : await h.booking.store.booking(t.bookingId);
                if (b === null || b.state !== 'confirmed') break;
                await h.queue.run(async () => {
                  const lapsed = await h.booking.store.transition(b.id, 'confirmed', 'lapsed', { lapsedAt: now });
                  if (lapsed !== null) await recordNoShowBan({ bookings: h.booking.store }, b, 'lapsed', now);
                });
                bans.push({ id: `no-show.${b.id}`, staff: false, covers: values(t!.who), until: now + NO_SHOW_DAYS * DAY_MS, lifted: false });
                break;
              }
              case 'ban': {
                const typed = op.field === 'email' ? `e${op.value}@example.org` : op.field === 'phone' ? `+42060100000${op.value}` : `ABC-${op.value}00000000000001`;
                const r = await h.queue.run(async (s) => await banForFictitiousData(deps(s), { officeId: 'o1', target: { [op.field]: typed }, reason: 'test', days: op.days, by: 'u1' }));
                if (!r.ok) throw new Error(r.error.code);
                bans.push({ id: r.value.ban.id, staff: true, covers: [op.field === 'identityKey' ? normaliseIdentityKey(typed) : typed], until: now + op.days * DAY_MS, lifted: false });
                break;
              }
              case 'lift': {
                const inForce = bans.filter((b) => !b.lifted && b.until > now);
                const b = pick(inForce, op.which);
                if (b === undefined) break;
                const r = await h.queue.run(async (s) => await liftBan(deps(s), { officeId: 'o1', banId: b.id, reason: 'test', by: 'u1' }));
                expect(r.ok).toBe(true);
                b.lifted = true;
                break;
              }
              case 'advance':
                h.clock.advance(op.hours * 3600_000);
                break;
            }
            // A staff ban in force leaves the person no live place (it cancelled what they had; nothing new was held).
            const at = h.clock.now();
            for (const b of bans.filter((x) => x.staff && !x.lifted && x.until > at)) {
              for (const t of held.filter((x) => values(x.who).some((v) => b.covers.includes(v)))) {
                const bk = (await h.booking.store.booking(t.bookingId))!;
                expect(bk.state === 'confirmed' || (bk.state === 'held' && bk.holdExpiresAt > at), `${bk.state} booking of a banned person`).toBe(false);
              }
            }
          }
        }),
        { numRuns: RUNS[store].each },
      );
    });
  });
});
