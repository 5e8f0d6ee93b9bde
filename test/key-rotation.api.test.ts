import { afterEach, describe, expect, it } from 'vitest';
import { nodeKeyed } from '../host/crypto.ts';
import { startBookingHost, TEST_KEY, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { firstSlot, holdAt } from './helpers/rules.ts';

/**
 * Keys rotate (configuration: a current key and the previous ones). A ban recorded by contact
 * before the rotation, under the key that was current then, still bars that contact afterwards.
 */
describe.each(BOTH_STORES)('bans across a key rotation on %s', (store) => {
  let h: BookingTestHost;
  afterEach(async () => h.close());

  const NEW_KEY = Buffer.alloc(32, 9);
  const DAY = '2026-11-25';

  async function banUnderOldKey(): Promise<void> {
    const old = nodeKeyed({ current: TEST_KEY, previous: [] });
    const now = h.clock.now();
    await h.booking.store.insertBan({
      id: 'ban-before-rotation',
      officeId: 'o1',
      kind: 'fictitious',
      emailHash: old.hmac('contact:email', 'jana@example.org'),
      phoneHash: null,
      identityKeyId: null,
      identityHash: null,
      reason: 'invented name and address',
      startsAt: now - 86_400_000,
      endsAt: now + 30 * 86_400_000,
      createdBy: 'usr_supervisor',
      liftedAt: null,
      liftedBy: null,
      liftReason: null,
    });
  }

  it('matches a contact under the previous key', async () => {
    h = await startBookingHost({ store, parts: { keyed: nodeKeyed({ current: NEW_KEY, previous: [TEST_KEY] }) } });
    await banUnderOldKey();
    const res = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Jana Nováková', email: 'Jana@Example.org' });
    expect([res.statusCode, res.json().error?.code]).toEqual([403, 'BOOKING_BANNED']);
    const other = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Petr Novák', email: 'petr@example.org' });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('once the old key is dropped from the configuration, its records match no one', async () => {
    h = await startBookingHost({ store, parts: { keyed: nodeKeyed({ current: NEW_KEY, previous: [] }) } });
    await banUnderOldKey();
    const res = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Jana Nováková', email: 'jana@example.org' });
    expect(res.statusCode, res.body).toBe(201);
  });
});
