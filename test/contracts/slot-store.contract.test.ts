import { expect, it } from 'vitest';
import { DAY, eachBookingStore, seedSlots, SERVICE } from './booking-stores.ts';

eachBookingStore((s) => {
  it('stores a day once: a second call changes no places', async () => {
    const ids = await seedSlots(s().store, 2);
    await s().store.ensureSlots(SERVICE, DAY, [{ id: ids[0]!, startMin: 540, startAt: 0, places: 9 }]);
    const slots = await s().store.slots(SERVICE, DAY);
    expect(slots.map((x) => [x.id, x.places, x.taken])).toEqual(ids.map((id) => [id, 2, 0]));
    expect(await s().store.slots(SERVICE, '2026-11-25')).toEqual([]);
    expect(await s().store.slot('nope')).toBeNull();
  });

  it('a day stored already gains the slots missing (time opened since), its stored ones unchanged', async () => {
    const ids = await seedSlots(s().store, 2);
    await s().store.reserve(ids[0]!);
    const later = `${SERVICE}~${DAY}~1700`;
    await s().store.ensureSlots(SERVICE, DAY, [
      { id: ids[0]!, startMin: 540, startAt: 0, places: 9 },
      { id: later, startMin: 1020, startAt: 5, places: 3 },
    ]);
    const slots = await s().store.slots(SERVICE, DAY);
    expect(slots.find((x) => x.id === ids[0])).toMatchObject({ places: 2, taken: 1 });
    expect(slots.at(-1)).toMatchObject({ id: later, startMin: 1020, places: 3, taken: 0 });
    expect(slots).toHaveLength(ids.length + 1);
  });

  it("keeps each slot's length as stored (null when none was given), whatever is stored after it", async () => {
    await s().store.ensureSlots(SERVICE, DAY, [
      { id: `${SERVICE}~${DAY}~0900`, startMin: 540, startAt: 1, places: 1, minutes: 30 },
      { id: `${SERVICE}~${DAY}~0930`, startMin: 570, startAt: 2, places: 1 },
    ]);
    await s().store.ensureSlots(SERVICE, DAY, [{ id: `${SERVICE}~${DAY}~0900`, startMin: 540, startAt: 1, places: 1, minutes: 15 }]);
    expect((await s().store.slots(SERVICE, DAY)).map((x) => x.minutes)).toEqual([30, null]);
    expect((await s().store.slot(`${SERVICE}~${DAY}~0900`))?.minutes).toBe(30);
  });

  it('slots come earliest first', async () => {
    await s().store.ensureSlots(SERVICE, DAY, [
      { id: `${SERVICE}~${DAY}~1000`, startMin: 600, startAt: 3, places: 1 },
      { id: `${SERVICE}~${DAY}~0900`, startMin: 540, startAt: 1, places: 1 },
    ]);
    expect((await s().store.slots(SERVICE, DAY)).map((x) => x.startMin)).toEqual([540, 600]);
  });

  it('reserve never gives more than places, and free gives one back', async () => {
    const [nine] = await seedSlots(s().store, 2);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await s().store.reserve(nine!));
    expect(results).toEqual([true, true, false, false, false]);
    expect((await s().store.slot(nine!))?.taken).toBe(2);
    await s().store.free(nine!);
    expect((await s().store.slot(nine!))?.taken).toBe(1);
    expect(await s().store.reserve(nine!)).toBe(true);
    expect(await s().store.reserve('no-such-slot')).toBe(false);
  });

  it('free never goes below nothing taken', async () => {
    const [nine] = await seedSlots(s().store, 1);
    await s().store.free(nine!);
    expect((await s().store.slot(nine!))?.taken).toBe(0);
  });

  it('a day has a free place until its last one is taken', async () => {
    const ids = await seedSlots(s().store, 1);
    for (const id of ids) {
      expect(await s().store.hasFreePlace(SERVICE, DAY)).toBe(true);
      await s().store.reserve(id);
    }
    expect(await s().store.hasFreePlace(SERVICE, DAY)).toBe(false);
  });
});
