import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availability } from '../core/booking/availability.ts';
import { cancelBooking } from '../core/booking/cancel.ts';
import { confirmByLink } from '../core/booking/confirm.ts';
import { holdSlot, releaseHold, sweepLapsedHolds } from '../core/booking/hold.ts';
import type { BookingDeps } from '../core/booking/deps.ts';
import { coreBookingDeps, countingSecrets, policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { MONDAY_0900_PRAGUE } from './helpers/fakes.ts';
import { BOTH_STORES } from './helpers/harness.ts';

/** Engine invariants of online booking on the real SQLite and PostgreSQL stores, under random interleavings. */

let h: BookingTestHost;

const secrets = countingSecrets();

const deps = (store: BookingDeps['store']): BookingDeps => coreBookingDeps(h, store, secrets);

type Op =
  | { kind: 'hold'; slot: number }
  | { kind: 'confirm'; which: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'release'; which: number }
  | { kind: 'advance'; min: number }
  | { kind: 'sweep' };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('hold' as const), slot: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confirm' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), min: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
);

/** Each property starts from no bookings and no stored slots. */
async function empty(): Promise<void> {
  for (const table of ['outbox', 'booking_tokens', 'sms_codes', 'bookings', 'slots']) await h.sql(`DELETE FROM ${table}`);
}

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeAll(async () => {
    h = await startBookingHost({ store, policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 12 }, slotMin: 180, holdMin: 10 })] });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('booking invariants (fast-check, real store)', () => {
    it('no slot ever holds more than its places; taken always equals the live bookings; an expired hold frees its slot', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 40 }), async (ops) => {
          await empty();
          h.clock.set(MONDAY_0900_PRAGUE);
          const day = '2026-11-25';
          const slotIds = await h.queue.read(async (s) => {
            const a = await availability(deps(s), 'o1-s1', day);
            if (!a.ok) throw new Error(a.error.code);
            return a.value.slots.map((x) => x.id);
          });
          expect(slotIds.length).toBe(3); // 08:00, 11:00, 14:00 — 6 online places: 2 each
          const held: { key: string; token: string; cancel: string | null }[] = [];
          for (const op of ops) {
            switch (op.kind) {
              case 'hold': {
                secrets.tokens.length = 0;
                const r = await h.queue.run(async (s) => await holdSlot(deps(s), { slotId: slotIds[op.slot]!, name: 'X', email: `x${held.length}@example.org`, channel: 'email', language: 'en' }));
                // hold key = first token, confirm token = second (see holdSlot)
                if (r.ok) held.push({ key: secrets.tokens[0]!, token: secrets.tokens[1]!, cancel: null });
                break;
              }
              case 'confirm': {
                const t = held[op.which % Math.max(1, held.length)];
                if (t === undefined) break;
                const r = await h.queue.run(async (s) => await confirmByLink(deps(s), t.token));
                if (r.ok) t.cancel = r.value.cancelToken;
                break;
              }
              case 'cancel': {
                const t = held[op.which % Math.max(1, held.length)];
                if (t?.cancel != null) await h.queue.run(async (s) => await cancelBooking(deps(s), { token: t.cancel! }));
                break;
              }
              case 'release': {
                const t = held[op.which % Math.max(1, held.length)];
                if (t !== undefined) await h.queue.run(async (s) => await releaseHold(deps(s), t.key));
                break;
              }
              case 'advance':
                h.clock.advance(op.min * 60_000);
                break;
              case 'sweep':
                await h.queue.run(async () => await sweepLapsedHolds(deps(null as never)));
                break;
            }
            const rows = await h.sql<{ id: string; places: number; taken: number; live: number }>(
              `SELECT s.id, s.places, s.taken, (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.state IN ('held', 'confirmed')) AS live FROM slots s`,
            );
            for (const r of rows) {
              expect(r.taken).toBeLessThanOrEqual(r.places);
              expect(r.taken).toBe(r.live);
            }
          }
          // After a sweep no lapsed hold keeps a place.
          await h.queue.run(async () => await sweepLapsedHolds(deps(null as never)));
          const [lapsed] = await h.sql<{ c: number }>(`SELECT count(*) AS c FROM bookings WHERE state = 'held' AND hold_expires_at <= ${h.clock.now()}`);
          expect(Number(lapsed!.c)).toBe(0);
        }),
        { numRuns: store === 'sqlite' ? 40 : 25 },
      );
    });

    it('concurrent holds for the last places: exactly the capacity is held, never more', async () => {
      await empty();
      h.clock.set(MONDAY_0900_PRAGUE);
      const slotId = 'o1-s1~2026-11-25~0800';
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => h.queue.run(async (s) => await holdSlot(deps(s), { slotId, name: 'X', email: `r${i}@example.org`, channel: 'email', language: 'en' }))),
      );
      expect(results.filter((r) => r.ok).length).toBe(2);
      expect(new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code)))).toEqual(new Set(['SLOT_TAKEN']));
      expect(await h.sql(`SELECT taken FROM slots WHERE id = '${slotId}'`)).toEqual([{ taken: 2 }]);
      // The CHECK stands behind the conditional update.
      await expect(h.sql(`UPDATE slots SET taken = places + 1 WHERE id = '${slotId}'`)).rejects.toThrow(/check/i);
    });
  });
});
