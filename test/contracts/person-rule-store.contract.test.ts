import { expect, it } from 'vitest';
import type { Ban, NoShowRecord, RuleDecision } from '../../core/booking/model.ts';
import { aBooking, eachBookingStore, OFFICE, seedSlots, SERVICE } from './booking-stores.ts';

const noShow = (bookingId: string, at: number, over: Partial<NoShowRecord> = {}): NoShowRecord => ({
  bookingId,
  officeId: OFFICE,
  serviceId: SERVICE,
  emailHash: null,
  phoneHash: null,
  identityKeyId: null,
  identityHash: null,
  reason: 'lapsed',
  at,
  ...over,
});

const ban = (id: string, over: Partial<Ban> = {}): Ban => ({
  id,
  officeId: OFFICE,
  kind: 'fictitious',
  emailHash: null,
  phoneHash: null,
  identityKeyId: null,
  identityHash: null,
  reason: 'made up',
  startsAt: 0,
  endsAt: 1000,
  createdBy: 'u1',
  liftedAt: null,
  liftedBy: null,
  liftReason: null,
  ...over,
});

const decision = (id: string, at: number, over: Partial<RuleDecision> = {}): RuleDecision => ({
  id,
  officeId: OFFICE,
  serviceId: SERVICE,
  rule: 'ban',
  outcome: 'refused',
  bookingId: null,
  applicationId: null,
  emailHash: null,
  phoneHash: null,
  identityHash: null,
  detail: '{}',
  at,
  ...over,
});

eachBookingStore((s) => {
  const bookings = async (n: number): Promise<string[]> => {
    await seedSlots(s().store, n);
    const ids = [];
    for (let i = 0; i < n; i++) {
      const b = aBooking();
      await s().store.insertBooking(b);
      ids.push(b.id);
    }
    return ids;
  };

  it('a no-show is recorded once, excused once, noticed once', async () => {
    const [a, b] = await bookings(2);
    await s().store.recordNoShow(noShow(a!, 10));
    await s().store.recordNoShow(noShow(a!, 99));
    await s().store.recordNoShow(noShow(b!, 5, { reason: 'clerk' }));
    expect((await s().store.noShows(OFFICE)).map((r) => [r.bookingId, r.at, r.excusedAt])).toEqual([
      [b, 5, null],
      [a, 10, null],
    ]);
    await s().store.excuseNoShow(a!, 20);
    await s().store.excuseNoShow(a!, 30);
    expect((await s().store.noShows(OFFICE)).find((r) => r.bookingId === a)?.excusedAt).toBe(20);
    expect((await s().store.noShowsToNotice(1)).map((r) => r.bookingId)).toEqual([b]);
    await s().store.markNoShowNoticed(b!, 40);
    expect((await s().store.noShowsToNotice(10)).map((r) => r.bookingId)).toEqual([a]);
  });

  it("a person's unexcused no-shows since a time, latest first, by any of their hashes", async () => {
    const [a, b, c, d] = await bookings(4);
    await s().store.recordNoShow(noShow(a!, 10, { emailHash: 'ex' }));
    await s().store.recordNoShow(noShow(b!, 20, { identityKeyId: 'k1', identityHash: 'ix' }));
    await s().store.recordNoShow(noShow(c!, 30, { phoneHash: 'other' }));
    await s().store.recordNoShow(noShow(d!, 40, { emailHash: 'ex' }));
    await s().store.excuseNoShow(d!, 41);
    const person = { emailHash: 'ex', phoneHash: null, identity: [{ keyId: 'k1', hash: 'ix' }] };
    expect((await s().store.noShowsOf(OFFICE, person, 0)).map((r) => r.bookingId)).toEqual([b, a]);
    expect((await s().store.noShowsOf(OFFICE, person, 10)).map((r) => r.bookingId)).toEqual([b]);
    expect((await s().store.noShowsSince(OFFICE, 0)).map((r) => r.bookingId)).toEqual([c, b, a]);
  });

  it('a ban is in force from its start until its end or its lifting, once', async () => {
    await s().store.insertBan(ban('b1', { emailHash: 'ex', endsAt: 500 }));
    await s().store.insertBan(ban('b2', { phoneHash: 'px', startsAt: 100 }));
    const person = { emailHash: null, phoneHash: null, identity: [], contactHashes: ['ex', 'px'] };
    expect((await s().store.bansOf(OFFICE, person, 50)).map((b) => b.id)).toEqual(['b1']);
    expect((await s().store.bansInForce(OFFICE, 200)).map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(await s().store.bansInForce(OFFICE, 500)).toMatchObject([{ id: 'b2' }]);
    expect(await s().store.liftBan('b2', 300, 'u2', 'error')).toMatchObject({ id: 'b2', liftedAt: 300, liftedBy: 'u2', liftReason: 'error' });
    expect(await s().store.liftBan('b2', 301, 'u3', 'again')).toBeNull();
    expect(await s().store.liftBan('nope', 301, 'u3', 'x')).toBeNull();
    expect(await s().store.bansOf(OFFICE, person, 400)).toMatchObject([{ id: 'b1' }]);
  });

  it('a decision is recorded once and found by its booking or its attempt, oldest first', async () => {
    const [a] = await bookings(1);
    await s().store.recordDecision(decision('d2', 20, { bookingId: a!, outcome: 'cancelled' }));
    await s().store.recordDecision(decision('d1', 10, { bookingId: a! }));
    await s().store.recordDecision(decision('d1', 99));
    await s().store.recordDecision(decision('att', 5));
    await s().store.recordDecision(decision('d3', 7, { applicationId: 'app1' }));
    expect((await s().store.decisionsAbout({ bookingId: a! })).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect((await s().store.decisionsAbout({ attemptId: 'att' })).map((d) => d.id)).toEqual(['att']);
    expect((await s().store.decisionsAbout({ attemptId: 'app1' })).map((d) => d.id)).toEqual(['d3']);
    expect(await s().store.decisionsAbout({})).toEqual([]);
  });
});
