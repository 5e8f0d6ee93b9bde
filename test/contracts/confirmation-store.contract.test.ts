import { expect, it } from 'vitest';
import { aBooking, eachBookingStore, seedSlots } from './booking-stores.ts';

eachBookingStore((s) => {
  const booked = async (): Promise<string> => {
    await seedSlots(s().store);
    const b = aBooking();
    await s().store.insertBooking(b);
    return b.id;
  };

  it('a token is valid until used or expired; a used token names its booking', async () => {
    const id = await booked();
    await s().store.insertToken('h1', id, 'confirm', 1000);
    expect(await s().store.peekToken('h1', 'confirm', 999)).toEqual({ kind: 'valid', bookingId: id });
    expect(await s().store.peekToken('h1', 'confirm', 1000)).toEqual({ kind: 'expired' });
    expect(await s().store.peekToken('nope', 'confirm', 0)).toEqual({ kind: 'unknown' });
    expect(await s().store.consumeToken('h1', 'confirm', 500)).toEqual({ kind: 'valid', bookingId: id });
    expect(await s().store.consumeToken('h1', 'confirm', 500)).toEqual({ kind: 'used', bookingId: id });
    expect(await s().store.peekToken('h1', 'confirm', 5000)).toEqual({ kind: 'used', bookingId: id });
  });

  it('peeking consumes nothing; an expired token cannot be consumed', async () => {
    const id = await booked();
    await s().store.insertToken('h2', id, 'confirm', 1000);
    await s().store.peekToken('h2', 'confirm', 0);
    expect(await s().store.consumeToken('h2', 'confirm', 1000)).toEqual({ kind: 'expired' });
    expect(await s().store.consumeToken('h2', 'confirm', 10)).toEqual({ kind: 'valid', bookingId: id });
  });

  it('an SMS code is replaced whole, spends its tries down to nothing, and goes', async () => {
    const id = await booked();
    expect(await s().store.smsCode(id)).toBeNull();
    expect(await s().store.spendTry(id)).toBe(0);
    await s().store.putSmsCode({ bookingId: id, codeHash: 'c1', expiresAt: 100, triesLeft: 2, sends: 1, resendAfter: 10 });
    const second = { bookingId: id, codeHash: 'c2', expiresAt: 200, triesLeft: 2, sends: 2, resendAfter: 20 };
    await s().store.putSmsCode(second);
    expect(await s().store.smsCode(id)).toEqual(second);
    expect([await s().store.spendTry(id), await s().store.spendTry(id), await s().store.spendTry(id)]).toEqual([1, 0, 0]);
    await s().store.deleteSmsCode(id);
    expect(await s().store.smsCode(id)).toBeNull();
  });

  it("a kiosk's wrong codes are counted in a sliding window, and a lock holds until its time", async () => {
    const counts = [];
    for (const at of [0, 10, 20]) counts.push(await s().store.recordCodeFailure('k1', at, 15));
    expect(counts).toEqual([1, 2, 2]);
    expect(await s().store.recordCodeFailure('k2', 20, 15)).toBe(1);
    expect(await s().store.codeEntryLockedUntil('k1', 20)).toBeNull();
    await s().store.lockCodeEntry('k1', 100);
    expect(await s().store.codeEntryLockedUntil('k1', 99)).toBe(100);
    expect(await s().store.codeEntryLockedUntil('k1', 100)).toBeNull();
    // The lock forgives the failures before it ends.
    expect(await s().store.recordCodeFailure('k1', 101, 1000)).toBe(1);
  });
});
