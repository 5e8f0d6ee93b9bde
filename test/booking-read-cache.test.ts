import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdSlot } from '../core/booking/hold.ts';
import { sqliteBookingStore } from '../store/booking.store.ts';
import { saveBookingOffice } from '../store/booking/settings.store.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { GroupCommitUnitOfWork } from '../store/unit-of-work.ts';
import { countingSecrets, policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { holdAt } from './helpers/rules.ts';

/**
 * The portal's public reads (a day's free places, a hold attempt refused from a full slot) are
 * answered from what the host last read while nothing was written: a release rush asks the same
 * day thousands of times between two commits. Whatever changes the answer shows on the very next
 * look, written by this host, by its back office, or by another process on the same file (a
 * second host, the CLI).
 */

const DAY = '2026-11-25'; // two days after the fake clock's Monday
const slotsUrl = `/api/v1/booking/services/o1-s1/days/${DAY}/slots`;

let h: BookingTestHost;
/** Another connection to the host's file, as a second process would open it, with its own unit of work. */
let other: Db | null = null;
let otherUow: GroupCommitUnitOfWork | null = null;
let otherSecrets = countingSecrets();

beforeEach(async () => {
  h = await startBookingHost({ policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 360 } })] });
  // The host's sweep stores the open days' slots, as before a release.
  await h.booking.sweep();
});
afterEach(async () => {
  other?.close();
  other = null;
  otherUow = null;
  otherSecrets = countingSecrets();
  await h.close();
});

async function freeOf(slotId: string): Promise<number> {
  const res = await h.app.inject({ url: slotsUrl });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().slots as { id: string; free: number }[]).find((s) => s.id === slotId)!.free;
}

async function firstFree(): Promise<{ id: string; free: number }> {
  const res = await h.app.inject({ url: slotsUrl });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().slots as { id: string; free: number }[]).find((s) => s.free > 1)!;
}

/** A hold taken through another connection to the same file, by the same use case the portal runs. */
async function holdElsewhere(slotId: string, email: string): Promise<void> {
  other ??= openDatabase(join(h.dir, 'fronta.db'));
  otherUow ??= new GroupCommitUnitOfWork(other);
  const bookings = sqliteBookingStore(other, h.booking.keyed);
  const r = await otherUow.run((store) =>
    holdSlot(
      { store, bookings, clock: h.clock, secrets: otherSecrets, keyed: h.booking.keyed, publicUrl: 'http://fronta.test', checks: [] },
      { slotId, name: 'Elsewhere', email, channel: 'email', language: 'en' },
    ),
  );
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

const lookAt = () => h.app.inject({ url: slotsUrl });

describe('a place taken shows at once', () => {
  it('a hold through the portal: the next look has one place less', async () => {
    const slot = await firstFree();
    expect(await freeOf(slot.id)).toBe(slot.free);
    const res = await holdAt(h, slot.id, { name: 'Jana', email: 'jana@example.org' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await freeOf(slot.id)).toBe(slot.free - 1);
  });

  it('a hold released: the place is back on the next look', async () => {
    const slot = await firstFree();
    const held = await holdAt(h, slot.id, { name: 'Jana', email: 'jana@example.org' });
    expect(await freeOf(slot.id)).toBe(slot.free - 1);
    const released = await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${held.json().holdKey as string}/release` });
    expect(released.statusCode, released.body).toBe(200);
    expect(await freeOf(slot.id)).toBe(slot.free);
  });

  it('a hold taken by another process on the same file: the next look has one place less', async () => {
    const slot = await firstFree();
    expect(await freeOf(slot.id)).toBe(slot.free);
    await holdElsewhere(slot.id, 'elsewhere@example.org');
    expect(await freeOf(slot.id)).toBe(slot.free - 1);
  });

  it('a slot filled by another process: the next attempt on it is refused as taken', async () => {
    const slot = await firstFree();
    // The host has looked at the slot (and would be refused nothing), then the other process fills it.
    expect((await holdAt(h, slot.id, { name: 'First', email: 'first@example.org' })).statusCode).toBe(201);
    for (let i = 1; i < slot.free; i++) await holdElsewhere(slot.id, `elsewhere${i}@example.org`);
    const res = await holdAt(h, slot.id, { name: 'Late', email: 'late@example.org' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('SLOT_TAKEN');
    expect(await freeOf(slot.id)).toBe(0);
  });
});

describe('what a rolled-back unit saw is forgotten', () => {
  it('a place taken and looked at inside a unit that then fails: the place is still free on the next look', async () => {
    const slot = await firstFree();
    const bookings = h.booking.store;
    const r = await h.queue.run(async () => {
      expect(await bookings.reserve(slot.id)).toBe(true);
      // Looked at inside the unit, after its write: the cache may keep it only while the write stands.
      expect((await bookings.slot(slot.id))!.taken).toBe((await bookings.slot(slot.id))!.places - slot.free + 1);
      return { ok: false as const, error: { code: 'SLOT_TAKEN' as const } };
    });
    expect(r.ok).toBe(false);
    expect(await freeOf(slot.id)).toBe(slot.free);
    expect((await bookings.slot(slot.id))!.places - (await bookings.slot(slot.id))!.taken).toBe(slot.free);
  });
});

describe('a configuration change shows at once', () => {
  it('the crisis switch flipped by a supervisor: the next look is refused with its message', async () => {
    expect((await lookAt()).statusCode).toBe(200);
    const crisis = await h.app.inject({
      method: 'POST',
      url: '/api/v1/booking/offices/o1/crisis',
      headers: { cookie: h.cookie('admin'), 'content-type': 'application/json' },
      payload: JSON.stringify({ on: true, message: { en: 'Closed for a power cut.' } }),
    });
    expect(crisis.statusCode, crisis.body).toBe(200);
    const res = await lookAt();
    expect(res.json().error?.code, res.body).toBe('BOOKING_SUSPENDED');
  });

  it('a service taken off online booking in the office configuration: no longer offered on the next look', async () => {
    expect((await lookAt()).statusCode).toBe(200);
    const patch = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/offices/o1/services/o1-s1',
      headers: { cookie: h.cookie('admin'), 'content-type': 'application/json' },
      payload: JSON.stringify({ online: null }),
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const res = await lookAt();
    expect(res.json().error?.code, res.body).toBe('BOOKING_NOT_OFFERED');
  });

  it('booking suspended by another process on the same file (the CLI): the next look is refused', async () => {
    expect((await lookAt()).statusCode).toBe(200);
    other = openDatabase(join(h.dir, 'fronta.db'));
    saveBookingOffice(other, { officeId: 'o1', suspended: true, suspendedMessage: { en: 'Closed.' } });
    const res = await lookAt();
    expect(res.json().error?.code, res.body).toBe('BOOKING_SUSPENDED');
  });
});
